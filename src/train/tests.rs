//! The trainer's own tests: slices give the bits of whole epochs, a diverging epoch is undone
//! exactly, the history stays bounded, the rate never halves to zero.

use super::*;
use crate::config::{Config, Optimizer};
use crate::error::Error;

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

#[test]
fn rewinding_sets_aside_part_of_an_epoch_and_training_redoes_it_bit_for_bit() {
    // plain SGD, and Adam on mini-batches (whose moments must go back too)
    let sgd = Config { n_samples: 100, hidden_dim: 32, ..Config::default() };
    let adam = Config { optimizer: Optimizer::Adam, batch_size: 10, learning_rate: 0.01, ..sgd.clone() };
    for config in [sgd, adam] {
        rewind_and_redo(Trainer::new(config.clone()).unwrap(), Trainer::new(config).unwrap());
    }
}

fn rewind_and_redo(mut whole: Trainer, mut paused: Trainer) {
    // nothing to set aside at a whole epoch
    assert!(!paused.rewind());
    whole.train_epoch().unwrap();
    paused.train_epoch().unwrap();
    let (at_epoch, state) = (paused.model().clone(), paused.state());
    // paused mid-epoch (in training, then in the loss evaluation): the weights go back to the epoch's start
    for budget in [37, 100] {
        assert_eq!(paused.advance(budget).unwrap(), Advance::Partial);
        assert_ne!(paused.model(), &at_epoch);
        assert!(paused.rewind());
        assert_eq!(paused.model(), &at_epoch);
        assert_eq!(paused.state(), state);
        assert_eq!(paused.progress(), Progress { phase: "training", done: 0, total: 100 });
    }
    // training on redoes the same epochs
    for _ in 0..2 {
        assert_eq!(paused.train_epoch().unwrap(), whole.train_epoch().unwrap());
    }
    assert_eq!(paused.model(), whole.model());
}

#[test]
fn step_decay_halves_the_rate_every_so_many_epochs_whatever_the_loss_did() {
    use crate::config::RateRule;
    // evaluated every epoch: halved after epochs 3 and 6; every 2: at the evaluations after 4 and 6
    for (evaluate, halved_at) in [(1, vec![3, 6]), (2, vec![4, 6])] {
        let config =
            Config { n_samples: 20, hidden_dim: 8, rate_rule: RateRule::StepDecay, halve_every: 3, evaluate_loss_after: evaluate, ..Config::default() };
        let mut t = Trainer::new(config).unwrap();
        let mut rates = Vec::new();
        for _ in 0..7 {
            let r = t.train_epoch().unwrap();
            rates.push(r.learning_rate);
            assert_eq!(r.halved, halved_at.contains(&r.epoch), "epoch {} evaluated every {evaluate}", r.epoch);
        }
        let want: Vec<f64> = (1..=7).map(|e| 0.005 / f64::from(1 << halved_at.iter().filter(|&&h| h <= e).count())).collect();
        assert_eq!(rates, want, "evaluated every {evaluate}");
        let marked: Vec<usize> = t.history().iter().filter(|r| r.halved).map(|r| r.epoch).collect();
        assert_eq!(marked, halved_at);
    }
}

#[test]
fn a_single_precision_run_is_evaluated_in_single_precision() {
    use crate::config::Precision;
    for cell in [crate::cells::Cell::Vanilla, crate::cells::Cell::Lstm] {
        let config = |precision| Config { n_samples: 40, hidden_dim: 16, batch_size: 8, optimizer: Optimizer::Adam, cell, precision, ..Config::default() };
        let (double, single) = (Trainer::new(config(Precision::F64)).unwrap(), Trainer::new(config(Precision::F32)).unwrap());
        assert_eq!(double.model(), single.model(), "{cell:?}: the same starting model");
        let (a, b) = (double.history()[0], single.history()[0]);
        // the same figures to single precision's accuracy, but computed in it
        assert_ne!(a.evaluation.loss, b.evaluation.loss, "{cell:?}");
        assert!((a.evaluation.loss - b.evaluation.loss).abs() < 1e-5, "{cell:?}: {a:?} {b:?}");
        assert!((a.test.loss - b.test.loss).abs() < 1e-5 && a.test.loss != b.test.loss, "{cell:?}: {a:?} {b:?}");
        assert_eq!(a.test.digit_accuracy, b.test.digit_accuracy, "{cell:?}");
        // the loss asked for outside the epochs stays in double
        assert_eq!(single.evaluate(), double.evaluate());
    }
}
