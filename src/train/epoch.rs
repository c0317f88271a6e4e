//! An epoch, step by step: [`Trainer::advance`] works through SGD steps (one example or one
//! mini-batch at a time) and the loss evaluation in slices, ends the epoch with the notebook's
//! rate rule, and undoes an epoch that diverges.

use super::records::{Advance, ChainReport, EpochReport, LossRecord, TestReport};
use super::resume::check_shapes;
use super::{diverged, divergence, history, Phase, Trainer};
use crate::bptt::sgd_step;
use crate::bptt::Backprop;
use crate::cells::Model;
use crate::config::{Optimizer, Precision, RateRule};
use crate::error::{Error, Result};
use crate::heldout::fresh_training_set;
use crate::metrics::Evaluation;
use crate::model::Rnn;
use crate::optim::clip_global_norm;

impl Trainer {
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
                    let plain_sgd = self.config.optimizer == Optimizer::Sgd && batch == 1 && self.config.clip_norm.is_none();
                    if let (true, Model::Vanilla(model)) = (plain_sgd, &mut self.model) {
                        // the notebook's sgd_step, one sequence at a time (its bits)
                        let Trainer { data, backprop, learning_rate, config, sgd_steps, .. } = self;
                        let backprop = backprop.get_or_insert_with(|| Backprop::new(model));
                        for i in next..end {
                            let (x, y) = data.example(i);
                            sgd_step(model, backprop, x, y, *learning_rate, config.bptt_truncate);
                            *sgd_steps += 1;
                            // the forward pass this step made, before its update: its loss per digit
                            let loss = Rnn::sequence_loss(&backprop.trace, y) / data.outputs() as f64;
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
                    if let Some(bad) = self.model.weight_out_of_range() {
                        return Err(self.undo_because(&bad.grown()));
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
    pub fn finish_epoch_with(&mut self, model: Model) -> Result<EpochReport> {
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

    /// One update on the examples `range`: their mean gradient, clipped if asked, then the
    /// optimizer's step. Returns the batch's loss per digit before the update.
    fn batch_step(&mut self, range: std::ops::Range<usize>) -> f64 {
        let Trainer { data, model, batch, single, optimizer, config, learning_rate, sgd_steps, .. } = self;
        let rows = range.start * data.steps..range.end * data.steps;
        let (inputs, targets) = (&data.inputs[rows.clone()], &data.targets[rows]);
        let (loss, mut g) = match config.precision {
            Precision::F64 => (batch.gradients(model, inputs, targets, data.steps, config.bptt_truncate), batch.gradients_mut()),
            Precision::F32 => (single.gradients(model, inputs, targets, data.steps, config.bptt_truncate), single.gradients_mut()),
        };
        let scale = 1.0 / range.len() as f64;
        g.iter_mut().for_each(|a| a.iter_mut().for_each(|v| *v *= scale));
        if let Some(max) = config.clip_norm {
            clip_global_norm(&mut g, max);
        }
        optimizer.update(config, *learning_rate, model.parameters_mut(), &g);
        *sgd_steps += range.len() as u64;
        loss / (range.len() * data.outputs()) as f64
    }

    fn finish_epoch(&mut self) -> Result<EpochReport> {
        self.epoch += 1;
        self.examples_seen += self.data.len() as u64;
        self.phase = Phase::Training { next: 0 };
        self.epoch_start.clone_from(&self.model);
        self.epoch_start_optimizer.clone_from(&self.optimizer);
        if self.config.fresh_data {
            self.data = fresh_training_set(&self.config, self.epoch, &self.tests)?;
        }
        Ok(self.report())
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
            training: latest.evaluation,
            test: TestReport { evaluation: latest.test, size: self.tests.random.len(), digit_accuracy_by_place: self.test_by_place.clone() },
            carry_chains: ChainReport { exact_accuracy: latest.carry_chain_accuracy, size: self.tests.chains.len() },
            halved: evaluated && latest.halved,
            learning_rate: self.learning_rate,
        }
    }

    /// Sets the run back to its last whole epoch: the weights and the optimizer as the epoch
    /// found them, and the epoch to do again from its first example. Pause does this, so the
    /// model a paused page shows is the one its link and its saved run hold (an epoch is trained
    /// in the same order every time, so training again redoes the same epoch). Returns whether
    /// there was part of an epoch to set aside.
    pub fn rewind(&mut self) -> bool {
        if self.is_starting() || self.phase == (Phase::Training { next: 0 }) {
            return false;
        }
        self.restore_epoch_start();
        true
    }

    /// The weights and the optimizer as the epoch found them, the epoch to do from its start.
    fn restore_epoch_start(&mut self) {
        self.model.clone_from(&self.epoch_start);
        self.optimizer.clone_from(&self.epoch_start_optimizer);
        self.phase = Phase::Training { next: 0 };
    }

    /// Puts the weights back as the epoch found them, saying what the loss did.
    fn undo(&mut self, loss: f64) -> Error {
        let what = if loss.is_nan() {
            crate::model::NOT_FINITE.to_string()
        } else if loss.is_infinite() {
            "the loss became infinite".to_string()
        } else {
            format!("the loss reached {loss:.1} nats per digit, more than 100 times chance")
        };
        self.undo_because(&what)
    }

    /// Puts the weights back as the epoch found them and says why.
    fn undo_because(&mut self, what: &str) -> Error {
        self.restore_epoch_start();
        divergence(self.epoch, self.learning_rate, what)
    }

    fn record_after_epoch(&mut self, evaluation: Evaluation) {
        let previous = self.history.last();
        let due = match self.config.rate_rule {
            RateRule::HalveOnRise => previous.is_some_and(|prev| evaluation.loss > prev.evaluation.loss),
            RateRule::Constant => false,
            // a multiple of halveEvery passed since the last evaluation (every evaluation's, when
            // they come at least that often)
            RateRule::StepDecay => {
                let every = self.config.halve_every;
                previous.is_some_and(|prev| (self.epoch + 1) / every > prev.epoch / every)
            }
        };
        // never halve to zero: a rate must stay a positive number
        let halved = due && self.learning_rate * 0.5 > 0.0;
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
        let examples_seen = epoch as u64 * self.data.len() as u64;
        let test = self.test_totals[0].evaluation(&self.tests.random);
        let carry_chain_accuracy = self.test_totals[1].evaluation(&self.tests.chains).exact_accuracy;
        let size = self.tests.random.len().max(1) as f64;
        let shape = self.config.shape();
        self.test_by_place = vec![0.0; shape.outputs()];
        for (step, &right) in self.right_by_step.iter().enumerate() {
            if let Some(place) = shape.place(step) {
                self.test_by_place[place] = right as f64 / size;
            }
        }
        self.history.push(LossRecord { epoch, examples_seen, evaluation, test, carry_chain_accuracy, learning_rate: self.learning_rate, halved });
        if self.history.len() > history::HISTORY_LIMIT {
            history::thin(&mut self.history);
        }
    }
}
