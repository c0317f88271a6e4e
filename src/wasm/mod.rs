//! The browser's view of the core: one exported class, `Playground`, whose every method converts
//! its JS arguments (convert.rs), calls the [`Session`] and converts the answer back. No policy
//! lives here. Every fallible call returns `Result<_, JsError>`, so JS sees a thrown `Error` with
//! the core's message; nothing here may panic.
//!
//! Inputs are taken strictly: a number must be a JS number (no coercion from strings or
//! booleans), NaN, ±Infinity and `undefined` inside settings are refused, never read as "unset".

mod convert;

use crate::config::Config;
use crate::session::Session;
use crate::snapshot;
use crate::train::Trainer;
use convert::{
    explanation_to_js, hidden_to_js, js_error, json_from_js, json_to_js, matrices_to_js, matrix_from_js, number, operands, optional_flag, optional_whole,
    parameters_to_js, parse_saved_model, prediction_to_js, set, to_js, typed, whole,
};
use js_sys::Object;
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
}

#[wasm_bindgen]
impl Playground {
    /// `new Playground(config?)`: every key optional; the defaults are the notebook's. Draws the
    /// data and the weights; the starting loss is evaluated by the first call that needs it, or
    /// in slices by `train_for`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<Playground, JsError> {
        let config = Config::from_json(&json_from_js(&config, "the settings")?).map_err(js_error)?;
        Ok(Playground { session: Session::new(Trainer::start(config).map_err(js_error)?) })
    }

    /// Works for about `millis` milliseconds (at least one example), in slices of about a
    /// millisecond: first the starting loss, if it is still pending (then it returns, with
    /// `ready`), then training, stopping early when an epoch diverges or, if `until_epoch` is a
    /// number, once that many epochs are done. Returns `{ epochs, sequences, ready, latest,
    /// progress, diverged, millis }`: epochs finished, SGD steps taken, whether the starting
    /// loss was recorded, the last finished epoch's report (or null), where the current epoch
    /// stands, the divergence message (or null) and the time taken.
    pub fn train_for(&mut self, millis: JsValue, until_epoch: JsValue) -> Result<JsValue, JsError> {
        let (budget, until) = (number(&millis, "millis")?, optional_whole(&until_epoch, "untilEpoch")?);
        to_js(&self.session.train_for(budget, until, performance_now).map_err(js_error)?)
    }

    /// One whole epoch: an SGD pass over the training examples, then (when due) the loss and the
    /// rate rule. An epoch that diverges is undone and throws an Error saying so. Returns the
    /// epoch's report (as `report()`) with `millis`, the time it took.
    pub fn train_epoch(&mut self) -> Result<JsValue, JsError> {
        let timed = self.session.train_epoch(performance_now).map_err(js_error)?;
        let out = to_js(&timed.value)?;
        set(&out, "millis", &JsValue::from(timed.millis))?;
        Ok(out)
    }

    /// `{ phase, done, total }`: "starting", "training" or "evaluating", and the examples of it
    /// done so far.
    pub fn progress(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.trainer().progress())
    }

    /// Where the run stands at its last whole epoch, as `train_epoch` reports an epoch: `{ epoch,
    /// examplesSeen, evaluated, loss, digitAccuracy, exactAccuracy, test, carryChains, halved,
    /// learningRate }`.
    pub fn report(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.session.report())
    }

    /// Epochs completed.
    pub fn epoch(&self) -> f64 {
        self.session.trainer().epoch() as f64
    }

    /// Sets the run back to its last whole epoch (see `Trainer::rewind`): what Pause does, so
    /// the prediction a paused page shows is the one its link and its saved run give. Returns
    /// whether part of an epoch was set aside.
    pub fn rewind(&mut self) -> bool {
        self.session.trainer_mut().rewind()
    }

    /// The rate in force: the next SGD step uses it.
    pub fn learning_rate(&self) -> f64 {
        self.session.trainer().learning_rate()
    }

    /// Mean loss per digit on the training examples now: the notebook's `calculate_loss`.
    pub fn loss(&self) -> f64 {
        self.session.trainer().evaluate().loss
    }

    /// The loss records after epoch `after` (all for null), at most `most` of them, evenly
    /// chosen but with every halving and the latest: what a chart needs to catch up.
    pub fn history_since(&mut self, after: JsValue, most: JsValue) -> Result<JsValue, JsError> {
        let (after, most) = (optional_whole(&after, "after")?, whole(&most, "most")?);
        to_js(&self.session.history_since(after, most))
    }

    /// `{ epoch, examplesSeen, learningRate, history, testByPlace }` at the last whole epoch.
    pub fn state(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.session.state())
    }

    /// The full config with defaults filled in (camelCase keys).
    pub fn config(&self) -> Result<JsValue, JsError> {
        json_to_js(&self.session.trainer().config().to_json())
    }

    /// How this run lays a sum out in time, as the page shows it: `{ name, nDigits, steps,
    /// stepLabels, stepKinds, columnLabels, places, reads, floor }` (see `layout::LayoutInfo`).
    pub fn layout(&self) -> Result<JsValue, JsError> {
        to_js(&self.session.layout())
    }

    /// The rate from the next step on; the halving rule keeps applying to it.
    pub fn set_learning_rate(&mut self, learning_rate: JsValue) -> Result<(), JsError> {
        let lr = number(&learning_rate, "learningRate")?;
        self.session.trainer_mut().set_learning_rate(lr).map_err(js_error)
    }

    /// What the network says `a + b` is: digits, input labels, sums (decimal strings) and every
    /// step's probabilities (`Float64Array`, steps x 10, row-major).
    pub fn predict(&self, a: JsValue, b: JsValue) -> Result<JsValue, JsError> {
        let (a, b) = operands(&a, &b)?;
        prediction_to_js(&self.session.view(&a, &b).map_err(js_error)?.prediction)
    }

    /// The hidden states s_0 .. s_{T-1} for `a + b`: `{ steps, hiddenDim, values }`, `values` a
    /// `Float64Array` steps x H, row-major.
    pub fn hidden_states(&self, a: JsValue, b: JsValue) -> Result<JsValue, JsError> {
        let (a, b) = operands(&a, &b)?;
        hidden_to_js(&self.session.view(&a, &b).map_err(js_error)?.hidden)
    }

    /// `{ prediction, hidden }`: `predict` and `hidden_states` for `a + b` from one forward pass.
    pub fn view(&self, a: JsValue, b: JsValue) -> Result<JsValue, JsError> {
        let (a, b) = operands(&a, &b)?;
        let view = self.session.view(&a, &b).map_err(js_error)?;
        let out = Object::new();
        set(&out, "prediction", &prediction_to_js(&view.prediction)?)?;
        set(&out, "hidden", &hidden_to_js(&view.hidden)?)?;
        Ok(out.into())
    }

    /// How the error at each output step flows back through time for `a + b`: `{ steps, values,
    /// decay }`, `values` a `Float64Array` steps x steps, row-major, entry (t, k) = ‖dE_t/ds_k‖
    /// from the exact (untruncated) chain rule, zero above the diagonal; `decay[j]` its mean over
    /// t of entry (t, t − j). With `training` true, a flow too costly to compute live throws a
    /// message saying it is drawn when training pauses.
    pub fn gradient_flow(&self, a: JsValue, b: JsValue, training: JsValue) -> Result<JsValue, JsError> {
        let (a, b) = operands(&a, &b)?;
        let flow = self.session.gradient_flow(&a, &b, optional_flag(&training, "training")?).map_err(js_error)?;
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

    /// Step through BPTT: opens a walk through `a + b`'s forward pass and the notebook's `bptt`
    /// loop at the weights now and the run's truncation (replacing any walk open; training may go
    /// on, the walk keeps its weights). Returns `{ x, inputLabels, y, bpttTruncate, hiddenDim,
    /// forward, backward }`: `forward[t]` is `{ t, columns, uX, wS, sum, state, output, target,
    /// loss }`, then `backward` the loop's points in its order, each `{ kind: "output", t, target,
    /// deltaO, delta, deltaNorm, first }` or `{ kind: "step", t, step, first, columns, delta,
    /// deltaNorm }`. Points are counted from 0, the forward steps first.
    pub fn open_walk(&mut self, a: JsValue, b: JsValue) -> Result<JsValue, JsError> {
        let (a, b) = operands(&a, &b)?;
        to_js(self.session.open_walk(&a, &b).map_err(js_error)?)
    }

    /// The open walk's running gradients once point `point` is done: `{ point, norms, agreement,
    /// dU, dV, dW }` (`norms` ‖dU‖, ‖dV‖, ‖dW‖; each gradient as `weights()`), and at the last
    /// point `agreement`: `{ bitForBit, maxDifference, bpttNorms }` against the core's `bptt` for
    /// the sum (what `gradients()` gives for a training example), else null.
    pub fn walk_gradients(&self, point: JsValue) -> Result<JsValue, JsError> {
        let running = self.session.walk_gradients(whole(&point, "point")?).map_err(js_error)?;
        let out = matrices_to_js(&running.grads.named())?;
        set(&out, "point", &JsValue::from(running.point as u32))?;
        set(&out, "norms", &to_js(&running.norms)?)?;
        set(&out, "agreement", &to_js(&running.agreement)?)?;
        Ok(out)
    }

    /// The weights by name, each `{ rows, cols, values: Float64Array }`: `{ U, V, W }` for the
    /// vanilla cell, `{ weight_ih, weight_hh, bias_ih, bias_hh, V }` for GRU and LSTM (PyTorch's
    /// stacking, 3H or 4H rows; a bias is one column).
    pub fn weights(&self) -> Result<JsValue, JsError> {
        parameters_to_js(&self.session.trainer().model().parameters(), "")
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

    /// The gradient of training example `example`'s total loss Σ_t E_t at the run's truncation,
    /// at the weights now (the vanilla cell: the notebook's `bptt`): `{ example, x, hot, y,
    /// bpttTruncate }` and `d<name>` for each parameter `weights()` names, as it gives them;
    /// `hot[t]` the input columns step t switches on, `y[t]` null at a step with no target.
    pub fn gradients(&self, example: JsValue) -> Result<JsValue, JsError> {
        let g = self.session.gradients(whole(&example, "example")?).map_err(js_error)?;
        let out = parameters_to_js(&g.parameters(), "d")?;
        set(&out, "example", &JsValue::from(g.example as u32))?;
        set(&out, "x", &to_js(&g.x)?)?;
        set(&out, "hot", &to_js(&g.hot)?)?;
        set(&out, "y", &to_js(&g.y)?)?;
        set(&out, "bpttTruncate", &JsValue::from(g.bptt_truncate as u32))?;
        Ok(out)
    }

    /// Homework mode: the next example of the epoch trained with given gradients, and the weights
    /// to compute them at: `{ example, total, x, hot, y, bpttTruncate, U, V, W }` (as `weights()`).
    pub fn homework_example(&mut self) -> Result<JsValue, JsError> {
        let next = self.session.homework_example().map_err(js_error)?;
        let out = matrices_to_js(&next.model.named())?;
        set(&out, "example", &JsValue::from(next.example as u32))?;
        set(&out, "total", &JsValue::from(next.total as u32))?;
        set(&out, "x", &to_js(next.x)?)?;
        set(&out, "hot", &to_js(&next.hot)?)?;
        set(&out, "y", &to_js(next.y)?)?;
        set(&out, "bpttTruncate", &JsValue::from(next.bptt_truncate as u32))?;
        Ok(out)
    }

    /// Homework's explain mode: a tiny case (T 3, H 4) in this run's layout and truncation, put
    /// through the notebook's loop one output at a time: `{ x, hot, y, bpttTruncate, U, V, W,
    /// outputs }`, `outputs` the last output first, each `{ output, deltas: [{ step, delta }], dU,
    /// dV, dW }` (its δ at each step it reaches, and the gradients of its loss alone).
    pub fn homework_explanation(&self) -> Result<JsValue, JsError> {
        explanation_to_js(&self.session.homework_explanation())
    }

    /// Homework mode: one SGD step on `example` (the one `homework_example` gave) with the given
    /// gradients, each `{ rows, cols, values }` (`values` a `Float64Array` or a list of numbers,
    /// row-major), at the run's rate. Wrong shapes and numbers that are not finite are refused with
    /// nothing changed. Returns `{ example, done, total, epoch }`, `epoch` the report (as
    /// `train_epoch`'s) when this step ended the epoch, with its loss evaluation when due.
    pub fn sgd_step_with(&mut self, example: JsValue, d_u: JsValue, d_v: JsValue, d_w: JsValue) -> Result<JsValue, JsError> {
        let example = whole(&example, "example")?;
        let (du, dv, dw) = (matrix_from_js(&d_u, "dLdU")?, matrix_from_js(&d_v, "dLdV")?, matrix_from_js(&d_w, "dLdW")?);
        to_js(&self.session.homework_step(example, du, dv, dw).map_err(js_error)?)
    }

    /// The run as JSON (version, config, weights, training state and loss history), as it
    /// stood at its last whole epoch.
    pub fn export_model(&mut self) -> String {
        self.session.export()
    }

    /// A run saved by `export_model`; damaged, foreign or oversized input throws a clear Error.
    pub fn import_model(json: JsValue) -> Result<Playground, JsError> {
        let value = parse_saved_model(&json)?;
        Ok(Playground { session: Session::new(snapshot::import_value(&value).map_err(js_error)?) })
    }
}
