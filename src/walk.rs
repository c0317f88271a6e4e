//! Step through BPTT: one sum put through the notebook's `forward_propagation` and `bptt`, every
//! value of every step kept, so the page can show the loop one point at a time with its numbers.
//!
//! The backward points are the core's own loop ([`Backprop::observed_loops`]), not a copy of it.
//! The running gradients at any point are summed again from those points in the loop's order, so
//! at the last point they are, bit for bit, what [`notebook_bptt`] gives for the sum.

use crate::bptt::{add_to_column, notebook_bptt, Backprop, Gradients, LoopPoint};
use crate::error::{Error, Result};
use crate::kernels::{mat_vec, outer_add};
use crate::layout::hot_columns;
use crate::model::{Rnn, Trace};
use ndarray::{Array1, ArrayView1};
use serde::Serialize;

/// One step of the forward pass: s_t = tanh(U x_t + W s_{t−1}), o_t = softmax(V s_t).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForwardStep {
    pub t: usize,
    /// The columns of U that x_t switches on (one per digit the step reads).
    pub columns: Vec<usize>,
    /// U x_t: those columns, added.
    pub u_x: Vec<f64>,
    /// W s_{t−1}.
    pub w_s: Vec<f64>,
    /// What tanh takes: W s_{t−1} plus the columns, added in the forward pass's order.
    pub sum: Vec<f64>,
    /// s_t, as the forward pass left it.
    pub state: Vec<f64>,
    /// o_t, the 10 probabilities.
    pub output: Vec<f64>,
    pub target: usize,
    /// E_t = −ln o_t[y_t].
    pub loss: f64,
}

/// One point of the backward loop, in the notebook's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BackwardPoint {
    /// Output t: δ_o = o_t − onehot(y_t), added to dV as δ_o s_tᵀ; then δ_t = Vᵀ δ_o ∘ (1 − s_t²).
    #[serde(rename_all = "camelCase")]
    Output { t: usize, target: usize, delta_o: Vec<f64>, delta: Vec<f64>, delta_norm: f64, first: usize },
    /// Step `step` of output t's window (`first..=t`): δ added to dW as δ s_{step−1}ᵀ and to
    /// the columns of dU that x_step switches on.
    #[serde(rename_all = "camelCase")]
    Step { t: usize, step: usize, first: usize, columns: Vec<usize>, delta: Vec<f64>, delta_norm: f64 },
}

/// A sum walked through: its sequences, the forward steps, then the backward points.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Walk {
    pub x: Vec<usize>,
    /// What each step reads, in the run's layout ("4", or "4+9"), filled in by the session.
    pub input_labels: Vec<String>,
    pub y: Vec<usize>,
    pub bptt_truncate: usize,
    pub hidden_dim: usize,
    pub forward: Vec<ForwardStep>,
    pub backward: Vec<BackwardPoint>,
    /// The weights walked through: training may go on while the walk stays as it was.
    #[serde(skip)]
    model: Rnn,
    #[serde(skip)]
    trace: Trace,
}

/// The running gradients at one point of a walk, and at its last point how they compare with
/// the core's `bptt` for the sum.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunningGradients {
    pub point: usize,
    #[serde(skip)]
    pub grads: Gradients,
    /// ‖dU‖, ‖dV‖, ‖dW‖ (Frobenius).
    pub norms: [f64; 3],
    pub agreement: Option<Agreement>,
}

/// The walk's accumulated gradients against [`notebook_bptt`] on the same sum and weights.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Agreement {
    pub bit_for_bit: bool,
    /// The largest |walk − bptt| over dU, dV and dW.
    pub max_difference: f64,
    /// ‖dU‖, ‖dV‖, ‖dW‖ of the core's `bptt`.
    pub bptt_norms: [f64; 3],
}

/// Walks `x`, `y` through the model's forward pass and the notebook's loop at `bptt_truncate`.
pub fn walk(model: &Rnn, x: &[usize], y: &[usize], bptt_truncate: usize) -> Walk {
    let mut backprop = Backprop::new(model);
    let mut backward = Vec::new();
    backprop.observed_loops(model, x, y, bptt_truncate, &mut |point| backward.push(backward_point(point, x, y, bptt_truncate, model.u.ncols())));
    let trace = backprop.trace.clone();
    let forward = (0..x.len()).map(|t| forward_step(model, &trace, t, x[t], y[t])).collect();
    Walk {
        x: x.to_vec(),
        input_labels: Vec::new(),
        y: y.to_vec(),
        bptt_truncate,
        hidden_dim: model.hidden_dim(),
        forward,
        backward,
        model: model.clone(),
        trace,
    }
}

