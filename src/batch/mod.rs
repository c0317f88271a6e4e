//! Backpropagation through time for a mini-batch: the B sequences of a batch go through every
//! step together as matrix products (B x H states, one product with W per step for the whole
//! batch), which costs far less per sequence than B single passes. The gradients are the sums
//! of the sequences' own gradients, truncation included (the test compares them).
//!
//! A batch computes in double ([`Batch<f64>`]) or single precision ([`Batch<f32>`], the
//! `precision` setting): the model and the optimizer stay in double either way, the weights are
//! rounded to the batch's precision as they are copied in and the gradients widened on the way
//! out. Single precision halves the bytes every product moves and doubles the lanes of each
//! SIMD instruction (`kernels::mat_mul_f32`). The same forward pass evaluates the held-out sums
//! many at a time ([`Batch::evaluate`]), in the run's precision.
//!
//! Beside it: `real.rs` (the two number types), `buffers.rs` (buffers kept from batch to batch)
//! and `outputs.rs` (the softmax layer's loss and scores, shared with the gated cells).

mod buffers;
mod outputs;
mod real;

pub(crate) use buffers::{copy_in, copy_out, resize};
pub use outputs::Scores;
pub(crate) use outputs::{output_deltas, score};
pub use real::Real;

use crate::bptt::{Gradients, Method};
use crate::kernels;
use crate::layout::hot_columns;
use crate::model::Rnn;
use ndarray::{s, Array2, ArrayView2, ArrayViewMut2, Axis};

/// Buffers for a batch's gradients, reused from batch to batch.
#[derive(Debug, Clone)]
pub struct Batch<F: Real> {
    /// ((T + 1) B) x H, time-major: rows (t + 1) B .. (t + 2) B are s_t of every sequence, the
    /// first B rows the zero state before the first step.
    states: Array2<F>,
    /// (T B) x C_out: the outputs, then dL/do.
    outputs: Array2<F>,
    /// (T B) x H: at each step, the sum of the deltas of every output that reaches back to it;
    /// dL/dW and dL/dU are products of these with the states and inputs.
    deltas: Array2<F>,
    delta: Array2<F>,
    carry: Array2<F>,
    /// U transposed, so that the columns a symbol switches on are contiguous rows.
    ut: Array2<F>,
    /// W and V transposed: the forward products' right operands, row-major as `mat_mul` takes them.
    wt: Array2<F>,
    vt: Array2<F>,
    /// W and V as they are, the backward products' right operands.
    w: Array2<F>,
    v: Array2<F>,
    /// dL/dU transposed, dL/dV and dL/dW in the batch's precision.
    dut: Array2<F>,
    dv: Array2<F>,
    dw: Array2<F>,
    /// [`Batch::evaluate`]'s figures: each sequence's loss, and whether each step's output was right.
    losses: Vec<f64>,
    right: Vec<bool>,
    /// The last batch's gradients, summed over its sequences.
    pub grads: Gradients,
}

/// rows *= 1 - s², the derivative of tanh at the states s.
fn scale_by_tanh_derivative<F: Real>(g: &mut ArrayViewMut2<F>, s: &ArrayView2<F>) {
    g.zip_mut_with(s, |gi, &si| *gi *= F::one() - si * si);
}

impl<F: Real> Batch<F> {
    pub fn new(model: &Rnn) -> Batch<F> {
        let z = || Array2::zeros((0, 0));
        Batch {
            states: z(),
            outputs: z(),
            deltas: z(),
            delta: z(),
            carry: z(),
            ut: z(),
            wt: z(),
            vt: z(),
            w: z(),
            v: z(),
            dut: z(),
            dv: z(),
            dw: z(),
            losses: Vec::new(),
            right: Vec::new(),
            grads: Gradients::zeros_like(model),
        }
    }

    /// The forward pass and the gradients, summed over the batch, of the sequences in `inputs`
    /// and `targets` (B rows of `steps` symbols each, row-major, as a data set stores them), each
    /// output's error propagated at most `bptt_truncate` steps back. Returns the batch's total
    /// loss (summed over its sequences and steps).
    pub fn gradients(&mut self, model: &Rnn, inputs: &[usize], targets: &[usize], steps: usize, bptt_truncate: usize) -> f64 {
        let b = self.prepare(model, inputs, targets, steps);
        self.forward(model, inputs, steps, b);
        let loss = output_deltas(&mut self.outputs, targets, steps, b);
        self.backward(model, inputs, steps, b, bptt_truncate);
        loss
    }

