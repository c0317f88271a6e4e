//! The browser's view of the core: one exported class, `Playground`, that converts JS values to
//! core calls and back and does nothing else. Every fallible call returns `Result<_, JsError>`,
//! so JS sees a thrown `Error` with the core's message; nothing here may panic.
//!
//! Inputs are taken strictly: a number must be a JS number (no coercion from strings or
//! booleans), NaN, ±Infinity and `undefined` inside settings are refused, never read as "unset".

use crate::config::Config;
use crate::data::parse_number;
use crate::error::{brief, quote, Error};
use crate::gradcheck::{CheckOptions, GradientCheck};
use crate::kernels::argmax;
use crate::model::Trace;
use crate::snapshot::{self, MAX_FILE_BYTES};
use crate::train::{Advance, EpochReport, Trainer};
use js_sys::{Array, Float64Array, JsString, Object, Reflect};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
fn start() {
    // A panic is a bug; if one happens anyway, say where in the console.
    console_error_panic_hook::set_once();
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// A fresh random seed from the browser's crypto source, for the "new random seed" buttons.
#[wasm_bindgen(js_name = freshSeed)]
pub fn fresh_seed() -> Result<u32, JsError> {
    getrandom::u32().map_err(|e| JsError::new(&format!("no random source available: {e}")))
}

/// Traps on purpose (as a bug would), so that tests can check that the page recovers from one.
#[wasm_bindgen(js_name = trapForTests)]
pub fn trap_for_tests() {
    core::arch::wasm32::unreachable()
}

/// A recurrent network learning to add, with its data and training state.
#[wasm_bindgen]
pub struct Playground {
    trainer: Trainer,
    /// Examples per `Trainer::advance` call in `train_for`, tuned to take about a millisecond.
    chunk: usize,
    check: Option<GradientCheck>,
}

#[wasm_bindgen]
impl Playground {
    /// `new Playground(config?)`: every key optional; the defaults are the notebook's. Draws the
    /// data and the weights; the starting loss is evaluated by the first call that needs it, or
    /// in slices by `train_for`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Playground, JsError> {
        let config = Config::from_json(&json_from_js(&config, "the settings")?).map_err(js_error)?;
        Ok(Playground::around(Trainer::start(config).map_err(js_error)?))
    }

    /// Works for about `millis` milliseconds (at least one example), in slices of about a
    /// millisecond: first the starting loss, if it is still pending (then it returns, with
    /// `ready`), then training, stopping early when an epoch diverges or, if `until_epoch` is a
    /// number, once that many epochs are done. Returns `{ epochs, sequences, ready, latest,
    /// progress, diverged, millis }`: epochs finished, SGD steps taken, whether the starting
    /// loss was recorded, the last finished epoch's report (or null), where the current epoch
    /// stands, the divergence message (or null) and the time taken.
    pub fn train_for(&mut self, millis: JsValue, until_epoch: JsValue) -> Result<JsValue, JsError> {
        let budget = number(&millis, "millis").and_then(|m| {
            if m > 0.0 && m <= 60_000.0 { Ok(m) } else { Err(JsError::new(&format!("millis must be above 0 and at most 60000, got {m}"))) }
        })?;
        let until = if until_epoch.is_null() || until_epoch.is_undefined() { usize::MAX } else { whole(&until_epoch, "untilEpoch")? };
        let started = performance_now();
        let steps_before = self.trainer.sgd_steps();
        let mut out = TrainedFor::default();
        if !self.trainer.is_starting() && self.trainer.epoch() >= until {
            out.progress = Some(self.trainer.progress());
            return to_js(&out);
        }
        loop {
            let slice_started = performance_now();
            let result = self.trainer.advance(self.chunk);
            let took = performance_now() - slice_started;
            // aim at slices of 0.5-2 ms: short enough to stop on time, long enough to be cheap
            if took < 0.5 {
                self.chunk = (self.chunk * 2).min(1 << 20);
            } else if took > 2.0 {
                self.chunk = (self.chunk / 2).max(1);
            }
            match result {
                Ok(Advance::Partial) => {}
                Ok(Advance::Ready) => {
                    out.ready = true;
                    break;
                }
                Ok(Advance::Epoch(report)) => {
                    out.epochs += 1;
                    out.latest = Some(EpochSummary::of(&report, took));
                }
                Err(e) => {
                    out.diverged = Some(e.message().to_string());
                    break;
                }
            }
            if performance_now() - started >= budget || self.trainer.epoch() >= until {
                break;
            }
        }
        out.sequences = self.trainer.sgd_steps() - steps_before;
        out.progress = Some(self.trainer.progress());
        out.millis = performance_now() - started;
        to_js(&out)
    }

    /// One whole epoch: an SGD pass over the training examples, then (when due) the loss and the
    /// rate rule. An epoch that diverges is undone and throws an Error saying so.
    pub fn train_epoch(&mut self) -> Result<JsValue, JsError> {
        let started = performance_now();
        let report = self.trainer.train_epoch().map_err(js_error)?;
        to_js(&EpochSummary::of(&report, performance_now() - started))
    }

    /// `{ phase, done, total }`: "starting", "training" or "evaluating", and the examples of it
    /// done so far.
    pub fn progress(&self) -> Result<JsValue, JsError> {
        to_js(&self.trainer.progress())
    }

    /// Epochs completed.
    pub fn epoch(&self) -> f64 {
        self.trainer.epoch() as f64
    }

    /// The rate in force: the next SGD step uses it.
    pub fn learning_rate(&self) -> f64 {
        self.trainer.learning_rate()
    }

    /// Mean loss per digit on the training examples now.
    pub fn loss(&self) -> f64 {
        self.trainer.evaluate().loss
    }

    /// Loss and accuracies on the training examples now: `{ loss, digitAccuracy, exactAccuracy }`.
    pub fn evaluate(&self) -> Result<JsValue, JsError> {
        to_js(&self.trainer.evaluate())
    }

    /// Every loss evaluation kept, the starting one first.
    pub fn history(&mut self) -> Result<JsValue, JsError> {
        self.trainer.finish_starting_loss();
        to_js(&self.trainer.history())
    }

    /// The loss records after epoch `after` (all for null), at most `most` of them, evenly
    /// chosen but with every halving and the latest: what a chart needs to catch up.
    pub fn history_since(&self, after: JsValue, most: JsValue) -> Result<JsValue, JsError> {
        let after = if after.is_null() { None } else { Some(whole(&after, "after")?) };
        let most = whole(&most, "most")?;
        to_js(&self.trainer.history_since(after, most))
    }

    /// `{ epoch, examplesSeen, learningRate, history }` at the last whole epoch.
    pub fn state(&mut self) -> Result<JsValue, JsError> {
        self.trainer.finish_starting_loss();
        to_js(&self.trainer.state())
    }

    /// The full config with defaults filled in (camelCase keys).
    pub fn config(&self) -> Result<JsValue, JsError> {
        to_js(self.trainer.config())
    }

    /// The rate from the next step on; the halving rule keeps applying to it.
    pub fn set_learning_rate(&mut self, learning_rate: JsValue) -> Result<(), JsError> {
        let lr = number(&learning_rate, "learningRate")?;
        self.trainer.set_learning_rate(lr).map_err(js_error)
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

    /// The notebook's gradient check on one training example, all at once. Options (all
    /// optional): `h` (0.001), `threshold` (0.01), `maxEntries` per matrix (all), `example` (0),
    /// `bpttTruncate` (the config's). Returns `[{ parameter, size, checked, maxRelativeError,
    /// worstIndex, passed }]`.
    pub fn gradient_check(&self, options: JsValue) -> Result<JsValue, JsError> {
        to_js(&self.new_check(options)?.finish())
    }

    /// Starts the same check, to be run in slices by `continue_gradient_check`; replaces any
    /// check under way. Returns `{ checked, total, done, rows }`.
    pub fn start_gradient_check(&mut self, options: JsValue) -> Result<JsValue, JsError> {
        let check = self.new_check(options)?;
        let out = check_progress(&check);
        self.check = Some(check);
        out
    }

    /// Runs the check under way for about `millis` ms; `rows` is filled in once `done`.
    pub fn continue_gradient_check(&mut self, millis: JsValue) -> Result<JsValue, JsError> {
        let budget = number(&millis, "millis")?;
        let check = self.check.as_mut().ok_or_else(|| JsError::new("no gradient check is under way: start one first"))?;
        let started = performance_now();
        while !check.advance(8) && performance_now() - started < budget {}
        let out = check_progress(check);
        if check.is_done() {
            self.check = None;
        }
        out
    }

    /// The run as JSON (version, config, weights, training state and loss history), as it
    /// stood at its last whole epoch.
    pub fn export_model(&mut self) -> String {
        self.trainer.finish_starting_loss();
        snapshot::export(&self.trainer)
    }

    /// A run saved by `export_model`; damaged, foreign or oversized input throws a clear Error.
    pub fn import_model(json: JsValue) -> Result<Playground, JsError> {
        if !json.is_string() {
            return Err(JsError::new("a saved model must be given as a string of JSON"));
        }
        // UTF-16 units never outnumber UTF-8 bytes: a string this long is refused before it is
        // copied into wasm memory at all.
        if JsString::from(json.clone()).length() as usize > MAX_FILE_BYTES {
            return Err(JsError::new(&format!("this file is too large: a saved model is at most {} MB", MAX_FILE_BYTES / (1024 * 1024))));
        }
        let text = json.as_string().ok_or_else(|| JsError::new("a saved model must be given as a string of JSON"))?;
        Ok(Playground::around(snapshot::import(&text).map_err(js_error)?))
    }
}

// ---- private helpers, kept apart from the exported API ----

impl Playground {
    fn around(trainer: Trainer) -> Playground {
        Playground { trainer, chunk: 1, check: None }
    }

    /// Reads the two typed numbers and lays them out as the model's input and target digits.
    fn encode(&self, a: JsValue, b: JsValue) -> Result<(u64, u64, Vec<usize>, Vec<usize>), JsError> {
        let c = self.trainer.config();
        let a = number_from_js(a, c.n_digits, "the first number")?;
        let b = number_from_js(b, c.n_digits, "the second number")?;
        let (x, y) = c.layout.encode(a, b, c.n_digits).map_err(js_error)?;
        Ok((a, b, x, y))
    }

    fn new_check(&self, options: JsValue) -> Result<GradientCheck, JsError> {
        let o: GradCheckOptions = match json_from_js(&options, "the gradient check options")? {
            Value::Null => GradCheckOptions::default(),
            v => serde_json::from_value(v).map_err(|e| JsError::new(&format!("gradient check options: {}", brief(&e.to_string()))))?,
        };
        let defaults = CheckOptions::default();
        let options = CheckOptions { h: o.h.unwrap_or(defaults.h), threshold: o.threshold.unwrap_or(defaults.threshold), max_entries: o.max_entries };
        self.trainer.gradient_check(o.example.unwrap_or(0), o.bptt_truncate, options).map_err(js_error)
    }
}

fn check_progress(check: &GradientCheck) -> Result<JsValue, JsError> {
    let (checked, total) = check.progress();
    to_js(&CheckProgress { checked, total, done: check.is_done(), rows: check.is_done().then(|| check.results()) })
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

impl EpochSummary {
    fn of(r: &EpochReport, millis: f64) -> EpochSummary {
        let e = r.latest.evaluation;
        EpochSummary {
            epoch: r.epoch,
            loss: e.loss,
            learning_rate: r.learning_rate,
            examples_seen: r.examples_seen,
            digit_accuracy: e.digit_accuracy,
            exact_accuracy: e.exact_accuracy,
            evaluated: r.evaluated,
            halved: r.evaluated && r.latest.halved,
            millis,
        }
    }
}

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct TrainedFor {
    epochs: usize,
    sequences: u64,
    ready: bool,
    latest: Option<EpochSummary>,
    progress: Option<crate::train::Progress>,
    diverged: Option<String>,
    millis: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CheckProgress<'a> {
    checked: usize,
    total: usize,
    done: bool,
    rows: Option<&'a [crate::gradcheck::ParameterCheck]>,
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

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct GradCheckOptions {
    h: Option<f64>,
    threshold: Option<f64>,
    max_entries: Option<usize>,
    example: Option<usize>,
    bptt_truncate: Option<usize>,
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

/// Deepest nesting read from a JS value: settings and options are flat.
const MAX_DEPTH: usize = 8;

/// A JS value as JSON, strictly: `undefined` (at the top: none given) and `null` are null, but
/// `undefined` inside, NaN, ±Infinity, functions, symbols and bigints are refused by name,
/// where serde would have turned some of them into null ("unset") without a word.
fn json_from_js(value: &JsValue, what: &str) -> Result<Value, JsError> {
    if value.is_undefined() {
        return Ok(Value::Null);
    }
    to_json(value, what, 0)
}

fn to_json(value: &JsValue, path: &str, depth: usize) -> Result<Value, JsError> {
    let refuse = |why: &str| Err(JsError::new(&format!("{path} {why}")));
    if depth > MAX_DEPTH {
        return refuse("is nested too deeply");
    }
    if value.is_null() {
        return Ok(Value::Null);
    }
    if value.is_undefined() {
        return refuse("is undefined: leave it out, or give it a value");
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = value.as_f64() {
        // JS has one number type: a whole one is read as an integer, as JSON text would be
        if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
            return Ok(Value::from(n as i64));
        }
        return match serde_json::Number::from_f64(n) {
            Some(n) => Ok(Value::Number(n)),
            None => refuse(&format!("must be a finite number, got {n}")),
        };
    }
    if let Some(s) = value.as_string() {
        return Ok(Value::String(s));
    }
    if value.is_function() || value.is_symbol() || value.is_bigint() {
        return refuse("must be a number, a string, true/false, null, a list or an object");
    }
    if Array::is_array(value) {
        let items = Array::from(value);
        return items.iter().enumerate().map(|(i, v)| to_json(&v, &format!("{path}[{i}]"), depth + 1)).collect::<Result<_, _>>().map(Value::Array);
    }
    let mut map = serde_json::Map::new();
    for entry in Object::entries(&Object::from(value.clone())).iter() {
        let entry = Array::from(&entry);
        let key = entry.get(0).as_string().unwrap_or_default();
        let v = to_json(&entry.get(1), &quote(&key), depth + 1)?;
        map.insert(key, v);
    }
    Ok(Value::Object(map))
}

/// A JS number, never a string or boolean coerced to one.
fn number(value: &JsValue, what: &str) -> Result<f64, JsError> {
    value.as_f64().ok_or_else(|| JsError::new(&format!("{what} must be a number, got {}", describe(value))))
}

/// A JS number that is a whole number from 0.
fn whole(value: &JsValue, what: &str) -> Result<usize, JsError> {
    let n = number(value, what)?;
    if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= u32::MAX as f64 {
        Ok(n as usize)
    } else {
        Err(JsError::new(&format!("{what} must be a whole number from 0, got {n}")))
    }
}

/// What a refused JS value is, in a few words.
fn describe(value: &JsValue) -> String {
    match value.as_string() {
        Some(s) => format!("the string \"{}\"", quote(&s)),
        None if value.is_undefined() => "undefined".into(),
        None if value.is_null() => "null".into(),
        None if value.as_bool().is_some() => format!("{}", value.as_bool() == Some(true)),
        None if Array::is_array(value) => "a list".into(),
        None => "an object".into(),
    }
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
    if value.is_string() {
        // a huge string is refused before it is copied into wasm memory
        let text = JsString::from(value);
        if text.length() > 64 {
            return Err(JsError::new(&format!("{what}: \"{}…\" is far too long: this model adds numbers of at most {n_digits} digits", String::from(text.slice(0, 20)))));
        }
        return parse_number(&String::from(text), n_digits).map_err(|e| JsError::new(&format!("{what}: {e}")));
    }
    Err(JsError::new(&format!("{what} must be a number or a string of digits, got {}", describe(&value))))
}

fn typed(values: &[f64]) -> Float64Array {
    // A copy into JS memory: the caller may keep it (or transfer it to another thread) safely,
    // which a view into wasm memory would not survive.
    Float64Array::from(values)
}

fn set(target: &JsValue, key: &str, value: &JsValue) -> Result<(), JsError> {
    Reflect::set(target, &JsValue::from_str(key), value).map(|_| ()).map_err(|_| JsError::new("internal error building a result"))
}
