//! Every setting of a run, its default (the notebook's) and its valid range, in one table.

use crate::data::{Layout, MAX_DIGITS};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A run's settings. Build one with [`Config::default`] or [`Config::from_json`]; both give a
/// valid config, and [`Config::validate`] checks one built by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    /// Seed of `np.random.seed` before the data set is drawn.
    pub data_seed: u32,
    /// Seed before the weights are drawn; `None` draws them right after the data, no re-seed.
    pub model_seed: Option<u32>,
    /// Digits of each number added.
    pub n_digits: usize,
    /// Training examples.
    pub n_samples: usize,
    /// H, the size of the hidden state.
    pub hidden_dim: usize,
    /// How many steps back each output's error is propagated.
    pub bptt_truncate: usize,
    /// SGD step size at the start (halved when the loss rises).
    pub learning_rate: f64,
    /// Evaluate the loss (and maybe halve the rate) every this many epochs.
    pub evaluate_loss_after: usize,
    pub layout: Layout,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_seed: 10,
            model_seed: Some(10),
            n_digits: 7,
            n_samples: 1000,
            hidden_dim: 100,
            bptt_truncate: 20,
            learning_rate: 0.005,
            evaluate_loss_after: 1,
            layout: Layout::Notebook,
        }
    }
}

/// Bounds of the integer settings: (name, least, most). The upper bounds keep a run within what a
/// browser tab can hold and train at an interactive pace.
pub const INTEGER_BOUNDS: [(&str, u64, u64); 7] = [
    ("dataSeed", 0, u32::MAX as u64),
    ("modelSeed", 0, u32::MAX as u64),
    ("nDigits", 1, MAX_DIGITS as u64),
    ("nSamples", 1, 100_000),
    ("hiddenDim", 1, 1024),
    ("bpttTruncate", 0, 1000),
    ("evaluateLossAfter", 1, 1000),
];

/// Largest starting learning rate accepted.
pub const MAX_LEARNING_RATE: f64 = 10.0;

fn bounds(name: &str) -> (u64, u64) {
    let (_, lo, hi) = INTEGER_BOUNDS.iter().find(|(n, _, _)| *n == name).expect("declared above");
    (*lo, *hi)
}

fn check_integer(name: &str, value: u64) -> Result<u64> {
    let (lo, hi) = bounds(name);
    if value < lo || value > hi {
        return Err(Error::Config(format!("{name} must be a whole number from {lo} to {hi}, got {value}")));
    }
    Ok(value)
}

fn integer(name: &str, value: &Value) -> Result<u64> {
    let (lo, hi) = bounds(name);
    let bad = || Error::Config(format!("{name} must be a whole number from {lo} to {hi}, got {value}"));
    let n = match value {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= u64::MAX as f64).map(|f| f as u64)),
        _ => None,
    }
    .ok_or_else(bad)?;
    check_integer(name, n)
}

/// Checks a learning rate: a finite number above 0 and at most [`MAX_LEARNING_RATE`].
pub fn check_learning_rate(lr: f64) -> Result<f64> {
    if !lr.is_finite() || lr <= 0.0 || lr > MAX_LEARNING_RATE {
        return Err(Error::Config(format!("learningRate must be a number above 0 and at most {MAX_LEARNING_RATE}, got {lr}")));
    }
    Ok(lr)
}

impl Config {
    /// The setting names [`Config::from_json`] accepts.
    pub const KEYS: [&'static str; 9] = [
        "dataSeed", "modelSeed", "nDigits", "nSamples", "hiddenDim", "bpttTruncate", "learningRate", "evaluateLossAfter", "layout",
    ];

    /// A config from a JSON object of camelCase settings, every key optional (defaults are the
    /// notebook's). Unknown keys, wrong types and out-of-range values are errors naming the key.
    pub fn from_json(value: &Value) -> Result<Config> {
        let empty = Map::new();
        let map = match value {
            Value::Null => &empty,
            Value::Object(m) => m,
            other => return Err(Error::Config(format!("the settings must be an object, got {other}"))),
        };
        let mut c = Config::default();
        for (key, v) in map {
            match key.as_str() {
                "dataSeed" => c.data_seed = integer(key, v)? as u32,
                "modelSeed" => c.model_seed = if v.is_null() { None } else { Some(integer(key, v)? as u32) },
                "nDigits" => c.n_digits = integer(key, v)? as usize,
                "nSamples" => c.n_samples = integer(key, v)? as usize,
                "hiddenDim" => c.hidden_dim = integer(key, v)? as usize,
                "bpttTruncate" => c.bptt_truncate = integer(key, v)? as usize,
                "evaluateLossAfter" => c.evaluate_loss_after = integer(key, v)? as usize,
                "learningRate" => {
                    let lr = v.as_f64().ok_or_else(|| Error::Config(format!("learningRate must be a number, got {v}")))?;
                    c.learning_rate = check_learning_rate(lr)?;
                }
                "layout" => {
                    let name = v.as_str().ok_or_else(|| Error::Config(format!("layout must be a string, got {v}")))?;
                    c.layout = Layout::from_name(name)?;
                }
                _ => return Err(Error::Config(format!("unknown setting \"{key}\"; known settings: {}", Config::KEYS.join(", ")))),
            }
        }
        Ok(c)
    }

    /// Checks every field of a config built by hand.
    pub fn validate(&self) -> Result<()> {
        check_integer("nDigits", self.n_digits as u64)?;
        check_integer("nSamples", self.n_samples as u64)?;
        check_integer("hiddenDim", self.hidden_dim as u64)?;
        check_integer("bpttTruncate", self.bptt_truncate as u64)?;
        check_integer("evaluateLossAfter", self.evaluate_loss_after as u64)?;
        check_learning_rate(self.learning_rate)?;
        Ok(())
    }

    /// Time steps of one sequence.
    pub fn steps(&self) -> usize {
        self.layout.steps(self.n_digits)
    }

    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("a config always serialises")
    }
}
