//! Gated recurrent cells, GRU and LSTM, with the notebook's output layer o_t = softmax(V h_t):
//! the equations and the weights' layout are exactly `torch.nn.GRU` / `torch.nn.LSTM`'s (one
//! layer, h_0 = c_0 = 0), the gradients by hand (tests/fixtures/golden_gated.py checks them
//! against PyTorch's autograd).
//!
//! The maths of one step live in `gru.rs` and `lstm.rs`, on blocks of B rows (a batch's
//! sequences at one step, or for the gradient flow one step's values broadcast over the outputs
//! carried back); `batch.rs` runs them over a mini-batch in either precision with truncated
//! BPTT, and is also the single-sequence path (B = 1) behind [`Gated::gradients`].

mod batch;
mod flow;
mod gru;
mod lstm;
#[cfg(test)]
mod tests;

pub use batch::GatedBatch;
pub use flow::gradient_flow;

use crate::batch::Real;
use crate::data::NO_TARGET;
use crate::model::{WeightOutOfRange, MAX_WEIGHT};
use crate::rng::NumpyRng;
use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut2};

/// Which gated cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Gru,
    Lstm,
}

impl Gate {
    /// G, the blocks of H rows stacked in the weights: GRU [r; z; n], LSTM [i; f; g; o].
    pub fn gates(self) -> usize {
        match self {
            Gate::Gru => 3,
            Gate::Lstm => 4,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Gate::Gru => "gru",
            Gate::Lstm => "lstm",
        }
    }

    /// One step forward. `gates` comes in holding W_ih x_t + b_ih and leaves holding the gates'
    /// activations; `hh` is W_hh h_{t−1} + b_hh; `aux` keeps what the backward pass needs besides
    /// the gates (GRU: W_hn h + b_hn; LSTM: tanh c_t).
    fn forward_step<F: Real>(self, gates: ArrayViewMut2<'_, F>, hh: ArrayView2<'_, F>, prev: State<'_, F>, next: StateMut<'_, F>, aux: ArrayViewMut2<'_, F>) {
        match self {
            Gate::Gru => gru::forward(gates, hh, prev.h, next.h, aux),
            Gate::Lstm => lstm::forward(gates, hh, prev, next, aux),
        }
    }

    /// One step back. `dh`, `dc` come in as ∂L/∂h_t, ∂L/∂c_t and leave as ∂L/∂c_{t−1} and the
    /// part of ∂L/∂h_{t−1} that does not go through W_hh (the caller adds `dgates` W_hh).
    /// `dgates` gets ∂L/∂(W_hh h + b_hh), and `dn_in` (GRU only) ∂L/∂(W_in x + b_in), which
    /// differs from the hidden side's n block by the reset gate; the r, z blocks and the LSTM's
    /// gates are the same on both sides.
    fn backward_step<F: Real>(
        self,
        saved: Saved<'_, F>,
        dh: ArrayViewMut2<'_, F>,
        dc: ArrayViewMut2<'_, F>,
        dgates: ArrayViewMut2<'_, F>,
        dn_in: ArrayViewMut2<'_, F>,
    ) {
        match self {
            Gate::Gru => gru::backward(saved, dh, dgates, dn_in),
            Gate::Lstm => lstm::backward(saved, dh, dc, dgates),
        }
    }
}

/// The state entering a step: h_{t−1}, and c_{t−1} for the LSTM.
#[derive(Clone, Copy)]
struct State<'a, F> {
    h: ArrayView2<'a, F>,
    c: Option<ArrayView2<'a, F>>,
}

/// The state a step writes.
struct StateMut<'a, F> {
    h: ArrayViewMut2<'a, F>,
    c: Option<ArrayViewMut2<'a, F>>,
}

/// What the backward pass reads of one step's forward pass.
struct Saved<'a, F> {
    gates: ArrayView2<'a, F>,
    aux: ArrayView2<'a, F>,
    prev: State<'a, F>,
}

/// σ(x) = (1 + tanh(x/2)) / 2: one fast tanh, no exp, accurate to a few ulp like it.
#[inline(always)]
fn sigmoid<F: Real>(x: F) -> F {
    let half = F::of(0.5);
    half + half * (half * x).tanh_fast()
}

