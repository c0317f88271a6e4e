//! How far back gradients reach in a gated cell: ‖∂E_t/∂h_k‖ for one sequence by the exact
//! (untruncated) chain rule, as `crate::flow` gives it for the vanilla cell. For the LSTM,
//! ∂E_t/∂h_k counts every path from h_k, including h_k → gates_{k+1} → c_{k+1} → …: the cell
//! state's gradient is carried back beside the hidden state's.
//!
//! All outputs t ≥ k are carried back together as the rows of a matrix, one step back being the
//! cell's own backward step with that step's values broadcast over the rows.

use super::{Gated, GatedBatch, Saved, State};
use crate::data::NO_TARGET;
use crate::flow::GradientFlow;
use crate::kernels::{mat_mul, output_delta_in_place};
use ndarray::{s, Array2, ArrayView2};

/// The gradient flow of the sequence (x, y) at the model's weights: `values[t][k]` =
/// ‖∂E_t/∂h_k‖, zero above the diagonal and in the rows of steps without a target; `decay[j]`
/// the mean over t ≥ j of `values[t][t − j]`, as `crate::flow` defines it (a row without a
/// target counts as zeros). Panics unless `x` and `y` are as long as each other and hold the
/// model's symbols and targets (see `GatedBatch::gradients`).
pub fn gradient_flow(model: &Gated, x: &[usize], y: &[usize]) -> GradientFlow {
    assert_eq!(x.len(), y.len(), "one target per input step");
    let mut batch = GatedBatch::<f64>::new(model);
    let trace = batch.trace(model, x);
    // what each step's backward step reads besides the states: T x G H and T x H
    let (gates, aux) = batch.step_values();
    let steps = x.len();
    let (h, gh) = (model.hidden_dim(), model.weight_hh.nrows());
    // row t: dE_t/d(logits_t), o_t − y_t; zero without a target
    let mut delta_o = trace.outputs.clone();
    for (mut row, &d) in delta_o.rows_mut().into_iter().zip(y) {
        match d {
            NO_TARGET => row.fill(0.0),
            d => output_delta_in_place(row, d),
        }
    }
    // row t: ∂E_t/∂h_t, all in one product
    let mut direct = Array2::<f64>::zeros((steps, h));
    mat_mul(delta_o.view(), model.v.view(), 0.0, direct.view_mut());
    let mut dh = Array2::<f64>::zeros((steps, h));
    let mut dc = Array2::<f64>::zeros((steps, h));
    let mut dgates = Array2::<f64>::zeros((steps, gh));
    let mut dn_in = Array2::<f64>::zeros((steps, h));
    let mut values = Array2::<f64>::zeros((steps, steps));
    for k in (0..steps).rev() {
        // E_k reaches h_k directly; the rows below it were carried back from k + 1
        dh.row_mut(k).assign(&direct.row(k));
        dc.row_mut(k).fill(0.0);
        for (t, row) in (k..steps).zip(dh.slice(s![k.., ..]).outer_iter()) {
            values[[t, k]] = row.dot(&row).sqrt();
        }
        if k > 0 {
            // back through step k, which read h_{k−1} (row k of the trace) and wrote h_k
            let rows = steps - k;
            let (g, a, p) = (row(gates.view(), k), row(aux.view(), k), row(trace.hidden.view(), k));
            let c = trace.cells.as_ref().map(|c| row(c.view(), k));
            let wide = |v| broadcast(v, rows);
            let saved = Saved { gates: wide(&g), aux: wide(&a), prev: State { h: wide(&p), c: c.as_ref().map(wide) } };
            let (mut dh_k, dc_k) = (dh.slice_mut(s![k.., ..]), dc.slice_mut(s![k.., ..]));
            let (dgates_k, dn_in_k) = (dgates.slice_mut(s![k.., ..]), dn_in.slice_mut(s![k.., ..]));
            model.gate.backward_step(saved, dh_k.view_mut(), dc_k, dgates_k, dn_in_k);
            mat_mul(dgates.slice(s![k.., ..]), model.weight_hh.view(), 1.0, dh_k);
        }
    }
    let decay = (0..steps).map(|j| (j..steps).map(|t| values[[t, t - j]]).sum::<f64>() / (steps - j) as f64).collect();
    GradientFlow { steps, values, decay }
}

/// Row `r` of `a`, as a 1-row matrix.
fn row(a: ArrayView2<'_, f64>, r: usize) -> ArrayView2<'_, f64> {
    a.slice_move(s![r..r + 1, ..])
}

/// A 1-row matrix repeated `rows` times (stride 0: no copy).
fn broadcast<'a>(v: &'a ArrayView2<'_, f64>, rows: usize) -> ArrayView2<'a, f64> {
    v.broadcast((rows, v.ncols())).expect("a single row broadcasts to any number of rows")
}
