//! The browser's view of the core: one exported class, `Playground`, that converts JS values to
//! core calls and back and does nothing else. Every fallible call returns `Result<_, JsError>`,
//! so JS sees a thrown `Error` with the core's message; nothing here may panic.
//!
//! Inputs are taken strictly: a number must be a JS number (no coercion from strings or
//! booleans), NaN, ±Infinity and `undefined` inside settings are refused, never read as "unset".

use crate::config::Config;
use crate::data::MAX_DIGITS;
use crate::error::{quote, Error};
use crate::homework::{self, GivenMatrix, Homework};
use crate::session::{HiddenStates, Prediction, Session, View};
use crate::snapshot::{self, MAX_FILE_BYTES};
use crate::train::Trainer;
use js_sys::{Array, Float64Array, JsString, Object, Reflect};
use serde::Serialize;
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

    /// `JSON.parse` of a JS string as it stands (js_sys's takes a Rust `&str`, a copy).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsString) -> Result<JsValue, JsValue>;
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

/// The settings table as JSON: `{ settings: [{ key, type, min, max, nullable, choices,
/// newModel, doc }], presets: [{ name, doc, values }], limits }` (see `config::schema`).
#[wasm_bindgen(js_name = settingsSchema)]
pub fn settings_schema() -> Result<JsValue, JsError> {
    json_to_js(&crate::config::schema())
}

