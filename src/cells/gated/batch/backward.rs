//! The backward pass of a [`GatedBatch`]: ∂L/∂(pre-activations) for every step, summed over
//! every chain of outputs that reaches it, then the weights' gradients as a few large products.

use super::{column_sums, copy_in, copy_out, resize, GatedBatch};
use crate::batch::Real;
use crate::bptt::Method;
use crate::cells::gated::{Gate, Gated, Saved, State};
use crate::layout::hot_columns;
use ndarray::{s, Array1, Axis};

impl<F: Real> GatedBatch<F> {
    pub(super) fn backward(&mut self, model: &Gated, inputs: &[usize], steps: usize, b: usize, bptt_truncate: usize) {
        let (h, gh, gate) = (model.hidden_dim(), model.weight_hh.nrows(), model.gate);
        resize(&mut self.dgates, (steps * b, gh));
        resize(&mut self.dn_in, (steps * b, h));
        resize(&mut self.dh_out, (steps * b, h));
        resize(&mut self.dh, (b, h));
        resize(&mut self.dc, (b, h));
        copy_in(&mut self.whh, model.weight_hh.view());
        copy_in(&mut self.v, model.v.view());
        let GatedBatch {
            hidden,
            cells,
            gates,
            aux,
            outputs,
            dgates,
            dn_in,
            chain_dgates,
            chain_dn_in,
            dh_out,
            dh,
            dc,
            whh,
            v,
            dwiht,
            dwhh,
            dbih,
            dbhh,
            dv,
            grads,
            ..
        } = self;
        let block = |t: usize| s![t * b..(t + 1) * b, ..];
        // what step t read: for the GRU there is no cell state, and `prev.c` is never looked at
        let saved = |t: usize| Saved {
            gates: gates.slice(block(t)),
            aux: aux.slice(block(t)),
            prev: State { h: hidden.slice(block(t)), c: (gate == Gate::Lstm).then(|| cells.slice(block(t))) },
        };
        resize(dv, model.v.dim());
        F::mat_mul(outputs.t(), hidden.slice(s![b.., ..]), F::zero(), dv.view_mut());
        F::mat_mul(outputs.view(), v.view(), F::zero(), dh_out.view_mut());
        dgates.fill(F::zero());
        dn_in.fill(F::zero());
        match Method::for_truncation(bptt_truncate, steps) {
            // every output at once: ∂L/∂h_t = δo_t V + what step t + 1 sends back
            Method::SinglePass => {
                dh.fill(F::zero());
                dc.fill(F::zero());
                for t in (0..steps).rev() {
                    *dh += &dh_out.slice(block(t));
                    gate.backward_step(saved(t), dh.view_mut(), dc.view_mut(), dgates.slice_mut(block(t)), dn_in.slice_mut(block(t)));
                    if t > 0 {
                        F::mat_mul(dgates.slice(block(t)), whh.view(), F::one(), dh.view_mut());
                    }
                }
            }
            // each output's chain on its own, back to max(0, t − k); the steps' sums collected
            Method::NotebookLoops => {
                resize(chain_dgates, (b, gh));
                resize(chain_dn_in, (b, h));
                for t in (0..steps).rev() {
                    let delta_o = outputs.slice(block(t));
                    if delta_o.iter().all(|d| *d == F::zero()) {
                        continue; // no target at this step in any sequence
                    }
                    dh.assign(&dh_out.slice(block(t)));
                    dc.fill(F::zero());
                    let first = t.saturating_sub(bptt_truncate);
                    for step in (first..=t).rev() {
                        gate.backward_step(saved(step), dh.view_mut(), dc.view_mut(), chain_dgates.view_mut(), chain_dn_in.view_mut());
                        let mut d = dgates.slice_mut(block(step));
                        d += &*chain_dgates;
                        if gate == Gate::Gru {
                            let mut d = dn_in.slice_mut(block(step));
                            d += &*chain_dn_in;
                        }
                        if step == first {
                            break;
                        }
                        F::mat_mul(chain_dgates.view(), whh.view(), F::one(), dh.view_mut());
                    }
                }
            }
        }
        // the hidden side: dW_hh = Σ dgatesᵀ h_{t−1}, over every step and sequence at once
        resize(dwhh, model.weight_hh.dim());
        F::mat_mul(dgates.t(), hidden.slice(s![..steps * b, ..]), F::zero(), dwhh.view_mut());
        if dbhh.len() != gh {
            *dbhh = Array1::zeros(gh);
            *dbih = Array1::zeros(gh);
        }
        column_sums(dbhh, dgates.view());
        // the input side: the same but for the GRU's n block
        if gate == Gate::Gru {
            dgates.slice_mut(s![.., 2 * h..]).assign(dn_in);
        }
        column_sums(dbih, dgates.view());
        resize(dwiht, (model.input_dim(), gh));
        dwiht.fill(F::zero());
        let c_in = model.input_dim();
        for (step, block) in dgates.axis_chunks_iter(Axis(0), b).enumerate() {
            for (d, &symbol) in block.rows().into_iter().zip(inputs.iter().skip(step).step_by(steps)) {
                for col in hot_columns(symbol, c_in) {
                    let mut w = dwiht.row_mut(col);
                    w += &d;
                }
            }
        }
        copy_out(&mut grads.d_weight_ih, dwiht.t());
        copy_out(&mut grads.d_weight_hh, dwhh.view());
        copy_out(&mut grads.d_bias_ih, dbih.view());
        copy_out(&mut grads.d_bias_hh, dbhh.view());
        copy_out(&mut grads.dv, dv.view());
    }
}
