//! How a pair of numbers is laid out in time, and what the page shows about it: each step's label,
//! what each input column of U stands for, the place of each output digit and, where measured,
//! the best any network can do in the layout. The page asks for these ([`Layout::describe`])
//! rather than encoding a layout again.

use crate::config::choice;
use crate::data::{digits_of, NO_TARGET, N_CLASSES};
use crate::error::{Error, Result};
use crate::metrics::Evaluation;
use serde::Serialize;

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
        /// Memory: a's digits, then b's, both least significant first, one digit per step. Steps
        /// that read a have no target; the step reading b_i outputs digit i of the sum, so it
        /// needs a_i, read n steps before; a last step reads 0 and outputs the final carry
        /// (2n + 1 steps, n + 1 of them with a target).
        Delayed = "delayed",
    }
}

/// The columns of U a symbol switches on: the digit itself for a 10-wide input, a_i and 10 + b_i
/// for the aligned layout's 20-wide one (symbol `10 a_i + b_i`).
#[inline]
pub fn hot_columns(symbol: usize, input_dim: usize) -> impl Iterator<Item = usize> {
    let pair = input_dim == 2 * N_CLASSES;
    let first = if pair { symbol / N_CLASSES } else { symbol };
    std::iter::once(first).chain(pair.then_some(N_CLASSES + symbol % N_CLASSES))
}

impl Layout {
    /// Time steps of one sequence.
    pub fn steps(self, n_digits: usize) -> usize {
        match self {
            Layout::Notebook => 2 * n_digits,
            Layout::Aligned => n_digits + 1,
            Layout::Delayed => 2 * n_digits + 1,
        }
    }

    /// The steps of one sequence that have a target (every step but the delayed layout's first n).
    pub fn outputs(self, n_digits: usize) -> usize {
        match self {
            Layout::Delayed => n_digits + 1,
            _ => self.steps(n_digits),
        }
    }

    /// Size of the input x_t: one one-hot block of 10, or two.
    pub fn input_dim(self) -> usize {
        match self {
            Layout::Notebook | Layout::Delayed => N_CLASSES,
            Layout::Aligned => 2 * N_CLASSES,
        }
    }

    /// The power of ten of the sum digit that step `step` outputs; None for a step with no target.
    pub fn place(self, step: usize, n_digits: usize) -> Option<usize> {
        match self {
            Layout::Notebook => Some(2 * n_digits - 1 - step),
            Layout::Aligned => Some(step),
            Layout::Delayed => step.checked_sub(n_digits),
        }
    }

    /// The input symbols (indices of the hot entry of each x_t) and the target digit of each step.
    pub fn encode(self, a: u64, b: u64, n_digits: usize) -> Result<(Vec<usize>, Vec<usize>)> {
        let sum = a.checked_add(b).ok_or_else(|| Error::Input("the sum does not fit in 64 bits".into()))?;
        match self {
            Layout::Notebook => {
                let x = digits_of(a, n_digits)?.into_iter().chain(digits_of(b, n_digits)?);
                let y = digits_of(sum, 2 * n_digits)?;
                Ok((x.map(usize::from).collect(), y.into_iter().map(usize::from).collect()))
            }
            Layout::Aligned => {
                let (da, db, ds) = (digits_of(a, n_digits)?, digits_of(b, n_digits)?, digits_of(sum, n_digits + 1)?);
                let x = da.iter().rev().zip(db.iter().rev()).map(|(&ai, &bi)| N_CLASSES * ai as usize + bi as usize).chain([0]);
                Ok((x.collect(), ds.into_iter().rev().map(usize::from).collect()))
            }
            Layout::Delayed => {
                let (da, db, ds) = (digits_of(a, n_digits)?, digits_of(b, n_digits)?, digits_of(sum, n_digits + 1)?);
                let x = da.into_iter().rev().chain(db.into_iter().rev()).map(usize::from).chain([0]);
                let y = std::iter::repeat_n(NO_TARGET, n_digits).chain(ds.into_iter().rev().map(usize::from));
                Ok((x.collect(), y.collect()))
            }
        }
    }