/// A recurrent network learning to add, with its data and training state.
#[wasm_bindgen]
pub struct Playground {
    session: Session,
    homework: Homework,
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
        let budget = number(&millis, "millis")?;
        let until = if until_epoch.is_null() || until_epoch.is_undefined() { None } else { Some(whole(&until_epoch, "untilEpoch")?) };
        to_js(&self.session.train_for(budget, until, performance_now).map_err(js_error)?)
    }

    /// One whole epoch: an SGD pass over the training examples, then (when due) the loss and the
    /// rate rule. An epoch that diverges is undone and throws an Error saying so.
    pub fn train_epoch(&mut self) -> Result<JsValue, JsError> {
        let timed = self.session.train_epoch(performance_now).map_err(js_error)?;
        let out = to_js(&timed.value)?;
        set(&out, "millis", &JsValue::from(timed.millis))?;
        Ok(out)
    }

    /// `{ phase, done, total }`: "starting", "training" or "evaluating", and the examples of it
    /// done so far.
    pub fn progress(&self) -> Result<JsValue, JsError> {
        to_js(&self.trainer().progress())
    }

    /// Where the run stands at its last whole epoch, as `train_epoch` reports an epoch: `{ epoch,
    /// examplesSeen, evaluated, loss, digitAccuracy, exactAccuracy, halved, learningRate }`.
    pub fn report(&mut self) -> Result<JsValue, JsError> {
        self.session.trainer_mut().finish_starting_loss();
        to_js(&self.trainer().report())
    }

    /// Epochs completed.
    pub fn epoch(&self) -> f64 {
        self.trainer().epoch() as f64
    }

    /// The rate in force: the next SGD step uses it.
    pub fn learning_rate(&self) -> f64 {
        self.trainer().learning_rate()
    }

    /// Mean loss per digit on the training examples now.
    pub fn loss(&self) -> f64 {
        self.trainer().evaluate().loss
    }

    /// Loss and accuracies on the training examples now: `{ loss, digitAccuracy, exactAccuracy }`.
    pub fn evaluate(&self) -> Result<JsValue, JsError> {
        to_js(&self.trainer().evaluate())
    }

    /// Every loss evaluation kept, the starting one first.
    pub fn history(&mut self) -> Result<JsValue, JsError> {
        self.session.trainer_mut().finish_starting_loss();
        to_js(&self.trainer().history())
    }

    /// The loss records after epoch `after` (all for null), at most `most` of them, evenly
    /// chosen but with every halving and the latest: what a chart needs to catch up.
    pub fn history_since(&self, after: JsValue, most: JsValue) -> Result<JsValue, JsError> {
        let after = if after.is_null() { None } else { Some(whole(&after, "after")?) };
        to_js(&self.trainer().history_since(after, whole(&most, "most")?))
    }

    /// `{ epoch, examplesSeen, learningRate, history }` at the last whole epoch.
    pub fn state(&mut self) -> Result<JsValue, JsError> {
        self.session.trainer_mut().finish_starting_loss();
        to_js(&self.trainer().state())
    }

    /// The full config with defaults filled in (camelCase keys).
    pub fn config(&self) -> Result<JsValue, JsError> {
        json_to_js(&self.trainer().config().to_json())
    }

    /// The rate from the next step on; the halving rule keeps applying to it.
    pub fn set_learning_rate(&mut self, learning_rate: JsValue) -> Result<(), JsError> {
        let lr = number(&learning_rate, "learningRate")?;
        self.session.trainer_mut().set_learning_rate(lr).map_err(js_error)
    }

    /// What the network says `a + b` is: digits, sums (decimal strings) and every step's
    /// probabilities (`Float64Array`, steps x 10, row-major).
    pub fn predict(&self, a: JsValue, b: JsValue) -> Result<JsValue, JsError> {
        prediction_to_js(&self.view_of(a, b)?.prediction)
    }

    /// The hidden states s_0 .. s_{T-1} for `a + b`: `{ steps, hiddenDim, values }`, `values` a
    /// `Float64Array` steps x H, row-major.
    pub fn hidden_states(&self, a: JsValue, b: JsValue) -> Result<JsValue, JsError> {
        hidden_to_js(&self.view_of(a, b)?.hidden)
    }

    /// `{ prediction, hidden }`: `predict` and `hidden_states` for `a + b` from one forward pass.
    pub fn view(&self, a: JsValue, b: JsValue) -> Result<JsValue, JsError> {
        let view = self.view_of(a, b)?;
        let out = Object::new();
        set(&out, "prediction", &prediction_to_js(&view.prediction)?)?;
        set(&out, "hidden", &hidden_to_js(&view.hidden)?)?;
        Ok(out.into())
    }

    /// How the error at each output step flows back through time for `a + b`: `{ steps, values,
    /// decay }`, `values` a `Float64Array` steps x steps, row-major, entry (t, k) = ‖dE_t/ds_k‖
    /// from the exact (untruncated) chain rule, zero above the diagonal; `decay[j]` its mean over
    /// t of entry (t, t − j).
    pub fn gradient_flow(&self, a: JsValue, b: JsValue) -> Result<JsValue, JsError> {
        let (a, b) = operands(&a, &b)?;
        let flow = self.session.gradient_flow(&a, &b).map_err(js_error)?;
        let out = to_js(&flow)?;
        set(&out, "values", &typed(flow.values.as_slice().unwrap_or_default()))?;
        set(&out, "decay", &typed(&flow.decay))?;
        Ok(out)
    }

    /// W's largest singular value (its spectral norm) now: above 1 the error can grow as it flows
    /// back through W, below 1 it must shrink.
    pub fn largest_singular_value(&mut self) -> f64 {
        self.session.largest_singular_value()
    }

    /// The weights as `{ U, V, W }`, each `{ rows, cols, values: Float64Array }`.
    pub fn weights(&self) -> Result<JsValue, JsError> {
        let m = self.trainer().model();
        let out = Object::new();
        for (name, a) in [("U", &m.u), ("V", &m.v), ("W", &m.w)] {
            set(&out, name, &matrix_to_js(a)?)?;
        }
        Ok(out.into())
    }

    /// The notebook's gradient check on one training example, all at once. Options (all
    /// optional): `h` (0.001), `threshold` (0.01), `maxEntries` per matrix (all), `example` (0),
    /// `bpttTruncate` (the config's). Returns `[{ parameter, size, checked, maxError, scale,
    /// maxRelativeError, worstIndex, worstAnalytic, worstNumeric, passed }]`: a matrix passes when
    /// `maxError`, its largest |backprop − central difference| over `scale` (its largest gradient),
    /// is at most `threshold`; `maxRelativeError` is the notebook's per-entry measure, shown only
    /// (see src/gradcheck.rs `ParameterCheck`); `worstIndex` is the `[row, column]` of the entry
    /// with the largest difference, and `worstAnalytic`, `worstNumeric` its two values.
    pub fn gradient_check(&self, options: JsValue) -> Result<JsValue, JsError> {
        let request = json_from_js(&options, "the gradient check options")?;
        to_js(&self.session.gradient_check(&request).map_err(js_error)?)
    }

    /// Starts the same check, to be run in slices by `continue_gradient_check`; replaces any
    /// check under way. Returns `{ checked, total, done, rows }`.
    pub fn start_gradient_check(&mut self, options: JsValue) -> Result<JsValue, JsError> {
        let request = json_from_js(&options, "the gradient check options")?;
        to_js(&self.session.start_gradient_check(&request).map_err(js_error)?)
    }

    /// Runs the check under way for about `millis` ms; `rows` is filled in once `done`.
    pub fn continue_gradient_check(&mut self, millis: JsValue) -> Result<JsValue, JsError> {
        let budget = number(&millis, "millis")?;
        to_js(&self.session.continue_gradient_check(budget, performance_now).map_err(js_error)?)
    }

    /// Homework mode: the core's gradients (the notebook's `bptt` at the run's truncation) on
    /// training example `example` at the weights now: `{ example, x, y, bpttTruncate, dU, dV, dW }`,
    /// each gradient `{ rows, cols, values: Float64Array }`.
    pub fn gradients(&self, example: JsValue) -> Result<JsValue, JsError> {
        let p = homework::gradients(self.trainer(), whole(&example, "example")?).map_err(js_error)?;
        let out = Object::new();
        set(&out, "example", &JsValue::from(p.example as u32))?;
        set(&out, "x", &to_js(&p.x)?)?;
        set(&out, "y", &to_js(&p.y)?)?;
        set(&out, "bpttTruncate", &JsValue::from(p.bptt_truncate as u32))?;
        for (name, a) in [("dU", &p.grads.du), ("dV", &p.grads.dv), ("dW", &p.grads.dw)] {
            set(&out, name, &matrix_to_js(a)?)?;
        }
        Ok(out.into())
    }

    /// Homework mode: the next example of the epoch trained with given gradients, and the weights
    /// to compute them at: `{ example, total, x, y, bpttTruncate, U, V, W }` (as `weights()`).
    pub fn homework_example(&mut self) -> Result<JsValue, JsError> {
        let next = self.homework.next(self.session.trainer()).map_err(js_error)?;
        let out = Object::new();
        set(&out, "example", &JsValue::from(next.example as u32))?;
        set(&out, "total", &JsValue::from(next.total as u32))?;
        set(&out, "x", &to_js(next.x)?)?;
        set(&out, "y", &to_js(next.y)?)?;
        set(&out, "bpttTruncate", &JsValue::from(next.bptt_truncate as u32))?;
        for (name, a) in [("U", &next.model.u), ("V", &next.model.v), ("W", &next.model.w)] {
            set(&out, name, &matrix_to_js(a)?)?;
        }
        Ok(out.into())
    }

    /// Homework mode: one SGD step on `example` (the one `homework_example` gave) with the given
    /// gradients, each `{ rows, cols, values }` (`values` a `Float64Array` or a list of numbers,
    /// row-major), at the run's rate. Wrong shapes and numbers that are not finite are refused with
    /// nothing changed. Returns `{ example, done, total, epoch }`, `epoch` the report (as
    /// `train_epoch`'s) when this step ended the epoch, with its loss evaluation when due.
    pub fn sgd_step_with(&mut self, example: JsValue, d_u: JsValue, d_v: JsValue, d_w: JsValue) -> Result<JsValue, JsError> {
        let example = whole(&example, "example")?;
        let (du, dv, dw) = (matrix_from_js(&d_u, "dLdU")?, matrix_from_js(&d_v, "dLdV")?, matrix_from_js(&d_w, "dLdW")?);
        to_js(&self.homework.step(self.session.trainer_mut(), example, du, dv, dw).map_err(js_error)?)
    }

    /// The run as JSON (version, config, weights, training state and loss history), as it
    /// stood at its last whole epoch.
    pub fn export_model(&mut self) -> String {
        self.session.trainer_mut().finish_starting_loss();
        snapshot::export(self.trainer())
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
        // the browser's JSON.parse reads every double exactly; the wasm then needs no JSON parser,
        // and the text is never copied into wasm memory
        let parsed = json_parse(&JsString::from(json)).map_err(|e| {
            let why = js_sys::Error::from(e).message();
            JsError::new(&format!("this is not a saved model: the JSON is broken ({})", String::from(why)))
        })?;
        let value = to_json(&parsed, "the saved model", 0)?;
        Ok(Playground::around(snapshot::import_value(&value).map_err(js_error)?))
    }
}

