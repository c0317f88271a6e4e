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
                for a in [&mut *dh, &mut *dc] {
                    resize(a, (b, h));
                    a.fill(F::zero());
                }
                for t in (0..steps).rev() {
                    *dh += &dh_out.slice(block(t));
                    gate.backward_step(saved(t), dh.view_mut(), dc.view_mut(), dgates.slice_mut(block(t)), dn_in.slice_mut(block(t)));
                    if t > 0 {
                        F::mat_mul(dgates.slice(block(t)), whh.view(), F::one(), dh.view_mut());
                    }
                }
            }
            // Each output t's chain runs back to max(0, t − k) on its own, but at step s the live
            // chains, those of outputs s ..= s + k, go back together: they sit in a ring of k + 1
            // slots of B rows (output t in slot t mod (k + 1)) and take one product with W_hh
            // for all of them rather than one each (each small product repacks W_hh). A chain
            // ends at its first step, and its slot is then the next output's, which overwrites it.
            Method::NotebookLoops => {
                let slots = bptt_truncate + 1;
                for a in [&mut *dh, &mut *dc, &mut *chain_dn_in] {
                    resize(a, (slots * b, h));
                    a.fill(F::zero());
                }
                resize(chain_dgates, (slots * b, gh));
                chain_dgates.fill(F::zero());
                let slot = |t: usize| block(t % slots);
                for step in (0..steps).rev() {
                    dh.slice_mut(slot(step)).assign(&dh_out.slice(block(step)));
                    dc.slice_mut(slot(step)).fill(F::zero());
                    // the chains that exist: outputs step ..= min(step + k, T − 1); the other
                    // slots hold zeros until their output's turn
                    for t in step..steps.min(step + slots) {
                        let r = slot(t);
                        gate.backward_step(saved(step), dh.slice_mut(r), dc.slice_mut(r), chain_dgates.slice_mut(r), chain_dn_in.slice_mut(r));
                        let mut d = dgates.slice_mut(block(step));
                        d += &chain_dgates.slice(r);
                        if gate == Gate::Gru {
                            let mut d = dn_in.slice_mut(block(step));
                            d += &chain_dn_in.slice(r);
                        }
                    }
                    if step > 0 {
                        F::mat_mul(chain_dgates.view(), whh.view(), F::one(), dh.view_mut());
                    }
                }
            }
        }
        // the hidden side: dW_hh = Σ dgatesᵀ h_{t−1}, over every step and sequence at once, from
        // step 1 (step 0's h_{-1} = 0 adds only zeros: leaving it out gives the same bits)
        resize(dwhh, model.weight_hh.dim());
        F::mat_mul(dgates.slice(s![b.., ..]).t(), hidden.slice(s![b..steps * b, ..]), F::zero(), dwhh.view_mut());
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
