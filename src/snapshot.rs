//! Saving a run as JSON and reading it back: the settings, the weights and where training stands.
//! The data set is not stored; it is drawn again from the data seed, bit for bit.
//!
//! A run is saved as it stood at its last whole epoch. Reading one back checks everything the
//! trainer relies on (see `Trainer::resume`), refuses unknown fields anywhere, and refuses a file
//! over [`MAX_FILE_BYTES`] before parsing it.

use crate::cells::{shape_text, Model};
use crate::config::{Config, MAX_FILE_BYTES};
use crate::error::{brief, Error, Result};
use crate::heldout::first_training_set;
use crate::optim::OptimizerState;
use crate::train::{check_shapes, Evaluation, LossRecord, Trainer, TrainingState};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Names the file kind, so that any other JSON is refused with a clear message.
pub const FORMAT: &str = "rnn-playground-model";
/// 2: loss records carry the held-out figures, and the optimizer's state is saved. Version 1
/// files are refused: their runs were never tested on held-out sums.
pub const VERSION: u32 = 2;

/// A parameter: rows and columns (one length for a bias) and its values, row-major.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Matrix {
    shape: Vec<usize>,
    data: Vec<Option<f64>>,
}

/// Every parameter by its name (`U`, `V`, `W` for the vanilla cell; `weight_ih`, `weight_hh`,
/// `bias_ih`, `bias_hh`, `V` for GRU and LSTM).
type Weights = BTreeMap<String, Matrix>;

/// The first look at a file: only what says whether it is ours.
#[derive(Deserialize)]
struct Header {
    format: Option<Value>,
    version: Option<Value>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedRun {
    format: String,
    version: u32,
    config: Value,
    training: Training,
    weights: Weights,
    optimizer: SavedOptimizer,
}

/// [`TrainingState`] with its history by column.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Training {
    epoch: usize,
    examples_seen: u64,
    learning_rate: f64,
    test_by_place: Vec<f64>,
    history: History,
}

/// The loss records by column: the keys once instead of once per record, so that the longest
/// history, test figures included, stays a few hundred kilobytes.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct History {
    epoch: Vec<usize>,
    examples_seen: Vec<u64>,
    loss: Vec<f64>,
    digit_accuracy: Vec<f64>,
    exact_accuracy: Vec<f64>,
    test_loss: Vec<f64>,
    test_digit_accuracy: Vec<f64>,
    test_exact_accuracy: Vec<f64>,
    carry_chain_accuracy: Vec<f64>,
    learning_rate: Vec<f64>,
    halved: Vec<bool>,
}

/// The optimizer's step count and moments (none for SGD), each shaped like the weights.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedOptimizer {
    step: u64,
    moments: Vec<Weights>,
}

impl History {
    fn of(records: &[LossRecord]) -> History {
        let col = |f: fn(&LossRecord) -> f64| records.iter().map(f).collect();
        History {
            epoch: records.iter().map(|r| r.epoch).collect(),
            examples_seen: records.iter().map(|r| r.examples_seen).collect(),
            loss: col(|r| r.evaluation.loss),
            digit_accuracy: col(|r| r.evaluation.digit_accuracy),
            exact_accuracy: col(|r| r.evaluation.exact_accuracy),
            test_loss: col(|r| r.test.loss),
            test_digit_accuracy: col(|r| r.test.digit_accuracy),
            test_exact_accuracy: col(|r| r.test.exact_accuracy),
            carry_chain_accuracy: col(|r| r.carry_chain_accuracy),
            learning_rate: col(|r| r.learning_rate),
            halved: records.iter().map(|r| r.halved).collect(),
        }
    }

