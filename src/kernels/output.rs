//! The output layer's kernels, in either precision: the notebook's softmax, numpy's argmax, and
//! the error at the logits that softmax with cross-entropy gives.

use super::{contiguous, contiguous_mut};
use ndarray::{ArrayView1, ArrayViewMut1, NdFloat};

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

/// dE/d(logits) for softmax with cross-entropy, in place: the probabilities `o` become o − one_hot(target)
/// (the notebook's `delta_o[t, y[t]] -= 1`).
#[inline]
pub fn output_delta_in_place<T: NdFloat>(mut o: ArrayViewMut1<'_, T>, target: usize) {
    o[target] -= T::one();
}