/// `f` on every entry, in place, one row at a time over its contiguous slice: a loop the
/// compiler vectorises around the branch-free tanh, which it does not inside a `Zip` closure
/// (three times slower on a batch's gates).
#[inline(always)]
fn activate<F: Real>(mut a: ArrayViewMut2<'_, F>, f: impl Fn(F) -> F) {
    for mut row in a.rows_mut() {
        match row.as_slice_mut() {
            Some(values) => values.iter_mut().for_each(|x| *x = f(*x)),
            None => row.mapv_inplace(&f),
        }
    }
}

/// A one-layer GRU or LSTM (PyTorch's parameters and names) and the notebook's output layer.
/// Row-major and contiguous always (the kernels rely on it).
#[derive(Debug, Clone, PartialEq)]
pub struct Gated {
    pub gate: Gate,
    /// (G·H) x C_in: the column(s) `hot_columns` names are added for an input symbol.
    pub weight_ih: Array2<f64>,
    /// (G·H) x H
    pub weight_hh: Array2<f64>,
    /// G·H
    pub bias_ih: Array1<f64>,
    /// G·H
    pub bias_hh: Array1<f64>,
    /// C_out x H, o_t = softmax(V h_t), no bias.
    pub v: Array2<f64>,
}

/// dL/d of each parameter, shaped like it.
#[derive(Debug, Clone, PartialEq)]
pub struct GatedGradients {
    pub d_weight_ih: Array2<f64>,
    pub d_weight_hh: Array2<f64>,
    pub d_bias_ih: Array1<f64>,
    pub d_bias_hh: Array1<f64>,
    pub dv: Array2<f64>,
}

impl GatedGradients {
    pub fn zeros_like(model: &Gated) -> GatedGradients {
        GatedGradients {
            d_weight_ih: Array2::zeros(model.weight_ih.dim()),
            d_weight_hh: Array2::zeros(model.weight_hh.dim()),
            d_bias_ih: Array1::zeros(model.bias_ih.len()),
            d_bias_hh: Array1::zeros(model.bias_hh.len()),
            dv: Array2::zeros(model.v.dim()),
        }
    }

    /// self += other (the same model's shapes: ndarray panics otherwise).
    pub fn add(&mut self, other: &GatedGradients) {
        self.d_weight_ih += &other.d_weight_ih;
        self.d_weight_hh += &other.d_weight_hh;
        self.d_bias_ih += &other.d_bias_ih;
        self.d_bias_hh += &other.d_bias_hh;
        self.dv += &other.dv;
    }
}

/// What one forward pass leaves behind.
#[derive(Debug, Clone, PartialEq)]
pub struct GatedTrace {
    /// (T + 1) x H: row 0 the zero state, row t + 1 is h_t.
    pub hidden: Array2<f64>,
    /// (T + 1) x H for the LSTM, laid out as `hidden`: c_t.
    pub cells: Option<Array2<f64>>,
    /// T x C_out, each row a probability distribution.
    pub outputs: Array2<f64>,
}

/// Added to an LSTM's forget-gate bias at the start, so that its cell state starts out kept
/// rather than halved at every step: with PyTorch's f ≈ 0.5 the Memory preset's LSTM spent its
/// first hundred epochs learning to remember at all. 2 is about the mean of chrono
/// initialisation for sequences of 20 steps, the Memory preset's (docs/cells.md).
pub const LSTM_FORGET_BIAS: f64 = 2.0;

impl Gated {
    /// PyTorch's initialisation: every weight and bias uniform in ±1/sqrt(H), drawn weight_ih,
    /// weight_hh, bias_ih, bias_hh, then V in ±1/sqrt(H) (the notebook's bound for V); an LSTM's
    /// forget-gate block of bias_hh then gets [`LSTM_FORGET_BIAS`] added.
    pub fn init(gate: Gate, input_dim: usize, output_dim: usize, hidden_dim: usize, rng: &mut NumpyRng) -> Gated {
        let b = (1.0 / hidden_dim as f64).sqrt();
        let gh = gate.gates() * hidden_dim;
        let weight_ih = rng.uniform_matrix(-b, b, gh, input_dim);
        let weight_hh = rng.uniform_matrix(-b, b, gh, hidden_dim);
        let bias_ih = Array1::from_shape_simple_fn(gh, || rng.uniform(-b, b));
        let mut bias_hh = Array1::from_shape_simple_fn(gh, || rng.uniform(-b, b));
        if gate == Gate::Lstm {
            // the forget gate starts open: f = σ(≈2) ≈ 0.88 keeps the cell state, where PyTorch's
            // f ≈ 0.5 halves it at every step
            bias_hh.slice_mut(ndarray::s![hidden_dim..2 * hidden_dim]).mapv_inplace(|x| x + LSTM_FORGET_BIAS);
        }
        let v = rng.uniform_matrix(-b, b, output_dim, hidden_dim);
        Gated { gate, weight_ih, weight_hh, bias_ih, bias_hh, v }
    }

