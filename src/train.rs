//! Training, as the notebook's `train_with_sgd` does it: an SGD pass over the examples in order,
//! then every `evaluate_loss_after` epochs the mean loss, and the learning rate halved whenever
//! that loss is above the previous one.
//!
//! Work proceeds in slices ([`Trainer::advance`]) so that a caller with a deadline (the page's
//! worker) can stop between any two examples, mid-epoch, and carry on later. An epoch whose loss
//! or weights stop being finite numbers, or whose loss passes [`DIVERGED_LOSS`], is undone: the
//! weights and the training state go back to where the epoch began, so nothing non-finite is ever
//! stored. The loss history is bounded ([`HISTORY_LIMIT`]).

use crate::batch::Batch;
use crate::bptt::{sgd_step, Backprop};
use crate::config::{check_learning_rate, Config, RateRule};
use crate::config::{Optimizer, Precision};
use crate::data::DataSet;
use crate::error::{Error, Result};
use crate::gradcheck::{CheckRequest, GradientCheck};
use crate::heldout::{fresh_training_set, TestSets};
use crate::kernels::argmax;
pub use crate::metrics::Evaluation;
use crate::model::{Rnn, Trace};
use crate::optim::{clip_global_norm, OptimizerState};
use crate::rng::NumpyRng;
use serde::{Deserialize, Serialize};

/// A mean loss per digit above this (100 times chance, ln 10) means the weights have blown up.
pub const DIVERGED_LOSS: f64 = 100.0 * std::f64::consts::LN_10;

/// Whether a loss says the weights blew up: NaN, infinite, or above [`DIVERGED_LOSS`].
fn diverged(loss: f64) -> bool {
    loss.is_nan() || loss > DIVERGED_LOSS
}

/// Most loss records kept. Past it the history is thinned evenly, keeping the first, the latest
/// and every halving, so a run of any length exports to a file of bounded size.
pub const HISTORY_LIMIT: usize = 2000;

/// One loss evaluation, as the notebook prints it, plus accuracies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "RecordFields")]
pub struct LossRecord {
    /// Epochs completed before this evaluation.
    pub epoch: usize,
    pub examples_seen: usize,
    #[serde(flatten)]
    pub evaluation: Evaluation,
    /// The same figures on the random held-out sums.
    pub test: Evaluation,
    /// Fraction of the carry-chain sums whose every digit is right.
    pub carry_chain_accuracy: f64,
    /// The rate in force after this evaluation.
    pub learning_rate: f64,
    /// Whether this evaluation halved the rate.
    pub halved: bool,
}

/// A record as a saved file spells it: serde cannot deny unknown fields through `flatten`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RecordFields {
    epoch: usize,
    examples_seen: usize,
    loss: f64,
    digit_accuracy: f64,
    exact_accuracy: f64,
    test: Evaluation,
    carry_chain_accuracy: f64,
    learning_rate: f64,
    halved: bool,
}

impl TryFrom<RecordFields> for LossRecord {
    type Error = String;
    fn try_from(r: RecordFields) -> std::result::Result<LossRecord, String> {
        let RecordFields { epoch, examples_seen, loss, digit_accuracy, exact_accuracy, test, carry_chain_accuracy, learning_rate, halved } = r;
        let evaluation = Evaluation { loss, digit_accuracy, exact_accuracy };
        Ok(LossRecord { epoch, examples_seen, evaluation, test, carry_chain_accuracy, learning_rate, halved })
    }
}

/// The latest evaluation on the random held-out sums: `{ loss, digitAccuracy, exactAccuracy,
/// size, digitAccuracyByPlace }`, the last one's entry k for the sum digit of 10^k.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestReport {
    pub loss: f64,
    pub digit_accuracy: f64,
    pub exact_accuracy: f64,
    pub size: usize,
    pub digit_accuracy_by_place: Vec<f64>,
}

/// The latest evaluation on the carry-chain sums: `{ exactAccuracy, size }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChainReport {
    pub exact_accuracy: f64,
    pub size: usize,
}

/// The outcome of one finished epoch, as the page reads it: `{ epoch, examplesSeen, evaluated,
/// loss, digitAccuracy, exactAccuracy, test, carryChains, halved, learningRate }`; the training
/// figures are on the sums trained on, `test` and `carryChains` on the held-out ones.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EpochReport {
    /// Epochs completed.
    pub epoch: usize,
    pub examples_seen: usize,
    /// Whether the loss was evaluated after this epoch; if not, the figures are the last evaluation's.
    pub evaluated: bool,
    /// The latest evaluation's mean loss per digit (this epoch's when `evaluated`); spelled out
    /// rather than a flattened `Evaluation`, whose serde code is three times the size in wasm.
    pub loss: f64,
    pub digit_accuracy: f64,
    pub exact_accuracy: f64,
    pub test: TestReport,
    pub carry_chains: ChainReport,
    /// Whether this epoch's evaluation halved the rate.
    pub halved: bool,
    /// The rate the next epoch will use.
    pub learning_rate: f64,
}

