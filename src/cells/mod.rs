//! The recurrent cells a run can use, and the one type the trainer holds whichever it is.
//!
//! - vanilla: the notebook's s_t = tanh(U x_t + W s_{t−1}), in `crate::model` (weights, forward),
//!   `crate::bptt` (its loops) and `crate::batch` (mini-batches), bit for bit the notebook's;
//! - GRU and LSTM: PyTorch's `torch.nn.GRU` and `torch.nn.LSTM` equations, in `gated/`.
//!
//! Every cell ends in the notebook's output layer o_t = softmax(V h_t), so only the cell differs.
//! [`Model`] is what training, saving and the views see: a cell's parameters by name, as flat
//! slices (the optimizer's rules and the saved file do not care which cell they came from).

pub mod gated;

use crate::batch::{Batch, Real, Scores};
use crate::bptt::Gradients;
use crate::config::choice;
use crate::data::NO_TARGET;
use crate::error::{Error, Result};
use crate::flow::GradientFlow;
use crate::model::{Rnn, Trace, WeightOutOfRange};
use crate::rng::NumpyRng;
use gated::{Gate, Gated, GatedBatch};
use ndarray::{Array1, Array2};

choice! {
    /// How the hidden state is computed from the input and the previous state.
    Cell {
        /// The notebook's: s_t = tanh(U x_t + W s_{t−1}).
        Vanilla = "vanilla",
        /// PyTorch's GRU: reset and update gates around a tanh candidate.
        Gru = "gru",
        /// PyTorch's LSTM: input, forget and output gates and a cell state.
        Lstm = "lstm",
    }
}

impl Cell {
    /// Blocks of H rows in the cell's stacked weights: 1 for the vanilla cell's U and W, 3 for
    /// GRU's r, z, n, 4 for LSTM's i, f, g, o.
    pub fn gates(self) -> usize {
        match self {
            Cell::Vanilla => 1,
            Cell::Gru => 3,
            Cell::Lstm => 4,
        }
    }

    /// Each parameter's shape for these dimensions, in the order of [`Cell::parameter_names`].
    pub fn shapes(self, input_dim: usize, output_dim: usize, hidden_dim: usize) -> Vec<Vec<usize>> {
        let (h, gh) = (hidden_dim, self.gates() * hidden_dim);
        match self {
            Cell::Vanilla => vec![vec![h, input_dim], vec![output_dim, h], vec![h, h]],
            Cell::Gru | Cell::Lstm => vec![vec![gh, input_dim], vec![gh, h], vec![gh], vec![gh], vec![output_dim, h]],
        }
    }

    /// The gated cell's kind, or None for the vanilla cell.
    pub fn gate(self) -> Option<Gate> {
        match self {
            Cell::Vanilla => None,
            Cell::Gru => Some(Gate::Gru),
            Cell::Lstm => Some(Gate::Lstm),
        }
    }

    /// The parameters' names, in the order [`Model::parameters`] gives them.
    pub fn parameter_names(self) -> &'static [&'static str] {
        match self {
            Cell::Vanilla => &["U", "V", "W"],
            Cell::Gru | Cell::Lstm => &["weight_ih", "weight_hh", "bias_ih", "bias_hh", "V"],
        }
    }
}

/// One parameter of a model: its name, its shape (rows and columns, or one length for a bias)
/// and its values, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter<'a> {
    pub name: &'static str,
    pub shape: Vec<usize>,
    pub values: &'a [f64],
}

fn matrix<'a>(name: &'static str, a: &'a Array2<f64>) -> Parameter<'a> {
    Parameter { name, shape: vec![a.nrows(), a.ncols()], values: a.as_slice().expect("weights are contiguous") }
}

fn matrix_mut(a: &mut Array2<f64>) -> &mut [f64] {
    a.as_slice_mut().expect("weights are contiguous")
}

/// What [`Model::from_parameters`] asks for a parameter with.
type Take<'a> = dyn FnMut(&'static str) -> Result<(Vec<usize>, Vec<f64>)> + 'a;

fn take_matrix(take: &mut Take<'_>, name: &'static str) -> Result<Array2<f64>> {
    let (shape, values) = take(name)?;
    let &[rows, cols] = &shape[..] else {
        return Err(Error::Model(format!("{name} should be a matrix, but its shape is {}", shape_text(&shape))));
    };
    Array2::from_shape_vec((rows, cols), values).map_err(|_| Error::Model(format!("{name} does not hold {rows}x{cols} numbers")))
}