    /// The sum a sequence of predicted digits (one per step) stands for.
    pub fn decode_sum(self, predicted: &[usize]) -> u64 {
        let decimal = |digits: &mut dyn Iterator<Item = &usize>| digits.fold(0u64, |acc, &d| acc.wrapping_mul(10).wrapping_add(d as u64));
        match self {
            Layout::Notebook => decimal(&mut predicted.iter()),
            Layout::Aligned => decimal(&mut predicted.iter().rev()),
            // 2n + 1 steps: the last n + 1 output the sum, least significant first
            Layout::Delayed => decimal(&mut predicted[predicted.len() / 2..].iter().rev()),
        }
    }
}

/// What the page shows about a layout at a number of digits (see [`Layout::describe`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayoutInfo {
    pub name: &'static str,
    pub n_digits: usize,
    /// Time steps of one sequence.
    pub steps: usize,
    /// What step t reads: "a₁" … "b₇" (notebook: the numbers' digits counted from 1, most
    /// significant first), "a₀b₀" … "carry" (aligned: the digits worth 10^i, then the last carry).
    /// These name digits, not steps: the page numbers the steps t = 0 … steps − 1, as s_t and
    /// E_t do, and shows the label beside the number ("step 1 (a₂)").
    pub step_labels: Vec<String>,
    /// What step t reads, as a class: "a", "b" (one digit of that number) or "pair".
    pub step_kinds: Vec<&'static str>,
    /// What column j of U stands for: the digit "0" … "9", or "a=0" … "b=9" for two blocks.
    pub column_labels: Vec<String>,
    /// The power of ten of the sum digit step t outputs; null for a step with no target.
    pub places: Vec<Option<usize>>,
    /// How the steps read the two numbers, in a few words.
    pub reads: &'static str,
    /// What the input x_t is, in a few words.
    pub input: &'static str,
    /// When the digits that decide the carry into a place of the sum have been read, in a sentence.
    pub carry: &'static str,
    /// Whether a network can get every fresh sum right in this layout: whether the carry into
    /// each place is read before that place is output.
    pub adds: bool,
    /// The best any network can do on fresh sums in this layout, where it is known (see
    /// [`Layout::floor`]).
    pub floor: Option<Evaluation>,
}

const SUBSCRIPTS: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];

fn subscript(n: usize) -> String {
    n.to_string().bytes().map(|d| SUBSCRIPTS[(d - b'0') as usize]).collect()
}

impl Layout {
    /// What step `t` reads (see [`LayoutInfo::step_labels`]).
    pub fn step_label(self, t: usize, n_digits: usize) -> String {
        match self {
            Layout::Notebook if t < n_digits => format!("a{}", subscript(t + 1)),
            Layout::Notebook => format!("b{}", subscript(t - n_digits + 1)),
            Layout::Aligned if t < n_digits => format!("a{0}b{0}", subscript(t)),
            Layout::Aligned => "carry".into(),
            Layout::Delayed if t < n_digits => format!("a{}", subscript(t)),
            Layout::Delayed if t < 2 * n_digits => format!("b{}", subscript(t - n_digits)),
            Layout::Delayed => "carry".into(),
        }
    }

    /// What an input symbol stands for: the digit, or the pair "a_i+b_i" of the aligned layout.
    pub fn symbol_label(self, symbol: usize) -> String {
        match self {
            Layout::Notebook | Layout::Delayed => symbol.to_string(),
            Layout::Aligned => format!("{}+{}", symbol / N_CLASSES, symbol % N_CLASSES),
        }
    }