/// What one [`Trainer::advance`] got to.
#[derive(Debug, Clone, PartialEq)]
pub enum Advance {
    /// The budget is spent; the current epoch (or the starting loss) goes on.
    Partial,
    /// The starting loss is recorded: the model is ready to train.
    Ready,
    /// An epoch finished, with its loss evaluation when one was due.
    Epoch(EpochReport),
}

/// Where work stands inside the current epoch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// "starting" (the loss before training), "training" (SGD steps) or "evaluating" (the loss
    /// after an epoch).
    pub phase: &'static str,
    /// Examples of this phase done, out of `total`.
    pub done: usize,
    pub total: usize,
}

/// Where a run stands: enough, with the config and the weights, to carry on exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrainingState {
    pub epoch: usize,
    pub examples_seen: usize,
    /// The rate the next epoch will use.
    pub learning_rate: f64,
    pub history: Vec<LossRecord>,
    /// The latest evaluation's digit accuracy on the random test sums, by place (10^k).
    pub test_by_place: Vec<f64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Totals {
    loss: f64,
    right_digits: usize,
    exact: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// SGD steps, the next on example `next`.
    Training { next: usize },
    /// The loss over the examples, then over the test sets (see [`Trainer::evaluated_range`]),
    /// the next being `next`; before the first epoch this is the starting loss.
    Evaluating { next: usize, totals: Totals },
}

/// A model, its data and its training state.
#[derive(Debug, Clone)]
pub struct Trainer {
    config: Config,
    data: DataSet,
    model: Rnn,
    /// The weights as they were when the current epoch began: what an undo restores and what is
    /// saved, so a saved run always stands at a whole epoch.
    epoch_start: Rnn,
    learning_rate: f64,
    epoch: usize,
    examples_seen: usize,
    history: Vec<LossRecord>,
    phase: Phase,
    backprop: Backprop,
    trace: Trace,
    sgd_steps: u64,
    tests: TestSets,
    batch: Batch<f64>,
    /// The batch buffers of `precision` f32.
    single: Batch<f32>,
    optimizer: OptimizerState,
    /// The optimizer as it was when the current epoch began (see `epoch_start`).
    epoch_start_optimizer: OptimizerState,
    /// The evaluation under way on the random test sums and the carry chains.
    test_totals: [Totals; 2],
    /// Right test digits by step, for the evaluation under way.
    right_by_step: Vec<usize>,
    test_by_place: Vec<f64>,
}

impl Trainer {
    /// The notebook's sequencing: seed the data seed, draw the data set; seed the model seed
    /// (unless it is `None`), draw U, V, W; evaluate the starting loss.
    pub fn new(config: Config) -> Result<Trainer> {
        let mut t = Trainer::start(config)?;
        t.finish_starting_loss();
        Ok(t)
    }

    /// As [`Trainer::new`], but the starting loss is left to [`Trainer::advance`], so that a
    /// large data set never blocks its caller for long.
    pub fn start(config: Config) -> Result<Trainer> {
        config.validate()?;
        let mut rng = NumpyRng::new(config.data_seed as u64)?;
        let data = DataSet::generate(&mut rng, config.n_samples, config.n_digits, config.layout)?;
        if let Some(seed) = config.model_seed {
            rng.reseed(seed);
        }
        let model = Rnn::init(config.layout.input_dim(), crate::data::N_CLASSES, config.hidden_dim, &mut rng);
        Trainer::with_parts(config, data, model)
    }

    /// A trainer over given data and weights, at epoch 0, with the starting loss evaluated.
    pub fn from_parts(config: Config, data: DataSet, model: Rnn) -> Result<Trainer> {
        let mut t = Trainer::with_parts(config, data, model)?;
        t.finish_starting_loss();
        Ok(t)
    }

    fn with_parts(config: Config, data: DataSet, model: Rnn) -> Result<Trainer> {
        let state = TrainingState { epoch: 0, examples_seen: 0, learning_rate: config.learning_rate, history: Vec::new(), test_by_place: Vec::new() };
        let optimizer = OptimizerState::new(config.optimizer, &model);
        let mut t = Trainer::assemble(config, data, model, state, optimizer)?;
        t.begin_evaluation();
        Ok(t)
    }

