//! What the page's worker drives: a [`Trainer`] worked in timed slices (training, the starting
//! loss, a gradient check), the view of one typed sum, the homework's epoch, and the policies
//! around them: a report, a state or an export always includes the starting loss, and a costly
//! gradient flow waits for training to pause. The clock is the caller's, so the same code runs
//! under `performance.now()` in the browser and `Instant` in native tests. The wasm facade only
//! translates to and from these calls.

use crate::cells::Parameter;
use crate::config::MAX_LIVE_FLOW_WORK;
use crate::data::{parse_operand, NO_TARGET};
use crate::error::{number, Error, Result};
use crate::flow::{largest_singular_value, GradientFlow};
use crate::gradcheck::{CheckReport, CheckRequest, GradientCheck, ParameterCheck};
use crate::homework::{self, Explanation, GivenMatrix, Homework, Next, Problem, Stepped};
use crate::kernels::argmax;
use crate::layout::{hot_columns, Layout, LayoutInfo};
use crate::snapshot;
use crate::train::{Advance, EpochReport, LossRecord, Progress, Trainer, TrainingState};
use crate::walk::{walk, RunningGradients, Walk};
use ndarray::Array1;
use serde::Serialize;
use serde_json::Value;

/// Longest time budget one call may ask for, in ms.
pub const MAX_BUDGET_MS: f64 = 60_000.0;

/// What one [`Session::train_for`] did: `{ epochs, sequences, ready, latest, progress, diverged,
/// millis }`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrainedFor {
    /// Epochs finished.
    pub epochs: usize,
    /// SGD steps taken (undone ones included): the work done, for an honest sequences per second.
    pub sequences: u64,
    /// Whether the starting loss was recorded (the model is now ready to train).
    pub ready: bool,
    /// The last finished epoch's report.
    pub latest: Option<EpochReport>,
    /// Where the current epoch stands.
    pub progress: Option<Progress>,
    /// Why an epoch was undone, if one diverged (training stops there).
    pub diverged: Option<String>,
    pub millis: f64,
}

/// A result with the time it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Timed<T> {
    pub value: T,
    pub millis: f64,
}

/// What the network says a typed sum is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Prediction {
    pub a: String,
    pub b: String,
    pub input_digits: Vec<usize>,
    /// What each step's input stands for, in the run's layout ("4", or "4+9" for a pair).
    pub input_labels: Vec<String>,
    /// Null at a step with no target (the delayed layout's steps that read a).
    pub target_digits: Vec<Option<usize>>,
    pub predicted_digits: Vec<usize>,
    /// The sum the predicted digits stand for, in decimal.
    pub predicted_sum: String,
    pub true_sum: String,
    pub correct: bool,
    pub steps: usize,
    /// Every step's output probabilities, steps x 10, row-major (the facade hands them over as a
    /// typed array).
    #[serde(skip)]
    pub probabilities: Vec<f64>,
}

/// The hidden states s_0 .. s_{T-1} of one sum: `values` is steps x H, row-major.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HiddenStates {
    pub steps: usize,
    pub hidden_dim: usize,
    #[serde(skip)]
    pub values: Vec<f64>,
}

/// A sum's prediction and hidden states, from one forward pass.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct View {
    pub prediction: Prediction,
    pub hidden: HiddenStates,
}

/// One training example's gradients (see [`Session::gradients`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleGradients {
    pub example: usize,
    pub x: Vec<usize>,
    /// The input columns each step switches on.
    pub hot: Vec<Vec<usize>>,
    /// None at a step with no target.
    pub y: Vec<Option<usize>>,
    pub bptt_truncate: usize,
    /// Each parameter's name and shape, in the order of `Model::parameters`.
    pub shapes: Vec<(&'static str, Vec<usize>)>,
    /// Each parameter's gradient, flat.
    pub grads: Vec<Vec<f64>>,
}

