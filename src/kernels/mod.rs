//! The few dense kernels the model needs. They take ndarray views and run on the contiguous
//! row-major slices behind them (`contiguous`), in loops written so the compiler vectorises
//! them (AVX natively, simd128 in wasm) without fast-math: `axpy`-shaped loops carry no reduction,
//! and `dot` keeps eight independent partial sums; only `dot4` spells its vectors out. Every
//! kernel gives the bits of the plain loop it replaces (the tests compare them).

use ndarray::{ArrayView, ArrayView1, ArrayView2, ArrayViewMut, ArrayViewMut1, ArrayViewMut2, Dimension, LinalgScalar, NdFloat};

// dot4's partial sums: AVX natively, simd128 in wasm, plain loops elsewhere. The portable file
// is also compiled for the tests, which compare the vector versions' bits with it.
#[cfg(all(target_arch = "x86_64", target_feature = "avx"))]
mod avx2;
#[cfg(all(target_arch = "x86_64", target_feature = "avx"))]
use avx2::partial_sums;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use simd128::{panel_block, panel_block_f32, partial_sums};
#[cfg(any(test, not(any(all(target_arch = "x86_64", target_feature = "avx"), all(target_arch = "wasm32", target_feature = "simd128")))))]
mod portable;
#[cfg(not(any(all(target_arch = "x86_64", target_feature = "avx"), all(target_arch = "wasm32", target_feature = "simd128"))))]
use portable::partial_sums;

/// The slice behind a view, which the kernels' loops run on. The model's arrays are row-major `Array2`s
/// (ndarray's default, and nothing transposes them), and the kernels see them whole, a row or a
/// range of rows at a time: contiguous in standard order. A column, say, is a caller's bug.
#[inline]
fn contiguous<T, D: Dimension>(view: ArrayView<'_, T, D>) -> &[T] {
    view.to_slice().expect("kernel operands are contiguous and row-major")
}

/// [`contiguous`] for the operand a kernel writes.
#[inline]
fn contiguous_mut<T, D: Dimension>(view: ArrayViewMut<'_, T, D>) -> &mut [T] {
    view.into_slice().expect("kernel operands are contiguous and row-major")
}

/// Lanes of independent partial sums in [`dot`]: enough for two 4-wide or four 2-wide vectors.
const LANES: usize = 8;

/// a · b
#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    debug_assert_eq!(a.len(), b.len());
    let split = a.len() - a.len() % LANES;
    let mut acc = [0.0f64; LANES];
    for (ca, cb) in a[..split].chunks_exact(LANES).zip(b[..split].chunks_exact(LANES)) {
        for k in 0..LANES {
            acc[k] += ca[k] * cb[k];
        }
    }
    let mut sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    for (x, y) in a[split..].iter().zip(&b[split..]) {
        sum += x * y;
    }
    sum
}

/// y += alpha * x, for arrays of the same shape.
#[inline]
pub fn axpy<D: Dimension>(alpha: f64, x: ArrayView<'_, f64, D>, y: ArrayViewMut<'_, f64, D>) {
    assert_eq!(x.shape(), y.shape());
    axpy_slices(alpha, contiguous(x), contiguous_mut(y));
}