fn forward_step(model: &Rnn, trace: &Trace, t: usize, symbol: usize, target: usize) -> ForwardStep {
    let columns: Vec<usize> = hot_columns(symbol, model.u.ncols()).collect();
    let mut w_s = Array1::zeros(model.hidden_dim());
    mat_vec(model.w.view(), trace.previous_state(t), w_s.view_mut());
    let (mut u_x, mut sum) = (Array1::<f64>::zeros(model.hidden_dim()), w_s.clone());
    for &col in &columns {
        u_x += &model.u.column(col);
        sum += &model.u.column(col);
    }
    let output = trace.output(t);
    ForwardStep {
        t,
        u_x: u_x.to_vec(),
        w_s: w_s.to_vec(),
        sum: sum.to_vec(),
        state: trace.state(t).to_vec(),
        output: output.to_vec(),
        target,
        loss: -output[target].ln(),
        columns,
    }
}

fn backward_point(point: LoopPoint<'_>, x: &[usize], y: &[usize], bptt_truncate: usize, input_dim: usize) -> BackwardPoint {
    match point {
        LoopPoint::Output { t, delta_o, delta } => BackwardPoint::Output {
            t,
            target: y[t],
            delta_o: delta_o.to_vec(),
            delta_norm: norm(delta),
            delta: delta.to_vec(),
            first: t.saturating_sub(bptt_truncate),
        },
        LoopPoint::Step { t, step, delta } => BackwardPoint::Step {
            t,
            step,
            first: t.saturating_sub(bptt_truncate),
            columns: hot_columns(x[step], input_dim).collect(),
            delta_norm: norm(delta),
            delta: delta.to_vec(),
        },
    }
}

fn norm(v: ArrayView1<'_, f64>) -> f64 {
    v.dot(&v).sqrt()
}

fn norms(g: &Gradients) -> [f64; 3] {
    [&g.du, &g.dv, &g.dw].map(|m| m.iter().map(|v| v * v).sum::<f64>().sqrt())
}