fn take_vector(take: &mut Take<'_>, name: &'static str) -> Result<Array1<f64>> {
    let (shape, values) = take(name)?;
    if shape.len() != 1 || shape[0] != values.len() {
        return Err(Error::Model(format!("{name} should be a vector, but its shape is {}", shape_text(&shape))));
    }
    Ok(Array1::from(values))
}

fn vector<'a>(name: &'static str, a: &'a Array1<f64>) -> Parameter<'a> {
    Parameter { name, shape: vec![a.len()], values: a.as_slice().expect("weights are contiguous") }
}

fn vector_mut(a: &mut Array1<f64>) -> &mut [f64] {
    a.as_slice_mut().expect("weights are contiguous")
}

/// A run's weights, whichever its cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Model {
    Vanilla(Rnn),
    Gated(Gated),
}

impl Model {
    /// A model of `cell` from each parameter's shape and values (a saved run's), asked for by
    /// name in the order of [`Cell::parameter_names`]. Shapes must be the cell's own (one or two
    /// dimensions, as many values as they say); whether they fit the settings is
    /// `train::check_shapes`'s question.
    pub fn from_parameters(cell: Cell, mut take: impl FnMut(&'static str) -> Result<(Vec<usize>, Vec<f64>)>) -> Result<Model> {
        let take: &mut Take<'_> = &mut take;
        match cell.gate() {
            None => Ok(Model::Vanilla(Rnn { u: take_matrix(take, "U")?, v: take_matrix(take, "V")?, w: take_matrix(take, "W")? })),
            Some(gate) => Ok(Model::Gated(Gated {
                gate,
                weight_ih: take_matrix(take, "weight_ih")?,
                weight_hh: take_matrix(take, "weight_hh")?,
                bias_ih: take_vector(take, "bias_ih")?,
                bias_hh: take_vector(take, "bias_hh")?,
                v: take_matrix(take, "V")?,
            })),
        }
    }

    /// Fresh weights for `cell`, drawn from `rng` (the vanilla cell: the notebook's draws).
    pub fn init(cell: Cell, input_dim: usize, output_dim: usize, hidden_dim: usize, rng: &mut NumpyRng) -> Model {
        match cell {
            Cell::Vanilla => Model::Vanilla(Rnn::init(input_dim, output_dim, hidden_dim, rng)),
            Cell::Gru | Cell::Lstm => Model::Gated(Gated::init(cell.gate().expect("a gated cell"), input_dim, output_dim, hidden_dim, rng)),
        }
    }

    pub fn cell(&self) -> Cell {
        match self {
            Model::Vanilla(_) => Cell::Vanilla,
            Model::Gated(m) => match m.gate {
                Gate::Gru => Cell::Gru,
                Gate::Lstm => Cell::Lstm,
            },
        }
    }

    /// The notebook's cell, for what only it has (homework, the step-through).
    pub fn vanilla(&self) -> Option<&Rnn> {
        match self {
            Model::Vanilla(m) => Some(m),
            Model::Gated(_) => None,
        }
    }

    pub fn hidden_dim(&self) -> usize {
        match self {
            Model::Vanilla(m) => m.hidden_dim(),
            Model::Gated(m) => m.hidden_dim(),
        }
    }

    pub fn input_dim(&self) -> usize {
        match self {
            Model::Vanilla(m) => m.input_dim(),
            Model::Gated(m) => m.input_dim(),
        }
    }

    pub fn output_dim(&self) -> usize {
        match self {
            Model::Vanilla(m) => m.output_dim(),
            Model::Gated(m) => m.output_dim(),
        }
    }

    /// Every parameter, in the order of [`Cell::parameter_names`].
    pub fn parameters(&self) -> Vec<Parameter<'_>> {
        match self {
            Model::Vanilla(m) => m.named().into_iter().map(|(name, a)| matrix(name, a)).collect(),
            Model::Gated(m) => vec![
                matrix("weight_ih", &m.weight_ih),
                matrix("weight_hh", &m.weight_hh),
                vector("bias_ih", &m.bias_ih),
                vector("bias_hh", &m.bias_hh),
                matrix("V", &m.v),
            ],
        }
    }