/// [`axpy`] on the slices, as the other kernels use it.
#[inline]
fn axpy_slices(alpha: f64, x: &[f64], y: &mut [f64]) {
    debug_assert_eq!(x.len(), y.len());
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

/// Rows of M taken together by [`mat_vec`], so that each load of x serves four rows. Each row's own arithmetic, and so every result bit, is as one row at a time.
const ROWS: usize = 4;

/// y = M x
#[inline]
pub fn mat_vec(m: ArrayView2<'_, f64>, x: ArrayView1<'_, f64>, y: ArrayViewMut1<'_, f64>) {
    assert_eq!(m.dim(), (y.len(), x.len()));
    let (m, x, y) = (contiguous(m), contiguous(x), contiguous_mut(y));
    let n = x.len();
    let blocked = y.len() - y.len() % ROWS;
    for (block, yq) in m.chunks_exact(ROWS * n).zip(y[..blocked].chunks_exact_mut(ROWS)) {
        yq.copy_from_slice(&dot4(block, x));
    }
    for (row, yi) in m[blocked * n..].chunks_exact(n).zip(&mut y[blocked..]) {
        *yi = dot(row, x);
    }
}

/// [`dot`] of each of four consecutive rows of `block` with x. The partial sums come from one
/// file per target, the vector ones spelled out with each lane one of `dot`'s eight partial
/// sums, so the bits are the portable version's.
#[inline(always)]
fn dot4(block: &[f64], x: &[f64]) -> [f64; ROWS] {
    let n = x.len();
    let split = n - n % LANES;
    let acc = partial_sums(block, x);
    let mut out = [0.0; ROWS];
    for (q, (a, o)) in acc.iter().zip(&mut out).enumerate() {
        let mut sum = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
        for (r, xi) in block[q * n + split..(q + 1) * n].iter().zip(&x[split..]) {
            sum += r * xi;
        }
        *o = sum;
    }
    out
}

/// y += Mᵀ x: row-major M is read contiguously, eight rows per sweep over y (one load and store
/// of y per eight rows), each added in row order as separate `axpy`s would.
#[inline]
pub fn mat_t_vec_add(m: ArrayView2<'_, f64>, x: ArrayView1<'_, f64>, y: ArrayViewMut1<'_, f64>) {
    assert_eq!(m.dim(), (x.len(), y.len()));
    let (m, x, y) = (contiguous(m), contiguous(x), contiguous_mut(y));
    const SWEEP: usize = 8;
    let n = y.len();
    let blocked = x.len() - x.len() % SWEEP;
    for (block, a) in m.chunks_exact(SWEEP * n).zip(x[..blocked].chunks_exact(SWEEP)) {
        let rows: [&[f64]; SWEEP] = std::array::from_fn(|q| &block[q * n..(q + 1) * n]);
        for (j, yj) in y.iter_mut().enumerate() {
            let mut v = *yj;
            for q in 0..SWEEP {
                v += a[q] * rows[q][j];
            }
            *yj = v;
        }
    }
    for (row, &xi) in m[blocked * n..].chunks_exact(n).zip(&x[blocked..]) {
        axpy_slices(xi, row, y);
    }
}

/// out = Σ_k a_k r_k over the terms (a_k, r_k), rows as long as `out`, each entry summed in k
/// order from zero, as repeated `axpy`s into a zeroed `out` would. A block of `out` stays in
/// registers while every term adds into it: `WIDE` columns (eight vector registers, enough
/// independent sums to hide the adds' latency), then 4, then one by one.
#[inline]
pub fn combine_rows<'a>(terms: impl Iterator<Item = (f64, ArrayView1<'a, f64>)> + Clone, out: ArrayViewMut1<'_, f64>) {
    let out = contiguous_mut(out);
    let terms = terms.map(|(a, r)| (a, contiguous(r)));
    #[cfg(target_arch = "wasm32")]
    const WIDE: usize = 16; // 2 doubles per v128
    #[cfg(not(target_arch = "wasm32"))]
    const WIDE: usize = 32; // 4 doubles per AVX register
    let wide = out.len() - out.len() % WIDE;
    let narrow = out.len() - out.len() % 4;
    combine_blocks::<WIDE>(terms.clone(), 0, &mut out[..wide]);
    combine_blocks::<4>(terms.clone(), wide, &mut out[wide..narrow]);
    combine_blocks::<1>(terms, narrow, &mut out[narrow..]);
}

/// [`combine_rows`] for `out` = columns `first..` of the rows, B columns at a time.
#[inline(always)]
fn combine_blocks<'a, const B: usize>(terms: impl Iterator<Item = (f64, &'a [f64])> + Clone, first: usize, out: &mut [f64]) {
    for (b, o) in out.chunks_exact_mut(B).enumerate() {
        let start = first + b * B;
        let mut acc = [0.0f64; B];
        for (a, r) in terms.clone() {
            let r: &[f64; B] = r[start..start + B].try_into().expect("B long");
            for j in 0..B {
                acc[j] += a * r[j];
            }
        }
        o.copy_from_slice(&acc);
    }
}

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
const PANEL_ROWS: usize = 4;
const PANEL_COLS: usize = 4;
const PANEL_COLS_F32: usize = 8;

