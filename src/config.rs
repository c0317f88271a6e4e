//! Every setting of a run in one declarative table ([`SETTINGS`], written with `settings!`): its
//! field, key, type, default, bounds and whether changing it needs a new model. The struct, its
//! defaults, the JSON reader, the validation and the schema the page reads ([`schema`]) are all
//! derived from that table, so adding a setting is one entry in it.

use crate::data::MAX_DIGITS;
use crate::error::{quote, Error, Result};
use crate::layout::Layout;
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
    /// Random held-out sums the network is tested on (never trained on), besides the carry chains.
    test_samples: usize = 1000, "testSamples", whole(1, 10_000), new_model: true;
    /// What the loss evaluations do to the rate: halve it when the loss rose (the notebook), or nothing.
    rate_rule: RateRule = RateRule::HalveOnRise, "rateRule", Kind::Choice { choices: &RateRule::NAMES }, new_model: true;
    /// Arithmetic of mini-batch training (batchSize above 1): f64, or f32, about 1.5 times as fast; the weights, the optimizer, the loss evaluations and the gradient check stay in f64.
    precision: Precision = Precision::F64, "precision", Kind::Choice { choices: &Precision::NAMES }, new_model: true;
}

/// Declares a setting that is one of a few names: the enum, its names and its reader.
macro_rules! choice {
    ($(#[doc = $doc:literal])+ $name:ident { $( $(#[doc = $vdoc:literal])+ $variant:ident = $text:literal, )+ }) => {
        $(#[doc = $doc])+
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub enum $name {
            #[default]
            $( $(#[doc = $vdoc])+ $variant, )+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];
            pub const NAMES: [&'static str; $name::ALL.len()] = [ $( $text, )+ ];

            pub const fn name(self) -> &'static str {
                match self { $( $name::$variant => $text, )+ }
            }
        }

        impl FieldValue for $name {
            fn read(setting: &Setting, value: &Value) -> Result<$name> {
                let name = read_name(setting, value)?;
                $name::ALL.iter().copied().find(|v| v.name() == name).ok_or_else(|| unknown_choice(setting, name, &$name::NAMES))
            }
            fn check(&self, _: &Setting) -> Result<()> {
                Ok(())
            }
            fn to_json(&self) -> Value {
                Value::from(self.name())
            }
        }
    };
}

choice! {
    /// How a step's gradient changes the weights.
    Optimizer {
        /// W -= lr g, the notebook's.
        Sgd = "sgd",
        /// v = momentum v + g; W -= lr v.
        Momentum = "momentum",
        /// Adam (Kingma & Ba), bias-corrected.
        Adam = "adam",
    }
}

impl Optimizer {
    /// Arrays shaped like the weights it keeps (and a saved run holds besides the weights).
    pub const fn moments(self) -> usize {
        match self {
            Optimizer::Sgd => 0,
            Optimizer::Momentum => 1,
            Optimizer::Adam => 2,
        }
    }
}

choice! {
    /// What a loss evaluation does to the learning rate.
    RateRule {
        /// Halve it whenever the training loss rose: the notebook's rule.
        HalveOnRise = "halveOnRise",
        /// Leave it alone.
        Constant = "constant",
    }
}

choice! {
    /// The arithmetic a mini-batch's forward and backward passes are computed in.
    Precision {
        /// Double precision, as the notebook computes.
        F64 = "f64",
        /// Single precision: half the bytes per weight and twice the numbers per SIMD instruction.
        F32 = "f32",
    }
}

/// A named starting point: the notebook's setup, and later others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preset {
    /// Exactly the notebook's settings and numbers.
    #[default]
    Notebook,
    /// A network that adds: the aligned layout, Adam on mini-batches of fresh sums.
    Carry,
}

impl Preset {
    pub const ALL: [Preset; 2] = [Preset::Notebook, Preset::Carry];
    pub const NAMES: [&'static str; 2] = [Preset::Notebook.name(), Preset::Carry.name()];

    pub const fn name(self) -> &'static str {
        match self {
            Preset::Notebook => "notebook",
            Preset::Carry => "carry",
        }
    }

    /// One sentence for the page.
    pub fn doc(self) -> &'static str {
        match self {
            Preset::Notebook => "The notebook's setup, number for number: reads a then b, most significant digit first.",
            Preset::Carry => {
                "Learns to add: reads a_i and b_i together, least significant first, so every carry is known when it is needed; \
                 Adam on batches of 32 fresh sums, tested on held-out sums and carry chains."
            }
        }
    }

    /// The preset's settings: the defaults with its own values.
    pub fn config(self) -> Config {
        match self {
            Preset::Notebook => Config::default(),
            Preset::Carry => Config {
                preset: Preset::Carry,
                layout: Layout::Aligned,
                hidden_dim: 32,
                n_samples: 3200,
                optimizer: Optimizer::Adam,
                learning_rate: 0.02,
                batch_size: 32,
                fresh_data: true,
                rate_rule: RateRule::Constant,
                ..Config::default()
            },
        }
    }
}

/// Bounds that combine settings: most work (about one multiply-add each) one training sequence
/// may take. The page trains between its other tasks one sequence at a time at least, and must
/// answer within 50 ms; the largest allowed sequences take about 9 ms in wasm on a 2-core VM
/// (H 512, 36 steps).
pub const MAX_SEQUENCE_WORK: f64 = 4.0e7;

/// Most work one epoch may take (its SGD steps and its loss evaluation): about 25 s in wasm on a
/// 2-core VM, so that an epoch ends within a minute on a slower machine while a user watches.
pub const MAX_EPOCH_WORK: f64 = 1.2e11;

/// Most numbers a saved run may hold in its weights and optimizer moments: at up to 25 bytes each
/// they leave a saved run under the 10 MB a file may have (`snapshot::MAX_FILE_BYTES`), history
/// included. Plain SGD fits at every size; Adam's two moments do up to H 332.
pub const MAX_SAVED_NUMBERS: usize = 360_000;

/// Most work of a gradient flow computed while training (about 5 ms in wasm): a larger one waits
/// for a pause, so that Pause and a new sum are answered at once.
pub const MAX_LIVE_FLOW_WORK: f64 = 5e6;

/// The table as JSON, for the page: `{ settings: [{ key, type, min?, max?, nullable?, choices?,
/// newModel, doc }], presets: [{ name, doc, values }], limits }`. A preset's `values` are every
/// setting's value in it; the first preset's are the defaults.
pub fn schema() -> Value {
    let presets: Vec<Value> = Preset::ALL.iter().map(|p| json!({ "name": p.name(), "doc": p.doc(), "values": p.config().to_json() })).collect();
    json!({
        "settings": SETTINGS.iter().map(Setting::to_json).collect::<Vec<_>>(),
        "presets": presets,
        "limits": { "sequenceWork": MAX_SEQUENCE_WORK, "epochWork": MAX_EPOCH_WORK, "fileBytes": crate::snapshot::MAX_FILE_BYTES },
    })
}

fn setting(key: &str) -> &'static Setting {
    SETTINGS.iter().find(|s| s.key == key).expect("every field has a row in the table")
}

fn unknown(key: &str) -> Error {
    let known: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
    Error::Config(format!("unknown setting \"{}\"; known settings: {}", quote(key), known.join(", ")))
}

/// How a field's type reads, checks and writes its values.
trait FieldValue: Sized {
    fn read(setting: &Setting, value: &Value) -> Result<Self>;
    fn check(&self, setting: &Setting) -> Result<()>;
    fn to_json(&self) -> Value;
}

fn out_of_range(setting: &Setting, got: &str) -> Error {
    match setting.kind {
        Kind::Integer { min, max, .. } => Error::Config(format!("{} must be a whole number from {min} to {max}, got {got}", setting.key)),
        _ => Error::Config(format!("{} is not a whole number setting", setting.key)),
    }
}

fn read_integer(setting: &Setting, value: &Value) -> Result<u64> {
    let n = match value {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= u64::MAX as f64).map(|f| f as u64)),
        _ => None,
    };
    let n = n.ok_or_else(|| out_of_range(setting, &quote(&value.to_string())))?;
    check_integer(setting, n)?;
    Ok(n)
}