// ---- private helpers, kept apart from the exported API ----

impl Playground {
    fn around(trainer: Trainer) -> Playground {
        Playground { session: Session::new(trainer), homework: Homework::default() }
    }

    fn trainer(&self) -> &Trainer {
        self.session.trainer()
    }

    fn view_of(&self, a: JsValue, b: JsValue) -> Result<View, JsError> {
        let (a, b) = operands(&a, &b)?;
        self.session.view(&a, &b).map_err(js_error)
    }
}

/// The two typed numbers of a sum, as JSON for the core.
fn operands(a: &JsValue, b: &JsValue) -> Result<(Value, Value), JsError> {
    Ok((operand_from_js(a, "the first number")?, operand_from_js(b, "the second number")?))
}

fn prediction_to_js(p: &Prediction) -> Result<JsValue, JsError> {
    let out = to_js(p)?;
    set(&out, "probabilities", &typed(&p.probabilities))?;
    Ok(out)
}

fn hidden_to_js(h: &HiddenStates) -> Result<JsValue, JsError> {
    let out = to_js(h)?;
    set(&out, "values", &typed(&h.values))?;
    Ok(out)
}

fn js_error(e: Error) -> JsError {
    JsError::new(e.message())
}

/// Plain JSON-like JS values (null stays null, numbers stay numbers).
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&format!("internal error converting a result: {e}")))
}