/// C = A B + beta C: a 4 x 4 block of C in registers (eight v128s in wasm, see simd128.rs)
/// while every k adds a 4-row column of A times 4 entries of row k of B. A is packed four rows at
/// a time into one contiguous panel first (any strides, so Aᵀ costs nothing extra); each entry is
/// summed in k order from zero, then beta C is added. In wasm this is twice as fast as
/// matrixmultiply's generic f64 kernel on the batch products (bench a32, c32).
pub fn blocked_mat_mul(a: ArrayView2<'_, f64>, b: ArrayView2<'_, f64>, beta: f64, c: ArrayViewMut2<'_, f64>) {
    blocked::<f64, PANEL_COLS>(a, b, beta, c, panel_block);
}

/// [`blocked_mat_mul`] in single precision, a 4 x 8 block in registers.
pub fn blocked_mat_mul_f32(a: ArrayView2<'_, f32>, b: ArrayView2<'_, f32>, beta: f32, c: ArrayViewMut2<'_, f32>) {
    blocked::<f32, PANEL_COLS_F32>(a, b, beta, c, panel_block_f32);
}

/// The blocked product's driver: packs A's panels and calls `block` for every `COLS` columns of
/// B, the last columns one at a time.
#[inline(always)]
fn blocked<T: LinalgScalar + PartialEq, const COLS: usize>(
    a: ArrayView2<'_, T>,
    b: ArrayView2<'_, T>,
    beta: T,
    c: ArrayViewMut2<'_, T>,
    block: impl Fn(&[T], &[T], usize, usize) -> [[T; COLS]; PANEL_ROWS],
) {
    let ((m, k), n) = (a.dim(), b.ncols());
    assert_eq!((b.nrows(), c.dim()), (k, (m, n)), "C (m x n) = A (m x k) B (k x n)");
    let (b, c) = (contiguous(b), contiguous_mut(c));
    let mut panel = vec![T::zero(); PANEL_ROWS * k];
    let wide = n - n % COLS;
    let keep = beta != T::zero();
    for (block_index, c_rows) in c.chunks_mut(PANEL_ROWS * n.max(1)).enumerate() {
        let rows = c_rows.len() / n.max(1);
        // panel[kk * 4 + r] = A[first + r, kk]; rows past the end of A stay zero
        panel.fill(T::zero());
        for r in 0..rows {
            for (kk, &v) in a.row(block_index * PANEL_ROWS + r).iter().enumerate() {
                panel[kk * PANEL_ROWS + r] = v;
            }
        }
        for j in (0..wide).step_by(COLS) {
            let acc = block(&panel, b, n, j);
            for (r, acc_r) in acc.iter().enumerate().take(rows) {
                for (q, &v) in acc_r.iter().enumerate() {
                    let out = &mut c_rows[r * n + j + q];
                    *out = if keep { v + beta * *out } else { v };
                }
            }
        }
        for j in wide..n {
            let mut acc = [T::zero(); PANEL_ROWS];
            for (ak, b_row) in panel.chunks_exact(PANEL_ROWS).zip(b.chunks_exact(n)) {
                for r in 0..PANEL_ROWS {
                    acc[r] = acc[r] + ak[r] * b_row[j];
                }
            }
            for (r, &v) in acc.iter().enumerate().take(rows) {
                let out = &mut c_rows[r * n + j];
                *out = if keep { v + beta * *out } else { v };
            }
        }
    }
}

/// A 4 x COLS block of A B at columns j.. of row-major B (k x n), from A's packed panel
/// (panel[4 kk + r] = A[r, kk]): each entry summed in k order from zero. The compiler leaves this
/// loop scalar in wasm; simd128.rs spells it out there with the same bits.
#[cfg(any(test, not(all(target_arch = "wasm32", target_feature = "simd128"))))]
#[inline(always)]
fn portable_panel_block<T: LinalgScalar, const COLS: usize>(panel: &[T], b: &[T], n: usize, j: usize) -> [[T; COLS]; PANEL_ROWS] {
    let mut acc = [[T::zero(); COLS]; PANEL_ROWS];
    for (ak, b_row) in panel.chunks_exact(PANEL_ROWS).zip(b.chunks_exact(n)) {
        let bk: &[T; COLS] = b_row[j..j + COLS].try_into().expect("COLS columns");
        for r in 0..PANEL_ROWS {
            for q in 0..COLS {
                acc[r][q] = acc[r][q] + ak[r] * bk[q];
            }
        }
    }
    acc
}
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
use portable_panel_block as panel_block;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
use portable_panel_block as panel_block_f32;

