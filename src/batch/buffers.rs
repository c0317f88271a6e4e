//! A batch's buffers, kept from batch to batch: reshaped only when a shape changes, the weights
//! rounded to the batch's precision on the way in and the gradients widened on the way out.

use super::Real;
use ndarray::{Array, Array2, ArrayView, ArrayView2, Dimension};

/// Reshapes a buffer kept from batch to batch, only when its shape changes.
pub(crate) fn resize<F: Real>(a: &mut Array2<F>, shape: (usize, usize)) {
    if a.dim() != shape {
        *a = Array2::zeros(shape);
    }
}

/// `a` = `w`, rounded to the batch's precision.
pub(crate) fn copy_in<F: Real>(a: &mut Array2<F>, w: ArrayView2<'_, f64>) {
    resize(a, w.dim());
    a.zip_mut_with(&w, |x, &y| *x = F::of(y));
}

/// `g` = `a`, widened to double (`g` is reshaped if it has to be).
pub(crate) fn copy_out<F: Real, D: Dimension>(g: &mut Array<f64, D>, a: ArrayView<'_, F, D>) {
    if g.dim() != a.dim() {
        *g = Array::zeros(a.raw_dim());
    }
    g.zip_mut_with(&a, |x, &y| *x = y.wide());
}
