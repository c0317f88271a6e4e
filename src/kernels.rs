//! The few dense kernels the model needs, on contiguous row-major slices. Written so the compiler
//! vectorises them (SSE/AVX natively, simd128 in wasm) without fast-math: `axpy`-shaped loops
//! carry no reduction, and `dot` keeps eight independent partial sums.

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

/// y = M x, for M with `x.len()` columns and `y.len()` rows.
#[inline]
pub fn mat_vec(m: &[f64], x: &[f64], y: &mut [f64]) {
    for (row, yi) in m.chunks_exact(x.len()).zip(y.iter_mut()) {
        *yi = dot(row, x);
    }
}

/// y += Mᵀ x, for M with `x.len()` rows and `y.len()` columns: one `axpy` per row of M, so the
/// row-major matrix is read contiguously.
#[inline]
pub fn mat_t_vec_add(m: &[f64], x: &[f64], y: &mut [f64]) {
    for (row, &xi) in m.chunks_exact(y.len()).zip(x) {
        axpy(xi, row, y);
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
        let m: Vec<f64> = (0..3 * 11).map(|i| (i as f64 * 0.37).sin()).collect();
        let x: Vec<f64> = (0..11).map(|i| i as f64 - 4.5).collect();
        let mut y = vec![0.0; 3];
        mat_vec(&m, &x, &mut y);
        for r in 0..3 {
            let naive: f64 = (0..11).map(|c| m[r * 11 + c] * x[c]).sum();
            assert!((y[r] - naive).abs() < 1e-12);
        }
        let z = [1.0, -2.0, 0.5];
        let mut t = vec![0.0; 11];
        mat_t_vec_add(&m, &z, &mut t);
        for c in 0..11 {
            let naive: f64 = (0..3).map(|r| m[r * 11 + c] * z[r]).sum();
            assert!((t[c] - naive).abs() < 1e-12);
        }
        let mut p = [1.0, 3.0, 2.0, 3.0];
        assert_eq!(argmax(&p), 1);
        softmax_in_place(&mut p);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    }
}
