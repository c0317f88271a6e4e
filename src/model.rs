//! The notebook's RNN: s_t = tanh(U x_t + W s_{t-1}), o_t = softmax(V s_t), no biases, one-hot
//! inputs, weights uniform in ±1/sqrt(n) drawn U, V, W in that order.

use crate::data::NO_TARGET;
use crate::fastmath;
use crate::kernels::{argmax, mat_vec, softmax_in_place};
use crate::rng::NumpyRng;
use ndarray::{Array2, ArrayView1};

/// The weights. Row-major and contiguous always (the kernels rely on it).
#[derive(Debug, Clone, PartialEq)]
pub struct Rnn {
    /// H x C_in: column x_t is added for input symbol x_t.
    pub u: Array2<f64>,
    /// C_out x H
    pub v: Array2<f64>,
    /// H x H
    pub w: Array2<f64>,
}

/// What one forward pass leaves behind: every hidden state and output, as the notebook's `s`, `o`.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace {
    /// (T + 1) x H: row 0 is the zero state before the first step (the notebook's `s[-1]`),
    /// row t + 1 is s_t.
    pub states: Array2<f64>,
    /// T x C_out, each row a probability distribution.
    pub outputs: Array2<f64>,
}

impl Trace {
    pub fn new(steps: usize, hidden_dim: usize, output_dim: usize) -> Trace {
        Trace { states: Array2::zeros((steps + 1, hidden_dim)), outputs: Array2::zeros((steps, output_dim)) }
    }

    pub fn steps(&self) -> usize {
        self.outputs.nrows()
    }

    /// s_t for t in 0..T.
    pub fn state(&self, t: usize) -> ArrayView1<'_, f64> {
        self.states.row(t + 1)
    }

    /// s_{t-1}: the zero vector for t = 0.
    pub fn previous_state(&self, t: usize) -> ArrayView1<'_, f64> {
        self.states.row(t)
    }

    pub fn output(&self, t: usize) -> ArrayView1<'_, f64> {
        self.outputs.row(t)
    }

    /// The hidden states s_0 .. s_{T-1} without the initial zero row, T x H.
    pub fn hidden_states(&self) -> ndarray::ArrayView2<'_, f64> {
        self.states.slice(ndarray::s![1.., ..])
    }

    /// Makes room for `steps` steps, keeping the allocation when the shape already fits.
    fn resize(&mut self, steps: usize, hidden_dim: usize, output_dim: usize) {
        if self.states.dim() != (steps + 1, hidden_dim) || self.outputs.dim() != (steps, output_dim) {
            *self = Trace::new(steps, hidden_dim, output_dim);
        }
    }
}

/// The largest weight a model may hold. Every pre-activation and logit sums at most 514 terms
/// (H ≤ 512 hidden units, each state in ±1, and at most two input columns), so with weights within
/// ±1e30 they stay below f32's 3.4e38: the forward pass is finite in both precisions, so any model
/// that loads draws. No run that learns comes near it; an epoch that passes it is undone.
pub const MAX_WEIGHT: f64 = 1e30;

/// What training says when a weight is no longer a finite number.
pub const NOT_FINITE: &str = "the weights stopped being finite numbers";

/// A weight that is not a finite number within ±[`MAX_WEIGHT`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightOutOfRange {
    pub matrix: &'static str,
    pub row: usize,
    pub column: usize,
    pub value: f64,
}

impl WeightOutOfRange {
    /// As training reports it, after "Epoch N diverged at learning rate r: ".
    pub fn grown(&self) -> String {
        if self.value.is_finite() {
            format!("{self} grew past ±{}", crate::error::number(MAX_WEIGHT))
        } else {
            NOT_FINITE.to_string()
        }
    }

    /// As a refused file or given weights report it.
    pub fn refused(&self) -> String {
        if self.value.is_finite() {
            format!("{self}, beyond ±{}: larger weights overflow the forward pass, and no run that learns gets there", crate::error::number(MAX_WEIGHT))
        } else {
            "the weights hold a value that is not a finite number".to_string()
        }
    }
}

