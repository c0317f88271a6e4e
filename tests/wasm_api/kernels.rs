//! The batch products' simd128 kernels give the naive sums' bits in wasm, and single-precision
//! batches train as double ones do.

use super::*;

/// `mul` (C = A B + beta C) gives the bits of the naive sums in T, for blocks of 4 x 4 (4 x 8 in
/// f32), narrow blocks (2 or 4 columns), rows and columns left over, A transposed or rows of a
/// larger matrix, and beta 0 and 1.
fn product_gives_the_naive_bits<T>(mul: fn(ndarray::ArrayView2<'_, T>, ndarray::ArrayView2<'_, T>, T, ndarray::ArrayViewMut2<'_, T>), of: fn(f64) -> T)
where
    T: ndarray::LinalgScalar + PartialEq + std::fmt::Debug,
{
    use ndarray::Array2;
    for (m, k, n) in
        [(32, 100, 100), (7, 5, 9), (1, 3, 2), (33, 10, 100), (3, 1, 5), (3, 1, 13), (5, 6, 14), (1, 100, 400), (1, 400, 100), (1, 13, 39), (1, 7, 1)]
    {
        let a = Array2::from_shape_fn((m, k), |(i, j)| of(((i * k + j) as f64 * 0.37).sin()));
        let at = a.t().as_standard_layout().into_owned();
        let mut larger = Array2::from_elem((m + 2, k), of(0.0));
        larger.slice_mut(ndarray::s![1..m + 1, ..]).assign(&a);
        let b = Array2::from_shape_fn((k, n), |(i, j)| of(((i * n + j) as f64 * 0.11).cos()));
        let start = Array2::from_shape_fn((m, n), |(i, j)| of((i + 2 * j) as f64));
        for beta in [of(0.0), of(1.0)] {
            let want = Array2::from_shape_fn((m, n), |(i, j)| (0..k).fold(T::zero(), |s, kk| s + a[[i, kk]] * b[[kk, j]]) + beta * start[[i, j]]);
            for view in [a.view(), at.t(), larger.slice(ndarray::s![1..m + 1, ..])] {
                let mut c = start.clone();
                mul(view, b.view(), beta, c.view_mut());
                assert_eq!(c, want, "{m}x{k} times {k}x{n}, beta {beta:?}");
            }
        }
    }
}

/// The batch products' simd128 kernels (wasm only), in double and in single precision
/// (`precision` f32).
#[wasm_bindgen_test]
fn the_batch_matrix_products_give_the_naive_bits_in_wasm() {
    product_gives_the_naive_bits(rnn_playground::kernels::mat_mul, |x| x);
    product_gives_the_naive_bits(rnn_playground::kernels::mat_mul_f32, |x| x as f32);
}

/// Mini-batches in single precision train the same model as in double, to single precision's
/// accuracy; the epochs' evaluations are in single precision too, `loss()` in double.
#[wasm_bindgen_test]
fn single_precision_batches_train_as_double_ones_do() {
    let settings = |precision: &str| {
        js(&format!(r#"{{"hiddenDim": 16, "nSamples": 64, "batchSize": 8, "optimizer": "adam", "learningRate": 0.01, "precision": "{precision}"}}"#))
    };
    let mut double = Playground::new(settings("f64")).unwrap();
    let mut single = Playground::new(settings("f32")).unwrap();
    assert_eq!(double.loss(), single.loss(), "the same starting model");
    for _ in 0..3 {
        let (a, b) = (num(&double.train_epoch().unwrap(), "loss"), num(&single.train_epoch().unwrap(), "loss"));
        assert!(close(b, a, 1e-4), "f32 {b} vs f64 {a}");
        assert_ne!(a, b, "the f32 run computed in single precision");
    }
    assert!(double.loss() < 2.2, "it learned: {}", double.loss());
    let e = message(Playground::new(js(r#"{"precision": "f16"}"#)).err().unwrap());
    assert_eq!(e, "unknown precision \"f16\"; known: f64, f32");
}
