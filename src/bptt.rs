//! Backpropagation through time: the notebook's `bptt` loops, truncation included, and one
//! backward pass that gives the same gradients in O(T·H²) when nothing is truncated.

use crate::data::NO_TARGET;
use crate::kernels::{axpy, combine_rows, mat_t_vec_add, outer_add, output_delta_in_place};
use crate::model::{Rnn, Trace};
use ndarray::{Array1, Array2, ArrayView1};

/// dL/dU, dL/dV, dL/dW for one sequence, shaped like the weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Gradients {
    pub du: Array2<f64>,
    pub dv: Array2<f64>,
    pub dw: Array2<f64>,
}

impl Gradients {
    /// The gradients by name (`dU`, `dV`, `dW`), in [`Rnn::named`]'s order.
    pub fn named(&self) -> [(&'static str, &Array2<f64>); 3] {
        [("dU", &self.du), ("dV", &self.dv), ("dW", &self.dw)]
    }

    pub fn zeros_like(model: &Rnn) -> Gradients {
        Gradients { du: Array2::zeros(model.u.dim()), dv: Array2::zeros(model.v.dim()), dw: Array2::zeros(model.w.dim()) }
    }
}

/// One point of the notebook's loop, as [`Backprop::observed_loops`] passes it to whoever walks
/// through it (see `crate::walk`): the values are the loop's own, lent for the call.
#[derive(Debug, Clone, Copy)]
pub enum LoopPoint<'a> {
    /// Output t: `dLdV += outer(δ_o[t], s_t)` is done, and `delta` is δ_t = Vᵀ δ_o[t] ∘ (1 − s_t²).
    Output { t: usize, delta_o: ArrayView1<'a, f64>, delta: ArrayView1<'a, f64> },
    /// Step `step` of output t's window: `dLdW += outer(δ, s_{step−1})` and `dLdU[:, x_step] += δ`
    /// are done with this δ.
    Step { t: usize, step: usize, delta: ArrayView1<'a, f64> },
}

/// Which algorithm computes the gradients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The notebook's nested loops: for each output t, at most `bptt_truncate` steps back.
    NotebookLoops,
    /// One sweep from the last step to the first; equal to the loops when nothing is truncated.
    SinglePass,
}

impl Method {
    /// The single pass whenever truncation cuts nothing (`bptt_truncate >= T - 1`).
    pub fn for_truncation(bptt_truncate: usize, steps: usize) -> Method {
        if bptt_truncate + 1 >= steps {
            Method::SinglePass
        } else {
            Method::NotebookLoops
        }
    }
}

/// Buffers for one gradient computation, reused from step to step so training allocates nothing.
///
/// dL/dW is a sum of outer products delta s_{step-1}ᵀ. Rather than adding each into an H x H
/// matrix as it is found, the backward pass records the deltas, and dL/dW is summed row by row
/// afterwards, in the same order, so with the same bits. [`sgd_step`] subtracts each row from W as
/// soon as it is summed and never writes dL/dW at all.
#[derive(Debug, Clone)]
pub struct Backprop {
    pub trace: Trace,
    pub grads: Gradients,
    /// dL/do_t (the notebook's `delta_o`), T x C_out.
    delta_o: Array2<f64>,
    /// The deltas of dL/dW's outer products in the order the notebook adds them, H each.
    w_deltas: Vec<f64>,
    /// For each of those deltas, the step whose previous state it multiplies.
    w_steps: Vec<usize>,
    delta: Array1<f64>,
    carry: Array1<f64>,
    /// One row of dL/dW.
    w_row: Array1<f64>,
}

impl Backprop {
    pub fn new(model: &Rnn) -> Backprop {
        let h = model.hidden_dim();
        Backprop {
            trace: Trace::new(0, h, model.output_dim()),
            grads: Gradients::zeros_like(model),
            delta_o: Array2::zeros((0, model.output_dim())),
            w_deltas: Vec::new(),
            w_steps: Vec::new(),
            delta: Array1::zeros(h),
            carry: Array1::zeros(h),
            w_row: Array1::zeros(h),
        }
    }

    /// The notebook's `bptt(x, y)` with `bptt_truncate`: forward pass, then the gradients, by the
    /// single pass when truncation cuts nothing and by the notebook's loops otherwise.
    pub fn gradients(&mut self, model: &Rnn, x: &[usize], y: &[usize], bptt_truncate: usize) -> &Gradients {
        self.gradients_with(model, x, y, bptt_truncate, Method::for_truncation(bptt_truncate, x.len()))
    }