    fn records(&self) -> Result<Vec<LossRecord>> {
        let n = self.epoch.len();
        let floats = [&self.loss, &self.digit_accuracy, &self.exact_accuracy, &self.test_loss];
        let more = [&self.test_digit_accuracy, &self.test_exact_accuracy, &self.carry_chain_accuracy, &self.learning_rate];
        let lengths = floats.iter().chain(&more).map(|c| c.len());
        if lengths.chain([self.examples_seen.len(), self.halved.len()]).any(|l| l != n) {
            return Err(Error::Model("the saved model is damaged: the loss history's columns have different lengths".into()));
        }
        Ok((0..n)
            .map(|i| LossRecord {
                epoch: self.epoch[i],
                examples_seen: self.examples_seen[i],
                evaluation: Evaluation { loss: self.loss[i], digit_accuracy: self.digit_accuracy[i], exact_accuracy: self.exact_accuracy[i] },
                test: Evaluation { loss: self.test_loss[i], digit_accuracy: self.test_digit_accuracy[i], exact_accuracy: self.test_exact_accuracy[i] },
                carry_chain_accuracy: self.carry_chain_accuracy[i],
                learning_rate: self.learning_rate[i],
                halved: self.halved[i],
            })
            .collect())
    }
}

/// The model's parameters by name, each with the values `values` gives it (the weights, or an
/// optimizer moment shaped like them).
fn to_weights<'a>(model: &Model, values: impl IntoIterator<Item = &'a [f64]>) -> Weights {
    model
        .parameters()
        .into_iter()
        .zip(values)
        .map(|(p, v)| (p.name.to_string(), Matrix { shape: p.shape, data: v.iter().map(|&x| Some(x)).collect() }))
        .collect()
}

/// Parameter `name` of `weights` (`what` says whose, in messages), its shape and its values.
fn take(weights: &mut Weights, name: &str, what: &str) -> Result<(Vec<usize>, Vec<f64>)> {
    let m = weights.remove(name).ok_or_else(|| Error::Model(format!("the saved model is damaged: {what} has no {name}")))?;
    if m.shape.is_empty() || m.shape.len() > 2 || m.shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d)) != Some(m.data.len()) {
        return Err(Error::Model(format!("{name} should hold {} numbers but holds {}", shape_text(&m.shape), m.data.len())));
    }
    // JSON has no non-finite numbers but null; the trainer checks finiteness of whatever it gets
    let data: Option<Vec<f64>> = m.data.into_iter().collect();
    let data = data.ok_or_else(|| Error::Model(format!("{name} holds a value that is not a finite number")))?;
    Ok((m.shape, data))
}

/// Refuses parameters no cell of this kind has (a vanilla run's `U` in a GRU's file, say).
fn no_others(weights: Weights, what: &str, config: &Config) -> Result<()> {
    match weights.keys().next() {
        None => Ok(()),
        Some(name) => Err(Error::Model(format!(
            "{what} has a parameter {name}, which a {} cell does not have (its parameters: {})",
            config.cell.name(),
            config.cell.parameter_names().join(", ")
        ))),
    }
}

/// The run as a JSON string, as it stood at its last whole epoch.
pub fn export(trainer: &Trainer) -> String {
    let m = trainer.epoch_start_model();
    let state = trainer.state();
    let o = trainer.epoch_start_optimizer();
    let run = SavedRun {
        format: FORMAT.into(),
        version: VERSION,
        config: trainer.config().to_json(),
        training: Training {
            epoch: state.epoch,
            examples_seen: state.examples_seen,
            learning_rate: state.learning_rate,
            test_by_place: state.test_by_place,
            history: History::of(&state.history),
        },
        weights: to_weights(m, m.parameters().iter().map(|p| p.values)),
        optimizer: SavedOptimizer { step: o.step, moments: o.moments.iter().map(|g| to_weights(m, g.iter().map(Vec::as_slice))).collect() },
    };
    serde_json::to_string(&run).expect("a run always serialises")
}

