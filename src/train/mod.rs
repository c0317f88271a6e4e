//! Training, as the notebook's `train_with_sgd` does it: an SGD pass over the examples in order,
//! then every `evaluate_loss_after` epochs the mean loss, and the learning rate halved whenever
//! that loss is above the previous one.
//!
//! Work proceeds in slices ([`Trainer::advance`]) so that a caller with a deadline (the page's
//! worker) can stop between any two examples, mid-epoch, and carry on later. An epoch whose loss
//! or weights stop being finite numbers, or whose loss passes [`DIVERGED_LOSS`], is undone: the
//! weights and the training state go back to where the epoch began, so nothing non-finite is ever
//! stored. The loss history is bounded ([`HISTORY_LIMIT`]).

mod epoch;
mod evaluation;
mod history;
mod records;
mod resume;
#[cfg(test)]
mod tests;

pub use crate::metrics::Evaluation;
pub use evaluation::evaluate;
pub use history::HISTORY_LIMIT;
pub use records::{Advance, ChainReport, EpochReport, LossRecord, Progress, TestReport, TrainingState};
pub(crate) use resume::check_shapes;
use resume::check_state;

use crate::bptt::Backprop;
use crate::cells::{CellBatch, Model};
use crate::config::{check_learning_rate, Config};
use crate::dataset::DataSet;
use crate::error::{Error, Result};
use crate::gradcheck::{CheckRequest, GradientCheck};
use crate::heldout::{first_training_set, fresh_training_set, TestSets};
use crate::model::Trace;
use crate::optim::OptimizerState;
use evaluation::Totals;

/// A mean loss per digit above this (100 times chance, ln 10) means the weights have blown up.
pub const DIVERGED_LOSS: f64 = 100.0 * std::f64::consts::LN_10;

/// Whether a loss says the weights blew up: NaN, infinite, or above [`DIVERGED_LOSS`].
fn diverged(loss: f64) -> bool {
    loss.is_nan() || loss > DIVERGED_LOSS
}

/// Why an epoch was undone, as the page says it: the epoch, the rate, what happened, and that the
/// model is as it was. Homework's epochs, trained with a student's gradients, say it the same way.
pub(crate) fn divergence(epoch_done: usize, learning_rate: f64, what: &str) -> Error {
    Error::Diverged(format!(
        "Epoch {} diverged at learning rate {learning_rate}: {what}. The epoch was undone; the model is as it was after epoch {epoch_done}.",
        epoch_done + 1
    ))
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
    model: Model,
    /// The weights as they were when the current epoch began: what an undo restores and what is
    /// saved, so a saved run always stands at a whole epoch.
    epoch_start: Model,
    learning_rate: f64,
    epoch: usize,
    examples_seen: u64,
    history: Vec<LossRecord>,
    phase: Phase,
    /// The vanilla cell's buffers for one sequence (the notebook's SGD and its training loss).
    backprop: Option<Backprop>,
    trace: Trace,
    sgd_steps: u64,
    tests: TestSets,
    batch: CellBatch<f64>,
    /// The batch buffers of `precision` f32.
    single: CellBatch<f32>,
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
        let (data, mut rng) = first_training_set(&config)?;
        if let Some(seed) = config.model_seed {
            rng.reseed(seed);
        }
        let model = Model::init(config.cell, config.shape().input_dim(), crate::data::N_CLASSES, config.hidden_dim, &mut rng);
        Trainer::with_parts(config, data, model)
    }

    /// A trainer over given data and weights, at epoch 0, with the starting loss evaluated.
    pub fn from_parts(config: Config, data: DataSet, model: Model) -> Result<Trainer> {
        let mut t = Trainer::with_parts(config, data, model)?;
        t.finish_starting_loss();
        Ok(t)
    }

    fn with_parts(config: Config, data: DataSet, model: Model) -> Result<Trainer> {
        let state = TrainingState { epoch: 0, examples_seen: 0, learning_rate: config.learning_rate, history: Vec::new(), test_by_place: Vec::new() };
        let optimizer = OptimizerState::new(config.optimizer, &model);
        let mut t = Trainer::assemble(config, data, model, state, optimizer)?;
        t.begin_evaluation();
        Ok(t)
    }

    /// A trainer continuing from a saved state, which must be one a trainer can reach; `data` is
    /// the first training set (the one drawn from the data seed), even when it is drawn fresh
    /// every epoch.
    pub fn resume(config: Config, data: DataSet, model: Model, state: TrainingState, optimizer: OptimizerState) -> Result<Trainer> {
        check_state(&config, &state)?;
        optimizer.check(config.optimizer, &model)?;
        Trainer::assemble(config, data, model, state, optimizer)
    }

    fn assemble(config: Config, data: DataSet, model: Model, state: TrainingState, optimizer: OptimizerState) -> Result<Trainer> {
        config.validate()?;
        if data.len() != config.n_samples || data.shape != config.shape() {
            return Err(Error::Config("the data set does not match the settings".into()));
        }
        check_shapes(&config, &model)?;
        if let Some(bad) = model.weight_out_of_range() {
            return Err(Error::Model(bad.refused()));
        }
        let learning_rate = check_learning_rate(state.learning_rate)?;
        let backprop = model.vanilla().map(Backprop::new);
        let trace = Trace::new(data.steps, model.hidden_dim(), model.output_dim());
        let tests = TestSets::draw(config.data_seed, config.test_samples, config.shape(), &data, config.fresh_data)?;
        let TrainingState { epoch, examples_seen, history, test_by_place, .. } = state;
        let data = if config.fresh_data && epoch > 0 { fresh_training_set(&config, epoch, &tests)? } else { data };
        Ok(Trainer {
            batch: CellBatch::new(&model),
            single: CellBatch::new(&model),
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
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The weights at the last whole epoch: the ones [`Trainer::state`] describes.
    pub fn epoch_start_model(&self) -> &Model {
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

    pub fn examples_seen(&self) -> u64 {
        self.examples_seen
    }

    /// Every loss evaluation kept so far (see [`HISTORY_LIMIT`]), the starting one first.
    pub fn history(&self) -> &[LossRecord] {
        &self.history
    }

    /// The records after epoch `after` (all of them for `None`), at most `most` of them chosen
    /// evenly, always with every halving and the latest: what a chart needs to catch up.
    pub fn history_since(&self, after: Option<usize>, most: usize) -> Vec<LossRecord> {
        history::since(&self.history, after, most)
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

    /// The optimizer's state at the last whole epoch, as it is saved.
    pub fn epoch_start_optimizer(&self) -> &OptimizerState {
        &self.epoch_start_optimizer
    }
}