    /// A trainer continuing from a saved state, which must be one a trainer can reach; `data` is
    /// the first training set (the one drawn from the data seed), even when it is drawn fresh
    /// every epoch.
    pub fn resume(config: Config, data: DataSet, model: Rnn, state: TrainingState, optimizer: OptimizerState) -> Result<Trainer> {
        check_state(&config, &state)?;
        optimizer.check(config.optimizer, &model)?;
        Trainer::assemble(config, data, model, state, optimizer)
    }

    fn assemble(config: Config, data: DataSet, model: Rnn, state: TrainingState, optimizer: OptimizerState) -> Result<Trainer> {
        config.validate()?;
        if data.len() != config.n_samples || data.n_digits != config.n_digits || data.layout != config.layout {
            return Err(Error::Config("the data set does not match the settings".into()));
        }
        check_shapes(&config, &model)?;
        if !weights_finite(&model) {
            return Err(Error::Model("the weights hold a value that is not a finite number".into()));
        }
        let learning_rate = check_learning_rate(state.learning_rate)?;
        let backprop = Backprop::new(&model);
        let trace = Trace::new(data.steps, model.hidden_dim(), model.output_dim());
        let tests = TestSets::draw(config.data_seed, config.test_samples, config.n_digits, config.layout, &data, config.fresh_data)?;
        let TrainingState { epoch, examples_seen, history, test_by_place, .. } = state;
        let data = if config.fresh_data && epoch > 0 {
            fresh_training_set(config.data_seed, epoch, config.n_samples, config.n_digits, config.layout, &tests)?
        } else {
            data
        };
        Ok(Trainer {
            batch: Batch::new(&model),
            single: Batch::new(&model),
            epoch_start_optimizer: optimizer.clone(),
            optimizer,
            config,
            data,
            epoch_start: model.clone(),
            model,
            learning_rate,
            epoch,
            examples_seen,
            history,
            phase: Phase::Training { next: 0 },
            backprop,
            trace,
            sgd_steps: 0,
            tests,
            test_totals: [Totals::default(); 2],
            right_by_step: Vec::new(),
            test_by_place,
        })
    }

