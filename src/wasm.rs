//! The browser's view of the core: one exported class, `Playground`, that converts JS values to
//! core calls and back and does nothing else. Every fallible call returns `Result<_, JsError>`,
//! so JS sees a thrown `Error` with the core's message; nothing here may panic.

use crate::config::Config;
use crate::data::parse_number;
use crate::error::Error;
use crate::gradcheck::{gradient_check, CheckOptions};
use crate::kernels::argmax;
use crate::model::Trace;
use crate::snapshot;
use crate::train::Trainer;
use js_sys::{Float64Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
fn start() {
    // A panic is a bug; if one happens anyway, say where in the console.
    console_error_panic_hook::set_once();
}

/// A fresh random seed from the browser's crypto source, for the "new random seed" buttons.
#[wasm_bindgen(js_name = freshSeed)]
pub fn fresh_seed() -> Result<u32, JsError> {
    getrandom::u32().map_err(|e| JsError::new(&format!("no random source available: {e}")))
}

/// A recurrent network learning to add, with its data and training state.
#[wasm_bindgen]
pub struct Playground {
    trainer: Trainer,
}

#[wasm_bindgen]
impl Playground {
    /// `new Playground(config?)`: every key optional; the defaults are the notebook's.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Playground, JsError> {
        let config = Config::from_json(&from_js(config, "the settings")?).map_err(js_error)?;
        Ok(Playground { trainer: Trainer::new(config).map_err(js_error)? })
    }

    /// One SGD pass over the training examples, then (when due) the loss and the rate rule.
    pub fn train_epoch(&mut self) -> Result<JsValue, JsError> {
        let started = js_sys::Date::now();
        let r = self.trainer.train_epoch();
        let e = r.latest.evaluation;
        to_js(&EpochSummary {
            epoch: r.epoch,
            loss: e.loss,
            learning_rate: r.learning_rate,
            examples_seen: r.examples_seen,
            digit_accuracy: e.digit_accuracy,
            exact_accuracy: e.exact_accuracy,
            evaluated: r.evaluated,
            halved: r.evaluated && r.latest.halved,
            millis: js_sys::Date::now() - started,
        })
    }

    /// Mean loss per digit on the training examples now.
    pub fn loss(&self) -> f64 {
        self.trainer.evaluate().loss
    }

    /// Loss and accuracies on the training examples now: `{ loss, digitAccuracy, exactAccuracy }`.
    pub fn evaluate(&self) -> Result<JsValue, JsError> {
        to_js(&self.trainer.evaluate())
    }

    /// Every loss evaluation so far, the starting one first.
    pub fn history(&self) -> Result<JsValue, JsError> {
        to_js(&self.trainer.history())
    }

    /// `{ epoch, examplesSeen, learningRate, history }`
    pub fn state(&self) -> Result<JsValue, JsError> {
        to_js(&self.trainer.state())
    }

    /// The full config with defaults filled in (camelCase keys).
    pub fn config(&self) -> Result<JsValue, JsError> {
        to_js(self.trainer.config())
    }

    /// The rate from the next step on; the halving rule keeps applying to it.
    pub fn set_learning_rate(&mut self, learning_rate: f64) -> Result<(), JsError> {
        self.trainer.set_learning_rate(learning_rate).map_err(js_error)
    }

    /// What the network says `a + b` is: digits, sums (decimal strings) and every step's
    /// probabilities (`Float64Array`, steps x 10, row-major).
    pub fn predict(&self, a: JsValue, b: JsValue) -> Result<JsValue, JsError> {
        let (a, b, x, y) = self.encode(a, b)?;
        let trace = self.trainer.model().forward(&x);
        let predicted: Vec<usize> = (0..x.len()).map(|t| argmax(trace.output(t))).collect();
        let layout = self.trainer.config().layout;
        let summary = Prediction {
            a: a.to_string(),
            b: b.to_string(),
            correct: predicted == y,
            predicted_sum: layout.decode_sum(&predicted).to_string(),
            true_sum: (a + b).to_string(),
            input_digits: x,
            target_digits: y,
            predicted_digits: predicted,
            steps: trace.steps(),
        };
        let out = to_js(&summary)?;
        set(&out, "probabilities", &typed(trace.outputs.as_slice().expect("row-major")))?;
        Ok(out)
    }

    /// The hidden states s_0 .. s_{T-1} for `a + b`: `{ steps, hiddenDim, values }`, `values` a
    /// `Float64Array` steps x H, row-major.
    pub fn hidden_states(&self, a: JsValue, b: JsValue) -> Result<JsValue, JsError> {
        let (_, _, x, _) = self.encode(a, b)?;
        let trace: Trace = self.trainer.model().forward(&x);
        let out = Object::new();
        set(&out, "steps", &JsValue::from(trace.steps() as u32))?;
        set(&out, "hiddenDim", &JsValue::from(self.trainer.model().hidden_dim() as u32))?;
        set(&out, "values", &typed(trace.hidden_states().as_slice().expect("rows 1.. of a row-major array")))?;
        Ok(out.into())
    }

    /// The weights as `{ U, V, W }`, each `{ rows, cols, values: Float64Array }`.
    pub fn weights(&self) -> Result<JsValue, JsError> {
        let m = self.trainer.model();
        let out = Object::new();
        for (name, a) in [("U", &m.u), ("V", &m.v), ("W", &m.w)] {
            let o = Object::new();
            set(&o, "rows", &JsValue::from(a.nrows() as u32))?;
            set(&o, "cols", &JsValue::from(a.ncols() as u32))?;
            set(&o, "values", &typed(a.as_slice().expect("row-major")))?;
            set(&out, name, &o)?;
        }
        Ok(out.into())
    }

    /// The notebook's gradient check on one training example. Options (all optional): `h`
    /// (0.001), `threshold` (0.01), `maxEntries` per matrix (all), `example` (0), `bpttTruncate`
    /// (the config's). Returns `[{ parameter, size, checked, maxRelativeError, worstIndex, passed }]`.
    pub fn gradient_check(&self, options: JsValue) -> Result<JsValue, JsError> {
        // through serde_json, which sees every key, so that a misspelt option is an error
        let o: GradCheckOptions = match from_js(options, "the gradient check options")? {
            serde_json::Value::Null => GradCheckOptions::default(),
            v => serde_json::from_value(v).map_err(|e| JsError::new(&format!("gradient check options: {e}")))?,
        };
        let defaults = CheckOptions::default();
        let h = o.h.unwrap_or(defaults.h);
        let threshold = o.threshold.unwrap_or(defaults.threshold);
        if !(h.is_finite() && h > 0.0 && h <= 1.0) {
            return Err(JsError::new(&format!("h must be a number above 0 and at most 1, got {h}")));
        }
        if !(threshold.is_finite() && threshold > 0.0) {
            return Err(JsError::new(&format!("threshold must be a positive number, got {threshold}")));
        }
        let data = self.trainer.data();
        let example = o.example.unwrap_or(0);
        if example >= data.len() {
            return Err(JsError::new(&format!("example must be from 0 to {}, got {example}", data.len() - 1)));
        }
        let (x, y) = data.example(example);
        let truncate = o.bptt_truncate.unwrap_or(self.trainer.config().bptt_truncate);
        let checks = gradient_check(self.trainer.model(), x, y, truncate, CheckOptions { h, threshold, max_entries: o.max_entries });
        let out: Vec<GradCheckRow> = checks
            .into_iter()
            .map(|c| GradCheckRow {
                parameter: c.parameter.name(),
                size: c.size,
                checked: c.checked,
                max_relative_error: c.max_relative_error,
                worst_index: c.worst_index.map(|(r, c)| [r, c]),
                passed: c.passed,
            })
            .collect();
        to_js(&out)
    }

    /// The run as JSON: version, config, weights, training state and loss history.
    pub fn export_model(&self) -> String {
        snapshot::export(&self.trainer)
    }

    /// A run saved by `export_model`; damaged or foreign input throws a clear Error.
    pub fn import_model(json: &str) -> Result<Playground, JsError> {
        Ok(Playground { trainer: snapshot::import(json).map_err(js_error)? })
    }
}

