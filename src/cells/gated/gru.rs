//! One GRU step, forward and back, on blocks of rows (PyTorch's `torch.nn.GRU`):
//!
//!   r = σ(W_ir x + b_ir + W_hr h + b_hr)        z = σ(W_iz x + b_iz + W_hz h + b_hz)
//!   n = tanh(W_in x + b_in + r ∘ (W_hn h + b_hn))   h' = (1 − z) ∘ n + z ∘ h
//!
//! Columns of the gate blocks: r 0..H, z H..2H, n 2H..3H. The element-wise work goes one row at
//! a time (a `Zip` over a block of columns strides through memory and is not vectorised), the
//! activations in passes of their own (see `activate`).

use super::{activate, sigmoid, Saved};
use crate::batch::Real;
use ndarray::{s, ArrayView2, ArrayViewMut2, Axis, Zip};

/// `gates` in: W_ih x + b_ih; out: r, z, n. `hn` keeps W_hn h + b_hn for the backward pass.
pub(super) fn forward<F: Real>(
    mut gates: ArrayViewMut2<'_, F>,
    hh: ArrayView2<'_, F>,
    prev: ArrayView2<'_, F>,
    mut next: ArrayViewMut2<'_, F>,
    mut hn: ArrayViewMut2<'_, F>,
) {
    let h = prev.ncols();
    let (mut rz, mut n) = gates.view_mut().split_at(Axis(1), 2 * h);
    hn.assign(&hh.slice(s![.., 2 * h..]));
    for i in 0..rz.nrows() {
        Zip::from(rz.row_mut(i)).and(hh.slice(s![i, ..2 * h])).for_each(|a, &b| *a += b);
    }
    activate(rz.view_mut(), sigmoid);
    let (r, z) = (rz.slice(s![.., ..h]), rz.slice(s![.., h..]));
    for i in 0..n.nrows() {
        Zip::from(n.row_mut(i)).and(r.row(i)).and(hn.row(i)).for_each(|n, &r, &hn| *n += r * hn);
    }
    activate(n.view_mut(), F::tanh_fast);
    // h' = n + z (h − n), PyTorch's own arrangement
    for i in 0..next.nrows() {
        Zip::from(next.row_mut(i)).and(n.row(i)).and(z.row(i)).and(prev.row(i)).for_each(|out, &n, &z, &p| *out = n + z * (p - n));
    }
}

/// See `Gate::backward_step`: `dh` in ∂L/∂h_t, out dh ∘ z (the direct path to h_{t−1}).
pub(super) fn backward<F: Real>(saved: Saved<'_, F>, mut dh: ArrayViewMut2<'_, F>, mut dgates: ArrayViewMut2<'_, F>, mut dn_in: ArrayViewMut2<'_, F>) {
    let h = dh.ncols();
    let one = F::one();
    let g = saved.gates;
    let (r, z, n) = (g.slice(s![.., ..h]), g.slice(s![.., h..2 * h]), g.slice(s![.., 2 * h..]));
    let (mut dr, mut rest) = dgates.view_mut().split_at(Axis(1), h);
    let (mut dz, mut dhn) = rest.view_mut().split_at(Axis(1), h);
    for i in 0..dh.nrows() {
        let (z, n, r) = (z.row(i), n.row(i), r.row(i));
        // ∂h'/∂z = h − n
        Zip::from(dz.row_mut(i)).and(dh.row(i)).and(z).and(n).and(saved.prev.h.row(i)).for_each(|d, &dh, &z, &n, &p| *d = dh * (p - n) * z * (one - z));
        // ∂h'/∂n = 1 − z, through tanh; ∂h'/∂h = z directly
        Zip::from(dn_in.row_mut(i)).and(dh.row_mut(i)).and(z).and(n).for_each(|d, dh, &z, &n| {
            *d = *dh * (one - z) * (one - n * n);
            *dh *= z;
        });
        // the n pre-activation's r ∘ (W_hn h + b_hn): the hidden side gets r times it, r gets hn times it
        Zip::from(dhn.row_mut(i)).and(dr.row_mut(i)).and(dn_in.row(i)).and(r).and(saved.aux.row(i)).for_each(|dhn, dr, &dn, &r, &hn| {
            *dhn = dn * r;
            *dr = dn * hn * r * (one - r);
        });
    }
}