    /// The forward pass alone, of the sequences in `inputs` and `targets` as for
    /// [`Batch::gradients`]: each sequence's loss and which of its outputs were right. Every
    /// sequence's figures are its own, whatever else is in the batch.
    pub fn evaluate(&mut self, model: &Rnn, inputs: &[usize], targets: &[usize], steps: usize) -> Scores<'_> {
        let b = self.prepare(model, inputs, targets, steps);
        self.forward(model, inputs, steps, b);
        score(self.outputs.view(), targets, steps, b, &mut self.losses, &mut self.right);
        Scores { losses: &self.losses, right: &self.right }
    }

    /// Shapes the buffers for B sequences of `steps` and copies the weights in; returns B.
    fn prepare(&mut self, model: &Rnn, inputs: &[usize], targets: &[usize], steps: usize) -> usize {
        assert!(steps > 0 && inputs.len() == targets.len() && inputs.len().is_multiple_of(steps), "whole sequences, one target per input");
        let b = inputs.len() / steps;
        let h = model.hidden_dim();
        resize(&mut self.states, ((steps + 1) * b, h));
        resize(&mut self.outputs, (steps * b, model.output_dim()));
        // the weights, transposed where the forward products want them, in buffers kept from batch to batch
        copy_in(&mut self.ut, model.u.t());
        copy_in(&mut self.wt, model.w.t());
        copy_in(&mut self.vt, model.v.t());
        b
    }

    /// The states and the softmax outputs of every step.
    fn forward(&mut self, model: &Rnn, inputs: &[usize], steps: usize, b: usize) {
        let c_in = model.input_dim();
        self.states.slice_mut(s![..b, ..]).fill(F::zero());
        for t in 0..steps {
            let (before, mut after) = self.states.view_mut().split_at(Axis(0), (t + 1) * b);
            let prev = before.slice(s![t * b.., ..]);
            let mut cur = after.slice_mut(s![..b, ..]);
            F::mat_mul(prev, self.wt.view(), F::zero(), cur.view_mut());
            for (i, mut row) in cur.rows_mut().into_iter().enumerate() {
                for col in hot_columns(inputs[i * steps + t], c_in) {
                    row += &self.ut.row(col);
                }
                row.mapv_inplace(F::tanh_fast);
            }
            let mut out = self.outputs.slice_mut(s![t * b..(t + 1) * b, ..]);
            F::mat_mul(cur.view(), self.vt.view(), F::zero(), out.view_mut());
            for row in out.rows_mut() {
                kernels::softmax_in_place(row);
            }
        }
    }

    fn backward(&mut self, model: &Rnn, inputs: &[usize], steps: usize, b: usize, bptt_truncate: usize) {
        let h = model.hidden_dim();
        resize(&mut self.deltas, (steps * b, h));
        resize(&mut self.delta, (b, h));
        resize(&mut self.carry, (b, h));
        resize(&mut self.dut, (model.input_dim(), h));
        resize(&mut self.dv, model.v.dim());
        resize(&mut self.dw, model.w.dim());
        copy_in(&mut self.w, model.w.view());
        copy_in(&mut self.v, model.v.view());
        let Batch { states, outputs, deltas, delta, carry, w, v, dut, dv, dw, grads, .. } = self;
        F::mat_mul(outputs.t(), states.slice(s![b.., ..]), F::zero(), dv.view_mut());
        deltas.fill(F::zero());
        let block = |t: usize| s![t * b..(t + 1) * b, ..];
        let state = |t: usize| states.slice(s![(t + 1) * b..(t + 2) * b, ..]);
        match Method::for_truncation(bptt_truncate, steps) {
            // delta_t = (dL/do_t V + delta_{t+1} W) (1 - s_t²), in one sweep back
            Method::SinglePass => {
                carry.fill(F::zero());
                for t in (0..steps).rev() {
                    delta.assign(carry);
                    F::mat_mul(outputs.slice(block(t)), v.view(), F::one(), delta.view_mut());
                    scale_by_tanh_derivative(&mut delta.view_mut(), &state(t));
                    deltas.slice_mut(block(t)).assign(delta);
                    if t > 0 {
                        F::mat_mul(delta.view(), w.view(), F::zero(), carry.view_mut());
                    }
                }
            }
            // the notebook's loops: each output's delta, at most `bptt_truncate` steps back
            Method::NotebookLoops => {
                for t in (0..steps).rev() {
                    F::mat_mul(outputs.slice(block(t)), v.view(), F::zero(), delta.view_mut());
                    scale_by_tanh_derivative(&mut delta.view_mut(), &state(t));
                    let first = t.saturating_sub(bptt_truncate);
                    for step in (first..=t).rev() {
                        let mut d = deltas.slice_mut(block(step));
                        d += &*delta;
                        if step == first {
                            break;
                        }
                        F::mat_mul(delta.view(), w.view(), F::zero(), carry.view_mut());
                        scale_by_tanh_derivative(&mut carry.view_mut(), &state(step - 1));
                        std::mem::swap(delta, carry);
                    }
                }
            }
        }
        // dL/dW = Σ_t delta_tᵀ s_{t-1}, all steps and sequences in one product
        F::mat_mul(deltas.t(), states.slice(s![..steps * b, ..]), F::zero(), dw.view_mut());
        dut.fill(F::zero());
        let c_in = model.input_dim();
        for step in 0..steps {
            for i in 0..b {
                for col in hot_columns(inputs[i * steps + step], c_in) {
                    let mut r = dut.row_mut(col);
                    r += &deltas.row(step * b + i);
                }
            }
        }
        copy_out(&mut grads.du, dut.t());
        copy_out(&mut grads.dv, dv.view());
        copy_out(&mut grads.dw, dw.view());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bptt::Backprop;
    use crate::dataset::DataSet;
    use crate::layout::{Layout, Shape};
    use crate::rng::NumpyRng;

    fn setup(layout: Layout, hidden: usize, n: usize, samples: usize) -> (Rnn, DataSet) {
        let mut rng = NumpyRng::new(7).unwrap();
        // the delayed layout with blank steps, so that their 11th input column is covered too
        let shape = Shape::new(layout, n, 2);
        let data = DataSet::generate(&mut rng, samples, shape, 0.0).unwrap();
        (Rnn::init(shape.input_dim(), 10, hidden, &mut rng), data)
    }

    #[test]
    fn a_batch_gradient_is_the_sum_of_its_sequences_gradients() {
        for &layout in Layout::ALL {
            let (model, data) = setup(layout, 13, 5, 9);
            for truncate in [0, 1, 3, 100] {
                let mut want = Gradients::zeros_like(&model);
                let mut loss = 0.0;
                let mut bp = Backprop::new(&model);
                for (x, y) in data.examples() {
                    let g = bp.gradients(&model, x, y, truncate);
                    want.du += &g.du;
                    want.dv += &g.dv;
                    want.dw += &g.dw;
                    loss += Rnn::sequence_loss(&bp.trace, y);
                }
                let mut batch = Batch::<f64>::new(&model);
                let got_loss = batch.gradients(&model, &data.inputs, &data.targets, data.steps, truncate);
                assert!((got_loss - loss).abs() <= 1e-12 * loss, "{layout:?} truncate {truncate}: loss");
                for (name, a, b) in [("U", &batch.grads.du, &want.du), ("V", &batch.grads.dv, &want.dv), ("W", &batch.grads.dw, &want.dw)] {
                    for (p, q) in a.iter().zip(b.iter()) {
                        assert!((p - q).abs() <= 1e-12 * q.abs().max(1.0), "{layout:?} truncate {truncate} d{name}: {p} vs {q}");
                    }
                }
            }
        }
    }

    #[test]
    fn single_precision_gives_the_double_gradients_to_single_precision_accuracy() {
        for &layout in Layout::ALL {
            let (model, data) = setup(layout, 24, 5, 16);
            for truncate in [2, 100] {
                let mut double = Batch::<f64>::new(&model);
                let mut single = Batch::<f32>::new(&model);
                let want = double.gradients(&model, &data.inputs, &data.targets, data.steps, truncate);
                let got = single.gradients(&model, &data.inputs, &data.targets, data.steps, truncate);
                assert!((got - want).abs() <= 1e-5 * want, "{layout:?} truncate {truncate}: loss {got} vs {want}");
                for (name, a, b) in
                    [("U", &single.grads.du, &double.grads.du), ("V", &single.grads.dv, &double.grads.dv), ("W", &single.grads.dw, &double.grads.dw)]
                {
                    let scale = b.iter().fold(0.0f64, |m, v| m.max(v.abs()));
                    assert!(scale > 0.0);
                    for (p, q) in a.iter().zip(b.iter()) {
                        assert!((p - q).abs() <= 1e-4 * scale, "{layout:?} truncate {truncate} d{name}: {p} vs {q} (largest {scale})");
                    }
                    assert!(a != b, "d{name} was computed in single precision, not copied");
                }
            }
        }
    }

    #[test]
    fn evaluating_a_batch_gives_each_sequences_own_loss_and_right_digits() {
        for &layout in Layout::ALL {
            let (model, data) = setup(layout, 13, 4, 11);
            let mut trace = crate::model::Trace::new(data.steps, 13, 10);
            let mut batch = Batch::<f64>::new(&model);
            // the whole set at once, then in uneven slices: the same figures
            let whole = batch.evaluate(&model, &data.inputs, &data.targets, data.steps);
            let (losses, right) = (whole.losses.to_vec(), whole.right.to_vec());
            let mut sliced = Vec::new();
            for range in [0..3, 3..4, 4..11] {
                let rows = range.start * data.steps..range.end * data.steps;
                sliced.extend_from_slice(batch.evaluate(&model, &data.inputs[rows.clone()], &data.targets[rows], data.steps).losses);
            }
            assert_eq!(sliced, losses, "{layout:?}: a sequence's loss does not depend on its batch");
            for (i, (x, y)) in data.examples().enumerate() {
                model.forward_into(x, &mut trace);
                let want = Rnn::sequence_loss(&trace, y);
                assert!((losses[i] - want).abs() <= 1e-12 * want, "{layout:?} sequence {i}: {} vs {want}", losses[i]);
                for (t, &d) in y.iter().enumerate() {
                    assert_eq!(right[i * data.steps + t], crate::kernels::argmax(trace.output(t)) == d, "{layout:?} sequence {i} step {t}");
                }
            }
        }
    }
}
