//! A mini-batch of sequences through a gated cell, forward and back, in either precision: the
//! gated counterpart of `crate::batch::Batch`, with the same time-major buffers (rows t B ..
//! (t + 1) B hold step t of every sequence), the same truncation contract and every matrix
//! product through `F::mat_mul`.
//!
//! The backward pass collects, for every step, ∂L/∂(pre-activations) summed over all the chains
//! of outputs that reach it, in one (T B) x (G H) buffer; the weights' gradients are then a few
//! large products (dW_hh = Σ_s dgates_sᵀ h_{s−1}). Untruncated, that is one sweep back; truncated,
//! each output's chain stops where truncation cuts it, and the chains alive at a step go back
//! together.

use super::{Gate, Gated, GatedGradients, GatedTrace, State, StateMut};
use crate::batch::{copy_in, copy_out, output_deltas, resize, score, Real, Scores};
use crate::data::NO_TARGET;
use crate::kernels;
use crate::layout::hot_columns;
use ndarray::{s, Array1, Array2, ArrayView2, Axis};

mod backward;

/// Buffers for a batch's forward and backward passes, reused from batch to batch.
#[derive(Debug, Clone)]
pub struct GatedBatch<F: Real> {
    /// ((T + 1) B) x H: the first B rows the zero state, then h_t of every sequence.
    hidden: Array2<F>,
    /// As `hidden`, c_t for the LSTM; empty for the GRU.
    cells: Array2<F>,
    /// (T B) x (G H): the gates' activations.
    gates: Array2<F>,
    /// (T B) x H: GRU W_hn h + b_hn, LSTM tanh c_t.
    aux: Array2<F>,
    /// B x (G H): W_hh h_{t−1} + b_hh.
    hh: Array2<F>,
    /// (T B) x C_out: the outputs, then dL/d(logits) (zero at steps without a target).
    outputs: Array2<F>,
    /// (T B) x (G H): ∂L/∂(W_hh h + b_hh) at every step; after the hidden side's gradients, the
    /// input side's (for the GRU, `dn_in` replaces its n block).
    dgates: Array2<F>,
    /// (T B) x H: the GRU's ∂L/∂(W_in x + b_in).
    dn_in: Array2<F>,
    /// (k + 1) B x (G H) and (k + 1) B x H, when truncation splits the chains: the live chains'
    /// values at one step, a slot of B rows each (see batch/backward.rs).
    chain_dgates: Array2<F>,
    chain_dn_in: Array2<F>,
    /// (T B) x H: δo_t V, each output's error at its own hidden state.
    dh_out: Array2<F>,
    /// ∂L/∂h and ∂L/∂c carried back: B x H, or (k + 1) B x H for the truncated chains.
    dh: Array2<F>,
    dc: Array2<F>,
    /// The weights in the batch's precision, transposed where the forward products want them:
    /// weight_ih's columns (one symbol's) as contiguous rows, W_hhᵀ, Vᵀ; W_hh and V as they are
    /// for the backward products.
    wiht: Array2<F>,
    whht: Array2<F>,
    whh: Array2<F>,
    bih: Array1<F>,
    bhh: Array1<F>,
    vt: Array2<F>,
    v: Array2<F>,
    /// The gradients in the batch's precision (weight_ih's transposed).
    dwiht: Array2<F>,
    dwhh: Array2<F>,
    dbih: Array1<F>,
    dbhh: Array1<F>,
    dv: Array2<F>,
    losses: Vec<f64>,
    right: Vec<bool>,
    /// The last batch's gradients, summed over its sequences.
    pub grads: GatedGradients,
}

fn copy_in_1<F: Real>(a: &mut Array1<F>, w: &Array1<f64>) {
    if a.len() != w.len() {
        *a = Array1::zeros(w.len());
    }
    a.zip_mut_with(w, |x, &y| *x = F::of(y));
}

/// `sums` = the column sums of `a`, row by row with no temporary.
fn column_sums<F: Real>(sums: &mut Array1<F>, a: ArrayView2<'_, F>) {
    sums.fill(F::zero());
    for row in a.rows() {
        *sums += &row;
    }
}

