//! The notebook's `gradient_check`: central differences against backpropagation, reported per
//! parameter instead of printed.

use crate::bptt::Backprop;
use crate::model::{Rnn, Trace};
use ndarray::Array2;
use serde::Serialize;

/// Which weight matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Parameter {
    U,
    V,
    W,
}

impl Parameter {
    pub const ALL: [Parameter; 3] = [Parameter::U, Parameter::V, Parameter::W];

    pub fn name(self) -> &'static str {
        match self {
            Parameter::U => "U",
            Parameter::V => "V",
            Parameter::W => "W",
        }
    }

    fn of(self, model: &mut Rnn) -> &mut Array2<f64> {
        match self {
            Parameter::U => &mut model.u,
            Parameter::V => &mut model.v,
            Parameter::W => &mut model.w,
        }
    }
}

/// Settings of a check; the defaults are the notebook's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckOptions {
    /// Step of the central difference.
    pub h: f64,
    /// Largest relative error that passes.
    pub threshold: f64,
    /// Check at most this many entries of each matrix (evenly spaced); `None` checks them all.
    pub max_entries: Option<usize>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { h: 0.001, threshold: 0.01, max_entries: None }
    }
}

/// The outcome for one weight matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParameterCheck {
    pub parameter: Parameter,
    /// Entries in the matrix.
    pub size: usize,
    /// Entries compared.
    pub checked: usize,
    /// Largest |bptt - estimate| / (|bptt| + |estimate|) among the compared entries; 0/0 (both
    /// gradients exactly zero, e.g. a column of U whose digit never occurs) counts as 0, as numpy's
    /// `NaN > threshold` is false.
    pub max_relative_error: f64,
    /// (row, column) of that entry, if any entry had a defined relative error.
    pub worst_index: Option<(usize, usize)>,
    pub passed: bool,
}

/// Compares the backpropagated gradients of `(x, y)` at `bptt_truncate` with central differences
/// of the total loss, entry by entry.
pub fn gradient_check(model: &Rnn, x: &[usize], y: &[usize], bptt_truncate: usize, options: CheckOptions) -> Vec<ParameterCheck> {
    let mut backprop = Backprop::new(model);
    let grads = backprop.gradients(model, x, y, bptt_truncate).clone();
    let mut probe = model.clone();
    let mut trace = Trace::new(x.len(), model.hidden_dim(), model.output_dim());
    let mut loss = |m: &Rnn| {
        m.forward_into(x, &mut trace);
        Rnn::sequence_loss(&trace, y)
    };
    Parameter::ALL
        .into_iter()
        .map(|p| {
            let analytic = match p {
                Parameter::U => &grads.du,
                Parameter::V => &grads.dv,
                Parameter::W => &grads.dw,
            };
            let (rows, cols) = analytic.dim();
            let size = rows * cols;
            let stride = match options.max_entries {
                Some(n) if n > 0 && n < size => size.div_ceil(n),
                _ => 1,
            };
            let mut worst: Option<(f64, (usize, usize))> = None;
            let mut checked = 0;
            for flat in (0..size).step_by(stride) {
                let ix = (flat / cols, flat % cols);
                let original = p.of(&mut probe)[ix];
                p.of(&mut probe)[ix] = original + options.h;
                let plus = loss(&probe);
                p.of(&mut probe)[ix] = original - options.h;
                let minus = loss(&probe);
                p.of(&mut probe)[ix] = original;
                let estimate = (plus - minus) / (2.0 * options.h);
                let backprop = analytic[ix];
                let rel = (backprop - estimate).abs() / (backprop.abs() + estimate.abs());
                checked += 1;
                if !rel.is_nan() && worst.is_none_or(|(w, _)| rel > w) {
                    worst = Some((rel, ix));
                }
            }
            let max_relative_error = worst.map_or(0.0, |(e, _)| e);
            ParameterCheck {
                parameter: p,
                size,
                checked,
                max_relative_error,
                worst_index: worst.map(|(_, ix)| ix),
                passed: max_relative_error <= options.threshold,
            }
        })
        .collect()
}
