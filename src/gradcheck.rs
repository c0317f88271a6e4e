//! The notebook's `gradient_check`: central differences against backpropagation, reported per
//! parameter instead of printed.

use crate::cells::{LossBuffers, Model};
use crate::error::brief;
use crate::error::{number, Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Settings of a check; the defaults are the notebook's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckOptions {
    /// Step of the central difference.
    pub h: f64,
    /// Largest error relative to the matrix's gradient scale that passes (see [`ParameterCheck`]).
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
///
/// The pass criterion is the error relative to the matrix's gradient scale,
/// `max |bptt − estimate| / max(max |bptt|, max |estimate|, SCALE_FLOOR)` over the compared
/// entries, not the notebook's per-entry `|bptt − estimate| / (|bptt| + |estimate|)`: a central
/// difference with h = 0.001 is off by about h²/6 · (third derivative) ≈ 1e-7 plus rounding of
/// about 1e-16 · |loss| / h ≈ 1e-12 in absolute terms, whatever the entry, so an entry whose
/// gradient is nearly zero (common once a model has trained for a while) gets a per-entry
/// relative error near 1 from a correct backprop. Measured against the largest gradient of the
/// matrix the same absolute error is tiny, while a truncated BPTT, which leaves out whole terms
/// of the sum, is off by a fair fraction of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParameterCheck {
    /// The parameter's name (`U`, `V`, `W`; `weight_ih`, … for a gated cell).
    pub parameter: &'static str,
    /// Entries in the matrix.
    pub size: usize,
    /// Entries compared.
    pub checked: usize,
    /// The pass criterion: the largest |bptt − estimate| among the compared entries over
    /// [`ParameterCheck::scale`]; 0 if every compared gradient is exactly zero.
    pub max_error: f64,
    /// max(max |bptt|, max |estimate|, [`SCALE_FLOOR`]) over the compared entries.
    pub scale: f64,
    /// The notebook's measure, shown for comparison: largest |bptt − estimate| / (|bptt| +
    /// |estimate|); 0/0 (both gradients exactly zero, e.g. a column of U whose digit never
    /// occurs) counts as 0, as numpy's `NaN > threshold` is false.
    pub max_relative_error: f64,
    /// (row, column) of the entry with the largest |bptt − estimate|, if any entry was compared
    /// (column 0 for a bias).
    pub worst_index: Option<(usize, usize)>,
    /// Backpropagation's value at that entry.
    pub worst_analytic: f64,
    /// The central difference's value at that entry.
    pub worst_numeric: f64,
    pub passed: bool,
}

/// The smallest gradient scale: below it a matrix's gradients are at the level of the central
/// difference's own error and nothing can be judged (a matrix whose gradients are all exactly zero
/// passes, as in the notebook).
pub const SCALE_FLOOR: f64 = 1e-8;

impl CheckOptions {
    /// Checks the options a caller chose: `h` in (0, 1], `threshold` above 0, `max_entries` at
    /// least 1.
    pub fn validate(&self) -> Result<()> {
        if !(self.h.is_finite() && self.h > 0.0 && self.h <= 1.0) {
            return Err(Error::Input(format!("h must be a number above 0 and at most 1, got {}", number(self.h))));
        }
        if !(self.threshold.is_finite() && self.threshold > 0.0) {
            return Err(Error::Input(format!("threshold must be a finite number above 0, got {}", number(self.threshold))));
        }
        if self.max_entries == Some(0) {
            return Err(Error::Input("maxEntries must be a whole number from 1 (leave it out to check every entry)".into()));
        }
        Ok(())
    }
}

/// What a caller asks to check, as the page sends it: every key optional (`h`, `threshold`,
/// `maxEntries` per matrix, the training `example` (0) and `bpttTruncate` (the run's)).
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckRequest {
    pub h: Option<f64>,
    pub threshold: Option<f64>,
    pub max_entries: Option<usize>,
    pub example: Option<usize>,
    pub bptt_truncate: Option<usize>,
}

impl CheckRequest {
    /// A request from JSON (null: all defaults); unknown keys and wrong types are refused by name.
    pub fn from_json(value: &Value) -> Result<CheckRequest> {
        if value.is_null() {
            return Ok(CheckRequest::default());
        }
        CheckRequest::deserialize(value).map_err(|e| Error::Input(format!("gradient check options: {}", brief(&e.to_string()))))
    }

