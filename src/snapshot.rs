//! Saving a run as JSON and reading it back: the settings, the weights and where training stands.
//! The data set is not stored; it is drawn again from the data seed, bit for bit.
//!
//! A run is saved as it stood at its last whole epoch. Reading one back checks everything the
//! trainer relies on (see `Trainer::resume`), refuses unknown fields anywhere, and refuses a file
//! over [`MAX_FILE_BYTES`] before parsing it.

use crate::config::Config;
use crate::data::DataSet;
use crate::error::{brief, Error, Result};
use crate::model::Rnn;
use crate::rng::NumpyRng;
use crate::train::{check_shapes, Trainer, TrainingState};
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Names the file kind, so that any other JSON is refused with a clear message.
pub const FORMAT: &str = "rnn-playground-model";
pub const VERSION: u32 = 1;

/// Largest file read back. The largest model the settings allow (H 512) with a full loss history
/// saves to about 6 MB, so every saved run fits; a larger file is refused before it is parsed.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Matrix {
    shape: [usize; 2],
    data: Vec<Option<f64>>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Weights {
    #[serde(rename = "U")]
    u: Matrix,
    #[serde(rename = "V")]
    v: Matrix,
    #[serde(rename = "W")]
    w: Matrix,
}

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
    training: TrainingState,
    weights: Weights,
}

fn to_matrix(a: &Array2<f64>) -> Matrix {
    Matrix { shape: [a.nrows(), a.ncols()], data: a.iter().map(|&v| Some(v)).collect() }
}

fn from_matrix(name: &str, m: Matrix) -> Result<Array2<f64>> {
    let [r, c] = m.shape;
    if r.checked_mul(c) != Some(m.data.len()) {
        return Err(Error::Model(format!("{name} should hold {r}x{c} numbers but holds {}", m.data.len())));
    }
    // JSON has no non-finite numbers but null; the trainer checks finiteness of whatever it gets
    let data: Option<Vec<f64>> = m.data.into_iter().collect();
    let data = data.ok_or_else(|| Error::Model(format!("{name} holds a value that is not a finite number")))?;
    Ok(Array2::from_shape_vec((r, c), data).expect("length checked"))
}

/// The run as a JSON string, as it stood at its last whole epoch.
pub fn export(trainer: &Trainer) -> String {
    let m = trainer.epoch_start_model();
    let run = SavedRun {
        format: FORMAT.into(),
        version: VERSION,
        config: trainer.config().to_json(),
        training: trainer.state(),
        weights: Weights { u: to_matrix(&m.u), v: to_matrix(&m.v), w: to_matrix(&m.w) },
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
    let header: Header =
        serde_json::from_str(json).map_err(|e| Error::Model(format!("this is not a saved model: the JSON is broken ({})", brief(&e.to_string()))))?;
    if header.format.as_ref().and_then(Value::as_str) != Some(FORMAT) {
        return Err(Error::Model("this is not a saved rnn-playground model".into()));
    }
    match header.version.as_ref().and_then(Value::as_u64) {
        Some(v) if v == VERSION as u64 => {}
        Some(v) => return Err(Error::Model(format!("this model was saved in format version {v}; this page reads version {VERSION}"))),
        None => return Err(Error::Model("the saved model has no format version".into())),
    }
    let run: SavedRun = serde_json::from_str(json).map_err(|e| Error::Model(format!("the saved model is damaged: {}", brief(&e.to_string()))))?;
    let config = Config::from_json(&run.config)?;
    let w = run.weights;
    let model = Rnn { u: from_matrix("U", w.u)?, v: from_matrix("V", w.v)?, w: from_matrix("W", w.w)? };
    // shapes before drawing the data set, which for a large config is the slow part
    check_shapes(&config, &model)?;
    let mut rng = NumpyRng::new(config.data_seed as u64)?;
    let data = DataSet::generate(&mut rng, config.n_samples, config.n_digits, config.layout)?;
    Trainer::resume(config, data, model, run.training)
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
            (good.replace("\"version\":1", "\"version\":2"), "format version 2"),
            (good.replace("\"hiddenDim\":4", "\"hiddenDim\":5"), "but the settings need"),
            (good.replace("\"shape\":[4,10]", "\"shape\":[4,11]"), "should hold 4x11 numbers"),
            (good.replacen("\"data\":[", "\"data\":[null,", 1), "should hold"),
            (good.replacen("\"data\":[", "\"data\":[1e999,", 1), "damaged"),
            (good.replacen("\"format\"", "\"extra\":1,\"format\"", 1), "unknown field `extra`"),
            (good.replacen("\"epoch\":1,", "\"epoch\":1,\"x\":2,", 1), "unknown field `x`"),
            (good.replacen("\"halved\":false", "\"halved\":false,\"y\":0", 1), "unknown field `y`"),
            (good.replacen("\"shape\"", "\"z\":0,\"shape\"", 1), "unknown field `z`"),
            (good.replacen("\"hiddenDim\"", "\"speed\":0,\"hiddenDim\"", 1), "unknown setting \"speed\""),
            // the crafted file that used to trap: an empty history
            (good.replace(&history_of(&good), "[]"), "the loss history is empty"),
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
        let end = start + json[start..].find(']').unwrap() + 1;
        json[start..end].to_string()
    }
}
