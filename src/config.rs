//! Every setting of a run, its default (the notebook's) and its valid range, in one table.

use crate::data::{Layout, MAX_DIGITS};
use crate::error::{quote, Error, Result};
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
    /// SGD step size at the start (halved when the loss rises): any finite number above 0.
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
/// browser tab can hold and train at an interactive pace; [`MAX_SEQUENCE_WORK`] and
/// [`MAX_EPOCH_WORK`] bound their combinations.
pub const INTEGER_BOUNDS: [(&str, u64, u64); 7] = [
    ("dataSeed", 0, u32::MAX as u64),
    ("modelSeed", 0, u32::MAX as u64),
    ("nDigits", 1, MAX_DIGITS as u64),
    ("nSamples", 1, 100_000),
    ("hiddenDim", 1, 512),
    ("bpttTruncate", 0, 1000),
    ("evaluateLossAfter", 1, 1000),
];

/// Most work (about one multiply-add each) one training sequence may take: the page trains
/// between its other tasks one sequence at a time at least, and must answer within 50 ms. The
/// largest allowed sequences take about 9 ms in wasm on a 2-core VM (H 512, 36 steps).
pub const MAX_SEQUENCE_WORK: f64 = 4.0e7;

/// Most work one epoch may take (its SGD steps and its loss evaluation): about 25 s in wasm on a
/// 2-core VM, so that an epoch ends within a minute on a slower machine while a user watches.
pub const MAX_EPOCH_WORK: f64 = 1.2e11;

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
    let bad = || Error::Config(format!("{name} must be a whole number from {lo} to {hi}, got {}", quote(&value.to_string())));
    let n = match value {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= u64::MAX as f64).map(|f| f as u64)),
        _ => None,
    }
    .ok_or_else(bad)?;
    check_integer(name, n)
}

/// Checks a learning rate: any finite number above 0 (a rate that blows the weights up is
/// allowed, to be seen: the trainer undoes such an epoch).
pub fn check_learning_rate(lr: f64) -> Result<f64> {
    if !lr.is_finite() || lr <= 0.0 {
        return Err(Error::Config(format!("learningRate must be a finite number above 0, got {lr}")));
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
            other => return Err(Error::Config(format!("the settings must be an object, got {}", quote(&other.to_string())))),
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
                    let lr = v.as_f64().ok_or_else(|| Error::Config(format!("learningRate must be a number, got {}", quote(&v.to_string()))))?;
                    c.learning_rate = check_learning_rate(lr)?;
                }
                "layout" => {
                    let name = v.as_str().ok_or_else(|| Error::Config(format!("layout must be a string, got {}", quote(&v.to_string()))))?;
                    c.layout = Layout::from_name(name)?;
                }
                _ => return Err(Error::Config(format!("unknown setting \"{}\"; known settings: {}", quote(key), Config::KEYS.join(", ")))),
            }
        }
        c.check_work()?;
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
        self.check_work()
    }

    /// Multiply-adds of one SGD step, roughly: the forward pass, T·H·(H + C), and a backward pass
    /// of twice that for every step each output's error reaches back (all of them at once for
    /// the single pass used when nothing is truncated).
    pub fn sequence_work(&self) -> f64 {
        let steps = self.steps();
        let reach = if self.bptt_truncate + 1 >= steps { 1 } else { self.bptt_truncate + 1 };
        let forward = (steps * self.hidden_dim * (self.hidden_dim + self.layout.input_dim() + crate::data::N_CLASSES)) as f64;
        forward * (1 + 2 * reach) as f64
    }

    /// Multiply-adds of one epoch: its SGD steps and a forward pass each for the loss.
    pub fn epoch_work(&self) -> f64 {
        let forward = (self.steps() * self.hidden_dim * (self.hidden_dim + self.layout.input_dim() + crate::data::N_CLASSES)) as f64;
        self.n_samples as f64 * (self.sequence_work() + forward)
    }

    /// Refuses settings whose sequence or epoch would take too long for a page that must keep
    /// answering; the message says what would fit.
    fn check_work(&self) -> Result<()> {
        let sequence = self.sequence_work();
        if sequence > MAX_SEQUENCE_WORK {
            return Err(Error::Config(format!(
                "hiddenDim {} with {} digits and bpttTruncate {} is too large: one training sequence would take {:.0e} multiply-adds, \
                 and the page allows {MAX_SEQUENCE_WORK:.0e} (about 10 ms) so that it keeps answering while it trains. \
                 Use a smaller hidden size, fewer digits, or bpttTruncate {} or more (nothing cut: one backward pass, the fastest).",
                self.hidden_dim,
                self.n_digits,
                self.bptt_truncate,
                sequence,
                self.steps().saturating_sub(1)
            )));
        }
        let epoch = self.epoch_work();
        if epoch > MAX_EPOCH_WORK {
            let most = (self.n_samples as f64 * MAX_EPOCH_WORK / epoch).floor();
            return Err(Error::Config(format!(
                "{} training samples at hidden size {} and {} digits make an epoch of {:.0e} multiply-adds; the page allows \
                 {MAX_EPOCH_WORK:.0e} (under a minute) so that every epoch ends while you watch. \
                 Use at most {most} samples at these settings, or a smaller hidden size.",
                self.n_samples, self.hidden_dim, self.n_digits, epoch
            )));
        }
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
