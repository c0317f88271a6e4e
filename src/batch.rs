//! Backpropagation through time for a mini-batch: the B sequences of a batch go through every
//! step together as matrix products (B x H states, one product with W per step for the whole
//! batch), which costs far less per sequence than B single passes. The gradients are the sums
//! of the sequences' own gradients, truncation included (the test compares them).

use crate::bptt::{Gradients, Method};
use crate::data::hot_columns;
use crate::fastmath;
use crate::kernels::{mat_mul, softmax_in_place};
use crate::model::Rnn;
use ndarray::{s, Array2, ArrayView2, ArrayViewMut2, Axis};

/// Buffers for a batch's gradients, reused from batch to batch.
#[derive(Debug, Clone)]
pub struct Batch {
    /// ((T + 1) B) x H, time-major: rows (t + 1) B .. (t + 2) B are s_t of every sequence, the
    /// first B rows the zero state before the first step.
    states: Array2<f64>,
    /// (T B) x C_out: the outputs, then dL/do.
    outputs: Array2<f64>,
    /// (T B) x H: at each step, the sum of the deltas of every output that reaches back to it;
    /// dL/dW and dL/dU are products of these with the states and inputs.
    deltas: Array2<f64>,
    delta: Array2<f64>,
    carry: Array2<f64>,
    /// U transposed, so that the columns a symbol switches on are contiguous rows.
    ut: Array2<f64>,
    /// W and V transposed: the forward products' right operands, row-major as `mat_mul` takes them.
    wt: Array2<f64>,
    vt: Array2<f64>,
    dut: Array2<f64>,
    /// The last batch's gradients, summed over its sequences.
    pub grads: Gradients,
}

fn resize(a: &mut Array2<f64>, shape: (usize, usize)) {
    if a.dim() != shape {
        *a = Array2::zeros(shape);
    }
}

/// rows *= 1 - s², the derivative of tanh at the states s.
fn scale_by_tanh_derivative(g: &mut ArrayViewMut2<f64>, s: &ArrayView2<f64>) {
    g.zip_mut_with(s, |gi, &si| *gi *= 1.0 - si * si);
}

impl Batch {
    pub fn new(model: &Rnn) -> Batch {
        let z = || Array2::zeros((0, 0));
        Batch { states: z(), outputs: z(), deltas: z(), delta: z(), carry: z(), ut: z(), wt: z(), vt: z(), dut: z(), grads: Gradients::zeros_like(model) }
    }

    /// The forward pass and the gradients, summed over the batch, of the sequences in `inputs`
    /// and `targets` (B rows of `steps` symbols each, row-major, as a data set stores them), each
    /// output's error propagated at most `bptt_truncate` steps back. Returns the batch's total
    /// loss (summed over its sequences and steps).
    pub fn gradients(&mut self, model: &Rnn, inputs: &[usize], targets: &[usize], steps: usize, bptt_truncate: usize) -> f64 {
        assert!(steps > 0 && inputs.len() == targets.len() && inputs.len().is_multiple_of(steps), "whole sequences, one target per input");
        let b = inputs.len() / steps;
        let (h, c_in) = model.u.dim();
        let c_out = model.output_dim();
        resize(&mut self.states, ((steps + 1) * b, h));
        resize(&mut self.outputs, (steps * b, c_out));
        resize(&mut self.deltas, (steps * b, h));
        resize(&mut self.delta, (b, h));
        resize(&mut self.carry, (b, h));
        resize(&mut self.dut, (c_in, h));
        if self.grads.du.dim() != model.u.dim() || self.grads.dw.dim() != model.w.dim() || self.grads.dv.dim() != model.v.dim() {
            self.grads = Gradients::zeros_like(model);
        }
        // the transposed weights, copied into buffers kept from batch to batch
        for (t, w) in [(&mut self.ut, &model.u), (&mut self.wt, &model.w), (&mut self.vt, &model.v)] {
            resize(t, (w.ncols(), w.nrows()));
            t.assign(&w.t());
        }
        let loss = self.forward(model, inputs, targets, steps, b);
        self.backward(model, inputs, steps, b, bptt_truncate);
        loss
    }