// ---- private helpers, kept apart from the exported API ----

impl Playground {
    /// Reads the two typed numbers and lays them out as the model's input and target digits.
    fn encode(&self, a: JsValue, b: JsValue) -> Result<(u64, u64, Vec<usize>, Vec<usize>), JsError> {
        let c = self.trainer.config();
        let a = number_from_js(a, c.n_digits, "the first number")?;
        let b = number_from_js(b, c.n_digits, "the second number")?;
        let (x, y) = c.layout.encode(a, b, c.n_digits).map_err(js_error)?;
        Ok((a, b, x, y))
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EpochSummary {
    epoch: usize,
    loss: f64,
    learning_rate: f64,
    examples_seen: usize,
    digit_accuracy: f64,
    exact_accuracy: f64,
    evaluated: bool,
    halved: bool,
    millis: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Prediction {
    a: String,
    b: String,
    input_digits: Vec<usize>,
    target_digits: Vec<usize>,
    predicted_digits: Vec<usize>,
    predicted_sum: String,
    true_sum: String,
    correct: bool,
    steps: usize,
}

#[derive(Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct GradCheckOptions {
    h: Option<f64>,
    threshold: Option<f64>,
    max_entries: Option<usize>,
    example: Option<usize>,
    bptt_truncate: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GradCheckRow {
    parameter: &'static str,
    size: usize,
    checked: usize,
    max_relative_error: f64,
    worst_index: Option<[usize; 2]>,
    passed: bool,
}

fn js_error(e: Error) -> JsError {
    JsError::new(e.message())
}

/// Plain JSON-like JS values (null stays null, numbers stay numbers).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("internal error converting a result: {e}")))
}

fn from_js(value: JsValue, what: &str) -> Result<serde_json::Value, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(serde_json::Value::Null);
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("{what} could not be read: {e}")))
}

/// A typed number: a JS number that is a whole number from 0, or a string of decimal digits.
fn number_from_js(value: JsValue, n_digits: usize, what: &str) -> Result<u64, JsError> {
    if let Some(f) = value.as_f64() {
        if !f.is_finite() || f.fract() != 0.0 || f < 0.0 {
            return Err(JsError::new(&format!("{what} must be a whole number from 0, got {f}")));
        }
        if f > 9_007_199_254_740_991.0 {
            return Err(JsError::new(&format!("{what} is too large to be exact as a JS number; pass it as a string")));
        }
        return parse_number(&(f as u64).to_string(), n_digits).map_err(|e| JsError::new(&format!("{what}: {e}")));
    }
    if let Some(s) = value.as_string() {
        return parse_number(&s, n_digits).map_err(|e| JsError::new(&format!("{what}: {e}")));
    }
    Err(JsError::new(&format!("{what} must be a number or a string of digits")))
}

fn typed(values: &[f64]) -> Float64Array {
    // A copy into JS memory: the caller may keep it (or transfer it to another thread) safely,
    // which a view into wasm memory would not survive.
    Float64Array::from(values)
}

fn set(target: &JsValue, key: &str, value: &JsValue) -> Result<(), JsError> {
    Reflect::set(target, &JsValue::from_str(key), value).map(|_| ()).map_err(|_| JsError::new("internal error building a result"))
}
