//! Matrix products for mini-batches: C = A B + beta C, natively through ndarray (matrixmultiply),
//! in wasm through a blocked kernel that keeps a 4-row block of C in registers, and for a single
//! row of A (a batch of one sequence) a row kernel that keeps 32 of C's entries there (simd128.rs).

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(super) use super::simd128::{narrow_block, narrow_block_f32, panel_block, panel_block_f32, row_times, row_times_f32};
use super::{contiguous, contiguous_mut};
use ndarray::{ArrayView2, ArrayViewMut2, LinalgScalar};

/// C = A B + beta C, for a mini-batch's products (A may be a transposed view; B and C are
/// row-major). Natively this is ndarray's `general_mat_mul` (matrixmultiply's AVX2 and FMA
/// kernel); in wasm it is [`blocked_mat_mul`], because matrixmultiply has a simd128 kernel for
/// f32 only, and its generic f64 kernel is slower there than one sequence at a time.
#[inline]
pub fn mat_mul(a: ArrayView2<'_, f64>, b: ArrayView2<'_, f64>, beta: f64, c: ArrayViewMut2<'_, f64>) {
    #[cfg(target_arch = "wasm32")]
    blocked_mat_mul(a, b, beta, c);
    #[cfg(not(target_arch = "wasm32"))]
    ndarray::linalg::general_mat_mul(1.0, &a, &b, beta, &mut { c });
}

/// C = A B + beta C in single precision, for a mini-batch of precision f32: natively
/// matrixmultiply's sgemm (AVX2 and FMA); in wasm [`blocked_mat_mul_f32`], a 4 x 8 block in
/// registers, which is faster on the batch products than matrixmultiply's simd128 sgemm and keeps
/// that crate out of the wasm build.
#[inline]
pub fn mat_mul_f32(a: ArrayView2<'_, f32>, b: ArrayView2<'_, f32>, beta: f32, c: ArrayViewMut2<'_, f32>) {
    #[cfg(target_arch = "wasm32")]
    blocked_mat_mul_f32(a, b, beta, c);
    #[cfg(not(target_arch = "wasm32"))]
    ndarray::linalg::general_mat_mul(1.0, &a, &b, beta, &mut { c });
}

/// Rows of A (and of C) that [`blocked_mat_mul`] keeps in registers at once, and columns of B
/// (twice as many in single precision, whose vectors hold twice as many numbers).
pub(super) const PANEL_ROWS: usize = 4;
pub(super) const PANEL_COLS: usize = 4;
pub(super) const PANEL_COLS_F32: usize = 8;

/// A block kernel: C[r, j..j + COLS] = Σ_kk A[r, kk] B[kk, j..j + COLS] (+ beta C) for the first
/// `rows` rows of `c` (the panel's rows of C, n wide), each entry summed in k order from zero,
/// from four rows of A packed side by side: `panel[4 kk + r]` = A[r, kk].
pub(super) type Block<T> = fn(&[T], &[T], usize, usize, T, &mut [T], usize);

/// C = A B + beta C: a 4 x 4 block of C in registers (eight v128s in wasm, see simd128.rs)
/// while every k adds a 4-row column of A times 4 entries of row k of B. Four rows of A at a time
/// are packed side by side into a panel the kernel reads with one pointer (a transposed A is
/// first copied whole, tile by tile); the two columns a block of four leaves go to a narrow block.
/// Each entry is summed in k order from zero, then beta C is added. In wasm this is twice as fast
/// as matrixmultiply's generic f64 kernel on the batch products (bench a32, c32).
pub fn blocked_mat_mul(a: ArrayView2<'_, f64>, b: ArrayView2<'_, f64>, beta: f64, c: ArrayViewMut2<'_, f64>) {
    blocked::<f64, PANEL_COLS>(a, b, beta, c, [panel_block, narrow_block], row_times);
}

/// [`blocked_mat_mul`] in single precision, a 4 x 8 block in registers.
pub fn blocked_mat_mul_f32(a: ArrayView2<'_, f32>, b: ArrayView2<'_, f32>, beta: f32, c: ArrayViewMut2<'_, f32>) {
    blocked::<f32, PANEL_COLS_F32>(a, b, beta, c, [panel_block_f32, narrow_block_f32], row_times_f32);
}

