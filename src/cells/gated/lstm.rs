//! One LSTM step, forward and back, on blocks of rows (PyTorch's `torch.nn.LSTM`):
//!
//!   [i; f; g; o] = [σ; σ; tanh; σ](W_ih x + b_ih + W_hh h + b_hh)
//!   c' = f ∘ c + i ∘ g      h' = o ∘ tanh(c')
//!
//! Columns of the gate blocks: i 0..H, f H..2H, g 2H..3H, o 3H..4H.

use super::{sigmoid, Saved, State, StateMut};
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
    let (prev_c, mut c) = (prev.c.expect("an LSTM step has a cell state"), next.c.expect("an LSTM step writes a cell state"));
    let (mut sig, mut rest) = gates.view_mut().split_at(Axis(1), 2 * h);
    let (mut g, mut o) = rest.view_mut().split_at(Axis(1), h);
    Zip::from(&mut sig).and(hh.slice(s![.., ..2 * h])).for_each(|a, &b| *a = sigmoid(*a + b));
    Zip::from(&mut g).and(hh.slice(s![.., 2 * h..3 * h])).for_each(|a, &b| *a = (*a + b).tanh_fast());
    Zip::from(&mut o).and(hh.slice(s![.., 3 * h..])).for_each(|a, &b| *a = sigmoid(*a + b));
    let (i, f) = (sig.slice(s![.., ..h]), sig.slice(s![.., h..]));
    Zip::from(&mut c).and(&mut tc).and(f).and(prev_c).and(i).and(&g).for_each(|c, tc, &f, &p, &i, &g| {
        *c = f * p + i * g;
        *tc = c.tanh_fast();
    });
    Zip::from(next.h).and(&o).and(&tc).for_each(|h, &o, &tc| *h = o * tc);
}

/// See `Gate::backward_step`: `dh` in ∂L/∂h_t, out zero (h_{t−1} reaches h_t only through
/// W_hh); `dc` in ∂L/∂c_t, out ∂L/∂c_{t−1}.
pub(super) fn backward<F: Real>(saved: Saved<'_, F>, mut dh: ArrayViewMut2<'_, F>, mut dc: ArrayViewMut2<'_, F>, mut dgates: ArrayViewMut2<'_, F>) {
    let h = dh.ncols();
    let one = F::one();
    let g = saved.gates;
    let (i, f, gg, o) = (g.slice(s![.., ..h]), g.slice(s![.., h..2 * h]), g.slice(s![.., 2 * h..3 * h]), g.slice(s![.., 3 * h..]));
    let prev_c = saved.prev.c.expect("an LSTM step has a cell state");
    let (mut di, mut rest) = dgates.view_mut().split_at(Axis(1), h);
    let (mut df, mut rest) = rest.view_mut().split_at(Axis(1), h);
    let (mut dg, mut d_o) = rest.view_mut().split_at(Axis(1), h);
    // h' = o tanh(c'): to o, and on to c' (which also gets the carried ∂L/∂c')
    Zip::from(&mut d_o).and(&mut dc).and(&dh).and(o).and(saved.aux).for_each(|d, dc, &dh, &o, &tc| {
        *d = dh * tc * o * (one - o);
        *dc += dh * o * (one - tc * tc);
    });
    // c' = f c + i g
    Zip::from(&mut di).and(&mut dg).and(&dc).and(i).and(gg).for_each(|di, dg, &dc, &i, &g| {
        *di = dc * g * i * (one - i);
        *dg = dc * i * (one - g * g);
    });
    Zip::from(&mut df).and(&mut dc).and(f).and(prev_c).for_each(|df, dc, &f, &p| {
        *df = *dc * p * f * (one - f);
        *dc *= f;
    });
    dh.fill(F::zero());
}