    fn forward(&mut self, model: &Rnn, inputs: &[usize], targets: &[usize], steps: usize, b: usize) -> f64 {
        let c_in = model.input_dim();
        self.states.slice_mut(s![..b, ..]).fill(0.0);
        let mut loss = 0.0;
        for t in 0..steps {
            let (before, mut after) = self.states.view_mut().split_at(Axis(0), (t + 1) * b);
            let prev = before.slice(s![t * b.., ..]);
            let mut cur = after.slice_mut(s![..b, ..]);
            mat_mul(prev, self.wt.view(), 0.0, cur.view_mut());
            for (i, mut row) in cur.rows_mut().into_iter().enumerate() {
                for col in hot_columns(inputs[i * steps + t], c_in) {
                    row += &self.ut.row(col);
                }
                row.mapv_inplace(fastmath::tanh);
            }
            let mut out = self.outputs.slice_mut(s![t * b..(t + 1) * b, ..]);
            mat_mul(cur.view(), self.vt.view(), 0.0, out.view_mut());
            for (i, mut row) in out.rows_mut().into_iter().enumerate() {
                softmax_in_place(row.view_mut());
                let y = targets[i * steps + t];
                loss -= row[y].ln();
                row[y] -= 1.0; // dL/do for softmax with cross-entropy
            }
        }
        loss
    }

    fn backward(&mut self, model: &Rnn, inputs: &[usize], steps: usize, b: usize, bptt_truncate: usize) {
        let Batch { states, outputs, deltas, delta, carry, dut, grads, .. } = self;
        mat_mul(outputs.t(), states.slice(s![b.., ..]), 0.0, grads.dv.view_mut());
        deltas.fill(0.0);
        let block = |t: usize| s![t * b..(t + 1) * b, ..];
        let state = |t: usize| states.slice(s![(t + 1) * b..(t + 2) * b, ..]);
        match Method::for_truncation(bptt_truncate, steps) {
            // delta_t = (dL/do_t V + delta_{t+1} W) (1 - s_t²), in one sweep back
            Method::SinglePass => {
                carry.fill(0.0);
                for t in (0..steps).rev() {
                    delta.assign(carry);
                    mat_mul(outputs.slice(block(t)), model.v.view(), 1.0, delta.view_mut());
                    scale_by_tanh_derivative(&mut delta.view_mut(), &state(t));
                    deltas.slice_mut(block(t)).assign(delta);
                    if t > 0 {
                        mat_mul(delta.view(), model.w.view(), 0.0, carry.view_mut());
                    }
                }
            }
            // the notebook's loops: each output's delta, at most `bptt_truncate` steps back
            Method::NotebookLoops => {
                for t in (0..steps).rev() {
                    mat_mul(outputs.slice(block(t)), model.v.view(), 0.0, delta.view_mut());
                    scale_by_tanh_derivative(&mut delta.view_mut(), &state(t));
                    let first = t.saturating_sub(bptt_truncate);
                    for step in (first..=t).rev() {
                        let mut d = deltas.slice_mut(block(step));
                        d += &*delta;
                        if step == first {
                            break;
                        }
                        mat_mul(delta.view(), model.w.view(), 0.0, carry.view_mut());
                        scale_by_tanh_derivative(&mut carry.view_mut(), &state(step - 1));
                        std::mem::swap(delta, carry);
                    }
                }
            }
        }
        // dL/dW = Σ_t delta_tᵀ s_{t-1}, all steps and sequences in one product
        mat_mul(deltas.t(), states.slice(s![..steps * b, ..]), 0.0, grads.dw.view_mut());
        dut.fill(0.0);
        let c_in = model.input_dim();
        for step in 0..steps {
            for i in 0..b {
                for col in hot_columns(inputs[i * steps + step], c_in) {
                    let mut r = dut.row_mut(col);
                    r += &deltas.row(step * b + i);
                }
            }
        }
        grads.du.assign(&dut.t());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bptt::Backprop;
    use crate::data::{DataSet, Layout};
    use crate::rng::NumpyRng;

    fn setup(layout: Layout, hidden: usize, n: usize, samples: usize) -> (Rnn, DataSet) {
        let mut rng = NumpyRng::new(7).unwrap();
        let data = DataSet::generate(&mut rng, samples, n, layout).unwrap();
        (Rnn::init(layout.input_dim(), 10, hidden, &mut rng), data)
    }

    #[test]
    fn a_batch_gradient_is_the_sum_of_its_sequences_gradients() {
        for layout in Layout::ALL {
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
                let mut batch = Batch::new(&model);
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
}