/// The blocked product's driver: for every 4 rows of A, packed, `blocks[0]` on every COLS
/// columns of B, `blocks[1]` on COLS / 2 of what is left (H 100 leaves 4 in single precision),
/// the last columns one at a time; a single row of A goes to `row` instead.
#[inline(always)]
fn blocked<T: LinalgScalar + PartialEq, const COLS: usize>(
    a: ArrayView2<'_, T>,
    b: ArrayView2<'_, T>,
    beta: T,
    c: ArrayViewMut2<'_, T>,
    blocks: [Block<T>; 2],
    row: impl Fn(&[T], &[T], T, &mut [T]),
) {
    let ((m, k), n) = (a.dim(), b.ncols());
    assert_eq!((b.nrows(), c.dim()), (k, (m, n)), "C (m x n) = A (m x k) B (k x n)");
    let (b, c) = (contiguous(b), contiguous_mut(c));
    if m == 1 {
        // one row (a batch of one sequence): a 4-row panel would be three quarters padding
        match a.row(0).as_slice() {
            Some(a_row) => row(a_row, b, beta, c),
            None => row(&a.row(0).to_vec(), b, beta, c),
        }
        return;
    }
    // A row-major, where it lies, or copied: a transposed A's rows lie side by side, so packing
    // its panels straight from it loads a cache line for four numbers at every k; copied whole
    // first, tile by tile, each line is read once (measured: the faster of the two)
    let copy;
    let (data, row_step) = match (a.as_slice_memory_order(), a.strides()) {
        (Some(data), &[rs, 1]) if rs >= 0 => (data, rs as usize),
        (Some(data), &[1, cs]) if cs > 1 => {
            copy = transposed(data, m, k, cs as usize);
            (copy.as_slice(), k)
        }
        _ => {
            copy = a.as_standard_layout().into_owned().into_raw_vec_and_offset().0;
            (copy.as_slice(), k)
        }
    };
    let (wide, half) = (n - n % COLS, COLS / 2);
    let narrow = wide + (n - wide) / half * half;
    let mut panel = vec![T::zero(); PANEL_ROWS * k];
    for (block_index, c_rows) in c.chunks_mut(PANEL_ROWS * n.max(1)).enumerate() {
        let rows = c_rows.len() / n.max(1);
        // panel[4 kk + r] = A[first + r, kk]: one pointer for the kernel's loads rather than four
        // (rows past the end of A repeat the first, and the kernels drop their sums)
        let first = block_index * PANEL_ROWS;
        let a_rows: [&[T]; PANEL_ROWS] = std::array::from_fn(|r| {
            let start = (first + if r < rows { r } else { 0 }) * row_step;
            &data[start..start + k]
        });
        for (kk, four) in panel.chunks_exact_mut(PANEL_ROWS).enumerate() {
            for (x, a_row) in four.iter_mut().zip(&a_rows) {
                *x = a_row[kk];
            }
        }
        for j in (0..wide).step_by(COLS) {
            blocks[0](&panel, b, n, j, beta, c_rows, rows);
        }
        for j in (wide..narrow).step_by(half) {
            blocks[1](&panel, b, n, j, beta, c_rows, rows);
        }
        for j in narrow..n {
            for (r, a_row) in a_rows.iter().enumerate().take(rows) {
                let v = a_row.iter().enumerate().fold(T::zero(), |sum, (kk, &ar)| sum + ar * b[kk * n + j]);
                put(&mut c_rows[r * n + j], v, beta);
            }
        }
    }
}

/// One entry of C = A B + beta C from its sum `v`: v + beta C, or v alone when beta is 0, so
/// that whatever C held before (NaN included) is never read.
#[inline(always)]
pub(super) fn put<T: LinalgScalar + PartialEq>(out: &mut T, v: T, beta: T) {
    *out = if beta != T::zero() { v + beta * *out } else { v };
}

/// The m x k matrix whose entry (i, kk) is `data[i + kk * stride]` (a row-major k x stride
/// matrix's first m columns, transposed), row-major, copied in tiles of 8 x 8 so that every
/// cache line of `data` is read once.
fn transposed<T: LinalgScalar>(data: &[T], m: usize, k: usize, stride: usize) -> Vec<T> {
    const TILE: usize = 8;
    let mut out = vec![T::zero(); m * k];
    for kk0 in (0..k).step_by(TILE) {
        for i0 in (0..m).step_by(TILE) {
            for kk in kk0..(kk0 + TILE).min(k) {
                for (d, &v) in data[kk * stride + i0..kk * stride + (i0 + TILE).min(m)].iter().enumerate() {
                    out[(i0 + d) * k + kk] = v;
                }
            }
        }
    }
    out
}

/// Columns of the row product [`portable_row_times`] sums at once, on the stack.
#[cfg(any(test, not(all(target_arch = "wasm32", target_feature = "simd128"))))]
const ROW_CHUNK: usize = 64;