    /// The best mean loss and accuracies any network can reach on fresh sums in this layout: in
    /// the notebook's, step t must output digit t of the sum before it has read the digits that
    /// decide the carry into it. At 7 digits: 0.2494 nats per digit, 87.5 % of digits, 15.3 % of
    /// sums (checked by exhaustive enumeration at 2 and 3 digits and by Monte Carlo at 7);
    /// unmeasured at other widths (None). The aligned layout has none short of perfect (None).
    pub fn floor(self, n_digits: usize) -> Option<Evaluation> {
        match (self, n_digits) {
            (Layout::Notebook, 7) => Some(Evaluation { loss: 0.2494, digit_accuracy: 0.875, exact_accuracy: 0.153 }),
            _ => None,
        }
    }

    /// Everything the page shows about this layout at `n_digits` digits.
    pub fn describe(self, n_digits: usize) -> LayoutInfo {
        let steps = self.steps(n_digits);
        let columns = self.input_dim();
        let column_labels = match self {
            Layout::Notebook | Layout::Delayed => (0..columns).map(|d| d.to_string()).collect(),
            Layout::Aligned => (0..columns).map(|j| format!("{}={}", if j < N_CLASSES { 'a' } else { 'b' }, j % N_CLASSES)).collect(),
        };
        LayoutInfo {
            name: self.name(),
            n_digits,
            steps,
            step_labels: (0..steps).map(|t| self.step_label(t, n_digits)).collect(),
            step_kinds: (0..steps)
                .map(|t| match self {
                    Layout::Notebook if t < n_digits => "a",
                    Layout::Notebook => "b",
                    Layout::Aligned => "pair",
                    Layout::Delayed if t < n_digits => "a",
                    Layout::Delayed if t < 2 * n_digits => "b",
                    Layout::Delayed => "pad",
                })
                .collect(),
            column_labels,
            places: (0..steps).map(|t| self.place(t, n_digits)).collect(),
            reads: match self {
                Layout::Notebook => "one digit per step, a’s digits then b’s",
                Layout::Aligned => "digit i of a and of b together, least significant first",
                Layout::Delayed => "one digit per step, a’s digits then b’s, least significant first",
            },
            input: match self {
                Layout::Notebook => "the one-hot digit read at step t (10 entries)",
                Layout::Aligned => "two one-hot blocks, the digits a_i and b_i read at step t (20 entries)",
                Layout::Delayed => "the one-hot digit read at step t (10 entries); 0 at the last step",
            },
            carry: match self {
                Layout::Notebook => {
                    "step t outputs digit t of the sum before it has read the lower digits of a and b that decide the carry into it; \
                     the first digits of the sum are due before b has been read at all"
                }
                Layout::Aligned => "the carry into place i comes from the digits read at step i − 1, so it is known when place i is output",
                Layout::Delayed => {
                    "the steps reading a output nothing; the step reading b_i outputs digit i of the sum, so it needs a_i, read n steps before: \
                     the network must hold all of a in its state while it reads b"
                }
            },
            adds: matches!(self, Layout::Aligned | Layout::Delayed),
            floor: self.floor(n_digits),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notebook_layout_encodes_the_sum() {
        let (x, y) = Layout::Notebook.encode(9401901, 8908643, 7).unwrap();
        assert_eq!(x, [9, 4, 0, 1, 9, 0, 1, 8, 9, 0, 8, 6, 4, 3]);
        assert_eq!(y, [0, 0, 0, 0, 0, 0, 1, 8, 3, 1, 0, 5, 4, 4]);
        assert_eq!(Layout::Notebook.decode_sum(&y), 18310544);
    }

    #[test]
    fn aligned_layout_reads_both_digits_least_significant_first() {
        let (x, y) = Layout::Aligned.encode(9401901, 8908643, 7).unwrap();
        assert_eq!(x, [13, 4, 96, 18, 0, 49, 98, 0]);
        assert_eq!(y, [4, 4, 5, 0, 1, 3, 8, 1]);
        assert_eq!(Layout::Aligned.decode_sum(&y), 18310544);
        assert_eq!(Layout::Aligned.encode(9999999, 1, 7).unwrap().1, [0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(hot_columns(49, 20).collect::<Vec<_>>(), [4, 19]);
        assert_eq!(hot_columns(7, 10).collect::<Vec<_>>(), [7]);
        assert_eq!((Layout::Aligned.place(7, 7), Layout::Notebook.place(13, 7)), (Some(7), Some(0)));
    }

    #[test]
    fn delayed_layout_reads_a_then_b_and_outputs_while_reading_b() {
        let (x, y) = Layout::Delayed.encode(9401901, 8908643, 7).unwrap();
        assert_eq!(x, [1, 0, 9, 1, 0, 4, 9, 3, 4, 6, 8, 0, 9, 8, 0]);
        let mut want = vec![NO_TARGET; 7];
        want.extend([4, 4, 5, 0, 1, 3, 8, 1]);
        assert_eq!(y, want);
        // the prediction of every step, the first 7 of them ignored
        let predicted: Vec<usize> = y.iter().map(|&d| if d == NO_TARGET { 7 } else { d }).collect();
        assert_eq!(Layout::Delayed.decode_sum(&predicted), 18310544);
        assert_eq!((Layout::Delayed.steps(7), Layout::Delayed.outputs(7), Layout::Notebook.outputs(7)), (15, 8, 14));
        let d = Layout::Delayed.describe(3);
        assert_eq!(d.step_labels, ["a₀", "a₁", "a₂", "b₀", "b₁", "b₂", "carry"]);
        assert_eq!(d.places, [None, None, None, Some(0), Some(1), Some(2), Some(3)]);
        assert_eq!(d.step_kinds, ["a", "a", "a", "b", "b", "b", "pad"]);
        assert!(d.adds && d.carry.contains("read n steps before") && d.floor.is_none());
    }

    #[test]
    fn a_layout_describes_its_steps_columns_and_places() {
        let n = Layout::Notebook.describe(7);
        assert_eq!(n.step_labels.first().map(String::as_str), Some("a₁"));
        assert_eq!(n.step_labels[7], "b₁");
        assert_eq!(n.step_labels[13], "b₇");
        assert_eq!(n.column_labels, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        assert_eq!(n.places, (0..14).rev().map(Some).collect::<Vec<_>>());
        assert_eq!(n.step_kinds[6..8], ["a", "b"]);
        assert_eq!(n.floor, Some(Evaluation { loss: 0.2494, digit_accuracy: 0.875, exact_accuracy: 0.153 }));
        assert_eq!(Layout::Notebook.describe(3).floor, None);
        assert!(!n.adds && n.input.contains("(10 entries)") && n.carry.contains("before it has read"));
        let a = Layout::Aligned.describe(12);
        assert_eq!(a.step_labels[0], "a₀b₀");
        assert_eq!(a.step_labels[11], "a₁₁b₁₁");
        assert_eq!(a.step_labels[12], "carry");
        assert_eq!(a.column_labels.len(), 20);
        assert!(a.adds && a.input.contains("(20 entries)") && a.carry.contains("read at step i − 1"));
        assert_eq!((a.column_labels[3].as_str(), a.column_labels[13].as_str()), ("a=3", "b=3"));
        assert_eq!(a.places, (0..13).map(Some).collect::<Vec<_>>());
        assert_eq!(Layout::Aligned.symbol_label(49), "4+9");
        assert_eq!(Layout::Notebook.symbol_label(4), "4");
        // every symbol's hot columns are the columns its label names
        for symbol in [0, 49, 90, 99] {
            let cols: Vec<&str> = hot_columns(symbol, 20).map(|j| a.column_labels[j].as_str()).collect();
            assert_eq!(cols, [format!("a={}", symbol / 10), format!("b={}", symbol % 10)]);
        }
    }
}
