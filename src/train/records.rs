//! What training reports: a loss record (one evaluation, as the notebook prints it), an epoch's
//! report as the page reads it, where the current epoch stands, and the state a saved run keeps.
//! Each holds the one [`Evaluation`] triple; it is written flat into the JSON by hand, because
//! `#[serde(flatten)]` costs several times the code in wasm.

use crate::metrics::Evaluation;
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

/// One loss evaluation, as the notebook prints it, plus accuracies: `{ epoch, examplesSeen,
/// loss, digitAccuracy, exactAccuracy, test, carryChainAccuracy, learningRate, halved }`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LossRecord {
    /// Epochs completed before this evaluation.
    pub epoch: usize,
    /// Examples trained on: 64 bits on every target (100,000 sums an epoch pass 2^32 by epoch 43,000).
    pub examples_seen: u64,
    /// On the training sums.
    pub evaluation: Evaluation,
    /// The same figures on the random held-out sums.
    pub test: Evaluation,
    /// Fraction of the carry-chain sums whose every digit is right.
    pub carry_chain_accuracy: f64,
    /// The rate in force after this evaluation.
    pub learning_rate: f64,
    /// Whether this evaluation halved the rate.
    pub halved: bool,
}

impl Serialize for LossRecord {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("LossRecord", 6 + Evaluation::FIELDS)?;
        out.serialize_field("epoch", &self.epoch)?;
        out.serialize_field("examplesSeen", &self.examples_seen)?;
        self.evaluation.write_fields(&mut out)?;
        out.serialize_field("test", &self.test)?;
        out.serialize_field("carryChainAccuracy", &self.carry_chain_accuracy)?;
        out.serialize_field("learningRate", &self.learning_rate)?;
        out.serialize_field("halved", &self.halved)?;
        out.end()
    }
}

/// The latest evaluation on the random held-out sums: `{ loss, digitAccuracy, exactAccuracy,
/// size, digitAccuracyByPlace }`, the last one's entry k for the sum digit of 10^k.
#[derive(Debug, Clone, PartialEq)]
pub struct TestReport {
    pub evaluation: Evaluation,
    pub size: usize,
    pub digit_accuracy_by_place: Vec<f64>,
}

impl Serialize for TestReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("TestReport", 2 + Evaluation::FIELDS)?;
        self.evaluation.write_fields(&mut out)?;
        out.serialize_field("size", &self.size)?;
        out.serialize_field("digitAccuracyByPlace", &self.digit_accuracy_by_place)?;
        out.end()
    }
}

/// The latest evaluation on the carry-chain sums: `{ exactAccuracy, size }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainReport {
    pub exact_accuracy: f64,
    pub size: usize,
}

/// The outcome of one finished epoch, as the page reads it: `{ epoch, examplesSeen, evaluated,
/// loss, digitAccuracy, exactAccuracy, test, carryChains, halved, learningRate }`; the training
/// figures are on the sums trained on, `test` and `carryChains` on the held-out ones.
#[derive(Debug, Clone, PartialEq)]
pub struct EpochReport {
    /// Epochs completed.
    pub epoch: usize,
    pub examples_seen: u64,
    /// Whether the loss was evaluated after this epoch; if not, the figures are the last evaluation's.
    pub evaluated: bool,
    /// The latest evaluation on the training sums (this epoch's when `evaluated`).
    pub training: Evaluation,
    pub test: TestReport,
    pub carry_chains: ChainReport,
    /// Whether this epoch's evaluation halved the rate.
    pub halved: bool,
    /// The rate the next epoch will use.
    pub learning_rate: f64,
}

impl Serialize for EpochReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("EpochReport", 7 + Evaluation::FIELDS)?;
        out.serialize_field("epoch", &self.epoch)?;
        out.serialize_field("examplesSeen", &self.examples_seen)?;
        out.serialize_field("evaluated", &self.evaluated)?;
        self.training.write_fields(&mut out)?;
        out.serialize_field("test", &self.test)?;
        out.serialize_field("carryChains", &self.carry_chains)?;
        out.serialize_field("halved", &self.halved)?;
        out.serialize_field("learningRate", &self.learning_rate)?;
        out.end()
    }
}

/// What one [`super::Trainer::advance`] got to.
#[derive(Debug, Clone, PartialEq)]
pub enum Advance {
    /// The budget is spent; the current epoch (or the starting loss) goes on.
    Partial,
    /// The starting loss is recorded: the model is ready to train.
    Ready,
    /// An epoch finished, with its loss evaluation when one was due.
    Epoch(EpochReport),
}

/// Where work stands inside the current epoch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// "starting" (the loss before training), "training" (SGD steps) or "evaluating" (the loss
    /// after an epoch).
    pub phase: &'static str,
    /// Examples of this phase done, out of `total`.
    pub done: usize,
    pub total: usize,
}

/// Where a run stands: enough, with the config and the weights, to carry on exactly.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrainingState {
    pub epoch: usize,
    pub examples_seen: u64,
    /// The rate the next epoch will use.
    pub learning_rate: f64,
    pub history: Vec<LossRecord>,
    /// The latest evaluation's digit accuracy on the random test sums, by place (10^k).
    pub test_by_place: Vec<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_and_records_are_flat_in_json() {
        let e = Evaluation { loss: 0.5, digit_accuracy: 0.25, exact_accuracy: 0.125 };
        let test = TestReport { evaluation: e, size: 3, digit_accuracy_by_place: vec![1.0] };
        let report = EpochReport {
            epoch: 2,
            examples_seen: 20,
            evaluated: true,
            training: e,
            test,
            carry_chains: ChainReport { exact_accuracy: 0.0, size: 0 },
            halved: false,
            learning_rate: 0.01,
        };
        assert_eq!(
            serde_json::to_string(&report).unwrap(),
            r#"{"epoch":2,"examplesSeen":20,"evaluated":true,"loss":0.5,"digitAccuracy":0.25,"exactAccuracy":0.125,"test":{"loss":0.5,"digitAccuracy":0.25,"exactAccuracy":0.125,"size":3,"digitAccuracyByPlace":[1.0]},"carryChains":{"exactAccuracy":0.0,"size":0},"halved":false,"learningRate":0.01}"#
        );
        let record = LossRecord { epoch: 1, examples_seen: 10, evaluation: e, test: e, carry_chain_accuracy: 1.0, learning_rate: 0.5, halved: true };
        assert_eq!(
            serde_json::to_string(&record).unwrap(),
            r#"{"epoch":1,"examplesSeen":10,"loss":0.5,"digitAccuracy":0.25,"exactAccuracy":0.125,"test":{"loss":0.5,"digitAccuracy":0.25,"exactAccuracy":0.125},"carryChainAccuracy":1.0,"learningRate":0.5,"halved":true}"#
        );
    }
}