/// C = a B + beta C for one row a (length k; B row-major k x n, C of length n), each entry summed
/// in k order from zero, then beta C added (the bits of the blocked product): ROW_CHUNK columns at
/// a time, each an axpy over B's rows, which the compiler vectorises. simd128.rs spells it out
/// for wasm with the same bits.
#[cfg(any(test, not(all(target_arch = "wasm32", target_feature = "simd128"))))]
#[inline(always)]
pub(super) fn portable_row_times<T: LinalgScalar + PartialEq>(a: &[T], b: &[T], beta: T, c: &mut [T]) {
    let n = c.len();
    assert_eq!(b.len(), a.len() * n, "B has a row for each entry of a, as long as C");
    for j0 in (0..n).step_by(ROW_CHUNK) {
        let w = ROW_CHUNK.min(n - j0);
        let mut acc = [T::zero(); ROW_CHUNK];
        // four rows of B a pass, added one after another (so the same order), so that each
        // pass loads and stores the sums once for four products
        let mut rows = a.iter().zip(b.chunks_exact(n));
        for _ in 0..a.len() / 4 {
            let [(&a0, b0), (&a1, b1), (&a2, b2), (&a3, b3)] = std::array::from_fn(|_| rows.next().expect("four rows left"));
            let (b0, b1, b2, b3) = (&b0[j0..j0 + w], &b1[j0..j0 + w], &b2[j0..j0 + w], &b3[j0..j0 + w]);
            for (q, x) in acc[..w].iter_mut().enumerate() {
                *x = *x + a0 * b0[q] + a1 * b1[q] + a2 * b2[q] + a3 * b3[q];
            }
        }
        for (&ak, b_row) in rows {
            for (x, &bv) in acc[..w].iter_mut().zip(&b_row[j0..j0 + w]) {
                *x = *x + ak * bv;
            }
        }
        for (out, &v) in c[j0..j0 + w].iter_mut().zip(&acc[..w]) {
            put(out, v, beta);
        }
    }
}
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub(super) use portable_row_times as row_times;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub(super) use portable_row_times as row_times_f32;

/// A 4 x COLS block of A B at columns j.. of row-major B (k x n), written to the first `rows`
/// rows of `c` (the panel's rows of C, n wide): each entry summed in k order from zero, then
/// beta C added. The compiler leaves this loop scalar in wasm; simd128.rs spells it out there
/// with the same bits.
#[cfg(any(test, not(all(target_arch = "wasm32", target_feature = "simd128"))))]
#[inline(always)]
pub(super) fn portable_panel_block<T: LinalgScalar + PartialEq, const COLS: usize>(
    panel: &[T],
    b: &[T],
    n: usize,
    j: usize,
    beta: T,
    c: &mut [T],
    rows: usize,
) {
    let mut acc = [[T::zero(); COLS]; PANEL_ROWS];
    for (ak, b_row) in panel.chunks_exact(PANEL_ROWS).zip(b.chunks_exact(n)) {
        let bk: &[T; COLS] = b_row[j..j + COLS].try_into().expect("COLS columns");
        for (acc_r, &ar) in acc.iter_mut().zip(ak) {
            for q in 0..COLS {
                acc_r[q] = acc_r[q] + ar * bk[q];
            }
        }
    }
    for (r, acc_r) in acc.iter().enumerate().take(rows) {
        for (out, &v) in c[r * n + j..r * n + j + COLS].iter_mut().zip(acc_r) {
            put(out, v, beta);
        }
    }
}
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub(super) fn panel_block<T: LinalgScalar + PartialEq>(panel: &[T], b: &[T], n: usize, j: usize, beta: T, c: &mut [T], rows: usize) {
    portable_panel_block::<T, PANEL_COLS>(panel, b, n, j, beta, c, rows);
}
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub(super) fn narrow_block<T: LinalgScalar + PartialEq>(panel: &[T], b: &[T], n: usize, j: usize, beta: T, c: &mut [T], rows: usize) {
    portable_panel_block::<T, { PANEL_COLS / 2 }>(panel, b, n, j, beta, c, rows);
}
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub(super) fn panel_block_f32(panel: &[f32], b: &[f32], n: usize, j: usize, beta: f32, c: &mut [f32], rows: usize) {
    portable_panel_block::<f32, PANEL_COLS_F32>(panel, b, n, j, beta, c, rows);
}
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub(super) fn narrow_block_f32(panel: &[f32], b: &[f32], n: usize, j: usize, beta: f32, c: &mut [f32], rows: usize) {
    portable_panel_block::<f32, { PANEL_COLS_F32 / 2 }>(panel, b, n, j, beta, c, rows);
}