impl ExampleGradients {
    /// The gradients as parameters: each named and shaped as the weight it is the gradient of.
    pub fn parameters(&self) -> Vec<Parameter<'_>> {
        self.shapes.iter().zip(&self.grads).map(|((name, shape), g)| Parameter { name, shape: shape.clone(), values: g }).collect()
    }
}

/// A trainer, the examples per slice that keep a slice near a millisecond, the gradient check
/// under way and the homework's epoch.
#[derive(Debug, Clone)]
pub struct Session {
    trainer: Trainer,
    chunk: usize,
    check: Option<GradientCheck>,
    /// W's top right singular vector as last estimated: the next estimate starts from it.
    singular_vector: Array1<f64>,
    homework: Homework,
    /// The sum being stepped through, at the weights it was opened at.
    walk: Option<Walk>,
}

impl Session {
    pub fn new(trainer: Trainer) -> Session {
        Session { trainer, chunk: 1, check: None, singular_vector: Array1::zeros(0), homework: Homework::default(), walk: None }
    }

    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    pub fn trainer_mut(&mut self) -> &mut Trainer {
        &mut self.trainer
    }

    /// Where the run stands at its last whole epoch (the starting loss evaluated first if pending).
    pub fn report(&mut self) -> EpochReport {
        self.trainer.finish_starting_loss();
        self.trainer.report()
    }

    /// The training state at the last whole epoch (the starting loss evaluated first if pending).
    pub fn state(&mut self) -> TrainingState {
        self.trainer.finish_starting_loss();
        self.trainer.state()
    }

    /// The loss records after epoch `after` (see [`Trainer::history_since`]), the starting loss
    /// evaluated first if pending.
    pub fn history_since(&mut self, after: Option<usize>, most: usize) -> Vec<LossRecord> {
        self.trainer.finish_starting_loss();
        self.trainer.history_since(after, most)
    }

    /// The run as a saved file's JSON, at its last whole epoch (the starting loss evaluated first
    /// if pending).
    pub fn export(&mut self) -> String {
        self.trainer.finish_starting_loss();
        snapshot::export(&self.trainer)
    }

    /// What the page shows about the run's layout: step labels, input columns, places, floor.
    pub fn layout(&self) -> LayoutInfo {
        let c = self.trainer.config();
        c.shape().describe()
    }

    /// The gradients of training example `example`'s total loss at the run's truncation, at the
    /// weights now, whichever the cell.
    pub fn gradients(&self, example: usize) -> Result<ExampleGradients> {
        let data = self.trainer.data();
        if example >= data.len() {
            return Err(Error::Input(format!("example must be from 0 to {}, got {example}", data.len() - 1)));
        }
        let (x, y) = data.example(example);
        let model = self.trainer.model();
        let bptt_truncate = self.trainer.config().bptt_truncate;
        Ok(ExampleGradients {
            example,
            x: x.to_vec(),
            hot: x.iter().map(|&s| hot_columns(s, model.input_dim()).collect()).collect(),
            y: y.iter().map(|&d| (d != NO_TARGET).then_some(d)).collect(),
            bptt_truncate,
            shapes: model.parameters().into_iter().map(|p| (p.name, p.shape)).collect(),
            grads: model.gradients(x, y, bptt_truncate),
        })
    }

    /// Homework: the core's gradients on training example `example` at the weights now.
    pub fn homework_problem(&self, example: usize) -> Result<Problem> {
        homework::gradients(&self.trainer, example)
    }

    /// Homework's explain mode: the tiny case in this run's layout and truncation.
    pub fn homework_explanation(&self) -> Explanation {
        let c = self.trainer.config();
        homework::explain(c.shape(), c.bptt_truncate)
    }

