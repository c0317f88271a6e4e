//! What the page shows about a sequence's shape: each step's label and kind, what each input
//! column of U stands for, the place of each output digit, a few sentences on the layout and,
//! where measured, the best any network can do in it. The page asks for these
//! ([`Shape::describe`]) rather than encoding a layout again.

use super::{Layout, Shape, BLANK};
use crate::data::N_CLASSES;
use crate::metrics::Evaluation;
use serde::Serialize;

/// What the page shows about a layout at a number of digits (see [`Shape::describe`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LayoutInfo {
    pub name: &'static str,
    pub n_digits: usize,
    /// Blank steps between a's digits and b's (the delayed layout's; 0 in the others).
    pub gap: usize,
    /// Time steps of one sequence.
    pub steps: usize,
    /// What step t reads: "a₁" … "b₇" (notebook: the numbers' digits counted from 1, most
    /// significant first), "a₀b₀" … "carry" (aligned: the digits worth 10^i, then the last carry),
    /// "a₀" … "blank" … "b₀" … "carry" (delayed). These name digits, not steps: the page numbers
    /// the steps t = 0 … steps − 1, as s_t and E_t do, and shows the label beside the number
    /// ("step 1 (a₂)").
    pub step_labels: Vec<String>,
    /// What step t reads, as a class: "a", "b" (one digit of that number), "pair" (one of each),
    /// "blank" (nothing: the delayed layout's gap) or "pad" (the 0 read for the last carry).
    pub step_kinds: Vec<&'static str>,
    /// What column j of U stands for: the digit "0" … "9" (and "blank"), or "a=0" … "b=9" for
    /// two blocks.
    pub column_labels: Vec<String>,
    /// The power of ten of the sum digit step t outputs; null for a step with no target.
    pub places: Vec<Option<usize>>,
    /// How the steps read the two numbers, in a few words.
    pub reads: String,
    /// What the input x_t is, in a few words.
    pub input: String,
    /// When the digits that decide the carry into a place of the sum have been read, in a sentence.
    pub carry: String,
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

impl Shape {
    /// What step `t` reads, as a class (see [`LayoutInfo::step_kinds`]).
    fn step_kind(self, t: usize) -> &'static str {
        let (n, gap) = (self.n_digits, self.gap);
        match self.layout {
            Layout::Notebook if t < n => "a",
            Layout::Notebook => "b",
            Layout::Aligned => "pair",
            Layout::Delayed if t < n => "a",
            Layout::Delayed if t < n + gap => "blank",
            Layout::Delayed if t < 2 * n + gap => "b",
            Layout::Delayed => "pad",
        }
    }

    /// What step `t` reads (see [`LayoutInfo::step_labels`]).
    pub fn step_label(self, t: usize) -> String {
        let n = self.n_digits;
        match (self.layout, self.step_kind(t)) {
            (Layout::Notebook, "a") => format!("a{}", subscript(t + 1)),
            (Layout::Notebook, _) => format!("b{}", subscript(t - n + 1)),
            (Layout::Aligned, _) if t < n => format!("a{0}b{0}", subscript(t)),
            (Layout::Aligned, _) | (Layout::Delayed, "pad") => "carry".into(),
            (Layout::Delayed, "a") => format!("a{}", subscript(t)),
            (Layout::Delayed, "blank") => "blank".into(),
            (Layout::Delayed, _) => format!("b{}", subscript(t - n - self.gap)),
        }
    }

    /// What an input symbol stands for: the digit, "blank", or the pair "a_i+b_i" of the aligned
    /// layout.
    pub fn symbol_label(self, symbol: usize) -> String {
        match self.layout {
            Layout::Delayed if symbol == BLANK => "blank".into(),
            Layout::Notebook | Layout::Delayed => symbol.to_string(),
            Layout::Aligned => format!("{}+{}", symbol / N_CLASSES, symbol % N_CLASSES),
        }
    }

    /// Everything the page shows about this shape.
    pub fn describe(self) -> LayoutInfo {
        let steps = self.steps();
        let column_labels = match self.layout {
            Layout::Notebook | Layout::Delayed => (0..self.input_dim()).map(|s| self.symbol_label(s)).collect(),
            Layout::Aligned => (0..self.input_dim()).map(|j| format!("{}={}", if j < N_CLASSES { 'a' } else { 'b' }, j % N_CLASSES)).collect(),
        };
        let blanks = match self.gap {
            0 => String::new(),
            1 => ", one blank step between them".into(),
            g => format!(", {g} blank steps between them"),
        };
        LayoutInfo {
            name: self.layout.name(),
            n_digits: self.n_digits,
            gap: self.gap,
            steps,
            step_labels: (0..steps).map(|t| self.step_label(t)).collect(),
            step_kinds: (0..steps).map(|t| self.step_kind(t)).collect(),
            column_labels,
            places: (0..steps).map(|t| self.place(t)).collect(),
            reads: match self.layout {
                Layout::Notebook => "one digit per step, a’s digits then b’s".into(),
                Layout::Aligned => "digit i of a and of b together, least significant first".into(),
                Layout::Delayed => format!("one digit per step, a’s digits then b’s, least significant first{blanks}"),
            },
            input: match self.layout {
                Layout::Notebook => "the one-hot digit read at step t (10 entries)".into(),
                Layout::Aligned => "two one-hot blocks, the digits a_i and b_i read at step t (20 entries)".into(),
                Layout::Delayed if self.gap == 0 => "the one-hot digit read at step t (10 entries); 0 at the last step".into(),
                Layout::Delayed => "the one-hot digit read at step t, or an 11th entry on a blank step (11 entries); 0 at the last step".into(),
            },
            carry: match self.layout {
                Layout::Notebook => "step t outputs digit t of the sum before it has read the lower digits of a and b that decide the carry into it; \
                     the first digits of the sum are due before b has been read at all"
                    .into(),
                Layout::Aligned => "the carry into place i comes from the digits read at step i − 1, so it is known when place i is output".into(),
                Layout::Delayed => format!(
                    "the steps reading a{} output nothing; the step reading b_i outputs digit i of the sum, so it needs a_i, read {} steps before: \
                     the network must hold all of a in its state while it reads b",
                    if self.gap > 0 { " and the blanks" } else { "" },
                    if self.gap > 0 { format!("n + {} = {}", self.gap, self.n_digits + self.gap) } else { "n".into() },
                ),
            },
            adds: matches!(self.layout, Layout::Aligned | Layout::Delayed),
            floor: self.layout.floor(self.n_digits),
        }
    }
}
