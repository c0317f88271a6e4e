//! The few dense kernels the model needs. They take ndarray views and run on the contiguous
//! row-major slices behind them (`contiguous`), in loops written so the compiler vectorises
//! them (AVX natively, simd128 in wasm) without fast-math: `axpy`-shaped loops carry no reduction,
//! and `dot` keeps eight independent partial sums; only `dot4` spells its vectors out. Every
//! kernel gives the bits of the plain loop it replaces (the tests compare them).

use ndarray::{ArrayView, ArrayView1, ArrayView2, ArrayViewMut, ArrayViewMut1, ArrayViewMut2, Dimension};

mod matmul;
mod output;
#[cfg(test)]
mod tests;

pub use matmul::{blocked_mat_mul, blocked_mat_mul_f32, mat_mul, mat_mul_f32};
pub use output::{argmax, output_delta_in_place, softmax_in_place};

// dot4's partial sums: AVX natively, simd128 in wasm, plain loops elsewhere. The portable file
// is also compiled for the tests, which compare the vector versions' bits with it.
#[cfg(all(target_arch = "x86_64", target_feature = "avx"))]
mod avx2;
#[cfg(all(target_arch = "x86_64", target_feature = "avx"))]
use avx2::partial_sums;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use simd128::partial_sums;
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

/// M += a bᵀ
#[inline]
pub fn outer_add(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>, m: ArrayViewMut2<'_, f64>) {
    assert_eq!(m.dim(), (a.len(), b.len()));
    let (a, b, m) = (contiguous(a), contiguous(b), contiguous_mut(m));
    for (row, &ai) in m.chunks_exact_mut(b.len()).zip(a) {
        axpy_slices(ai, b, row);
    }
}