/// A run from [`export`]'s JSON. Anything else, damaged, too large or of another version, is a
/// clear error.
pub fn import(json: &str) -> Result<Trainer> {
    if json.len() > MAX_FILE_BYTES {
        return Err(Error::Model(format!(
            "this file is {:.1} MB; a saved model is at most {} MB (the largest model the settings allow saves to about 6 MB)",
            json.len() as f64 / 1e6,
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let value: Value =
        serde_json::from_str(json).map_err(|e| Error::Model(format!("this is not a saved model: the JSON is broken ({})", brief(&e.to_string()))))?;
    import_value(&value)
}

/// A saved run's settings with `gap` 0 where they have none: files saved before blank steps
/// existed had none, and the Memory preset's own gap would not fit their weights.
fn with_blank_steps(mut config: Value) -> Value {
    if let Value::Object(map) = &mut config {
        map.entry("gap").or_insert(Value::from(0));
    }
    config
}

/// A run from [`export`]'s JSON, already parsed (in the browser by `JSON.parse`, which reads
/// every double exactly, so the wasm needs no JSON parser of its own).
pub fn import_value(value: &Value) -> Result<Trainer> {
    let header = Header::deserialize(value).map_err(|e| Error::Model(format!("this is not a saved model: {}", brief(&e.to_string()))))?;
    if header.format.as_ref().and_then(Value::as_str) != Some(FORMAT) {
        return Err(Error::Model("this is not a saved rnn-playground model".into()));
    }
    match header.version.as_ref().and_then(Value::as_u64) {
        Some(v) if v == VERSION as u64 => {}
        Some(1) => {
            return Err(Error::Model(format!(
                "this model was saved in format version 1, before runs were tested on held-out sums; this page reads version {VERSION}: \
                 start it again from its settings"
            )))
        }
        Some(v) => return Err(Error::Model(format!("this model was saved in format version {v}; this page reads version {VERSION}"))),
        None => return Err(Error::Model("the saved model has no format version".into())),
    }
    let run = SavedRun::deserialize(value).map_err(|e| Error::Model(format!("the saved model is damaged: {}", brief(&e.to_string()))))?;
    let config = Config::from_json(&with_blank_steps(run.config))?;
    let mut w = run.weights;
    let model = Model::from_parameters(config.cell, |name| take(&mut w, name, "the weights"))?;
    no_others(w, "the weights", &config)?;
    // shapes before drawing the data set, which for a large config is the slow part
    check_shapes(&config, &model)?;
    let mut moments = Vec::new();
    for mut m in run.optimizer.moments {
        let arrays = config.cell.parameter_names().iter().map(|name| take(&mut m, name, "an optimizer moment").map(|(_, v)| v)).collect::<Result<_>>()?;
        no_others(m, "an optimizer moment", &config)?;
        moments.push(arrays);
    }
    let optimizer = OptimizerState { step: run.optimizer.step, moments };
    optimizer.check(config.optimizer, &model)?;
    let t = run.training;
    let state = TrainingState {
        epoch: t.epoch,
        examples_seen: t.examples_seen,
        learning_rate: t.learning_rate,
        history: t.history.records()?,
        test_by_place: t.test_by_place,
    };
    let (data, _) = first_training_set(&config)?;
    Trainer::resume(config, data, model, state, optimizer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_continues_identically() {
        let mut a = Trainer::new(Config { n_samples: 20, hidden_dim: 8, ..Config::default() }).unwrap();
        a.train_epoch().unwrap();
        a.set_learning_rate(0.0123).unwrap();
        let mut b = import(&export(&a)).unwrap();
        assert_eq!(b.model(), a.model());
        assert_eq!(b.state(), a.state());
        assert_eq!(a.train_epoch(), b.train_epoch());
        assert_eq!(b.model(), a.model());
    }

    #[test]
    fn a_memory_run_saved_before_blank_steps_existed_still_loads() {
        // the Memory preset's settings of then: no blank steps, no gap key in the file
        let old = Config::from_json(&serde_json::json!({"preset": "memory", "gap": 0, "nDigits": 3, "hiddenDim": 6, "nSamples": 64})).unwrap();
        let mut a = Trainer::new(old).unwrap();
        a.train_epoch().unwrap();
        let mut file: Value = serde_json::from_str(&export(&a)).unwrap();
        assert_eq!(file["config"]["gap"], 0);
        file["config"].as_object_mut().unwrap().remove("gap");
        let b = import_value(&file).unwrap();
        assert_eq!((b.config().gap, b.config().hidden_dim, b.model()), (0, 6, a.model()));
        // a gap given is kept: the preset's own
        assert_eq!(crate::config::Preset::Memory.config().gap, 8);
    }

    #[test]
    fn a_run_saved_mid_epoch_is_its_last_whole_epoch() {
        let mut a = Trainer::new(Config { n_samples: 20, hidden_dim: 8, ..Config::default() }).unwrap();
        a.train_epoch().unwrap();
        let at_one = export(&a);
        a.advance(7).unwrap();
        assert_ne!(a.model(), a.epoch_start_model());
        assert_eq!(export(&a), at_one);
    }

    #[test]
    fn the_largest_model_saves_under_the_limit() {
        let mut t = Trainer::new(Config { n_samples: 1, hidden_dim: 512, n_digits: 1, ..Config::default() }).unwrap();
        t.train_epoch().unwrap();
        let json = export(&t);
        // every number written at its longest (e.g. -0.0012345678901234567): at most 24 bytes
        let weights = 512 * 512 + 2 * 512 * 10;
        let history = crate::train::HISTORY_LIMIT * (json.len() - json.find("\"history\"").unwrap()).min(400);
        assert!(weights * 25 + history < MAX_FILE_BYTES, "{}", weights * 25 + history);
        assert!(import(&json).is_ok());
    }

    #[test]
    fn damaged_input_is_refused_with_a_reason() {
        let mut t = Trainer::new(Config { n_samples: 5, hidden_dim: 4, ..Config::default() }).unwrap();
        t.train_epoch().unwrap();
        let good = export(&t);
        let cases = [
            (good[..good.len() / 2].to_string(), "the JSON is broken"),
            ("{}".to_string(), "not a saved rnn-playground model"),
            (good.replace("\"version\":2", "\"version\":3"), "format version 3"),
            (good.replace("\"version\":2", "\"version\":1"), "format version 1, before runs were tested on held-out sums"),
            (good.replace("\"hiddenDim\":4", "\"hiddenDim\":5"), "but the settings need"),
            (good.replace("\"shape\":[4,10]", "\"shape\":[4,11]"), "should hold 4x11 numbers"),
            (good.replacen("\"data\":[", "\"data\":[null,", 1), "should hold"),
            (good.replacen("\"data\":[", "\"data\":[1e999,", 1), "number out of range"),
            (good.replacen("\"format\"", "\"extra\":1,\"format\"", 1), "unknown field `extra`"),
            (good.replacen("\"epoch\":1,", "\"epoch\":1,\"x\":2,", 1), "unknown field `x`"),
            (good.replacen("\"halved\":[", "\"y\":[],\"halved\":[", 1), "unknown field `y`"),
            (good.replacen("\"halved\":[false,", "\"halved\":[", 1), "columns have different lengths"),
            (good.replacen("\"shape\"", "\"z\":0,\"shape\"", 1), "unknown field `z`"),
            (good.replacen("\"hiddenDim\"", "\"speed\":0,\"hiddenDim\"", 1), "unknown setting \"speed\""),
            // the crafted file that used to trap: an empty history
            (good.replace(&history_of(&good), &serde_json::to_string(&History::of(&[])).unwrap()), "the loss history is empty"),
            (good.replace("\"examplesSeen\":5,\"learningRate\"", "\"examplesSeen\":6,\"learningRate\""), "examplesSeen is 6"),
            (good.replace("\"evaluateLossAfter\":1", "\"evaluateLossAfter\":2"), "the last loss record is at epoch 1 but epoch 0"),
            ("x".repeat(MAX_FILE_BYTES + 1), "a saved model is at most 10 MB"),
        ];
        for (text, want) in cases {
            let err = import(&text).err().unwrap_or_else(|| panic!("accepted: {want}"));
            assert!(err.message().contains(want), "{want}: {err}");
            assert!(err.message().len() < 400, "{err}");
        }
    }

    fn history_of(json: &str) -> String {
        let start = json.find("\"history\":").unwrap() + "\"history\":".len();
        let end = start + json[start..].find('}').unwrap() + 1;
        json[start..end].to_string()
    }
}
