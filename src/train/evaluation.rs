//! The loss evaluation: the notebook's `calculate_loss` summed over the training sums one
//! sequence at a time (its bits), and the held-out sums in batches, each sequence's figures its
//! own; plus the totals an evaluation done in slices carries from slice to slice.

use super::{Phase, Trainer};
use crate::batch::Real;
use crate::cells::{CellBatch, Model};
use crate::config::Precision;
use crate::data::NO_TARGET;
use crate::dataset::DataSet;
use crate::heldout::TestSets;
use crate::kernels::argmax;
use crate::metrics::Evaluation;
use crate::model::{Rnn, Trace};
use std::ops::Range;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Totals {
    loss: f64,
    right_digits: usize,
    exact: usize,
}

impl Totals {
    /// The figures over `data`; an empty set (a pair space the training sums fill) gives zeros.
    pub(super) fn evaluation(&self, data: &DataSet) -> Evaluation {
        if data.is_empty() {
            return Evaluation { loss: 0.0, digit_accuracy: 0.0, exact_accuracy: 0.0 };
        }
        let digits = (data.len() * data.outputs()) as f64;
        Evaluation { loss: self.loss / digits, digit_accuracy: self.right_digits as f64 / digits, exact_accuracy: self.exact as f64 / data.len() as f64 }
    }
}

/// Adds the loss and right digits of examples `range` to `totals`, in order, so a loss summed in
/// slices has the bits of one summed in one go.
fn accumulate(model: &Rnn, data: &DataSet, range: Range<usize>, totals: &mut Totals, trace: &mut Trace) {
    for i in range {
        let (x, y) = data.example(i);
        model.forward_into(x, trace);
        totals.loss += Rnn::sequence_loss(trace, y);
        let right = y.iter().enumerate().filter(|&(t, &d)| d != NO_TARGET && argmax(trace.output(t)) == d).count();
        totals.right_digits += right;
        totals.exact += usize::from(right == data.outputs());
    }
}

/// Sequences of held-out sums evaluated in one batch: enough rows for the products to run at
/// full speed, few enough that the buffers stay small (H 512, 37 steps: 10 MB).
const EVALUATION_BATCH: usize = 64;

/// [`accumulate`] with the forward passes [`EVALUATION_BATCH`] sequences at a time: each
/// sequence's loss and digits are its own, added to `totals` in order.
fn accumulate_batched<F: Real>(
    model: &Model,
    data: &DataSet,
    range: Range<usize>,
    totals: &mut Totals,
    batch: &mut CellBatch<F>,
    mut by_step: Option<&mut Vec<usize>>,
) {
    let steps = data.steps;
    for start in range.clone().step_by(EVALUATION_BATCH) {
        let rows = start * steps..(start + EVALUATION_BATCH).min(range.end) * steps;
        let scores = batch.evaluate(model, &data.inputs[rows.clone()], &data.targets[rows], steps);
        for (loss, right) in scores.losses.iter().zip(scores.right.chunks_exact(steps)) {
            totals.loss += loss;
            let count = right.iter().filter(|&&r| r).count();
            if let Some(by_step) = by_step.as_deref_mut() {
                for (n, &r) in by_step.iter_mut().zip(right) {
                    *n += usize::from(r);
                }
            }
            totals.right_digits += count;
            totals.exact += usize::from(count == data.outputs());
        }
    }
}

/// Mean loss per digit, digit accuracy and exact-sum accuracy of `model` on `data`.
pub fn evaluate(model: &Model, data: &DataSet) -> Evaluation {
    let mut totals = Totals::default();
    match model {
        Model::Vanilla(m) => accumulate(m, data, 0..data.len(), &mut totals, &mut Trace::new(data.steps, m.hidden_dim(), m.output_dim())),
        _ => accumulate_batched(model, data, 0..data.len(), &mut totals, &mut CellBatch::<f64>::new(model), None),
    }
    totals.evaluation(data)
}

impl Trainer {
    /// Examples of one evaluation: the training ones, then the random test sums, then the carry
    /// chains.
    pub(super) fn evaluated_range(&self) -> usize {
        self.data.len() + self.tests.len()
    }

    /// Starts a loss evaluation.
    pub(super) fn begin_evaluation(&mut self) {
        self.phase = Phase::Evaluating { next: 0, totals: Totals::default() };
        self.test_totals = [Totals::default(); 2];
        self.right_by_step = vec![0; self.data.steps];
    }

    /// Evaluates examples `range` of the evaluation (see [`Trainer::evaluated_range`]).
    pub(super) fn evaluate_range(&mut self, range: Range<usize>, totals: &mut Totals) {
        let n = self.data.len();
        // the held-out sums come after the n training sums in an evaluation's order
        let held_out = range.start.saturating_sub(n)..range.end.saturating_sub(n);
        let Trainer { model, data, tests, test_totals, right_by_step, trace, batch, single, config, .. } = self;
        if config.precision == Precision::F32 {
            // a run that trains in single precision is measured in it too, every sum in
            // batches: the figures are those of its own arithmetic, and the forward passes cost
            // about half as much (in f64 a GRU at H 96 on the delayed layout spent twice as long
            // evaluating as training, in wasm)
            accumulate_batched(model, data, part(&range, 0, n), totals, single, None);
            accumulate_held_out(model, tests, held_out, test_totals, right_by_step, single);
            return;
        }
        // the training loss one sequence at a time, as the notebook sums it (its bits); the
        // held-out sums, and a gated cell's every sum, in batches, faster and each sequence's
        // figures its own
        match model {
            Model::Vanilla(m) => accumulate(m, data, part(&range, 0, n), totals, trace),
            _ => accumulate_batched(model, data, part(&range, 0, n), totals, batch, None),
        }
        accumulate_held_out(model, tests, held_out, test_totals, right_by_step, batch);
    }
}

/// The part of `range` in lo..hi, counted from lo.
fn part(range: &Range<usize>, lo: usize, hi: usize) -> Range<usize> {
    range.start.clamp(lo, hi) - lo..range.end.clamp(lo, hi) - lo
}

/// Examples `range` of the held-out sums (the random ones, then the carry chains), in batches
/// of `batch`'s precision, into their totals; the random ones' right digits also by step.
fn accumulate_held_out<F: Real>(
    model: &Model,
    tests: &TestSets,
    range: Range<usize>,
    totals: &mut [Totals; 2],
    right_by_step: &mut Vec<usize>,
    batch: &mut CellBatch<F>,
) {
    let (r, c) = (tests.random.len(), tests.chains.len());
    accumulate_batched(model, &tests.random, part(&range, 0, r), &mut totals[0], batch, Some(right_by_step));
    accumulate_batched(model, &tests.chains, part(&range, r, r + c), &mut totals[1], batch, None);
}
