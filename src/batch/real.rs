//! The number types a batch computes in: f64, the notebook's, or f32 (the `precision` setting),
//! each with its tanh and its matrix product.

use crate::fastmath;
use crate::kernels;
use ndarray::{ArrayView2, ArrayViewMut2, LinalgScalar, NdFloat};

/// The number types a batch computes in.
pub trait Real: NdFloat + LinalgScalar {
    fn of(x: f64) -> Self;
    fn wide(self) -> f64;
    fn tanh_fast(self) -> Self;
    /// C = A B + beta C
    fn mat_mul(a: ArrayView2<'_, Self>, b: ArrayView2<'_, Self>, beta: Self, c: ArrayViewMut2<'_, Self>);
}

impl Real for f64 {
    #[inline(always)]
    fn of(x: f64) -> f64 {
        x
    }
    #[inline(always)]
    fn wide(self) -> f64 {
        self
    }
    #[inline(always)]
    fn tanh_fast(self) -> f64 {
        fastmath::tanh(self)
    }
    #[inline]
    fn mat_mul(a: ArrayView2<'_, f64>, b: ArrayView2<'_, f64>, beta: f64, c: ArrayViewMut2<'_, f64>) {
        kernels::mat_mul(a, b, beta, c);
    }
}

impl Real for f32 {
    #[inline(always)]
    fn of(x: f64) -> f32 {
        x as f32
    }
    #[inline(always)]
    fn wide(self) -> f64 {
        f64::from(self)
    }
    /// Single precision's own rational tanh, four lanes to a vector: within 8 ulp.
    #[inline(always)]
    fn tanh_fast(self) -> f32 {
        fastmath::tanh_f32(self)
    }
    #[inline]
    fn mat_mul(a: ArrayView2<'_, f32>, b: ArrayView2<'_, f32>, beta: f32, c: ArrayViewMut2<'_, f32>) {
        kernels::mat_mul_f32(a, b, beta, c);
    }
}