impl<F: Real> GatedBatch<F> {
    pub fn new(model: &Gated) -> GatedBatch<F> {
        let z = || Array2::zeros((0, 0));
        let z1 = || Array1::zeros(0);
        GatedBatch {
            hidden: z(),
            cells: z(),
            gates: z(),
            aux: z(),
            hh: z(),
            outputs: z(),
            dgates: z(),
            dn_in: z(),
            chain_dgates: z(),
            chain_dn_in: z(),
            dh_out: z(),
            dh: z(),
            dc: z(),
            wiht: z(),
            whht: z(),
            whh: z(),
            bih: z1(),
            bhh: z1(),
            vt: z(),
            v: z(),
            dwiht: z(),
            dwhh: z(),
            dbih: z1(),
            dbhh: z1(),
            dv: z(),
            losses: Vec::new(),
            right: Vec::new(),
            grads: GatedGradients::zeros_like(model),
        }
    }

    /// The forward pass and the gradients, summed over the batch, of the sequences in `inputs`
    /// and `targets` (B rows of `steps` symbols each, row-major, as a data set stores them): each
    /// output's error reaches the states of steps t, t − 1, …, max(0, t − `bptt_truncate`) and no
    /// further, as in the notebook's loops. A target of [`NO_TARGET`] adds no loss and no error.
    /// Returns the batch's total loss; the gradients are left in [`GatedBatch::grads`].
    ///
    /// Panics (documented `assert!`s) unless the model's shapes agree with each other (G·H rows
    /// in every weight and bias, H columns in weight_hh and V), `steps > 0`, there are whole
    /// sequences with one target per input, every symbol is one of the model's inputs and every
    /// target one of its outputs or [`NO_TARGET`].
    pub fn gradients(&mut self, model: &Gated, inputs: &[usize], targets: &[usize], steps: usize, bptt_truncate: usize) -> f64 {
        let b = self.prepare(model, inputs, targets, steps);
        self.forward(model, inputs, steps, b);
        let loss = output_deltas(&mut self.outputs, targets, steps, b);
        self.backward(model, inputs, steps, b, bptt_truncate);
        loss
    }