/// M += a bᵀ
#[inline]
pub fn outer_add(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>, m: ArrayViewMut2<'_, f64>) {
    assert_eq!(m.dim(), (a.len(), b.len()));
    let (a, b, m) = (contiguous(a), contiguous(b), contiguous_mut(m));
    for (row, &ai) in m.chunks_exact_mut(b.len()).zip(a) {
        axpy_slices(ai, b, row);
    }
}

/// The notebook's `softmax`: exp(x - max) / sum, in place (in either precision: a batch of
/// precision f32 takes it too).
#[inline]
pub fn softmax_in_place<T: NdFloat>(x: ArrayViewMut1<'_, T>) {
    let x = contiguous_mut(x);
    let max = x.iter().copied().fold(T::neg_infinity(), T::max);
    let mut sum = T::zero();
    for v in x.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in x.iter_mut() {
        *v /= sum;
    }
}

/// numpy's `argmax`: the first index of the largest value.
pub fn argmax<T: PartialOrd + Copy>(x: ArrayView1<'_, T>) -> usize {
    let x = contiguous(x);
    let mut best = 0;
    for (i, &v) in x.iter().enumerate() {
        if v > x[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array1, Array2};

    #[test]
    fn kernels_agree_with_naive_loops() {
        // 7 rows: one block of four and three rows on their own
        let m = Array2::from_shape_fn((7, 11), |(r, c)| ((r * 11 + c) as f64 * 0.37).sin());
        let x = Array1::from_shape_fn(11, |i| i as f64 - 4.5);
        let mut y = Array1::zeros(7);
        mat_vec(m.view(), x.view(), y.view_mut());
        for r in 0..7 {
            let naive: f64 = (0..11).map(|c| m[[r, c]] * x[c]).sum();
            assert!((y[r] - naive).abs() < 1e-12);
            assert_eq!(y[r], dot(contiguous(m.row(r)), contiguous(x.view())), "blocked rows give dot's bits");
        }
        let z = array![1.0, -2.0, 0.5, 0.25, 3.0, -1.5, 2.0];
        let mut t = Array1::zeros(11);
        mat_t_vec_add(m.view(), z.view(), t.view_mut());
        let mut one_by_one = Array1::zeros(11);
        for (r, &zr) in z.iter().enumerate() {
            axpy(zr, m.row(r), one_by_one.view_mut());
        }
        assert_eq!(t, one_by_one, "blocked rows give axpy's bits");
        let mut t = Array1::zeros(11);
        let z9 = array![1.0, -2.0, 0.5, 0.25, 3.0, -1.5, 2.0, 0.125, -0.75];
        let m9 = Array2::from_shape_fn((9, 11), |(r, c)| ((r * 11 + c) as f64 * 0.11).cos());
        mat_t_vec_add(m9.view(), z9.view(), t.view_mut());
        let mut one_by_one = Array1::zeros(11);
        for (r, &zr) in z9.iter().enumerate() {
            axpy(zr, m9.row(r), one_by_one.view_mut());
        }
        assert_eq!(t, one_by_one, "a sweep of eight rows and one row alone give axpy's bits");
        // combine_rows over 37 columns: one 32-wide block, one 4-wide, one single column
        let rows = Array2::from_shape_fn((5, 37), |(k, j)| ((k * 37 + j) as f64 * 0.3).sin());
        let coef = [0.5, -1.25, 2.0, 0.1, -3.0];
        let mut combined = Array1::from_elem(37, f64::NAN);
        combine_rows(coef.iter().copied().zip(rows.outer_iter()), combined.view_mut());
        let mut summed = Array1::zeros(37);
        for (&a, r) in coef.iter().zip(rows.outer_iter()) {
            axpy(a, r, summed.view_mut());
        }
        assert_eq!(combined, summed, "combine_rows gives repeated axpy's bits");
        let mut outer = Array2::zeros((7, 11));
        outer_add(y.view(), x.view(), outer.view_mut());
        assert_eq!(outer, Array2::from_shape_fn((7, 11), |(r, c)| 0.0 + y[r] * x[c]), "outer_add is one product per entry");
        let mut p = array![1.0f64, 3.0, 2.0, 3.0];
        assert_eq!(argmax(p.view()), 1);
        softmax_in_place(p.view_mut());
        assert!((p.sum() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn blocked_mat_mul_agrees_with_the_naive_product() {
        // shapes with whole 4 x 4 blocks, and rows and columns left over, A plain and transposed
        for (m, k, n) in [(8, 12, 16), (7, 5, 9), (1, 3, 2), (33, 100, 10), (3, 1, 5)] {
            let a = Array2::from_shape_fn((m, k), |(i, j)| ((i * k + j) as f64 * 0.37).sin());
            let at = a.t().as_standard_layout().into_owned();
            let b = Array2::from_shape_fn((k, n), |(i, j)| ((i * n + j) as f64 * 0.11).cos());
            let start = Array2::from_shape_fn((m, n), |(i, j)| (i + 2 * j) as f64);
            for beta in [0.0, 1.0] {
                let want = Array2::from_shape_fn((m, n), |(i, j)| (0..k).fold(0.0, |s, kk| s + a[[i, kk]] * b[[kk, j]]) + beta * start[[i, j]]);
                for (what, view) in [("A", a.view()), ("(Aᵀ)ᵀ", at.t())] {
                    let mut c = start.clone();
                    blocked_mat_mul(view, b.view(), beta, c.view_mut());
                    assert_eq!(c, want, "{m}x{k} {what} times {k}x{n}, beta {beta}: the naive sums' bits");
                    let mut c = start.clone();
                    mat_mul(view, b.view(), beta, c.view_mut());
                    assert!(c.iter().zip(&want).all(|(p, q)| (p - q).abs() <= 1e-12 * q.abs().max(1.0)), "mat_mul {m}x{k}x{n}");
                    // single precision: the naive single-precision sums' bits, blocked; near them, either way
                    let a32 = view.mapv(|v| v as f32);
                    let b32 = b.mapv(|v| v as f32);
                    let start32 = start.mapv(|v| v as f32);
                    let want32 =
                        Array2::from_shape_fn((m, n), |(i, j)| (0..k).fold(0.0f32, |s, kk| s + a32[[i, kk]] * b32[[kk, j]]) + beta as f32 * start32[[i, j]]);
                    let mut c32 = start32.clone();
                    blocked_mat_mul_f32(a32.view(), b32.view(), beta as f32, c32.view_mut());
                    assert_eq!(c32, want32, "f32 {m}x{k} {what} times {k}x{n}, beta {beta}: the naive sums' bits");
                    let mut c32 = start32.clone();
                    mat_mul_f32(a32.view(), b32.view(), beta as f32, c32.view_mut());
                    assert!(c32.iter().zip(&want32).all(|(p, q)| (p - q).abs() <= 1e-4 * q.abs().max(1.0)), "mat_mul_f32 {m}x{k}x{n}");
                }
            }
        }
    }

    #[test]
    #[should_panic(expected = "kernel operands are contiguous and row-major")]
    fn a_column_is_refused() {
        let m = Array2::from_shape_fn((3, 3), |(r, c)| (r * 3 + c) as f64);
        let mut y = Array1::zeros(3);
        axpy(1.0, m.column(1), y.view_mut());
    }

    #[test]
    fn this_targets_panel_block_gives_the_portable_bits() {
        // a panel of 4 rows x 9 of A, and B 9 x 10: the blocks at columns 0 and 6
        let panel: Vec<f64> = (0..PANEL_ROWS * 9).map(|i| (i as f64 * 0.37).sin() * 1e3).collect();
        let b: Vec<f64> = (0..9 * 10).map(|i| (i as f64 * 0.7).cos()).collect();
        for j in [0, 6] {
            assert_eq!(panel_block(&panel, &b, 10, j), portable_panel_block::<f64, PANEL_COLS>(&panel, &b, 10, j));
        }
        let panel: Vec<f32> = panel.iter().map(|&v| v as f32).collect();
        let b: Vec<f32> = b.iter().map(|&v| v as f32).collect();
        for j in [0, 2] {
            assert_eq!(panel_block_f32(&panel, &b, 10, j), portable_panel_block::<f32, PANEL_COLS_F32>(&panel, &b, 10, j));
        }
    }

    #[test]
    fn this_targets_dot4_gives_the_portable_bits() {
        // 19 columns: two sweeps of eight and three left for dot4's own tail
        let x: Vec<f64> = (0..19).map(|i| (i as f64 * 0.7).cos()).collect();
        let block: Vec<f64> = (0..ROWS * 19).map(|i| (i as f64 * 0.37).sin() * 1e3).collect();
        assert_eq!(partial_sums(&block, &x), portable::partial_sums(&block, &x));
    }
}
