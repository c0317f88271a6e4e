//! The few dense kernels the model needs, on contiguous row-major slices. Written so the compiler
//! vectorises them (AVX natively, simd128 in wasm) without fast-math: `axpy`-shaped loops carry
//! no reduction, and `dot` keeps eight independent partial sums; only `dot4` spells its vectors
//! out. Every kernel gives the bits of the plain loop it replaces (the tests compare them).

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

/// Lanes of independent partial sums in [`dot`]: enough for two 4-wide or four 2-wide vectors.
const LANES: usize = 8;

/// a · b
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
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

/// y += alpha * x
#[inline]
pub fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    debug_assert_eq!(x.len(), y.len());
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

/// Rows of M taken together by [`mat_vec`], so that each load of x serves four rows. Each row's own arithmetic, and so every result bit, is as one row at a time.
const ROWS: usize = 4;

/// y = M x, for M with `x.len()` columns and `y.len()` rows.
#[inline]
pub fn mat_vec(m: &[f64], x: &[f64], y: &mut [f64]) {
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

/// y += Mᵀ x, for M with `x.len()` rows and `y.len()` columns: row-major M is read contiguously,
/// eight rows per sweep over y (one load and store of y per eight rows), each added in row
/// order as separate `axpy`s would.
#[inline]
pub fn mat_t_vec_add(m: &[f64], x: &[f64], y: &mut [f64]) {
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
        axpy(xi, row, y);
    }
}

/// out = Σ_k a_k r_k over the terms (a_k, r_k), each entry summed in k order from zero, as
/// repeated `axpy`s into a zeroed `out` would. A block of `out` stays in registers while every
/// term adds into it: `WIDE` columns (eight vector registers, enough independent sums to hide
/// the adds' latency), then 4, then one by one.
#[inline]
pub fn combine_rows<'a>(terms: impl Iterator<Item = (f64, &'a [f64])> + Clone, out: &mut [f64]) {
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

/// M += a bᵀ, for M with `a.len()` rows and `b.len()` columns.
#[inline]
pub fn outer_add(a: &[f64], b: &[f64], m: &mut [f64]) {
    for (row, &ai) in m.chunks_exact_mut(b.len()).zip(a) {
        axpy(ai, b, row);
    }
}

/// The notebook's `softmax`: exp(x - max) / sum, in place.
#[inline]
pub fn softmax_in_place(x: &mut [f64]) {
    let max = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for v in x.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in x.iter_mut() {
        *v /= sum;
    }
}

/// numpy's `argmax`: the first index of the largest value.
pub fn argmax(x: &[f64]) -> usize {
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

    #[test]
    fn kernels_agree_with_naive_loops() {
        // 7 rows: one block of four and three rows on their own
        let m: Vec<f64> = (0..7 * 11).map(|i| (i as f64 * 0.37).sin()).collect();
        let x: Vec<f64> = (0..11).map(|i| i as f64 - 4.5).collect();
        let mut y = vec![0.0; 7];
        mat_vec(&m, &x, &mut y);
        for r in 0..7 {
            let naive: f64 = (0..11).map(|c| m[r * 11 + c] * x[c]).sum();
            assert!((y[r] - naive).abs() < 1e-12);
            assert_eq!(y[r], dot(&m[r * 11..(r + 1) * 11], &x), "blocked rows give dot's bits");
        }
        let z = [1.0, -2.0, 0.5, 0.25, 3.0, -1.5, 2.0];
        let mut t = vec![0.0; 11];
        mat_t_vec_add(&m, &z, &mut t);
        let mut one_by_one = vec![0.0; 11];
        for (r, &zr) in z.iter().enumerate() {
            axpy(zr, &m[r * 11..(r + 1) * 11], &mut one_by_one);
        }
        assert_eq!(t, one_by_one, "blocked rows give axpy's bits");
        let mut t = vec![0.0; 11];
        let z9 = [1.0, -2.0, 0.5, 0.25, 3.0, -1.5, 2.0, 0.125, -0.75];
        let m9: Vec<f64> = (0..9 * 11).map(|i| (i as f64 * 0.11).cos()).collect();
        mat_t_vec_add(&m9, &z9, &mut t);
        let mut one_by_one = vec![0.0; 11];
        for (r, &zr) in z9.iter().enumerate() {
            axpy(zr, &m9[r * 11..(r + 1) * 11], &mut one_by_one);
        }
        assert_eq!(t, one_by_one, "a sweep of eight rows and one row alone give axpy's bits");
        // combine_rows over 37 columns: one 32-wide block, one 4-wide, one single column
        let rows: Vec<Vec<f64>> = (0..5).map(|k| (0..37).map(|j| ((k * 37 + j) as f64 * 0.3).sin()).collect()).collect();
        let coef = [0.5, -1.25, 2.0, 0.1, -3.0];
        let mut combined = vec![f64::NAN; 37];
        combine_rows(coef.iter().zip(&rows).map(|(&a, r)| (a, &r[..])), &mut combined);
        let mut summed = vec![0.0; 37];
        for (&a, r) in coef.iter().zip(&rows) {
            axpy(a, r, &mut summed);
        }
        assert_eq!(combined, summed, "combine_rows gives repeated axpy's bits");
        let mut p = [1.0, 3.0, 2.0, 3.0];
        assert_eq!(argmax(&p), 1);
        softmax_in_place(&mut p);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn this_targets_dot4_gives_the_portable_bits() {
        // 19 columns: two sweeps of eight and three left for dot4's own tail
        let x: Vec<f64> = (0..19).map(|i| (i as f64 * 0.7).cos()).collect();
        let block: Vec<f64> = (0..ROWS * 19).map(|i| (i as f64 * 0.37).sin() * 1e3).collect();
        assert_eq!(partial_sums(&block, &x), portable::partial_sums(&block, &x));
    }
}