    pub fn hidden_dim(&self) -> usize {
        self.weight_hh.ncols()
    }

    pub fn input_dim(&self) -> usize {
        self.weight_ih.ncols()
    }

    pub fn output_dim(&self) -> usize {
        self.v.nrows()
    }

    pub fn parameter_count(&self) -> usize {
        self.weight_ih.len() + self.weight_hh.len() + self.bias_ih.len() + self.bias_hh.len() + self.v.len()
    }

    /// The first weight that is not a finite number within ±[`MAX_WEIGHT`], if any (a bias's
    /// entry i is reported as row i, column 0). [`MAX_WEIGHT`]'s argument holds for gated cells
    /// too: a pre-activation sums at most two input columns, H products with states in ±1 and two
    /// biases, and the LSTM's cell state grows by at most 1 a step, so the forward pass is finite
    /// in both precisions.
    pub fn weight_out_of_range(&self) -> Option<WeightOutOfRange> {
        let bad = |v: &f64| v.is_nan() || v.abs() > MAX_WEIGHT;
        let matrices = [("weight_ih", &self.weight_ih), ("weight_hh", &self.weight_hh)];
        let in_matrix = |(matrix, a): (&'static str, &Array2<f64>)| {
            a.indexed_iter().find(|(_, v)| bad(v)).map(|((row, column), &value)| WeightOutOfRange { matrix, row, column, value })
        };
        let in_vector = |(matrix, a): (&'static str, &Array1<f64>)| {
            a.iter().enumerate().find(|(_, v)| bad(v)).map(|(row, &value)| WeightOutOfRange { matrix, row, column: 0, value })
        };
        matrices
            .into_iter()
            .find_map(in_matrix)
            .or_else(|| [("bias_ih", &self.bias_ih), ("bias_hh", &self.bias_hh)].into_iter().find_map(in_vector))
            .or_else(|| in_matrix(("V", &self.v)))
    }

    /// The forward pass of one sequence. Panics on a symbol that is not one of the model's
    /// inputs (see [`GatedBatch::gradients`]).
    pub fn forward(&self, x: &[usize]) -> GatedTrace {
        GatedBatch::<f64>::new(self).trace(self, x)
    }

    /// The most probable digit at every step.
    pub fn predict(&self, x: &[usize]) -> Vec<usize> {
        self.forward(x).outputs.outer_iter().map(crate::kernels::argmax).collect()
    }

    /// Cross-entropy of one sequence, summed over the steps that have a target.
    pub fn sequence_loss(trace: &GatedTrace, y: &[usize]) -> f64 {
        -y.iter().zip(trace.outputs.outer_iter()).filter(|(&d, _)| d != NO_TARGET).map(|(&d, o)| o[d].ln()).sum::<f64>()
    }

    /// The loss of one sequence and its gradients, each output's error carried at most
    /// `bptt_truncate` steps back: a batch of one, with its `assert!`s (see
    /// [`GatedBatch::gradients`]); also panics unless `x` and `y` are as long as each other.
    pub fn gradients(&self, x: &[usize], y: &[usize], bptt_truncate: usize) -> (f64, GatedGradients) {
        assert_eq!(x.len(), y.len(), "one target per input step");
        if x.is_empty() {
            return (0.0, GatedGradients::zeros_like(self));
        }
        let mut batch = GatedBatch::<f64>::new(self);
        let loss = batch.gradients(self, x, y, x.len(), bptt_truncate);
        (loss, batch.grads)
    }
}