    /// The options, the notebook's where none were given.
    pub fn options(&self) -> CheckOptions {
        let d = CheckOptions::default();
        CheckOptions { h: self.h.unwrap_or(d.h), threshold: self.threshold.unwrap_or(d.threshold), max_entries: self.max_entries }
    }
}

/// Where a check stands: `{ checked, total, done, rows }`, the rows once it is done.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckReport<'a> {
    pub checked: usize,
    pub total: usize,
    pub done: bool,
    pub rows: Option<&'a [ParameterCheck]>,
}

/// A gradient check that runs a few entries at a time ([`GradientCheck::advance`]), so that a
/// caller with a deadline can stop between entries and show progress.
#[derive(Debug, Clone)]
pub struct GradientCheck {
    probe: Model,
    /// The probe's forward pass, kept from entry to entry.
    buffers: LossBuffers,
    x: Vec<usize>,
    y: Vec<usize>,
    /// Backpropagation's gradient of each parameter, flat, in the order of `Model::parameters`.
    grads: Vec<Vec<f64>>,
    names: Vec<&'static str>,
    /// Each parameter's columns (1 for a bias), to name an entry by row and column.
    columns: Vec<usize>,
    options: CheckOptions,
    /// The parameter being checked (an index into `grads`) and the next entry of it.
    parameter: usize,
    next: usize,
    checked: usize,
    tally: Tally,
    results: Vec<ParameterCheck>,
}

/// What the entries compared so far of the matrix being checked add up to.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    /// The largest |bptt − estimate|, with its entry, bptt and estimate.
    worst: Option<(f64, (usize, usize), f64, f64)>,
    /// The largest |bptt| or |estimate|.
    largest: f64,
    /// The notebook's largest relative error.
    relative: f64,
}

impl GradientCheck {
    /// Backpropagates `(x, y)` at `bptt_truncate`; the comparisons are left to `advance`.
    pub fn new(model: &Model, x: &[usize], y: &[usize], bptt_truncate: usize, options: CheckOptions) -> Result<GradientCheck> {
        options.validate()?;
        let parameters = model.parameters();
        Ok(GradientCheck {
            probe: model.clone(),
            buffers: LossBuffers::new(model),
            x: x.to_vec(),
            y: y.to_vec(),
            grads: model.gradients(x, y, bptt_truncate),
            names: parameters.iter().map(|p| p.name).collect(),
            columns: parameters.iter().map(|p| if p.shape.len() == 2 { p.shape[1] } else { 1 }).collect(),
            options,
            parameter: 0,
            next: 0,
            checked: 0,
            tally: Tally::default(),
            results: Vec::new(),
        })
    }

    fn stride(&self, size: usize) -> usize {
        match self.options.max_entries {
            Some(n) if n > 0 && n < size => size.div_ceil(n),
            _ => 1,
        }
    }

    /// Entries compared so far and in all.
    pub fn progress(&self) -> (usize, usize) {
        let total = self.grads.iter().map(|g| g.len().div_ceil(self.stride(g.len())));
        let done = self.results.iter().map(|r| r.checked).sum::<usize>() + self.checked;
        (done, total.sum())
    }

    pub fn is_done(&self) -> bool {
        self.results.len() == self.grads.len()
    }

    /// The outcome per matrix, complete once [`GradientCheck::is_done`].
    pub fn results(&self) -> &[ParameterCheck] {
        &self.results
    }