fn check_integer(setting: &Setting, n: u64) -> Result<()> {
    match setting.kind {
        Kind::Integer { min, max, .. } if (min..=max).contains(&n) => Ok(()),
        _ => Err(out_of_range(setting, &n.to_string())),
    }
}

impl FieldValue for usize {
    fn read(setting: &Setting, value: &Value) -> Result<usize> {
        read_integer(setting, value).map(|n| n as usize)
    }
    fn check(&self, setting: &Setting) -> Result<()> {
        check_integer(setting, *self as u64)
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl FieldValue for u32 {
    fn read(setting: &Setting, value: &Value) -> Result<u32> {
        read_integer(setting, value).map(|n| n as u32)
    }
    fn check(&self, setting: &Setting) -> Result<()> {
        check_integer(setting, *self as u64)
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl FieldValue for Option<u32> {
    fn read(setting: &Setting, value: &Value) -> Result<Option<u32>> {
        if value.is_null() {
            Ok(None)
        } else {
            u32::read(setting, value).map(Some)
        }
    }
    fn check(&self, setting: &Setting) -> Result<()> {
        self.map_or(Ok(()), |n| n.check(setting))
    }
    fn to_json(&self) -> Value {
        self.map_or(Value::Null, Value::from)
    }
}

impl FieldValue for bool {
    fn read(setting: &Setting, value: &Value) -> Result<bool> {
        value.as_bool().ok_or_else(|| Error::Config(format!("{} must be true or false, got {}", setting.key, quote(&value.to_string()))))
    }
    fn check(&self, _: &Setting) -> Result<()> {
        Ok(())
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl FieldValue for Option<f64> {
    fn read(setting: &Setting, value: &Value) -> Result<Option<f64>> {
        if value.is_null() {
            Ok(None)
        } else {
            f64::read(setting, value).map(Some)
        }
    }
    fn check(&self, setting: &Setting) -> Result<()> {
        self.map_or(Ok(()), |v| v.check(setting))
    }
    fn to_json(&self) -> Value {
        self.map_or(Value::Null, Value::from)
    }
}

impl FieldValue for f64 {
    fn read(setting: &Setting, value: &Value) -> Result<f64> {
        let v = value.as_f64().ok_or_else(|| Error::Config(format!("{} must be a number, got {}", setting.key, quote(&value.to_string()))))?;
        v.check(setting)?;
        Ok(v)
    }
    fn check(&self, setting: &Setting) -> Result<()> {
        if setting.kind == Kind::Fraction {
            if !(0.0..1.0).contains(self) {
                return Err(Error::Config(format!("{} must be a number from 0 up to (not including) 1, got {self}", setting.key)));
            }
        } else if !self.is_finite() || *self <= 0.0 {
            return Err(Error::Config(format!("{} must be a finite number above 0, got {self}", setting.key)));
        }
        Ok(())
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

/// A choice's name as a string, or a clear error.
fn read_name<'a>(setting: &Setting, value: &'a Value) -> Result<&'a str> {
    value.as_str().ok_or_else(|| Error::Config(format!("{} must be a string, got {}", setting.key, quote(&value.to_string()))))
}

fn unknown_choice(setting: &Setting, name: &str, choices: &[&str]) -> Error {
    Error::Config(format!("unknown {} \"{}\"; known: {}", setting.key, quote(name), choices.join(", ")))
}

/// A setting whose values are a few names: a layout, a preset.
trait Named: Copy + 'static {
    const ALL: &'static [Self];
    fn name(self) -> &'static str;
}

impl Named for Layout {
    const ALL: &'static [Layout] = &Layout::ALL;
    fn name(self) -> &'static str {
        Layout::name(self)
    }
}

impl Named for Preset {
    const ALL: &'static [Preset] = &Preset::ALL;
    fn name(self) -> &'static str {
        Preset::name(self)
    }
}

impl<T: Named> FieldValue for T {
    fn read(setting: &Setting, value: &Value) -> Result<T> {
        let name = read_name(setting, value)?;
        T::ALL.iter().copied().find(|v| v.name() == name).ok_or_else(|| {
            let names: Vec<&str> = T::ALL.iter().map(|v| v.name()).collect();
            unknown_choice(setting, name, &names)
        })
    }
    fn check(&self, _: &Setting) -> Result<()> {
        Ok(())
    }
    fn to_json(&self) -> Value {
        Value::from(self.name())
    }
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

    /// Multiply-adds of one training sequence, roughly: the forward pass, T·H·(H + C), and a
    /// backward pass of twice that for every step each output's error reaches back (all of them
    /// at once for the single pass used when nothing is truncated). A batch costs its sequences'
    /// sum (its matrix products are faster per sequence, never slower).
    pub fn sequence_work(&self) -> f64 {
        let steps = self.layout.steps(self.n_digits);
        let reach = if self.bptt_truncate + 1 >= steps { 1 } else { self.bptt_truncate + 1 };
        self.forward_work() * (1 + 2 * reach) as f64
    }

    /// Multiply-adds of one update, the smallest piece of training the page can stop between.
    pub fn batch_work(&self) -> f64 {
        self.batch_size.min(self.n_samples) as f64 * self.sequence_work()
    }

    /// Multiply-adds of one epoch: its training sequences, and a forward pass each for the loss
    /// on them and on the test sets.
    pub fn epoch_work(&self) -> f64 {
        let evaluated = self.n_samples + self.test_samples + crate::heldout::MAX_CHAIN_PAIRS;
        self.n_samples as f64 * self.sequence_work() + evaluated as f64 * self.forward_work()
    }

    /// Multiply-adds of one gradient flow of a sum (see `flow::gradient_flow`): T² H² / 2.
    pub fn flow_work(&self) -> f64 {
        let steps = self.layout.steps(self.n_digits) as f64;
        steps * steps * (self.hidden_dim * self.hidden_dim) as f64 / 2.0
    }

    /// Weights of the model: H (C_in + C_out + H).
    pub fn parameter_count(&self) -> usize {
        self.hidden_dim * (self.layout.input_dim() + crate::data::N_CLASSES + self.hidden_dim)
    }

    fn forward_work(&self) -> f64 {
        let steps = self.layout.steps(self.n_digits);
        (steps * self.hidden_dim * (self.hidden_dim + self.layout.input_dim() + crate::data::N_CLASSES)) as f64
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
                self.layout.steps(self.n_digits).saturating_sub(1)
            )));
        }
        let batch = self.batch_work();
        if batch > MAX_SEQUENCE_WORK {
            let most = (MAX_SEQUENCE_WORK / sequence).floor();
            return Err(Error::Config(format!(
                "batchSize {} at these settings makes one update of {batch:.0e} multiply-adds; the page allows {MAX_SEQUENCE_WORK:.0e} \
                 (about 10 ms) so that it keeps answering while it trains. Use a batch of at most {most}.",
                self.batch_size
            )));
        }
        let numbers = (1 + self.optimizer.moments()) * self.parameter_count();
        if numbers > MAX_SAVED_NUMBERS {
            return Err(Error::Config(format!(
                "the {} optimizer at hidden size {} keeps {numbers} numbers with the weights, more than the {MAX_SAVED_NUMBERS} a saved \
                 run holds (files are at most 10 MB). Use a smaller hidden size or a plainer optimizer.",
                self.optimizer.name(),
                self.hidden_dim
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
        assert_eq!(schema["settings"][9]["choices"], json!(["notebook", "aligned"]));
    }

    #[test]
    fn a_preset_then_the_keys_given() {
        let c = Config::from_json(&json!({"preset": "notebook", "hiddenDim": 8})).unwrap();
        assert_eq!(c, Config { hidden_dim: 8, ..Preset::Notebook.config() });
        let e = Config::from_json(&json!({"preset": "fast"})).unwrap_err();
        assert_eq!(e.message(), "unknown preset \"fast\"; known: notebook, carry");
        let e = Config { hidden_dim: 0, ..Config::default() }.validate().unwrap_err();
        assert_eq!(e.message(), "hiddenDim must be a whole number from 1 to 512, got 0");
    }
}