    /// Every parameter's values, in the same order, to be updated in place.
    pub fn parameters_mut(&mut self) -> Vec<&mut [f64]> {
        match self {
            Model::Vanilla(m) => vec![matrix_mut(&mut m.u), matrix_mut(&mut m.v), matrix_mut(&mut m.w)],
            Model::Gated(m) => {
                vec![matrix_mut(&mut m.weight_ih), matrix_mut(&mut m.weight_hh), vector_mut(&mut m.bias_ih), vector_mut(&mut m.bias_hh), matrix_mut(&mut m.v)]
            }
        }
    }

    /// The first weight that is not a finite number within ±`model::MAX_WEIGHT`, if any.
    pub fn weight_out_of_range(&self) -> Option<WeightOutOfRange> {
        match self {
            Model::Vanilla(m) => m.weight_out_of_range(),
            Model::Gated(m) => m.weight_out_of_range(),
        }
    }

    /// One forward pass: every step's output probabilities (T x C_out) and hidden state (T x H).
    pub fn forward(&self, x: &[usize]) -> (Array2<f64>, Array2<f64>) {
        match self {
            Model::Vanilla(m) => {
                let trace = m.forward(x);
                let hidden = trace.hidden_states().to_owned();
                (trace.outputs, hidden)
            }
            Model::Gated(m) => {
                let trace = m.forward(x);
                let hidden = trace.hidden.slice(ndarray::s![1.., ..]).to_owned();
                (trace.outputs, hidden)
            }
        }
    }

    /// The sequence's total loss Σ_t E_t (over its steps with a target).
    pub fn sequence_loss(&self, x: &[usize], y: &[usize]) -> f64 {
        self.sequence_loss_in(x, y, &mut LossBuffers::new(self))
    }

    /// [`Model::sequence_loss`] in buffers kept by the caller: once they are sized, a pass
    /// allocates nothing (the gradient check makes two per entry).
    pub fn sequence_loss_in(&self, x: &[usize], y: &[usize], buffers: &mut LossBuffers) -> f64 {
        match (self, &mut *buffers) {
            (Model::Vanilla(m), LossBuffers::Vanilla(trace)) => {
                m.forward_into(x, trace);
                Rnn::sequence_loss(trace, y)
            }
            (Model::Gated(_), LossBuffers::Gated(_)) if x.is_empty() => 0.0,
            (Model::Gated(m), LossBuffers::Gated(batch)) => batch.evaluate(m, x, y, x.len()).losses[0],
            _ => {
                *buffers = LossBuffers::new(self);
                self.sequence_loss_in(x, y, buffers)
            }
        }
    }

    /// ‖∂E_t/∂h_k‖ for the sequence (x, y), exact (see `crate::flow`).
    /// How it fades j steps back (`decay`) is the mean over the outputs that have a target: the
    /// delayed layout's steps reading a send no error back at all.
    pub fn gradient_flow(&self, x: &[usize], y: &[usize]) -> GradientFlow {
        let mut flow = match self {
            Model::Vanilla(m) => crate::flow::gradient_flow(m, x, y),
            Model::Gated(m) => gated::gradient_flow(m, x, y),
        };
        if y.contains(&NO_TARGET) {
            flow.decay = (0..flow.steps)
                .map(|j| {
                    let rows: Vec<f64> = (j..flow.steps).filter(|&t| y[t] != NO_TARGET).map(|t| flow.values[[t, t - j]]).collect();
                    if rows.is_empty() {
                        0.0
                    } else {
                        rows.iter().sum::<f64>() / rows.len() as f64
                    }
                })
                .collect();
        }
        flow
    }

    /// The gradient of the sequence's total loss Σ_t E_t at `bptt_truncate`, one array per
    /// parameter in the order of [`Model::parameters`] (the vanilla cell: the notebook's loops).
    pub fn gradients(&self, x: &[usize], y: &[usize], bptt_truncate: usize) -> Vec<Vec<f64>> {
        match self {
            Model::Vanilla(m) => gradient_slices(&crate::bptt::notebook_bptt(m, x, y, bptt_truncate)),
            Model::Gated(m) => {
                let (_, g) = m.gradients(x, y, bptt_truncate);
                [g.d_weight_ih.as_slice(), g.d_weight_hh.as_slice(), g.d_bias_ih.as_slice(), g.d_bias_hh.as_slice(), g.dv.as_slice()]
                    .into_iter()
                    .map(|a| a.expect("gradients are contiguous").to_vec())
                    .collect()
            }
        }
    }
}

