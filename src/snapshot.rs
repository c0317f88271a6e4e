//! Saving a run as JSON and reading it back: the settings, the weights and where training stands.
//! The data set is not stored; it is drawn again from the data seed, bit for bit.

use crate::config::Config;
use crate::data::DataSet;
use crate::error::{Error, Result};
use crate::model::Rnn;
use crate::rng::NumpyRng;
use crate::train::{Trainer, TrainingState};
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Names the file kind, so that any other JSON is refused with a clear message.
pub const FORMAT: &str = "rnn-playground-model";
pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
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

fn to_matrix(a: &Array2<f64>) -> Matrix {
    Matrix { shape: [a.nrows(), a.ncols()], data: a.iter().map(|&v| Some(v)).collect() }
}

fn from_matrix(name: &str, m: Matrix) -> Result<Array2<f64>> {
    let [r, c] = m.shape;
    if r.checked_mul(c) != Some(m.data.len()) {
        return Err(Error::Model(format!("{name} should hold {r}x{c} numbers but holds {}", m.data.len())));
    }
    let data: Option<Vec<f64>> = m.data.into_iter().map(|v| v.filter(|x| x.is_finite())).collect();
    let data = data.ok_or_else(|| Error::Model(format!("{name} holds a value that is not a finite number")))?;
    Ok(Array2::from_shape_vec((r, c), data).expect("length checked"))
}

/// The run as a JSON string.
pub fn export(trainer: &Trainer) -> String {
    let m = trainer.model();
    let value = serde_json::json!({
        "format": FORMAT,
        "version": VERSION,
        "config": trainer.config().to_json(),
        "training": trainer.state(),
        "weights": Weights { u: to_matrix(&m.u), v: to_matrix(&m.v), w: to_matrix(&m.w) },
    });
    serde_json::to_string(&value).expect("a run always serialises")
}

/// A run from [`export`]'s JSON. Anything else, damaged or of another version, is a clear error.
pub fn import(json: &str) -> Result<Trainer> {
    let value: Value = serde_json::from_str(json).map_err(|e| Error::Model(format!("this is not a saved model: the JSON is broken ({e})")))?;
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(Error::Model("this is not a saved rnn-playground model".into()));
    }
    match value.get("version").and_then(Value::as_u64) {
        Some(v) if v == VERSION as u64 => {}
        Some(v) => return Err(Error::Model(format!("this model was saved in format version {v}; this page reads version {VERSION}"))),
        None => return Err(Error::Model("the saved model has no format version".into())),
    }
    let field = |k: &str| value.get(k).cloned().ok_or_else(|| Error::Model(format!("the saved model has no \"{k}\"")));
    let config = Config::from_json(&field("config")?)?;
    let state: TrainingState = serde_json::from_value(field("training")?).map_err(|e| Error::Model(format!("the training state is damaged: {e}")))?;
    let weights: Weights = serde_json::from_value(field("weights")?).map_err(|e| Error::Model(format!("the weights are damaged: {e}")))?;
    let model = Rnn { u: from_matrix("U", weights.u)?, v: from_matrix("V", weights.v)?, w: from_matrix("W", weights.w)? };
    let mut rng = NumpyRng::new(config.data_seed as u64)?;
    let data = DataSet::generate(&mut rng, config.n_samples, config.n_digits, config.layout)?;
    Trainer::resume(config, data, model, state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_continues_identically() {
        let mut a = Trainer::new(Config { n_samples: 20, hidden_dim: 8, ..Config::default() }).unwrap();
        a.train_epoch();
        a.set_learning_rate(0.0123).unwrap();
        let mut b = import(&export(&a)).unwrap();
        assert_eq!(b.model(), a.model());
        assert_eq!(b.state(), a.state());
        assert_eq!(a.train_epoch(), b.train_epoch());
        assert_eq!(b.model(), a.model());
    }

    #[test]
    fn damaged_input_is_refused_with_a_reason() {
        let t = Trainer::new(Config { n_samples: 5, hidden_dim: 4, ..Config::default() }).unwrap();
        let good = export(&t);
        let cases = [
            (good[..good.len() / 2].to_string(), "the JSON is broken"),
            ("{}".to_string(), "not a saved rnn-playground model"),
            (good.replace("\"version\":1", "\"version\":2"), "format version 2"),
            (good.replace("\"hiddenDim\":4", "\"hiddenDim\":5"), "but the settings need"),
            (good.replace("\"shape\":[4,10]", "\"shape\":[4,11]"), "should hold 4x11 numbers"),
            (good.replacen("\"data\":[", "\"data\":[null,", 1), "should hold"),
        ];
        for (text, want) in cases {
            let err = import(&text).err().unwrap_or_else(|| panic!("accepted: {want}"));
            assert!(err.message().contains(want), "{err}");
        }
    }
}
