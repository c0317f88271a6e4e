//! Training: the backward pass the trainer uses agrees with the notebook's loops, training in
//! time slices gives the bits of whole epochs, and an epoch that blows up is undone.
//! (The notebook's own training numbers: tests/notebook.rs and tests/golden.rs.)

mod common;

use common::{small_config, small_trainer};
use proptest::prelude::*;
use rnn_playground::snapshot::{export, import};
use rnn_playground::{Backprop, Config, Error, Method, Session, Trainer};
use serde_json::json;
use std::time::Instant;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// With nothing truncated, one backward pass gives the notebook's loops' gradients.
    #[test]
    fn single_pass_equals_notebook_loops(hidden in 1usize..=16, digits in 1usize..=7, extra in 0usize..=20, seed in any::<u32>()) {
        let steps = 2 * digits;
        let truncate = steps - 1 + extra;
        let t = small_trainer(hidden, digits, truncate, seed);
        let mut bp = Backprop::new(t.model().vanilla().unwrap());
        for i in 0..3 {
            let (x, y) = t.data().example(i);
            let loops = bp.gradients_with(t.model().vanilla().unwrap(), x, y, truncate, Method::NotebookLoops).clone();
            let single = bp.gradients_with(t.model().vanilla().unwrap(), x, y, truncate, Method::SinglePass).clone();
            for (a, b) in [(&loops.du, &single.du), (&loops.dv, &single.dv), (&loops.dw, &single.dw)] {
                for (p, q) in a.iter().zip(b.iter()) {
                    prop_assert!((p - q).abs() <= 1e-12 * p.abs().max(1.0), "{} vs {}", p, q);
                }
            }
        }
    }
}

/// `train_for` budgets in examples: a batch counts as its 32, and slices stop between batches.
#[test]
fn training_in_slices_counts_a_batch_as_its_examples() {
    let config = Config::from_json(&json!({"preset": "carry", "nSamples": 320, "testSamples": 100})).unwrap();
    let mut s = Session::new(Trainer::start(config.clone()).unwrap());
    let clock = Instant::now();
    let now = || clock.elapsed().as_secs_f64() * 1000.0;
    assert!(s.train_for(10_000.0, None, now).unwrap().ready);
    let r = s.train_for(10_000.0, Some(2), now).unwrap();
    assert_eq!((r.epochs, r.sequences), (2, 640));
    let mut whole = Trainer::new(config).unwrap();
    whole.train_epoch().unwrap();
    whole.train_epoch().unwrap();
    assert_eq!(s.trainer().model(), whole.model(), "slices give the bits of whole epochs");
    let mut t = whole.clone();
    t.advance(1).unwrap();
    assert_eq!(t.progress().done, 32, "one example of budget trains one whole batch");
}

/// Found by the saved-run property (tests/saved_runs.rs) on a fresh machine: one training sum
/// learnt at a huge rate gave a held-out sum probability 0, an infinite test loss that was saved
/// as null and refused on load. Such an epoch is now undone like any other that blows up.
#[test]
fn an_infinite_test_loss_is_undone_not_saved() {
    let mut t = Trainer::new(small_config(2, 3, 1, 1, 2, 1978694540, 10f64.powf(2.0049067919019516))).unwrap();
    for _ in 0..3 {
        let saved = export(&t);
        let mut back = import(&saved).expect("every saved state loads");
        assert_eq!(export(&back), saved);
        let (a, b) = (t.train_epoch(), back.train_epoch());
        assert_eq!(a, b);
        if let Err(e) = a {
            assert!(matches!(e, Error::Diverged(_)), "{e}");
            assert_eq!(export(&t), saved, "undone");
        }
        assert!(t.state().history.iter().all(|r| r.test.loss.is_finite()));
    }
}