    /// Where training stands at the last whole epoch, without the data and weights.
    pub fn state(&self) -> TrainingState {
        TrainingState {
            epoch: self.epoch,
            examples_seen: self.examples_seen,
            learning_rate: self.learning_rate,
            history: self.history.clone(),
            test_by_place: self.test_by_place.clone(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn data(&self) -> &DataSet {
        &self.data
    }

    /// The weights now, mid-epoch included.
    pub fn model(&self) -> &Rnn {
        &self.model
    }

    /// The weights at the last whole epoch: the ones [`Trainer::state`] describes.
    pub fn epoch_start_model(&self) -> &Rnn {
        &self.epoch_start
    }

    pub fn learning_rate(&self) -> f64 {
        self.learning_rate
    }

    /// Changes the rate from now on (the halving rule keeps applying to it). An undone epoch
    /// keeps the new rate: it is the user's choice, not the epoch's doing.
    pub fn set_learning_rate(&mut self, lr: f64) -> Result<()> {
        self.learning_rate = check_learning_rate(lr)?;
        Ok(())
    }

    /// Epochs completed.
    pub fn epoch(&self) -> usize {
        self.epoch
    }

    pub fn examples_seen(&self) -> usize {
        self.examples_seen
    }

    /// Every loss evaluation kept so far (see [`HISTORY_LIMIT`]), the starting one first.
    pub fn history(&self) -> &[LossRecord] {
        &self.history
    }

    /// The records after epoch `after` (all of them for `None`), at most `most` of them chosen
    /// evenly, always with every halving and the latest: what a chart needs to catch up.
    pub fn history_since(&self, after: Option<usize>, most: usize) -> Vec<LossRecord> {
        let start = after.map_or(0, |e| self.history.partition_point(|r| r.epoch <= e));
        let mut records = self.history[start..].to_vec();
        while records.len() > most.max(2) && thin(&mut records) {}
        records
    }

    /// Whether the starting loss is still being evaluated.
    pub fn is_starting(&self) -> bool {
        self.history.is_empty()
    }

    /// The test sets this run is measured on.
    pub fn test_sets(&self) -> &TestSets {
        &self.tests
    }

    pub fn progress(&self) -> Progress {
        match self.phase {
            Phase::Training { next } => Progress { phase: "training", done: next, total: self.data.len() },
            Phase::Evaluating { next, .. } => {
                Progress { phase: if self.is_starting() { "starting" } else { "evaluating" }, done: next, total: self.evaluated_range() }
            }
        }
    }

    /// Examples of one evaluation: the training ones, then the random test sums, then the carry
    /// chains.
    fn evaluated_range(&self) -> usize {
        self.data.len() + self.tests.len()
    }

    /// Starts a loss evaluation.
    fn begin_evaluation(&mut self) {
        self.phase = Phase::Evaluating { next: 0, totals: Totals::default() };
        self.test_totals = [Totals::default(); 2];
        self.right_by_step = vec![0; self.data.steps];
    }

    /// Evaluates examples `range` of the evaluation (see [`Trainer::evaluated_range`]).
    fn evaluate_range(&mut self, range: std::ops::Range<usize>, totals: &mut Totals) {
        let (n, r) = (self.data.len(), self.tests.random.len());
        let Trainer { model, data, tests, test_totals, right_by_step, trace, batch, .. } = self;
        let part = |lo: usize, hi: usize| range.start.clamp(lo, hi) - lo..range.end.clamp(lo, hi) - lo;
        // the training loss one sequence at a time, as the notebook sums it (its bits); the
        // held-out sums in batches, faster and each sequence's figures its own
        accumulate(model, data, part(0, n), totals, trace);
        accumulate_batched(model, &tests.random, part(n, n + r), &mut test_totals[0], batch, Some(right_by_step));
        accumulate_batched(model, &tests.chains, part(n + r, n + r + tests.chains.len()), &mut test_totals[1], batch, None);
    }

    /// Works through at most `budget` examples (SGD steps or loss evaluations, at least one) and
    /// stops early when the starting loss is recorded or an epoch ends. An epoch that diverges is
    /// undone and reported as [`Error::Diverged`].
    pub fn advance(&mut self, budget: usize) -> Result<Advance> {
        let mut budget = budget.max(1);
        loop {
            match self.phase {
                Phase::Training { next } => {
                    // whole batches: a batch counts as its examples, and at least one is trained
                    let batch = self.config.batch_size;
                    let end = next.saturating_add(budget.div_ceil(batch).saturating_mul(batch)).min(self.data.len());
                    budget = budget.saturating_sub(end - next);
                    if self.config.optimizer == Optimizer::Sgd && batch == 1 && self.config.clip_norm.is_none() {
                        let Trainer { data, model, backprop, learning_rate, config, sgd_steps, .. } = self;
                        for i in next..end {
                            let (x, y) = data.example(i);
                            sgd_step(model, backprop, x, y, *learning_rate, config.bptt_truncate);
                            *sgd_steps += 1;
                            // the forward pass this step made, before its update: its loss per digit
                            let loss = Rnn::sequence_loss(&backprop.trace, y) / y.len() as f64;
                            if diverged(loss) {
                                return Err(self.undo(loss));
                            }
                        }
                    } else {
                        for start in (next..end).step_by(batch) {
                            let loss = self.batch_step(start..(start + batch).min(end));
                            if diverged(loss) {
                                return Err(self.undo(loss));
                            }
                        }
                    }
                    if end < self.data.len() {
                        self.phase = Phase::Training { next: end };
                        return Ok(Advance::Partial);
                    }
                    if !weights_finite(&self.model) {
                        return Err(self.undo(f64::NAN));
                    }
                    if (self.epoch + 1).is_multiple_of(self.config.evaluate_loss_after) {
                        self.begin_evaluation();
                        if budget == 0 {
                            return Ok(Advance::Partial);
                        }
                    } else {
                        return Ok(Advance::Epoch(self.finish_epoch()?));
                    }
                }
                Phase::Evaluating { next, mut totals } => {
                    let end = next.saturating_add(budget).min(self.evaluated_range());
                    self.evaluate_range(next..end, &mut totals);
                    if end < self.evaluated_range() {
                        self.phase = Phase::Evaluating { next: end, totals };
                        return Ok(Advance::Partial);
                    }
                    let evaluation = totals.evaluation(&self.data);
                    if self.is_starting() {
                        self.record(evaluation);
                        self.phase = Phase::Training { next: 0 };
                        return Ok(Advance::Ready);
                    }
                    // weights that give a held-out sum no chance at all have blown up too: a
                    // test loss that is not a finite number is never stored (nor saved as null)
                    let test_loss = self.test_totals[0].evaluation(&self.tests.random).loss;
                    for loss in [evaluation.loss, test_loss] {
                        if diverged(loss) {
                            return Err(self.undo(loss));
                        }
                    }
                    self.record_after_epoch(evaluation);
                    return Ok(Advance::Epoch(self.finish_epoch()?));
                }
            }
        }
    }

    /// Ends the current epoch with weights trained elsewhere (the page's homework mode, whose
    /// gradients come from the student's code): `model` becomes the weights, and the epoch ends as
    /// one trained here does: the loss evaluated when due, the rate rule, a divergence undone.
    pub fn finish_epoch_with(&mut self, model: Rnn) -> Result<EpochReport> {
        check_shapes(&self.config, &model)?;
        self.finish_starting_loss();
        self.model = model;
        self.phase = Phase::Training { next: self.data.len() };
        loop {
            if let Advance::Epoch(report) = self.advance(usize::MAX)? {
                return Ok(report);
            }
        }
    }

    /// One whole epoch (after the starting loss, if that is still pending).
    pub fn train_epoch(&mut self) -> Result<EpochReport> {
        self.finish_starting_loss();
        loop {
            if let Advance::Epoch(report) = self.advance(usize::MAX)? {
                return Ok(report);
            }
        }
    }

    /// Completes the starting loss if it is still being evaluated.
    pub fn finish_starting_loss(&mut self) {
        while self.is_starting() {
            // evaluating changes no weight, so it cannot diverge
            let _ = self.advance(usize::MAX);
        }
    }

    /// Sequences trained on since this trainer was made (a batch counts as its sequences), undone
    /// ones included: the work done, for an honest sequences-per-second figure.
    pub fn sgd_steps(&self) -> u64 {
        self.sgd_steps
    }

    /// A gradient check of the weights now on the request's training example, at the config's
    /// truncation unless the request says otherwise; run it with [`GradientCheck::advance`].
    pub fn gradient_check(&self, request: &CheckRequest) -> Result<GradientCheck> {
        let example = request.example.unwrap_or(0);
        if example >= self.data.len() {
            return Err(Error::Input(format!("example must be from 0 to {}, got {example}", self.data.len() - 1)));
        }
        let (x, y) = self.data.example(example);
        GradientCheck::new(&self.model, x, y, request.bptt_truncate.unwrap_or(self.config.bptt_truncate), request.options())
    }

    /// Loss and accuracies on the training examples now.
    pub fn evaluate(&self) -> Evaluation {
        evaluate(&self.model, &self.data)
    }

    /// One update on the examples `range`: their mean gradient, clipped if asked, then the
    /// optimizer's step. Returns the batch's loss per digit before the update.
    fn batch_step(&mut self, range: std::ops::Range<usize>) -> f64 {
        let Trainer { data, model, batch, single, optimizer, config, learning_rate, sgd_steps, .. } = self;
        let rows = range.start * data.steps..range.end * data.steps;
        let (inputs, targets) = (&data.inputs[rows.clone()], &data.targets[rows]);
        let (loss, g) = match config.precision {
            Precision::F64 => (batch.gradients(model, inputs, targets, data.steps, config.bptt_truncate), &mut batch.grads),
            Precision::F32 => (single.gradients(model, inputs, targets, data.steps, config.bptt_truncate), &mut single.grads),
        };
        let scale = 1.0 / range.len() as f64;
        for a in [&mut g.du, &mut g.dv, &mut g.dw] {
            a.mapv_inplace(|v| v * scale);
        }
        if let Some(max) = config.clip_norm {
            clip_global_norm(g, max);
        }
        optimizer.update(config, *learning_rate, model, g);
        *sgd_steps += range.len() as u64;
        loss / (range.len() * data.steps) as f64
    }

    fn finish_epoch(&mut self) -> Result<EpochReport> {
        self.epoch += 1;
        self.examples_seen += self.data.len();
        self.phase = Phase::Training { next: 0 };
        self.epoch_start.clone_from(&self.model);
        self.epoch_start_optimizer.clone_from(&self.optimizer);
        if self.config.fresh_data {
            let c = &self.config;
            self.data = fresh_training_set(c.data_seed, self.epoch, c.n_samples, c.n_digits, c.layout, &self.tests)?;
        }
        Ok(self.report())
    }

    /// The optimizer's state at the last whole epoch, as it is saved.
    pub fn epoch_start_optimizer(&self) -> &OptimizerState {
        &self.epoch_start_optimizer
    }

    /// Where the run stands at its last whole epoch, as an epoch's report says it (at epoch 0:
    /// the starting loss). The starting loss must be recorded.
    pub fn report(&self) -> EpochReport {
        let latest = self.history.last().expect("the starting loss is recorded");
        let evaluated = latest.epoch == self.epoch;
        EpochReport {
            epoch: self.epoch,
            examples_seen: self.examples_seen,
            evaluated,
            loss: latest.evaluation.loss,
            digit_accuracy: latest.evaluation.digit_accuracy,
            exact_accuracy: latest.evaluation.exact_accuracy,
            test: TestReport {
                loss: latest.test.loss,
                digit_accuracy: latest.test.digit_accuracy,
                exact_accuracy: latest.test.exact_accuracy,
                size: self.tests.random.len(),
                digit_accuracy_by_place: self.test_by_place.clone(),
            },
            carry_chains: ChainReport { exact_accuracy: latest.carry_chain_accuracy, size: self.tests.chains.len() },
            halved: evaluated && latest.halved,
            learning_rate: self.learning_rate,
        }
    }

    /// Puts the weights back as the epoch found them and says why.
    fn undo(&mut self, loss: f64) -> Error {
        self.model.clone_from(&self.epoch_start);
        self.optimizer.clone_from(&self.epoch_start_optimizer);
        self.phase = Phase::Training { next: 0 };
        let what = if loss.is_nan() {
            "the weights stopped being finite numbers".to_string()
        } else if loss.is_infinite() {
            "the loss became infinite".to_string()
        } else {
            format!("the loss reached {loss:.1} nats per digit, more than 100 times chance")
        };
        Error::Diverged(format!(
            "Epoch {} diverged at learning rate {}: {what}. The epoch was undone; the model is as it was after epoch {}.",
            self.epoch + 1,
            self.learning_rate,
            self.epoch
        ))
    }

    fn record_after_epoch(&mut self, evaluation: Evaluation) {
        let rose = self.config.rate_rule == RateRule::HalveOnRise && self.history.last().is_some_and(|prev| evaluation.loss > prev.evaluation.loss);
        // never halve to zero: a rate must stay a positive number
        let halved = rose && self.learning_rate * 0.5 > 0.0;
        if halved {
            self.learning_rate *= 0.5;
        }
        self.push(evaluation, halved);
    }

    fn record(&mut self, evaluation: Evaluation) {
        self.push(evaluation, false);
    }

    fn push(&mut self, evaluation: Evaluation, halved: bool) {
        let epoch = if self.is_starting() { self.epoch } else { self.epoch + 1 };
        let examples_seen = epoch * self.data.len();
        let test = self.test_totals[0].evaluation(&self.tests.random);
        let carry_chain_accuracy = self.test_totals[1].evaluation(&self.tests.chains).exact_accuracy;
        let size = self.tests.random.len().max(1) as f64;
        let (layout, n) = (self.config.layout, self.config.n_digits);
        self.test_by_place = vec![0.0; self.right_by_step.len()];
        for (step, &right) in self.right_by_step.iter().enumerate() {
            self.test_by_place[layout.place(step, n)] = right as f64 / size;
        }
        self.history.push(LossRecord { epoch, examples_seen, evaluation, test, carry_chain_accuracy, learning_rate: self.learning_rate, halved });
        if self.history.len() > HISTORY_LIMIT {
            thin(&mut self.history);
        }
    }
}

/// Drops every other record, keeping the first, the last and every halving. Returns whether any
/// record went.
fn thin(records: &mut Vec<LossRecord>) -> bool {
    let (before, last) = (records.len(), records.len().saturating_sub(1));
    let mut keep = false;
    let mut index = 0;
    records.retain(|r| {
        let i = index;
        index += 1;
        if i == 0 || i == last || r.halved {
            return true;
        }
        keep = !keep;
        keep
    });
    records.len() < before
}

/// Whether the weights have the shapes the settings need.
pub(crate) fn check_shapes(config: &Config, model: &Rnn) -> Result<()> {
    let expect = [
        ("U", model.u.dim(), (config.hidden_dim, config.layout.input_dim())),
        ("V", model.v.dim(), (crate::data::N_CLASSES, config.hidden_dim)),
        ("W", model.w.dim(), (config.hidden_dim, config.hidden_dim)),
    ];
    for (name, got, want) in expect {
        if got != want {
            return Err(Error::Model(format!("{name} is {}x{} but the settings need {}x{}", got.0, got.1, want.0, want.1)));
        }
    }
    Ok(())
}

fn weights_finite(m: &Rnn) -> bool {
    [&m.u, &m.v, &m.w].iter().all(|a| a.iter().all(|v| v.is_finite()))
}

/// The invariants a saved state must keep for the trainer to carry on from it.
fn check_state(config: &Config, s: &TrainingState) -> Result<()> {
    let bad = |why: String| Err(Error::Model(format!("the training state is damaged: {why}")));
    let n = config.n_samples;
    let every = config.evaluate_loss_after;
    if s.examples_seen != s.epoch.saturating_mul(n) {
        return bad(format!("examplesSeen is {} but {} epochs of {n} examples make {}", s.examples_seen, s.epoch, s.epoch.saturating_mul(n)));
    }
    let (Some(first), Some(last)) = (s.history.first(), s.history.last()) else {
        return bad("the loss history is empty (it always holds the starting loss)".into());
    };
    if s.history.len() > HISTORY_LIMIT {
        return bad(format!("the loss history holds {} records, more than the {HISTORY_LIMIT} kept", s.history.len()));
    }
    if first.epoch != 0 || first.halved {
        return bad("the loss history does not begin with the starting loss".into());
    }
    if last.epoch != s.epoch - s.epoch % every {
        return bad(format!("the last loss record is at epoch {} but epoch {} is the last evaluated", last.epoch, s.epoch - s.epoch % every));
    }
    for (i, r) in s.history.iter().enumerate() {
        let e = r.evaluation;
        let problem = if i > 0 && r.epoch <= s.history[i - 1].epoch {
            Some("its epochs are not in increasing order")
        } else if r.epoch % every != 0 {
            Some("it holds an epoch at which no loss is evaluated")
        } else if r.examples_seen != r.epoch.saturating_mul(n) {
            Some("its examplesSeen do not match its epochs")
        } else if !(e.loss.is_finite() && e.loss >= 0.0) {
            Some("a loss is not a finite number from 0")
        } else if !(r.test.loss.is_finite() && r.test.loss >= 0.0) {
            Some("a test loss is not a finite number from 0")
        } else if ![e.digit_accuracy, e.exact_accuracy, r.test.digit_accuracy, r.test.exact_accuracy, r.carry_chain_accuracy]
            .iter()
            .all(|a| (0.0..=1.0).contains(a))
        {
            Some("an accuracy is not a fraction from 0 to 1")
        } else if check_learning_rate(r.learning_rate).is_err() {
            Some("a learning rate is not a positive finite number")
        } else {
            None
        };
        if let Some(p) = problem {
            return bad(format!("loss record {i}: {p}"));
        }
    }
    let places = config.layout.steps(config.n_digits);
    if s.test_by_place.len() != places || !s.test_by_place.iter().all(|a| (0.0..=1.0).contains(a)) {
        return bad(format!("testByPlace must hold {places} fractions from 0 to 1"));
    }
    Ok(())
}

impl Totals {
    /// The figures over `data`; an empty set (a pair space the training sums fill) gives zeros.
    fn evaluation(&self, data: &DataSet) -> Evaluation {
        if data.is_empty() {
            return Evaluation { loss: 0.0, digit_accuracy: 0.0, exact_accuracy: 0.0 };
        }
        let digits = (data.len() * data.steps) as f64;
        Evaluation { loss: self.loss / digits, digit_accuracy: self.right_digits as f64 / digits, exact_accuracy: self.exact as f64 / data.len() as f64 }
    }
}

/// Adds the loss and right digits of examples `range` to `totals`, in order, so a loss summed in
/// slices has the bits of one summed in one go.
fn accumulate(model: &Rnn, data: &DataSet, range: std::ops::Range<usize>, totals: &mut Totals, trace: &mut Trace) {
    for i in range {
        let (x, y) = data.example(i);
        model.forward_into(x, trace);
        totals.loss += Rnn::sequence_loss(trace, y);
        let right = y.iter().enumerate().filter(|&(t, &d)| argmax(trace.output(t)) == d).count();
        totals.right_digits += right;
        totals.exact += usize::from(right == y.len());
    }
}

/// Sequences of held-out sums evaluated in one batch: enough rows for the products to run at
/// full speed, few enough that the buffers stay small (H 512, 37 steps: 10 MB).
const EVALUATION_BATCH: usize = 64;

/// [`accumulate`] with the forward passes [`EVALUATION_BATCH`] sequences at a time: each
/// sequence's loss and digits are its own, added to `totals` in order.
fn accumulate_batched(
    model: &Rnn,
    data: &DataSet,
    range: std::ops::Range<usize>,
    totals: &mut Totals,
    batch: &mut Batch<f64>,
    mut by_step: Option<&mut Vec<usize>>,
) {
    let steps = data.steps;
    for start in range.clone().step_by(EVALUATION_BATCH) {
        let rows = start * steps..(start + EVALUATION_BATCH).min(range.end) * steps;
        let scores = batch.evaluate(model, &data.inputs[rows.clone()], &data.targets[rows], steps);
        for (loss, right) in scores.losses.iter().zip(scores.right.chunks_exact(steps)) {
            totals.loss += loss;
            let count = right.iter().filter(|&&r| r).count();
            if let Some(by_step) = by_step.as_deref_mut() {
                for (n, &r) in by_step.iter_mut().zip(right) {
                    *n += usize::from(r);
                }
            }
            totals.right_digits += count;
            totals.exact += usize::from(count == steps);
        }
    }
}

/// Mean loss per digit, digit accuracy and exact-sum accuracy of `model` on `data`.
pub fn evaluate(model: &Rnn, data: &DataSet) -> Evaluation {
    let mut trace = Trace::new(data.steps, model.hidden_dim(), model.output_dim());
    let mut totals = Totals::default();
    accumulate(model, data, 0..data.len(), &mut totals, &mut trace);
    totals.evaluation(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small(lr: f64) -> Trainer {
        Trainer::new(Config { n_samples: 100, hidden_dim: 32, learning_rate: lr, ..Config::default() }).unwrap()
    }

    #[test]
    fn training_in_slices_gives_the_bits_of_whole_epochs() {
        let mut whole = small(0.005);
        let mut sliced = Trainer::start(Config { n_samples: 100, hidden_dim: 32, ..Config::default() }).unwrap();
        // the starting evaluation covers the training sums and both test sets
        let total = 100 + sliced.test_sets().len();
        assert_eq!(sliced.progress(), Progress { phase: "starting", done: 0, total });
        assert_eq!(sliced.advance(7).unwrap(), Advance::Partial);
        assert_eq!(sliced.progress(), Progress { phase: "starting", done: 7, total });
        while sliced.advance(7).unwrap() != Advance::Ready {}
        assert_eq!(sliced.history(), whole.history());
        for _ in 0..3 {
            let want = whole.train_epoch().unwrap();
            let got = loop {
                if let Advance::Epoch(r) = sliced.advance(13).unwrap() {
                    break r;
                }
            };
            assert_eq!(got, want);
        }
        assert_eq!(sliced.model(), whole.model());
    }

    #[test]
    fn a_diverging_epoch_is_undone_exactly() {
        let mut t = small(0.005);
        t.train_epoch().unwrap();
        let (model, state) = (t.model().clone(), t.state());
        t.set_learning_rate(1e6).unwrap();
        let err = t.train_epoch().unwrap_err();
        assert!(matches!(err, Error::Diverged(_)), "{err}");
        assert!(err.message().starts_with("Epoch 2 diverged at learning rate 1000000: "), "{err}");
        assert!(err.message().ends_with("The epoch was undone; the model is as it was after epoch 1."), "{err}");
        assert_eq!(t.model(), &model);
        assert_eq!(t.state(), TrainingState { learning_rate: 1e6, ..state.clone() });
        // a sane rate carries on exactly as if the bad epoch had never been tried
        t.set_learning_rate(0.005).unwrap();
        let mut fresh = small(0.005);
        fresh.train_epoch().unwrap();
        assert_eq!(t.train_epoch().unwrap(), fresh.train_epoch().unwrap());
        assert_eq!(t.model(), fresh.model());
    }

    #[test]
    fn undo_happens_mid_epoch_and_at_the_evaluation() {
        // lr 5 at H 32: an early example already sees an enormous loss
        let mut t = small(5.0);
        let before = t.model().clone();
        let err = t.advance(usize::MAX).unwrap_err();
        assert!(matches!(err, Error::Diverged(_)));
        assert_eq!(t.model(), &before);
        assert_eq!(t.progress().done, 0);
        assert_eq!(t.epoch(), 0);
        assert_eq!(t.history().len(), 1);
    }

    #[test]
    fn the_history_stays_bounded_and_keeps_first_last_and_halvings() {
        let mut t = Trainer::new(Config { n_samples: 1, hidden_dim: 1, n_digits: 1, learning_rate: 2.0, ..Config::default() }).unwrap();
        for _ in 0..3 * HISTORY_LIMIT {
            match t.train_epoch() {
                Ok(_) => {}
                Err(Error::Diverged(_)) => t.set_learning_rate(0.5).unwrap(),
                Err(e) => panic!("{e}"),
            }
        }
        let h = t.history();
        assert!(h.len() <= HISTORY_LIMIT && h.len() > HISTORY_LIMIT / 4, "{}", h.len());
        assert_eq!(h[0].epoch, 0);
        assert_eq!(h.last().unwrap().epoch, t.epoch());
        assert!(h.windows(2).all(|w| w[0].epoch < w[1].epoch));
        let since = t.history_since(Some(10), 50);
        assert!(since.len() <= 50 + h.iter().filter(|r| r.halved).count());
        assert_eq!(since.last(), h.last());
        assert!(since.iter().all(|r| r.epoch > 10));
    }

    #[test]
    fn the_rate_never_halves_to_zero() {
        let mut t = small(f64::MIN_POSITIVE * f64::EPSILON); // the smallest subnormal
        t.history[0].evaluation.loss = 0.0; // any loss now "rises"
        let r = t.train_epoch().unwrap();
        assert!(!r.halved);
        assert_eq!(t.learning_rate(), f64::MIN_POSITIVE * f64::EPSILON);
    }
}