/// A JSON value as the JS value `JSON.parse` makes of it: through serde_json's writer, which the
/// export links anyway, rather than a second serializer for `Value` (kilobytes of wasm).
fn json_to_js(value: &Value) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(&value.to_string()).map_err(|_| JsError::new("internal error converting a result"))
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

/// One of the two typed numbers as JSON for the core: NaN and ±Infinity are refused here (JSON
/// has no such numbers), and a huge string before it is copied into wasm memory.
fn operand_from_js(value: &JsValue, what: &str) -> Result<Value, JsError> {
    if let Some(f) = value.as_f64() {
        return if f.is_finite() { to_json(value, what, 0) } else { Err(JsError::new(&format!("{what} must be a whole number from 0, got {f}"))) };
    }
    if let Some(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if value.is_string() {
        let text = JsString::from(value.clone());
        if text.length() > 64 {
            return Err(JsError::new(&format!(
                "{what}: \"{}…\" is far too long: this model adds numbers of at most {} digits",
                String::from(text.slice(0, 20)),
                MAX_DIGITS
            )));
        }
        return Ok(Value::String(text.into()));
    }
    match () {
        _ if value.is_null() => Ok(Value::Null),
        _ if value.is_undefined() => Err(JsError::new(&format!("{what} must be a number or a string of digits, got undefined"))),
        // the core names what it got; its contents do not matter
        _ if Array::is_array(value) => Ok(Value::Array(Vec::new())),
        _ => Ok(Value::Object(serde_json::Map::new())),
    }
}

/// `{ rows, cols, values: Float64Array }`, row-major.
fn matrix_to_js(a: &ndarray::Array2<f64>) -> Result<JsValue, JsError> {
    let o = Object::new();
    set(&o, "rows", &JsValue::from(a.nrows() as u32))?;
    set(&o, "cols", &JsValue::from(a.ncols() as u32))?;
    set(&o, "values", &typed(&a.iter().copied().collect::<Vec<f64>>()))?;
    Ok(o.into())
}

/// `{ rows, cols, values }` from JS, `values` a `Float64Array` or a list of JS numbers; the core
/// checks the shape and that every number is finite.
fn matrix_from_js(value: &JsValue, what: &str) -> Result<GivenMatrix, JsError> {
    if !value.is_object() {
        return Err(JsError::new(&format!("{what} must be {{ rows, cols, values }}, got {}", describe(value))));
    }
    let field = |key: &str| Reflect::get(value, &JsValue::from_str(key)).map_err(|_| JsError::new(&format!("{what}.{key} cannot be read")));
    let rows = whole(&field("rows")?, &format!("{what}.rows"))?;
    let cols = whole(&field("cols")?, &format!("{what}.cols"))?;
    let values = field("values")?;
    let values = if values.is_instance_of::<Float64Array>() {
        Float64Array::from(values).to_vec()
    } else if Array::is_array(&values) {
        Array::from(&values).iter().enumerate().map(|(i, v)| number(&v, &format!("{what}.values[{i}]"))).collect::<Result<Vec<f64>, JsError>>()?
    } else {
        return Err(JsError::new(&format!("{what}.values must be a Float64Array or a list of numbers, got {}", describe(&values))));
    };
    Ok(GivenMatrix { rows, cols, values })
}

fn typed(values: &[f64]) -> Float64Array {
    // A copy into JS memory: the caller may keep it (or transfer it to another thread) safely,
    // which a view into wasm memory would not survive.
    Float64Array::from(values)
}

fn set(target: &JsValue, key: &str, value: &JsValue) -> Result<(), JsError> {
    Reflect::set(target, &JsValue::from_str(key), value).map(|_| ()).map_err(|_| JsError::new("internal error building a result"))
}
