//! The softmax output layer of a batch, every cell's: the loss and dL/d(logits) for training, each
//! sequence's loss and right digits for an evaluation.

use super::Real;
use crate::data::NO_TARGET;
use crate::kernels;
use ndarray::{s, Array2, ArrayView2};

/// What [`Batch::evaluate`] found, sequence by sequence.
#[derive(Debug)]
pub struct Scores<'a> {
    /// Each sequence's loss, summed over its steps.
    pub losses: &'a [f64],
    /// B x T, sequence-major: whether the output of that step was the target digit.
    pub right: &'a [bool],
}

/// The loss of the softmax `outputs` of a batch (time-major: rows t B .. (t + 1) B hold step t)
/// against `targets` (sequence-major, as a data set stores them), each row turned in place into
/// dL/d(logits) = o − y, or zero at a step without a target. Returns the total loss.
pub(crate) fn output_deltas<F: Real>(outputs: &mut Array2<F>, targets: &[usize], steps: usize, b: usize) -> f64 {
    let mut loss = 0.0;
    for t in 0..steps {
        for (i, mut row) in outputs.slice_mut(s![t * b..(t + 1) * b, ..]).rows_mut().into_iter().enumerate() {
            match targets[i * steps + t] {
                NO_TARGET => row.fill(F::zero()),
                y => {
                    loss -= row[y].wide().ln();
                    kernels::output_delta_in_place(row, y);
                }
            }
        }
    }
    loss
}

/// Each sequence's loss (`losses`, B) and whether each of its outputs was its target (`right`,
/// B x T sequence-major; false at a step without a target), from the softmax `outputs` laid out
/// as for [`output_deltas`].
pub(crate) fn score<F: Real>(outputs: ArrayView2<'_, F>, targets: &[usize], steps: usize, b: usize, losses: &mut Vec<f64>, right: &mut Vec<bool>) {
    losses.clear();
    losses.resize(b, 0.0);
    right.clear();
    right.resize(b * steps, false);
    for t in 0..steps {
        for (i, row) in outputs.slice(s![t * b..(t + 1) * b, ..]).rows().into_iter().enumerate() {
            let y = targets[i * steps + t];
            if y != NO_TARGET {
                losses[i] -= row[y].wide().ln();
                right[i * steps + t] = kernels::argmax(row) == y;
            }
        }
    }
}
