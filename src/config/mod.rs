//! Every setting of a run in one declarative table ([`SETTINGS`], written with `settings!`): its
//! field, key, type, default, bounds and whether changing it needs a new model. The struct, its
//! defaults, the JSON reader, the validation and the schema the page reads ([`schema`]) are all
//! derived from that table, so adding a setting is one entry in it.
//!
//! Beside it: `choice.rs` (every named choice), `presets.rs`, `fields.rs` (how a field reads and
//! writes its values) and `limits.rs` (work estimates and the bounds on them).

mod choice;
pub(crate) mod fields;
mod limits;
mod presets;

pub(crate) use choice::choice;
pub use choice::{Optimizer, Precision, RateRule};
pub use limits::{MAX_BATCH_WORK, MAX_EPOCH_WORK, MAX_FILE_BYTES, MAX_LIVE_FLOW_WORK, MAX_SAVED_NUMBERS, MAX_SEQUENCE_WORK};
pub use presets::Preset;

use crate::cells::Cell;
use crate::data::MAX_DIGITS;
use crate::error::{quote, Error, Result};
use crate::layout::{Layout, Shape};
use fields::FieldValue;
use serde_json::{json, Map, Value};

/// What values a setting takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A whole number from `min` to `max`; null too when `nullable` (its meaning is in the doc).
    Integer { min: u64, max: u64, nullable: bool },
    /// Any finite number above 0; null too when `nullable` (its meaning is in the doc).
    PositiveNumber { nullable: bool },
    /// A number from 0 up to, not including, 1.
    Fraction,
    /// true or false.
    Boolean,
    /// One of these names.
    Choice { choices: &'static [&'static str] },
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setting {
    /// The camelCase key of the settings object.
    pub key: &'static str,
    pub kind: Kind,
    /// Whether a change needs a new model (data and weights drawn again); if not, it applies to
    /// the model in training.
    pub new_model: bool,
    /// The field's doc comment.
    pub doc: &'static str,
}

impl Setting {
    /// `{ key, type, min?, max?, nullable?, choices?, newModel, doc }`. Written out rather than
    /// derived: serde's tagged and flattened forms cost kilobytes of wasm.
    pub fn to_json(&self) -> Value {
        let mut row = json!({ "key": self.key, "newModel": self.new_model, "doc": self.doc.trim() });
        let kind = match self.kind {
            Kind::Integer { min, max, nullable } => json!({ "type": "integer", "min": min, "max": max, "nullable": nullable }),
            Kind::PositiveNumber { nullable } => json!({ "type": "positiveNumber", "nullable": nullable }),
            Kind::Fraction => json!({ "type": "fraction" }),
            Kind::Boolean => json!({ "type": "boolean" }),
            Kind::Choice { choices } => json!({ "type": "choice", "choices": choices }),
        };
        if let (Value::Object(row), Value::Object(kind)) = (&mut row, kind) {
            row.extend(kind);
        }
        row
    }
}

const SEED: Kind = Kind::Integer { min: 0, max: u32::MAX as u64, nullable: false };

const POSITIVE: Kind = Kind::PositiveNumber { nullable: false };

const fn whole(min: u64, max: u64) -> Kind {
    Kind::Integer { min, max, nullable: false }
}