impl std::fmt::Display for WeightOutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // four significant digits: the size is what matters
        let shown = format!("{:.3e}", self.value).parse().unwrap_or(self.value);
        write!(f, "{}[{}][{}] = {}", self.matrix, self.row, self.column, crate::error::number(shown))
    }
}

impl Rnn {
    /// The notebook's `RNN.__init__`: U, V, W uniform in ±sqrt(1/n), drawn in that order from `rng`.
    pub fn init(input_dim: usize, output_dim: usize, hidden_dim: usize, rng: &mut NumpyRng) -> Rnn {
        let bu = (1.0 / input_dim as f64).sqrt();
        let bh = (1.0 / hidden_dim as f64).sqrt();
        let u = rng.uniform_matrix(-bu, bu, hidden_dim, input_dim);
        let v = rng.uniform_matrix(-bh, bh, output_dim, hidden_dim);
        let w = rng.uniform_matrix(-bh, bh, hidden_dim, hidden_dim);
        Rnn { u, v, w }
    }

    /// The weights by the notebook's names, in the order every view and file lists them.
    pub fn named(&self) -> [(&'static str, &Array2<f64>); 3] {
        [("U", &self.u), ("V", &self.v), ("W", &self.w)]
    }

    /// The first weight that is not a finite number within ±[`MAX_WEIGHT`], if any.
    pub fn weight_out_of_range(&self) -> Option<WeightOutOfRange> {
        self.named().into_iter().find_map(|(matrix, a)| {
            a.indexed_iter().find(|(_, v)| v.is_nan() || v.abs() > MAX_WEIGHT).map(|((row, column), &value)| WeightOutOfRange { matrix, row, column, value })
        })
    }

    pub fn hidden_dim(&self) -> usize {
        self.w.nrows()
    }

    pub fn input_dim(&self) -> usize {
        self.u.ncols()
    }

    pub fn output_dim(&self) -> usize {
        self.v.nrows()
    }

    /// The notebook's `forward_propagation`, into a reusable trace (no allocation once sized).
    pub fn forward_into(&self, x: &[usize], trace: &mut Trace) {
        trace.resize(x.len(), self.hidden_dim(), self.output_dim());
        let mut states = trace.states.outer_iter_mut();
        let mut prev = states.next().expect("row 0, the zero state");
        for ((&symbol, mut cur), mut out) in x.iter().zip(states).zip(trace.outputs.outer_iter_mut()) {
            mat_vec(self.w.view(), prev.view(), cur.view_mut());
            // U x_t for a one-hot x_t is column `symbol` of U (two columns for a pair). A separate
            // pass for tanh, over contiguous values only, is what lets it vectorise.
            for col in crate::layout::hot_columns(symbol, self.u.ncols()) {
                cur += &self.u.column(col);
            }
            cur.mapv_inplace(fastmath::tanh);
            mat_vec(self.v.view(), cur.view(), out.view_mut());
            softmax_in_place(out);
            prev = cur;
        }
    }

    /// The notebook's `forward_propagation`.
    pub fn forward(&self, x: &[usize]) -> Trace {
        let mut trace = Trace::new(x.len(), self.hidden_dim(), self.output_dim());
        self.forward_into(x, &mut trace);
        trace
    }

    /// The notebook's `predict`: the most probable digit at every step.
    pub fn predict(&self, x: &[usize]) -> Vec<usize> {
        self.forward(x).outputs.outer_iter().map(argmax).collect()
    }

    /// Cross-entropy of one sequence, summed over its steps that have a target.
    pub fn sequence_loss(trace: &Trace, y: &[usize]) -> f64 {
        -y.iter().enumerate().filter(|&(_, &d)| d != NO_TARGET).map(|(t, &d)| trace.output(t)[d].ln()).sum::<f64>()
    }

    /// The notebook's `calculate_total_loss` over examples.
    pub fn total_loss<'a>(&self, examples: impl IntoIterator<Item = (&'a [usize], &'a [usize])>) -> f64 {
        let mut trace = Trace::new(0, self.hidden_dim(), self.output_dim());
        let mut total = 0.0;
        for (x, y) in examples {
            self.forward_into(x, &mut trace);
            total += Self::sequence_loss(&trace, y);
        }
        total
    }
}