    /// The forward pass alone: each sequence's loss and, B x T sequence-major, whether each
    /// step's most probable digit was its target (false at [`NO_TARGET`] steps). The same
    /// `assert!`s as [`GatedBatch::gradients`].
    pub fn evaluate(&mut self, model: &Gated, inputs: &[usize], targets: &[usize], steps: usize) -> Scores<'_> {
        let b = self.prepare(model, inputs, targets, steps);
        self.forward(model, inputs, steps, b);
        score(self.outputs.view(), targets, steps, b, &mut self.losses, &mut self.right);
        Scores { losses: &self.losses, right: &self.right }
    }

    /// Checks the shapes and symbols, sizes the buffers and copies the weights in; returns B.
    fn prepare(&mut self, model: &Gated, inputs: &[usize], targets: &[usize], steps: usize) -> usize {
        let (h, gh) = (model.hidden_dim(), model.weight_hh.nrows());
        assert!(
            gh == model.gate.gates() * h && model.weight_ih.nrows() == gh && model.bias_ih.len() == gh && model.bias_hh.len() == gh && model.v.ncols() == h,
            "the model's shapes agree: {} gates of H = {h} rows, V with H columns",
            model.gate.gates()
        );
        assert!(steps > 0 && inputs.len() == targets.len() && inputs.len().is_multiple_of(steps), "whole sequences, one target per input");
        let (c_in, c_out) = (model.input_dim(), model.output_dim());
        assert!(inputs.iter().all(|&x| hot_columns(x, c_in).all(|c| c < c_in)), "every symbol is one of the model's inputs");
        assert!(targets.iter().all(|&y| y < c_out || y == NO_TARGET), "every target is one of the model's outputs or NO_TARGET");
        let b = inputs.len() / steps;
        resize(&mut self.hidden, ((steps + 1) * b, h));
        resize(&mut self.cells, if model.gate == Gate::Lstm { ((steps + 1) * b, h) } else { (0, 0) });
        resize(&mut self.gates, (steps * b, gh));
        resize(&mut self.aux, (steps * b, h));
        resize(&mut self.hh, (b, gh));
        resize(&mut self.outputs, (steps * b, c_out));
        copy_in(&mut self.wiht, model.weight_ih.t());
        copy_in(&mut self.whht, model.weight_hh.t());
        copy_in_1(&mut self.bih, &model.bias_ih);
        copy_in_1(&mut self.bhh, &model.bias_hh);
        copy_in(&mut self.vt, model.v.t());
        b
    }

    /// The states, gates and softmax outputs of every step.
    fn forward(&mut self, model: &Gated, inputs: &[usize], steps: usize, b: usize) {
        let c_in = model.input_dim();
        let lstm = model.gate == Gate::Lstm;
        self.hidden.slice_mut(s![..b, ..]).fill(F::zero());
        if lstm {
            self.cells.slice_mut(s![..b, ..]).fill(F::zero());
        }
        let block = |t: usize| s![t * b..(t + 1) * b, ..];
        for t in 0..steps {
            let (before, after) = self.hidden.view_mut().split_at(Axis(0), (t + 1) * b);
            let (prev_h, h) = (before.slice_move(s![t * b.., ..]), after.slice_move(s![..b, ..]));
            let (prev_c, c) = if lstm {
                let (before, after) = self.cells.view_mut().split_at(Axis(0), (t + 1) * b);
                (Some(before.slice_move(s![t * b.., ..])), Some(after.slice_move(s![..b, ..])))
            } else {
                (None, None)
            };
            let mut gates = self.gates.slice_mut(block(t));
            for (i, mut row) in gates.rows_mut().into_iter().enumerate() {
                row.assign(&self.bih);
                for col in hot_columns(inputs[i * steps + t], c_in) {
                    row += &self.wiht.row(col);
                }
            }
            if t == 0 {
                // h_{-1} = 0, so its product with W_hh is 0: the bits the product would give
                self.hh.fill(F::zero());
            } else {
                F::mat_mul(prev_h.view(), self.whht.view(), F::zero(), self.hh.view_mut());
            }
            for mut row in self.hh.rows_mut() {
                row += &self.bhh;
            }
            let prev = State { h: prev_h.view(), c: prev_c.as_ref().map(|c| c.view()) };
            model.gate.forward_step(gates, self.hh.view(), prev, StateMut { h, c }, self.aux.slice_mut(block(t)));
        }
        // the output layer needs no step's result before the next: one product for all of them
        // (a product per step repacks V every time)
        F::mat_mul(self.hidden.slice(s![b.., ..]), self.vt.view(), F::zero(), self.outputs.view_mut());
        for row in self.outputs.rows_mut() {
            kernels::softmax_in_place(row);
        }
    }
}

impl GatedBatch<f64> {
    /// One sequence's forward pass as a [`GatedTrace`]: with B = 1 the buffers are its layout.
    pub(super) fn trace(&mut self, model: &Gated, x: &[usize]) -> GatedTrace {
        if x.is_empty() {
            let h = model.hidden_dim();
            let cells = (model.gate == Gate::Lstm).then(|| Array2::zeros((1, h)));
            return GatedTrace { hidden: Array2::zeros((1, h)), cells, outputs: Array2::zeros((0, model.output_dim())) };
        }
        let targets = vec![NO_TARGET; x.len()];
        let b = self.prepare(model, x, &targets, x.len());
        self.forward(model, x, x.len(), b);
        let cells = (model.gate == Gate::Lstm).then(|| self.cells.clone());
        GatedTrace { hidden: self.hidden.clone(), cells, outputs: self.outputs.clone() }
    }

    /// The gates' activations and the aux values of the last forward pass (T B x G H, T B x H).
    pub(super) fn step_values(&self) -> (ArrayView2<'_, f64>, ArrayView2<'_, f64>) {
        (self.gates.view(), self.aux.view())
    }
}