impl Walk {
    /// Points in all: the forward steps, then the backward points.
    pub fn len(&self) -> usize {
        self.forward.len() + self.backward.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// dU, dV, dW as they stand once `point` (counted from 0, the forward steps first) is done:
    /// zero through the forward pass, then summed point by point in the loop's order.
    pub fn gradients_at(&self, point: usize) -> Result<RunningGradients> {
        if point >= self.len() {
            return Err(Error::Input(format!("a point of this walk must be from 0 to {}, got {point}", self.len() - 1)));
        }
        let mut g = Gradients::zeros_like(&self.model);
        let done = (point + 1).saturating_sub(self.forward.len());
        for p in &self.backward[..done] {
            match p {
                BackwardPoint::Output { t, delta_o, .. } => outer_add(ArrayView1::from(delta_o), self.trace.state(*t), g.dv.view_mut()),
                BackwardPoint::Step { step, delta, .. } => {
                    let delta = ArrayView1::from(delta);
                    outer_add(delta, self.trace.previous_state(*step), g.dw.view_mut());
                    add_to_column(&mut g.du, self.x[*step], delta);
                }
            }
        }
        let agreement = (point + 1 == self.len()).then(|| self.agreement(&g));
        Ok(RunningGradients { point, norms: norms(&g), grads: g, agreement })
    }

    /// How the fully accumulated gradients compare with the core's `bptt` run afresh.
    fn agreement(&self, walked: &Gradients) -> Agreement {
        let bptt = notebook_bptt(&self.model, &self.x, &self.y, self.bptt_truncate);
        let pairs = [(&walked.du, &bptt.du), (&walked.dv, &bptt.dv), (&walked.dw, &bptt.dw)];
        let bit_for_bit = pairs.iter().all(|(a, b)| a.iter().zip(b.iter()).all(|(p, q)| p.to_bits() == q.to_bits()));
        let max_difference = pairs.iter().flat_map(|(a, b)| a.iter().zip(b.iter()).map(|(p, q)| (p - q).abs())).fold(0.0, f64::max);
        Agreement { bit_for_bit, max_difference, bptt_norms: norms(&bptt) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bptt::Method;
    use crate::layout::Layout;
    use crate::rng::NumpyRng;

    fn model(input_dim: usize, hidden: usize) -> Rnn {
        Rnn::init(input_dim, 10, hidden, &mut NumpyRng::new(10).unwrap())
    }

    /// At the last point, the running gradients are the core's bptt bit for bit: under truncation,
    /// with none, in both layouts.
    #[test]
    fn the_walk_ends_at_the_cores_bptt_bit_for_bit() {
        for (layout, input_dim) in [(Layout::Notebook, 10), (Layout::Aligned, 20)] {
            let (x, y) = layout.digits(7).encode(9401901, 8908643).unwrap();
            let m = model(input_dim, 16);
            for truncate in [0, 2, 4, x.len() - 1, 100] {
                let w = walk(&m, &x, &y, truncate);
                let last = w.gradients_at(w.len() - 1).unwrap();
                let want = Backprop::new(&m).gradients_with(&m, &x, &y, truncate, Method::NotebookLoops).clone();
                assert_eq!(last.grads, want, "{layout:?} truncate {truncate}");
                let agreement = last.agreement.unwrap();
                assert!(agreement.bit_for_bit && agreement.max_difference == 0.0, "{layout:?} truncate {truncate}");
                assert_eq!(agreement.bptt_norms, last.norms);
            }
        }
    }

    /// The loop's shape: T forward steps, then for each output from the last, its output point
    /// and one point per step of its window, from t back to max(0, t − truncate).
    #[test]
    fn the_points_follow_the_notebooks_loop() {
        let m = model(10, 6);
        let (x, y) = Layout::Notebook.digits(2).encode(12, 34).unwrap();
        let w = walk(&m, &x, &y, 2);
        assert_eq!(w.forward.len(), 4);
        let order: Vec<(usize, Option<usize>)> = w
            .backward
            .iter()
            .map(|p| match p {
                BackwardPoint::Output { t, .. } => (*t, None),
                BackwardPoint::Step { t, step, .. } => (*t, Some(*step)),
            })
            .collect();
        let want = [
            (3, None),
            (3, Some(3)),
            (3, Some(2)),
            (3, Some(1)),
            (2, None),
            (2, Some(2)),
            (2, Some(1)),
            (2, Some(0)),
            (1, None),
            (1, Some(1)),
            (1, Some(0)),
            (0, None),
            (0, Some(0)),
        ];
        assert_eq!(order, want);
        assert_eq!(w.len(), 4 + want.len());
        // through the forward pass nothing is accumulated; after the first output point only dV
        let zero = w.gradients_at(3).unwrap();
        assert_eq!(zero.norms, [0.0; 3]);
        let after_output = w.gradients_at(4).unwrap();
        assert!(after_output.norms[0] == 0.0 && after_output.norms[1] > 0.0 && after_output.norms[2] == 0.0);
        assert!(after_output.agreement.is_none());
        assert_eq!(w.gradients_at(w.len()).unwrap_err().message(), format!("a point of this walk must be from 0 to {}, got {}", w.len() - 1, w.len()));
    }

    /// The forward steps hold the forward pass's own values: the state is tanh of the sum, the
    /// sum is U x_t + W s_{t−1}, the output and loss are the trace's.
    #[test]
    fn forward_steps_are_the_forward_pass() {
        let m = model(20, 8);
        let (x, y) = Layout::Aligned.digits(4).encode(9999, 1).unwrap();
        let w = walk(&m, &x, &y, 3);
        let trace = m.forward(&x);
        let mut loss = 0.0;
        for (t, f) in w.forward.iter().enumerate() {
            assert_eq!(f.state, trace.state(t).to_vec());
            assert_eq!(f.output, trace.output(t).to_vec());
            assert_eq!(f.columns, hot_columns(x[t], 20).collect::<Vec<_>>());
            for j in 0..8 {
                assert!((f.sum[j] - (f.u_x[j] + f.w_s[j])).abs() < 1e-15);
                assert!((f.state[j] - f.sum[j].tanh()).abs() < 1e-15);
            }
            loss += f.loss;
        }
        assert!((loss - Rnn::sequence_loss(&trace, &y)).abs() < 1e-12);
        assert_eq!(w.forward[0].w_s, vec![0.0; 8], "s_{{-1}} is zero");
    }
}
