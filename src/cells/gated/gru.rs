//! One GRU step, forward and back, on blocks of rows (PyTorch's `torch.nn.GRU`):
//!
//!   r = σ(W_ir x + b_ir + W_hr h + b_hr)        z = σ(W_iz x + b_iz + W_hz h + b_hz)
//!   n = tanh(W_in x + b_in + r ∘ (W_hn h + b_hn))   h' = (1 − z) ∘ n + z ∘ h
//!
//! Columns of the gate blocks: r 0..H, z H..2H, n 2H..3H.

use super::{sigmoid, Saved};
use crate::batch::Real;
use ndarray::{s, ArrayView2, ArrayViewMut2, Zip};

/// `gates` in: W_ih x + b_ih; out: r, z, n. `hn` keeps W_hn h + b_hn for the backward pass.
pub(super) fn forward<F: Real>(
    mut gates: ArrayViewMut2<'_, F>,
    hh: ArrayView2<'_, F>,
    prev: ArrayView2<'_, F>,
    next: ArrayViewMut2<'_, F>,
    mut hn: ArrayViewMut2<'_, F>,
) {
    let h = prev.ncols();
    let (mut rz, mut n) = gates.view_mut().split_at(ndarray::Axis(1), 2 * h);
    Zip::from(&mut rz).and(hh.slice(s![.., ..2 * h])).for_each(|a, &b| *a = sigmoid(*a + b));
    hn.assign(&hh.slice(s![.., 2 * h..]));
    let r = rz.slice(s![.., ..h]);
    Zip::from(&mut n).and(r).and(&hn).for_each(|n, &r, &hn| *n = (*n + r * hn).tanh_fast());
    // h' = n + z (h − n), PyTorch's own arrangement
    Zip::from(next).and(n.view()).and(rz.slice(s![.., h..])).and(prev).for_each(|out, &n, &z, &p| *out = n + z * (p - n));
}

/// See `Gate::backward_step`: `dh` in ∂L/∂h_t, out dh ∘ z (the direct path to h_{t−1}).
pub(super) fn backward<F: Real>(saved: Saved<'_, F>, mut dh: ArrayViewMut2<'_, F>, mut dgates: ArrayViewMut2<'_, F>, mut dn_in: ArrayViewMut2<'_, F>) {
    let h = dh.ncols();
    let one = F::one();
    let g = saved.gates;
    let (r, z, n) = (g.slice(s![.., ..h]), g.slice(s![.., h..2 * h]), g.slice(s![.., 2 * h..]));
    let (mut dr, mut rest) = dgates.view_mut().split_at(ndarray::Axis(1), h);
    let (mut dz, mut dhn) = rest.view_mut().split_at(ndarray::Axis(1), h);
    // ∂h'/∂z = h − n
    Zip::from(&mut dz).and(&dh).and(z).and(n).and(saved.prev.h).for_each(|d, &dh, &z, &n, &p| *d = dh * (p - n) * z * (one - z));
    // ∂h'/∂n = 1 − z through tanh; ∂h'/∂h = z directly
    Zip::from(&mut dn_in).and(&mut dh).and(z).and(n).for_each(|d, dh, &z, &n| {
        *d = *dh * (one - z) * (one - n * n);
        *dh *= z;
    });
    // the n pre-activation's r ∘ (W_hn h + b_hn): the hidden side gets r times it, r gets hn times it
    Zip::from(&mut dhn).and(&mut dr).and(&dn_in).and(r).and(saved.aux).for_each(|dhn, dr, &dn, &r, &hn| {
        *dhn = dn * r;
        *dr = dn * hn * r * (one - r);
    });
}
