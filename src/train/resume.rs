//! The checks a run must pass to be carried on: weights shaped as the settings need, and a saved
//! training state that a trainer could have reached.

use super::history::HISTORY_LIMIT;
use super::records::TrainingState;
use crate::cells::{shape_text, Model};
use crate::config::{check_learning_rate, Config};
use crate::error::{Error, Result};

/// Whether the weights are the settings' cell, with the shapes the settings need.
pub(crate) fn check_shapes(config: &Config, model: &Model) -> Result<()> {
    if model.cell() != config.cell {
        return Err(Error::Model(format!("the weights are a {} cell's but the settings say {}", model.cell().name(), config.cell.name())));
    }
    let want = config.cell.shapes(config.shape().input_dim(), crate::data::N_CLASSES, config.hidden_dim);
    for (p, want) in model.parameters().iter().zip(want) {
        if p.shape != want {
            return Err(Error::Model(format!("{} is {} but the settings need {}", p.name, shape_text(&p.shape), shape_text(&want))));
        }
    }
    Ok(())
}

/// The invariants a saved state must keep for the trainer to carry on from it.
pub(super) fn check_state(config: &Config, s: &TrainingState) -> Result<()> {
    let bad = |why: String| Err(Error::Model(format!("the training state is damaged: {why}")));
    let n = config.n_samples;
    let every = config.evaluate_loss_after;
    let seen = |epoch: usize| (epoch as u64).saturating_mul(n as u64);
    if s.examples_seen != seen(s.epoch) {
        return bad(format!("examplesSeen is {} but {} epochs of {n} examples make {}", s.examples_seen, s.epoch, seen(s.epoch)));
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
        } else if r.examples_seen != seen(r.epoch) {
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
    let places = config.shape().outputs();
    if s.test_by_place.len() != places || !s.test_by_place.iter().all(|a| (0.0..=1.0).contains(a)) {
        return bad(format!("testByPlace must hold {places} fractions from 0 to 1"));
    }
    Ok(())
}
