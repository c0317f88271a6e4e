//! How a pair of numbers is laid out in time: a [`Layout`] names the arrangement, a [`Shape`] is
//! one at a number of digits (and, for the delayed layout, of blank steps), and says how many
//! steps a sequence has, what each step reads and outputs, and how a prediction reads back as a
//! sum. What the page shows about a shape is in [`describe`].

mod describe;
#[cfg(test)]
mod tests;

pub use describe::LayoutInfo;

use crate::config::choice;
use crate::data::{digits_of, NO_TARGET, N_CLASSES};
use crate::error::{Error, Result};
use crate::metrics::Evaluation;

choice! {
    /// How a pair of numbers is laid out in time.
    Layout {
        /// The notebook's: a's digits then b's digits, most significant first, one digit per step;
        /// the target at step t is digit t of the zero-padded `2 * n_digits`-digit sum.
        Notebook = "notebook",
        /// Least significant digit first: step i reads a_i and b_i together (two one-hot blocks) and
        /// outputs digit i of the sum, so the carry it needs was read one step before; a last step
        /// reads two zeros and outputs the final carry (n + 1 steps).
        Aligned = "aligned",
        /// Memory: a's digits, then `gap` blank steps, then b's, both least significant first, one
        /// digit per step. Steps that read a or a blank have no target; the step reading b_i
        /// outputs digit i of the sum, so it needs a_i, read n + gap steps before; a last step
        /// reads 0 and outputs the final carry (2n + gap + 1 steps, n + 1 of them with a target).
        Delayed = "delayed",
    }
}

/// The input symbol of a blank step (the delayed layout's gap): an 11th input column of its own.
pub const BLANK: usize = N_CLASSES;

/// The columns of U a symbol switches on: the digit (or [`BLANK`]) itself for a 10- or 11-wide
/// input, a_i and 10 + b_i for the aligned layout's 20-wide one (symbol `10 a_i + b_i`).
#[inline]
pub fn hot_columns(symbol: usize, input_dim: usize) -> impl Iterator<Item = usize> {
    let pair = input_dim == 2 * N_CLASSES;
    let first = if pair { symbol / N_CLASSES } else { symbol };
    std::iter::once(first).chain(pair.then_some(N_CLASSES + symbol % N_CLASSES))
}

impl Layout {
    /// This layout at `n_digits` digits, with no blank steps.
    pub fn digits(self, n_digits: usize) -> Shape {
        Shape { layout: self, n_digits, gap: 0 }
    }

    /// The best mean loss and accuracies any network can reach on fresh sums in this layout: in
    /// the notebook's, step t must output digit t of the sum before it has read the digits that
    /// decide the carry into it. At 7 digits: 0.2494 nats per digit, 87.5 % of digits, 15.3 % of
    /// sums (checked by exhaustive enumeration at 2 and 3 digits and by Monte Carlo at 7);
    /// unmeasured at other widths (None). The other layouts have none short of perfect (None).
    pub fn floor(self, n_digits: usize) -> Option<Evaluation> {
        match (self, n_digits) {
            (Layout::Notebook, 7) => Some(Evaluation { loss: 0.2494, digit_accuracy: 0.875, exact_accuracy: 0.153 }),
            _ => None,
        }
    }
}

/// One sequence's shape: a layout at a number of digits and, in the delayed layout, a number of
/// blank steps between a's digits and b's (the other layouts have none: `gap` is 0 for them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub layout: Layout,
    pub n_digits: usize,
    pub gap: usize,
}

impl Shape {
    /// `layout` at `n_digits` digits with `gap` blank steps, which only the delayed layout has.
    pub fn new(layout: Layout, n_digits: usize, gap: usize) -> Shape {
        Shape { layout, n_digits, gap: if layout == Layout::Delayed { gap } else { 0 } }
    }

    /// Time steps of one sequence.
    pub fn steps(self) -> usize {
        let n = self.n_digits;
        match self.layout {
            Layout::Notebook => 2 * n,
            Layout::Aligned => n + 1,
            Layout::Delayed => 2 * n + self.gap + 1,
        }
    }

    /// The steps of one sequence that have a target (every step but the delayed layout's first
    /// n + gap).
    pub fn outputs(self) -> usize {
        match self.layout {
            Layout::Delayed => self.n_digits + 1,
            _ => self.steps(),
        }
    }

    /// The steps before the first with a target: those of the delayed layout that read a or a blank.
    fn silent(self) -> usize {
        self.steps() - self.outputs()
    }

    /// Size of the input x_t: one one-hot block of 10 (11 with blank steps), or two.
    pub fn input_dim(self) -> usize {
        match self.layout {
            Layout::Notebook => N_CLASSES,
            Layout::Aligned => 2 * N_CLASSES,
            Layout::Delayed => N_CLASSES + usize::from(self.gap > 0),
        }
    }

    /// The power of ten of the sum digit that step `step` outputs; None for a step with no target.
    pub fn place(self, step: usize) -> Option<usize> {
        match self.layout {
            Layout::Notebook => Some(2 * self.n_digits - 1 - step),
            Layout::Aligned => Some(step),
            Layout::Delayed => step.checked_sub(self.silent()),
        }
    }

    /// The input symbols (indices of the hot entry of each x_t) and the target digit of each step.
    pub fn encode(self, a: u64, b: u64) -> Result<(Vec<usize>, Vec<usize>)> {
        let n = self.n_digits;
        let sum = a.checked_add(b).ok_or_else(|| Error::Input("the sum does not fit in 64 bits".into()))?;
        match self.layout {
            Layout::Notebook => {
                let x = digits_of(a, n)?.into_iter().chain(digits_of(b, n)?);
                let y = digits_of(sum, 2 * n)?;
                Ok((x.map(usize::from).collect(), y.into_iter().map(usize::from).collect()))
            }
            Layout::Aligned => {
                let (da, db, ds) = (digits_of(a, n)?, digits_of(b, n)?, digits_of(sum, n + 1)?);
                let x = da.iter().rev().zip(db.iter().rev()).map(|(&ai, &bi)| N_CLASSES * ai as usize + bi as usize).chain([0]);
                Ok((x.collect(), ds.into_iter().rev().map(usize::from).collect()))
            }
            Layout::Delayed => {
                let (da, db, ds) = (digits_of(a, n)?, digits_of(b, n)?, digits_of(sum, n + 1)?);
                let a_then_blanks = da.into_iter().rev().map(usize::from).chain(std::iter::repeat_n(BLANK, self.gap));
                let x = a_then_blanks.chain(db.into_iter().rev().map(usize::from)).chain([0]);
                let y = std::iter::repeat_n(NO_TARGET, self.silent()).chain(ds.into_iter().rev().map(usize::from));
                Ok((x.collect(), y.collect()))
            }
        }
    }

    /// The sum a sequence of predicted digits (one per step) stands for.
    pub fn decode_sum(self, predicted: &[usize]) -> u64 {
        let decimal = |digits: &mut dyn Iterator<Item = &usize>| digits.fold(0u64, |acc, &d| acc.wrapping_mul(10).wrapping_add(d as u64));
        match self.layout {
            Layout::Notebook => decimal(&mut predicted.iter()),
            Layout::Aligned => decimal(&mut predicted.iter().rev()),
            // the last n + 1 steps output the sum, least significant first
            Layout::Delayed => decimal(&mut predicted[self.silent().min(predicted.len())..].iter().rev()),
        }
    }
}
