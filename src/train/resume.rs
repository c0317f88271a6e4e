//! The checks a run must pass to be carried on: weights shaped as the settings need, and a saved
//! training state that a trainer could have reached.

use super::history::HISTORY_LIMIT;
use super::records::TrainingState;
use crate::config::{check_learning_rate, Config};
use crate::error::{Error, Result};
use crate::model::Rnn;

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
    let places = config.layout.steps(config.n_digits);
    if s.test_by_place.len() != places || !s.test_by_place.iter().all(|a| (0.0..=1.0).contains(a)) {
        return bad(format!("testByPlace must hold {places} fractions from 0 to 1"));
    }
    Ok(())
}