/// "24x10", or "24" for a vector.
pub fn shape_text(shape: &[usize]) -> String {
    shape.iter().map(usize::to_string).collect::<Vec<_>>().join("x")
}

fn gradient_slices(g: &Gradients) -> Vec<Vec<f64>> {
    [&g.du, &g.dv, &g.dw].into_iter().map(|a| a.iter().copied().collect()).collect()
}

/// Buffers for a mini-batch's forward pass and gradients, for the model's cell, in precision `F`.
// a trainer holds two of these, made once: their sizes do not matter
/// One sequence's forward pass, kept from call to call by [`Model::sequence_loss_in`].
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum LossBuffers {
    Vanilla(Trace),
    Gated(GatedBatch<f64>),
}

impl LossBuffers {
    pub fn new(model: &Model) -> LossBuffers {
        match model {
            Model::Vanilla(m) => LossBuffers::Vanilla(Trace::new(0, m.hidden_dim(), m.output_dim())),
            Model::Gated(m) => LossBuffers::Gated(GatedBatch::new(m)),
        }
    }
}

#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum CellBatch<F: Real> {
    Vanilla(Batch<F>),
    Gated(GatedBatch<F>),
}

impl<F: Real> CellBatch<F> {
    pub fn new(model: &Model) -> CellBatch<F> {
        match model {
            Model::Vanilla(m) => CellBatch::Vanilla(Batch::new(m)),
            Model::Gated(m) => CellBatch::Gated(GatedBatch::new(m)),
        }
    }

    /// Remade when the model's cell is not the one these buffers were made for.
    fn fit(&mut self, model: &Model) {
        let fits = matches!((&*self, model), (CellBatch::Vanilla(_), Model::Vanilla(_)) | (CellBatch::Gated(_), Model::Gated(_)));
        if !fits {
            *self = CellBatch::new(model);
        }
    }

    /// The batch's total loss and its gradients summed over its sequences (see `Batch::gradients`),
    /// left for [`CellBatch::gradients_mut`].
    pub fn gradients(&mut self, model: &Model, inputs: &[usize], targets: &[usize], steps: usize, bptt_truncate: usize) -> f64 {
        self.fit(model);
        match (self, model) {
            (CellBatch::Vanilla(b), Model::Vanilla(m)) => b.gradients(m, inputs, targets, steps, bptt_truncate),
            (CellBatch::Gated(b), Model::Gated(m)) => b.gradients(m, inputs, targets, steps, bptt_truncate),
            _ => unreachable!("fit() made the buffers for the model's cell"),
        }
    }

    /// The last batch's gradients, one slice per parameter in the order of [`Model::parameters`].
    pub fn gradients_mut(&mut self) -> Vec<&mut [f64]> {
        match self {
            CellBatch::Vanilla(b) => vec![matrix_mut(&mut b.grads.du), matrix_mut(&mut b.grads.dv), matrix_mut(&mut b.grads.dw)],
            CellBatch::Gated(b) => {
                let g = &mut b.grads;
                vec![
                    matrix_mut(&mut g.d_weight_ih),
                    matrix_mut(&mut g.d_weight_hh),
                    vector_mut(&mut g.d_bias_ih),
                    vector_mut(&mut g.d_bias_hh),
                    matrix_mut(&mut g.dv),
                ]
            }
        }
    }

    /// Each sequence's loss and which outputs were right (see `Batch::evaluate`).
    pub fn evaluate(&mut self, model: &Model, inputs: &[usize], targets: &[usize], steps: usize) -> Scores<'_> {
        self.fit(model);
        match (self, model) {
            (CellBatch::Vanilla(b), Model::Vanilla(m)) => b.evaluate(m, inputs, targets, steps),
            (CellBatch::Gated(b), Model::Gated(m)) => b.evaluate(m, inputs, targets, steps),
            _ => unreachable!("fit() made the buffers for the model's cell"),
        }
    }
}