    /// Progress, and the outcome once done.
    pub fn report(&self) -> CheckReport<'_> {
        let (checked, total) = self.progress();
        CheckReport { checked, total, done: self.is_done(), rows: self.is_done().then(|| self.results()) }
    }

    /// Compares at most `entries` more entries (at least one); returns whether the check is done.
    pub fn advance(&mut self, entries: usize) -> bool {
        let mut budget = entries.max(1);
        while !self.is_done() && budget > 0 {
            let p = self.parameter;
            let (size, cols) = (self.grads[p].len(), self.columns[p]);
            let stride = self.stride(size);
            while self.next < size && budget > 0 {
                let ix = (self.next / cols, self.next % cols);
                let (backprop, estimate) = self.compare(p, self.next);
                let t = &mut self.tally;
                let diff = (backprop - estimate).abs();
                if t.worst.is_none_or(|(w, ..)| diff > w) {
                    t.worst = Some((diff, ix, backprop, estimate));
                }
                t.largest = t.largest.max(backprop.abs()).max(estimate.abs());
                let rel = diff / (backprop.abs() + estimate.abs());
                if rel > t.relative {
                    t.relative = rel; // NaN (0/0) is never larger
                }
                self.checked += 1;
                self.next += stride;
                budget -= 1;
            }
            if self.next >= size {
                let t = self.tally;
                let scale = t.largest.max(SCALE_FLOOR);
                let (diff, index, analytic, numeric) = t.worst.map_or((0.0, None, 0.0, 0.0), |(d, ix, a, n)| (d, Some(ix), a, n));
                let max_error = if t.largest == 0.0 { 0.0 } else { diff / scale };
                self.results.push(ParameterCheck {
                    parameter: self.names[p],
                    size,
                    checked: self.checked,
                    max_error,
                    scale,
                    max_relative_error: t.relative,
                    worst_index: index,
                    worst_analytic: analytic,
                    worst_numeric: numeric,
                    passed: max_error <= self.options.threshold,
                });
                (self.parameter, self.next, self.checked, self.tally) = (self.parameter + 1, 0, 0, Tally::default());
            }
        }
        self.is_done()
    }

    /// Runs the rest of the check at once and gives the outcome per matrix.
    pub fn finish(mut self) -> Vec<ParameterCheck> {
        while !self.advance(usize::MAX) {}
        self.results
    }

    /// Backpropagation's and the central difference's value of one entry.
    fn compare(&mut self, p: usize, entry: usize) -> (f64, f64) {
        let h = self.options.h;
        let original = self.probe.parameters_mut()[p][entry];
        self.probe.parameters_mut()[p][entry] = original + h;
        let plus = self.probe.sequence_loss_in(&self.x, &self.y, &mut self.buffers);
        self.probe.parameters_mut()[p][entry] = original - h;
        let minus = self.probe.sequence_loss_in(&self.x, &self.y, &mut self.buffers);
        self.probe.parameters_mut()[p][entry] = original;
        (self.grads[p][entry], (plus - minus) / (2.0 * h))
    }
}

/// Compares the backpropagated gradients of `(x, y)` at `bptt_truncate` with central differences
/// of the total loss, entry by entry, all at once.
///
/// # Panics
/// On options [`CheckOptions::validate`] refuses.
pub fn gradient_check(model: &Model, x: &[usize], y: &[usize], bptt_truncate: usize, options: CheckOptions) -> Vec<ParameterCheck> {
    GradientCheck::new(model, x, y, bptt_truncate, options).expect("valid options").finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cells::Cell;
    use crate::rng::NumpyRng;

    #[test]
    fn a_check_in_slices_gives_the_same_results() {
        let mut rng = NumpyRng::new(5).unwrap();
        let model = Model::init(Cell::Vanilla, 10, 10, 6, &mut rng);
        let (x, y) = ([1, 2, 3, 4, 5, 6], [0, 0, 1, 2, 3, 4]);
        let options = CheckOptions { max_entries: Some(17), ..CheckOptions::default() };
        let whole = gradient_check(&model, &x, &y, 2, options);
        let mut sliced = GradientCheck::new(&model, &x, &y, 2, options).unwrap();
        assert_eq!(sliced.progress(), (0, 15 + 15 + 12)); // strides 4, 4 and 3
        let mut calls = 0;
        while !sliced.advance(5) {
            calls += 1;
        }
        assert_eq!(calls, 8);
        assert_eq!(sliced.progress(), (42, 42));
        assert_eq!(sliced.results(), whole.as_slice());
        assert_eq!(whole.iter().map(|r| r.checked).collect::<Vec<_>>(), [15, 15, 12]);
    }

    #[test]
    fn bad_options_are_refused() {
        let model = Model::init(Cell::Vanilla, 10, 10, 2, &mut NumpyRng::new(1).unwrap());
        for (o, want) in [
            (CheckOptions { h: f64::INFINITY, ..CheckOptions::default() }, "h must be"),
            (CheckOptions { h: 0.0, ..CheckOptions::default() }, "h must be"),
            (CheckOptions { threshold: f64::NAN, ..CheckOptions::default() }, "threshold must be"),
            (CheckOptions { max_entries: Some(0), ..CheckOptions::default() }, "maxEntries must be"),
        ] {
            let e = GradientCheck::new(&model, &[1], &[1], 1, o).unwrap_err();
            assert!(e.message().starts_with(want), "{e}");
        }
    }
}