    /// Homework: the next example of the epoch trained with given gradients.
    pub fn homework_example(&mut self) -> Result<Next<'_>> {
        self.homework.next(&self.trainer)
    }

    /// Homework: one SGD step on `example` with the given gradients (see [`Homework::step`]).
    pub fn homework_step(&mut self, example: usize, du: GivenMatrix, dv: GivenMatrix, dw: GivenMatrix) -> Result<Stepped> {
        self.homework.step(&mut self.trainer, example, du, dv, dw)
    }

    /// Works for about `budget_ms` (at least one example), in slices of about a millisecond: first
    /// the starting loss, if it is still pending (then it returns, `ready`), then training,
    /// stopping early when an epoch diverges or `until_epoch` epochs are done.
    pub fn train_for(&mut self, budget_ms: f64, until_epoch: Option<usize>, mut now: impl FnMut() -> f64) -> Result<TrainedFor> {
        check_budget(budget_ms)?;
        let until = until_epoch.unwrap_or(usize::MAX);
        let started = now();
        let steps_before = self.trainer.sgd_steps();
        let mut out = TrainedFor::default();
        if self.trainer.is_starting() || self.trainer.epoch() < until {
            loop {
                let slice_started = now();
                let result = self.trainer.advance(self.chunk);
                self.pace(now() - slice_started);
                match result {
                    Ok(Advance::Partial) => {}
                    Ok(Advance::Ready) => {
                        out.ready = true;
                        break;
                    }
                    Ok(Advance::Epoch(report)) => {
                        out.epochs += 1;
                        out.latest = Some(report);
                    }
                    Err(e) => {
                        out.diverged = Some(e.message().to_string());
                        break;
                    }
                }
                if now() - started >= budget_ms || self.trainer.epoch() >= until {
                    break;
                }
            }
        }
        out.sequences = self.trainer.sgd_steps() - steps_before;
        out.progress = Some(self.trainer.progress());
        out.millis = now() - started;
        Ok(out)
    }

    /// Aims at slices of 0.5-2 ms: short enough to stop on time, long enough to be cheap.
    fn pace(&mut self, took_ms: f64) {
        if took_ms < 0.5 {
            self.chunk = (self.chunk * 2).min(1 << 20);
        } else if took_ms > 2.0 {
            self.chunk = (self.chunk / 2).max(1);
        }
    }

    /// One whole epoch, timed.
    pub fn train_epoch(&mut self, mut now: impl FnMut() -> f64) -> Result<Timed<EpochReport>> {
        let started = now();
        let value = self.trainer.train_epoch()?;
        Ok(Timed { value, millis: now() - started })
    }

    /// The whole gradient check at once.
    pub fn gradient_check(&self, request: &Value) -> Result<Vec<ParameterCheck>> {
        Ok(self.trainer.gradient_check(&CheckRequest::from_json(request)?)?.finish())
    }

    /// Starts a gradient check, to be run by [`Session::continue_gradient_check`]; replaces any
    /// under way.
    pub fn start_gradient_check(&mut self, request: &Value) -> Result<CheckReport<'_>> {
        let check = self.check.insert(self.trainer.gradient_check(&CheckRequest::from_json(request)?)?);
        Ok(check.report())
    }

    /// Runs the check under way for about `budget_ms`; its report has the rows once done (and the
    /// check is then over).
    pub fn continue_gradient_check(&mut self, budget_ms: f64, mut now: impl FnMut() -> f64) -> Result<CheckReport<'_>> {
        check_budget(budget_ms)?;
        if self.check.as_ref().is_some_and(GradientCheck::is_done) {
            self.check = None;
        }
        let check = self.check.as_mut().ok_or_else(|| Error::Input("no gradient check is under way: start one first".into()))?;
        let started = now();
        while !check.advance(8) && now() - started < budget_ms {}
        Ok(check.report())
    }

    /// ‖dE_t/ds_k‖ for `a + b` at the weights now (see [`gradient_flow`]). While `training`, a
    /// flow that costs more than [`MAX_LIVE_FLOW_WORK`] is refused with a message saying it is
    /// drawn once training pauses: computing it live would slow Pause and new sums down.
    pub fn gradient_flow(&self, a: &Value, b: &Value, training: bool) -> Result<GradientFlow> {
        let (_, _, x, y) = self.encode(a, b)?;
        if training && self.trainer.config().flow_work() > MAX_LIVE_FLOW_WORK {
            return Err(Error::Input("This model’s gradient flow is drawn when training pauses: computing it live would slow Pause and new sums down.".into()));
        }
        Ok(self.trainer.model().gradient_flow(&x, &y))
    }

    /// W's largest singular value now; NaN for a gated cell, which has no one W that bounds a
    /// step back (its gates scale each step's Jacobian).
    pub fn largest_singular_value(&mut self) -> f64 {
        match self.trainer.model().vanilla() {
            Some(m) => largest_singular_value(&m.w, &mut self.singular_vector),
            None => f64::NAN,
        }
    }

    /// The typed numbers, and their sum's input and target sequences in the run's layout.
    fn encode(&self, a: &Value, b: &Value) -> Result<(u64, u64, Vec<usize>, Vec<usize>)> {
        let c = self.trainer.config();
        let a = parse_operand(a, c.n_digits, "the first number")?;
        let b = parse_operand(b, c.n_digits, "the second number")?;
        let (x, y) = c.shape().encode(a, b)?;
        Ok((a, b, x, y))
    }

    /// Opens a walk through the forward pass and BPTT of `a + b` at the weights now and the run's
    /// truncation, replacing any walk open. Training may go on: the walk keeps its weights.
    pub fn open_walk(&mut self, a: &Value, b: &Value) -> Result<&Walk> {
        let (_, _, x, y) = self.encode(a, b)?;
        let c = self.trainer.config();
        let Some(model) = self.trainer.model().vanilla() else {
            return Err(Error::Input(format!("the step-through follows the notebook's bptt for its vanilla RNN; this run's cell is {}", c.cell.name())));
        };
        if c.layout == Layout::Delayed {
            return Err(Error::Input(
                "the step-through follows the notebook's loop, which has a target at every step; the delayed layout has none while it reads a or a blank step"
                    .into(),
            ));
        }
        let mut opened = walk(model, &x, &y, c.bptt_truncate);
        opened.input_labels = x.iter().map(|&s| c.shape().symbol_label(s)).collect();
        Ok(self.walk.insert(opened))
    }

    /// The open walk's running gradients once point `point` (from 0) is done.
    pub fn walk_gradients(&self, point: usize) -> Result<RunningGradients> {
        self.walk.as_ref().ok_or_else(|| Error::Input("no walk is open: open one for a sum first".into()))?.gradients_at(point)
    }

    /// The prediction and hidden states for `a + b` (JSON numbers or digit strings), from one
    /// forward pass of the weights now.
    pub fn view(&self, a: &Value, b: &Value) -> Result<View> {
        let c = self.trainer.config();
        let (a, b, x, y) = self.encode(a, b)?;
        let model = self.trainer.model();
        let (outputs, states) = model.forward(&x);
        let predicted: Vec<usize> = outputs.outer_iter().map(argmax).collect();
        let hidden = HiddenStates { steps: x.len(), hidden_dim: model.hidden_dim(), values: states.iter().copied().collect() };
        let prediction = Prediction {
            a: a.to_string(),
            b: b.to_string(),
            correct: predicted.iter().zip(&y).all(|(&p, &d)| d == NO_TARGET || p == d),
            predicted_sum: c.shape().decode_sum(&predicted).to_string(),
            true_sum: (a + b).to_string(),
            steps: x.len(),
            probabilities: outputs.iter().copied().collect(),
            input_labels: x.iter().map(|&s| c.shape().symbol_label(s)).collect(),
            input_digits: x,
            target_digits: y.iter().map(|&d| (d != NO_TARGET).then_some(d)).collect(),
            predicted_digits: predicted,
        };
        Ok(View { prediction, hidden })
    }
}

fn check_budget(ms: f64) -> Result<()> {
    if ms > 0.0 && ms <= MAX_BUDGET_MS {
        Ok(())
    } else {
        Err(Error::Input(format!("millis must be above 0 and at most {MAX_BUDGET_MS}, got {}", number(ms))))
    }
}

#[cfg(test)]
mod tests;
