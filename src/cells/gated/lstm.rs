//! One LSTM step, forward and back, on blocks of rows (PyTorch's `torch.nn.LSTM`):
//!
//!   [i; f; g; o] = [σ; σ; tanh; σ](W_ih x + b_ih + W_hh h + b_hh)
//!   c' = f ∘ c + i ∘ g      h' = o ∘ tanh(c')
//!
//! Columns of the gate blocks: i 0..H, f H..2H, g 2H..3H, o 3H..4H. The element-wise work goes
//! one row at a time, the activations in passes of their own (see `gru.rs`).

use super::{activate, sigmoid, Saved, State, StateMut};
use crate::batch::Real;
use ndarray::{s, ArrayView2, ArrayViewMut2, Axis, Zip};

/// `gates` in: W_ih x + b_ih; out: i, f, g, o. `tc` keeps tanh(c') for the backward pass.
pub(super) fn forward<F: Real>(
    mut gates: ArrayViewMut2<'_, F>,
    hh: ArrayView2<'_, F>,
    prev: State<'_, F>,
    next: StateMut<'_, F>,
    mut tc: ArrayViewMut2<'_, F>,
) {
    let h = prev.h.ncols();
    let (prev_c, mut c, mut h_out) = (prev.c.expect("an LSTM step has a cell state"), next.c.expect("an LSTM step writes a cell state"), next.h);
    for i in 0..gates.nrows() {
        Zip::from(gates.row_mut(i)).and(hh.row(i)).for_each(|a, &b| *a += b);
    }
    let (mut sig, mut rest) = gates.view_mut().split_at(Axis(1), 2 * h);
    let (mut g, mut o) = rest.view_mut().split_at(Axis(1), h);
    activate(sig.view_mut(), sigmoid);
    activate(g.view_mut(), F::tanh_fast);
    activate(o.view_mut(), sigmoid);
    let (i_gate, f) = (sig.slice(s![.., ..h]), sig.slice(s![.., h..]));
    for i in 0..c.nrows() {
        Zip::from(c.row_mut(i)).and(f.row(i)).and(prev_c.row(i)).and(i_gate.row(i)).and(g.row(i)).for_each(|c, &f, &p, &i, &g| *c = f * p + i * g);
    }
    tc.assign(&c);
    activate(tc.view_mut(), F::tanh_fast);
    for i in 0..h_out.nrows() {
        Zip::from(h_out.row_mut(i)).and(o.row(i)).and(tc.row(i)).for_each(|h, &o, &tc| *h = o * tc);
    }
}

/// See `Gate::backward_step`: `dh` in ∂L/∂h_t, out zero (h_{t−1} reaches h_t only through
/// W_hh); `dc` in ∂L/∂c_t, out ∂L/∂c_{t−1}.
pub(super) fn backward<F: Real>(saved: Saved<'_, F>, mut dh: ArrayViewMut2<'_, F>, mut dc: ArrayViewMut2<'_, F>, mut dgates: ArrayViewMut2<'_, F>) {
    let h = dh.ncols();
    let one = F::one();
    let g = saved.gates;
    let (i_gate, f, gg, o) = (g.slice(s![.., ..h]), g.slice(s![.., h..2 * h]), g.slice(s![.., 2 * h..3 * h]), g.slice(s![.., 3 * h..]));
    let prev_c = saved.prev.c.expect("an LSTM step has a cell state");
    let (mut di, mut rest) = dgates.view_mut().split_at(Axis(1), h);
    let (mut df, mut rest) = rest.view_mut().split_at(Axis(1), h);
    let (mut dg, mut d_o) = rest.view_mut().split_at(Axis(1), h);
    for r in 0..dh.nrows() {
        // h' = o tanh(c'): to o, and on to c' (which also has the carried ∂L/∂c')
        Zip::from(d_o.row_mut(r)).and(dc.row_mut(r)).and(dh.row(r)).and(o.row(r)).and(saved.aux.row(r)).for_each(|d, dc, &dh, &o, &tc| {
            *d = dh * tc * o * (one - o);
            *dc += dh * o * (one - tc * tc);
        });
        // c' = f c + i g
        Zip::from(di.row_mut(r)).and(dg.row_mut(r)).and(dc.row(r)).and(i_gate.row(r)).and(gg.row(r)).for_each(|di, dg, &dc, &i, &g| {
            *di = dc * g * i * (one - i);
            *dg = dc * i * (one - g * g);
        });
        Zip::from(df.row_mut(r)).and(dc.row_mut(r)).and(f.row(r)).and(prev_c.row(r)).for_each(|df, dc, &f, &p| {
            *df = *dc * p * f * (one - f);
            *dc *= f;
        });
    }
    dh.fill(F::zero());
}