/// Declares the settings: each entry is its doc, `field: Type = default`, then its key, kind and
/// whether a change needs a new model. Everything else in this file follows from the entries.
macro_rules! settings {
    ($( $(#[doc = $doc:literal])+ $field:ident: $ty:ty = $default:expr, $key:literal, $kind:expr, new_model: $new:literal; )+) => {
        /// A run's settings. Build one with [`Config::default`] or [`Config::from_json`]; both
        /// give a valid config, and [`Config::validate`] checks one built by hand.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Config {
            $( $(#[doc = $doc])+ pub $field: $ty, )+
        }

        impl Default for Config {
            /// The notebook's settings.
            fn default() -> Config {
                Config { $( $field: $default, )+ }
            }
        }

        /// Every setting, in the order the page lists them.
        pub const SETTINGS: &[Setting] = &[ $( Setting { key: $key, kind: $kind, new_model: $new, doc: concat!($($doc),+) }, )+ ];

        impl Config {
            /// Sets the field of `setting` from a JSON value, checked against its kind.
            fn set(&mut self, setting: &Setting, value: &Value) -> Result<()> {
                match setting.key {
                    $( $key => self.$field = FieldValue::read(setting, value)?, )+
                    other => return Err(unknown(other)),
                }
                Ok(())
            }

            /// Every field, checked against its kind.
            fn check_fields(&self) -> Result<()> {
                $( FieldValue::check(&self.$field, setting($key))?; )+
                Ok(())
            }

            /// The settings as a JSON object of camelCase keys, in the table's order.
            fn entries(&self) -> Vec<(&'static str, Value)> {
                vec![ $( ($key, FieldValue::to_json(&self.$field)), )+ ]
            }
        }
    };
}

settings! {
    /// The preset the run started from: its values, then any keys given with it.
    preset: Preset = Preset::Notebook, "preset", Kind::Choice { choices: &Preset::NAMES }, new_model: true;
    /// Seed of `np.random.seed` before the data set is drawn.
    data_seed: u32 = 10, "dataSeed", SEED, new_model: true;
    /// Seed before the weights are drawn; null draws them right after the data, no re-seed.
    model_seed: Option<u32> = Some(10), "modelSeed", Kind::Integer { min: 0, max: u32::MAX as u64, nullable: true }, new_model: true;
    /// Digits of each number added.
    n_digits: usize = 7, "nDigits", whole(1, MAX_DIGITS as u64), new_model: true;
    /// Training examples.
    n_samples: usize = 1000, "nSamples", whole(1, 100_000), new_model: true;
    /// H, the size of the hidden state.
    hidden_dim: usize = 100, "hiddenDim", whole(1, 512), new_model: true;
    /// How many steps back each output's error is propagated.
    bptt_truncate: usize = 20, "bpttTruncate", whole(0, 1000), new_model: true;
    /// Step size at the start (the notebook halves it when the loss rises: see rateRule): any finite number above 0.
    learning_rate: f64 = 0.005, "learningRate", POSITIVE, new_model: false;
    /// Evaluate the loss (and maybe halve the rate) every this many epochs.
    evaluate_loss_after: usize = 1, "evaluateLossAfter", whole(1, 1000), new_model: true;
    /// How a pair of numbers is laid out in time.
    layout: Layout = Layout::Notebook, "layout", Kind::Choice { choices: &Layout::NAMES }, new_model: true;
    /// Blank steps between a's digits and b's in the delayed layout, each reading an input of its own, so that b_i comes that many steps further from a_i (the other layouts ignore it).
    gap: usize = 0, "gap", whole(0, 64), new_model: true;
    /// How the hidden state is computed: the notebook's vanilla tanh cell, or PyTorch's GRU or LSTM.
    cell: Cell = Cell::Vanilla, "cell", Kind::Choice { choices: &Cell::NAMES }, new_model: true;
    /// How the gradients update the weights: the notebook's plain SGD, momentum or Adam.
    optimizer: Optimizer = Optimizer::Sgd, "optimizer", Kind::Choice { choices: &Optimizer::NAMES }, new_model: true;
    /// Momentum's decay of the velocity (v = momentum v + g; W -= lr v).
    momentum: f64 = 0.9, "momentum", Kind::Fraction, new_model: true;
    /// Adam's decay of its first moment.
    beta1: f64 = 0.9, "beta1", Kind::Fraction, new_model: true;
    /// Adam's decay of its second moment.
    beta2: f64 = 0.999, "beta2", Kind::Fraction, new_model: true;
    /// Adam's guard against dividing by zero.
    epsilon: f64 = 1e-8, "epsilon", POSITIVE, new_model: true;
    /// Largest global norm of a step's gradient (U, V and W together), scaled down to it if above; null: no clipping.
    clip_norm: Option<f64> = None, "clipNorm", Kind::PositiveNumber { nullable: true }, new_model: true;
    /// Examples per update; the update uses the mean of their gradients (1: the notebook's SGD on each example).
    batch_size: usize = 1, "batchSize", whole(1, 1024), new_model: true;
    /// A fresh seeded draw of nSamples training sums every epoch instead of the same ones (none of them a test sum).
    fresh_data: bool = false, "freshData", Kind::Boolean, new_model: true;
    /// Chance that a training sum's digit of b is 9 − a's digit in that place, so that a carry runs on through it (0: every digit uniform, the notebook's draw); the held-out sums stay uniform.
    carry_runs: f64 = 0.0, "carryRuns", Kind::Fraction, new_model: true;
    /// Random held-out sums the network is tested on (never trained on), besides the carry chains.
    test_samples: usize = 1000, "testSamples", whole(1, 10_000), new_model: true;
    /// What the loss evaluations do to the rate: halve it when the loss rose (the notebook), nothing, or halve it every halveEvery epochs.
    rate_rule: RateRule = RateRule::HalveOnRise, "rateRule", Kind::Choice { choices: &RateRule::NAMES }, new_model: true;
    /// Under rateRule stepDecay: halve the rate every this many epochs (at the loss evaluation that ends them, or the first after).
    halve_every: usize = 40, "halveEvery", whole(1, 100_000), new_model: true;
    /// Arithmetic of mini-batch training (batchSize above 1) and of its loss evaluations: f64, or f32, about 1.5 times as fast; the weights, the optimizer and the gradient check stay in f64.
    precision: Precision = Precision::F64, "precision", Kind::Choice { choices: &Precision::NAMES }, new_model: true;
}

/// The table as JSON, for the page: `{ settings: [{ key, type, min?, max?, nullable?, choices?,
/// newModel, doc }], presets: [{ name, doc, values }], limits }`. A preset's `values` are every
/// setting's value in it; the first preset's are the defaults.
pub fn schema() -> Value {
    let presets: Vec<Value> = Preset::ALL.iter().map(|p| json!({ "name": p.name(), "doc": p.doc(), "values": p.config().to_json() })).collect();
    json!({
        "settings": SETTINGS.iter().map(Setting::to_json).collect::<Vec<_>>(),
        "presets": presets,
        "limits": { "sequenceWork": MAX_SEQUENCE_WORK, "batchWork": MAX_BATCH_WORK, "epochWork": MAX_EPOCH_WORK, "fileBytes": MAX_FILE_BYTES },
    })
}

fn setting(key: &str) -> &'static Setting {
    SETTINGS.iter().find(|s| s.key == key).expect("every field has a row in the table")
}

fn unknown(key: &str) -> Error {
    let known: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
    Error::Config(format!("unknown setting \"{}\"; known settings: {}", quote(key), known.join(", ")))
}

/// Checks a learning rate: any finite number above 0 (a rate that blows the weights up is
/// allowed, to be seen: the trainer undoes such an epoch).
pub fn check_learning_rate(lr: f64) -> Result<f64> {
    lr.check(setting("learningRate"))?;
    Ok(lr)
}

impl Config {
    /// A config from a JSON object of camelCase settings, every key optional: a `preset`'s values
    /// (the notebook's by default), then the keys given. Unknown keys, wrong types and
    /// out-of-range values are errors naming the key.
    pub fn from_json(value: &Value) -> Result<Config> {
        let empty = Map::new();
        let map = match value {
            Value::Null => &empty,
            Value::Object(m) => m,
            other => return Err(Error::Config(format!("the settings must be an object, got {}", quote(&other.to_string())))),
        };
        let preset_row = setting("preset");
        let preset = map.get(preset_row.key).map_or(Ok(Preset::default()), |v| <Preset as FieldValue>::read(preset_row, v))?;
        let mut c = preset.config();
        for (key, v) in map {
            let row = SETTINGS.iter().find(|s| s.key == key).ok_or_else(|| unknown(key))?;
            c.set(row, v)?;
        }
        c.check_work()?;
        Ok(c)
    }

    /// Checks every field of a config built by hand.
    pub fn validate(&self) -> Result<()> {
        self.check_fields()?;
        self.check_work()
    }

    /// The shape of the run's sequences: its layout at nDigits, with the delayed layout's blank steps.
    pub fn shape(&self) -> Shape {
        Shape::new(self.layout, self.n_digits, self.gap)
    }

    /// The settings as a JSON object, every key present.
    pub fn to_json(&self) -> Value {
        Value::Object(self.entries().into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_a_row_and_the_defaults_are_valid() {
        let c = Config::default();
        c.validate().unwrap();
        let keys: Vec<&str> = c.entries().iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, SETTINGS.iter().map(|s| s.key).collect::<Vec<_>>());
        assert_eq!(Config::from_json(&c.to_json()).unwrap(), c);
        // the schema's first preset is the defaults, and every default is within its bounds
        let schema = schema();
        assert_eq!(schema["presets"][0]["values"], c.to_json());
        assert_eq!(
            schema["settings"][3],
            json!({"key": "nDigits", "type": "integer", "min": 1, "max": 18, "nullable": false, "newModel": true, "doc": "Digits of each number added."})
        );
        assert_eq!(schema["settings"][7]["type"], "positiveNumber");
        assert_eq!(schema["settings"][9]["choices"], json!(["notebook", "aligned", "delayed"]));
    }

    #[test]
    fn a_preset_then_the_keys_given() {
        let c = Config::from_json(&json!({"preset": "notebook", "hiddenDim": 8})).unwrap();
        assert_eq!(c, Config { hidden_dim: 8, ..Preset::Notebook.config() });
        let e = Config::from_json(&json!({"preset": "fast"})).unwrap_err();
        assert_eq!(e.message(), "unknown preset \"fast\"; known: notebook, carry, memory");
        let e = Config { hidden_dim: 0, ..Config::default() }.validate().unwrap_err();
        assert_eq!(e.message(), "hiddenDim must be a whole number from 1 to 512, got 0");
    }
}
