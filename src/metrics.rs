//! How well a model does on a set of sums: the one triple every report, record and floor uses.

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize};

/// `{ loss, digitAccuracy, exactAccuracy }` on a set of examples (the training ones unless said).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Evaluation {
    /// Mean cross-entropy per digit (the notebook's `calculate_loss`), in nats.
    pub loss: f64,
    /// Fraction of target digits predicted right.
    pub digit_accuracy: f64,
    /// Fraction of examples whose every digit is right.
    pub exact_accuracy: f64,
}

impl Evaluation {
    /// The number of fields [`Evaluation::write_fields`] writes.
    pub const FIELDS: usize = 3;

    /// Writes the three fields into a record that holds them at its top level (the reports and
    /// loss records are flat in JSON); written out rather than `#[serde(flatten)]`, whose code is
    /// several times the size in wasm.
    pub fn write_fields<S: SerializeStruct>(&self, out: &mut S) -> Result<(), S::Error> {
        out.serialize_field("loss", &self.loss)?;
        out.serialize_field("digitAccuracy", &self.digit_accuracy)?;
        out.serialize_field("exactAccuracy", &self.exact_accuracy)
    }

    /// Whether every figure is in range: a finite loss from 0, accuracies from 0 to 1.
    pub fn is_valid(&self) -> bool {
        self.loss.is_finite() && self.loss >= 0.0 && [self.digit_accuracy, self.exact_accuracy].iter().all(|a| (0.0..=1.0).contains(a))
    }
}