    /// As [`Backprop::gradients`], with the algorithm chosen by the caller.
    pub fn gradients_with(&mut self, model: &Rnn, x: &[usize], y: &[usize], bptt_truncate: usize, method: Method) -> &Gradients {
        self.backward(model, x, y, bptt_truncate, method, &mut |_| {});
        self.sum_w_gradient()
    }

    /// The notebook's loops (as [`Method::NotebookLoops`]), each point of them passed to `observe`
    /// as it is reached: the same code, so the same bits, as [`Backprop::gradients_with`].
    pub fn observed_loops(&mut self, model: &Rnn, x: &[usize], y: &[usize], bptt_truncate: usize, observe: &mut dyn FnMut(LoopPoint<'_>)) -> &Gradients {
        self.backward(model, x, y, bptt_truncate, Method::NotebookLoops, observe);
        self.sum_w_gradient()
    }

    /// dL/dW into `grads` from the recorded deltas.
    fn sum_w_gradient(&mut self) -> &Gradients {
        let mut dw = std::mem::take(&mut self.grads.dw);
        for (i, mut row) in dw.outer_iter_mut().enumerate() {
            row.assign(&self.w_gradient_row(i));
        }
        self.grads.dw = dw;
        &self.grads
    }

    /// Forward pass, dL/dU and dL/dV into `grads`, and dL/dW's deltas recorded.
    fn backward(&mut self, model: &Rnn, x: &[usize], y: &[usize], bptt_truncate: usize, method: Method, observe: &mut dyn FnMut(LoopPoint<'_>)) {
        assert_eq!(x.len(), y.len(), "one target per input step");
        if self.grads.du.dim() != model.u.dim() || self.grads.dw.dim() != model.w.dim() || self.grads.dv.dim() != model.v.dim() {
            *self = Backprop::new(model);
        }
        model.forward_into(x, &mut self.trace);
        self.output_deltas(y);
        self.grads.du.fill(0.0);
        self.grads.dv.fill(0.0);
        self.w_deltas.clear();
        self.w_steps.clear();
        match method {
            Method::NotebookLoops => self.notebook_loops(model, x, y, bptt_truncate, observe),
            Method::SinglePass => self.single_pass(model, x),
        }
    }

    /// Row i of dL/dW from the recorded deltas, each entry summed in the order they were found.
    fn w_gradient_row(&mut self, i: usize) -> ArrayView1<'_, f64> {
        let h = self.w_row.len();
        let Backprop { trace, w_deltas, w_steps, w_row, .. } = self;
        let terms = w_deltas.chunks_exact(h).zip(w_steps.iter()).map(|(delta, &step)| (delta[i], trace.previous_state(step)));
        combine_rows(terms, w_row.view_mut());
        w_row.view()
    }

    /// delta_o = o; delta_o[t, y_t] -= 1  (softmax + cross-entropy); zero at a step with no target.
    fn output_deltas(&mut self, y: &[usize]) {
        if self.delta_o.dim() != self.trace.outputs.dim() {
            self.delta_o = Array2::zeros(self.trace.outputs.dim());
        }
        self.delta_o.assign(&self.trace.outputs);
        for (mut row, &d) in self.delta_o.rows_mut().into_iter().zip(y) {
            if d == NO_TARGET {
                row.fill(0.0);
            } else {
                output_delta_in_place(row, d);
            }
        }
    }

    // one copy for training and the walk alike: a dynamic call per point is nothing beside its
    // O(H²) work, and a second, inlined copy of the loop would cost the module kilobytes
    fn notebook_loops(&mut self, model: &Rnn, x: &[usize], y: &[usize], bptt_truncate: usize, observe: &mut dyn FnMut(LoopPoint<'_>)) {
        let Backprop { trace, grads, delta_o, w_deltas, w_steps, delta, carry, .. } = self;
        for (t, d_out) in delta_o.outer_iter().enumerate().rev() {
            if y[t] == NO_TARGET {
                continue; // no error to send back
            }
            outer_add(d_out, trace.state(t), grads.dv.view_mut());
            // delta_t = Vᵀ delta_o[t] * (1 - s_t²)
            delta.fill(0.0);
            mat_t_vec_add(model.v.view(), d_out, delta.view_mut());
            scale_by_tanh_derivative(delta, trace.state(t));
            observe(LoopPoint::Output { t, delta_o: d_out, delta: delta.view() });
            let first = t.saturating_sub(bptt_truncate);
            for step in (first..=t).rev() {
                w_deltas.extend(delta.iter());
                w_steps.push(step);
                add_to_column(&mut grads.du, x[step], delta.view());
                observe(LoopPoint::Step { t, step, delta: delta.view() });
                if step == first {
                    break; // the notebook computes one more delta here, and never uses it
                }
                // delta = Wᵀ delta * (1 - s_{step-1}²)
                carry.fill(0.0);
                mat_t_vec_add(model.w.view(), delta.view(), carry.view_mut());
                scale_by_tanh_derivative(carry, trace.previous_state(step));
                std::mem::swap(delta, carry);
            }
        }
    }

    fn single_pass(&mut self, model: &Rnn, x: &[usize]) {
        let Backprop { trace, grads, delta_o, w_deltas, w_steps, delta, carry, .. } = self;
        // carry = Wᵀ delta_{t+1}: what step t+1 sends back into s_t.
        carry.fill(0.0);
        for (t, d_out) in delta_o.outer_iter().enumerate().rev() {
            outer_add(d_out, trace.state(t), grads.dv.view_mut());
            delta.assign(carry);
            mat_t_vec_add(model.v.view(), d_out, delta.view_mut());
            scale_by_tanh_derivative(delta, trace.state(t));
            w_deltas.extend(delta.iter());
            w_steps.push(t);
            add_to_column(&mut grads.du, x[t], delta.view());
            if t > 0 {
                carry.fill(0.0);
                mat_t_vec_add(model.w.view(), delta.view(), carry.view_mut());
            }
        }
    }
}

/// g *= 1 - s², the derivative of tanh at the state s = tanh(z).
#[inline]
fn scale_by_tanh_derivative(g: &mut Array1<f64>, s: ArrayView1<'_, f64>) {
    g.zip_mut_with(&s, |gi, si| *gi *= 1.0 - si * si);
}

/// dU[:, col] += delta for each hot column of the symbol (U x_t for a one-hot x_t touches one column per block).
#[inline]
pub(crate) fn add_to_column(du: &mut Array2<f64>, symbol: usize, delta: ArrayView1<'_, f64>) {
    for col in crate::layout::hot_columns(symbol, du.ncols()) {
        let mut column = du.column_mut(col);
        column += &delta;
    }
}

/// The notebook's `bptt(x, y)` exactly: its loops at `bptt_truncate`, whatever the truncation
/// (training takes the single pass when nothing is truncated; the gradients are equal, the
/// bits may differ). What `gradients()` and the walk through BPTT give.
pub fn notebook_bptt(model: &Rnn, x: &[usize], y: &[usize], bptt_truncate: usize) -> Gradients {
    Backprop::new(model).gradients_with(model, x, y, bptt_truncate, Method::NotebookLoops).clone()
}

/// The notebook's `sgd_step`: gradients of one sequence, then W -= lr dW for each weight; the
/// same bits as [`Backprop::gradients`] followed by the three subtractions, but W's update is
/// fused into the summing of dL/dW's rows, so `backprop.grads.dw` is left untouched.
pub fn sgd_step(model: &mut Rnn, backprop: &mut Backprop, x: &[usize], y: &[usize], learning_rate: f64, bptt_truncate: usize) {
    backprop.backward(model, x, y, bptt_truncate, Method::for_truncation(bptt_truncate, x.len()), &mut |_| {});
    let g = &backprop.grads;
    for (param, grad) in [(&mut model.u, &g.du), (&mut model.v, &g.dv)] {
        axpy(-learning_rate, grad.view(), param.view_mut());
    }
    for (i, w_row) in model.w.outer_iter_mut().enumerate() {
        axpy(-learning_rate, backprop.w_gradient_row(i), w_row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::NumpyRng;

    #[test]
    fn fused_sgd_step_gives_the_bits_of_gradients_then_subtraction() {
        let mut rng = NumpyRng::new(3).unwrap();
        let model = Rnn::init(10, 10, 21, &mut rng);
        let x = [3, 1, 4, 1, 5, 9, 2, 6];
        let y = [2, 7, 1, 8, 2, 8, 1, 8];
        for truncate in [1, 3, 20] {
            let mut fused = model.clone();
            sgd_step(&mut fused, &mut Backprop::new(&model), &x, &y, 0.1, truncate);
            let mut plain = model.clone();
            let g = Backprop::new(&model).gradients(&model, &x, &y, truncate).clone();
            for (param, grad) in [(&mut plain.u, &g.du), (&mut plain.v, &g.dv), (&mut plain.w, &g.dw)] {
                axpy(-0.1, grad.view(), param.view_mut());
            }
            assert_eq!(fused, plain, "truncate {truncate}");
        }
    }
}
