//! The carry preset: the aligned layout, Adam on batches of fresh sums, measured on held-out sums.

use rnn_playground::snapshot::{export, import};
use rnn_playground::{gradient_check, CheckOptions, Config, Layout, Session, Trainer};
use serde_json::json;
use std::time::Instant;

/// Most epochs the carry preset may take to add every held-out sum right.
const MOST_EPOCHS: usize = 40;

#[test]
fn the_carry_preset_adds_every_held_out_sum_for_every_seed() {
    for (data_seed, model_seed) in [(10, 10), (1, 2), (42, 7), (2024, 99), (7, 123456)] {
        let started = Instant::now();
        let mut t = Trainer::new(Config::from_json(&json!({"preset": "carry", "dataSeed": data_seed, "modelSeed": model_seed})).unwrap()).unwrap();
        assert_eq!(t.test_sets().random.len(), 1000);
        let epochs = (1..=MOST_EPOCHS).find(|_| {
            let r = t.train_epoch().unwrap();
            r.test.evaluation.exact_accuracy == 1.0 && r.carry_chains.exact_accuracy == 1.0
        });
        let r = t.report();
        println!(
            "seeds {data_seed}/{model_seed}: {epochs:?} epochs, {:.2} s; test loss {:.2e}, carry chains {} of {}",
            started.elapsed().as_secs_f64(),
            r.test.evaluation.loss,
            r.carry_chains.exact_accuracy * r.carry_chains.size as f64,
            r.carry_chains.size
        );
        assert!(epochs.is_some(), "seeds {data_seed}/{model_seed}: not every held-out sum right after {MOST_EPOCHS} epochs: {r:?}");
        assert!(r.test.digit_accuracy_by_place.iter().all(|&a| a == 1.0));
        // the page's view reads the predicted digits back in the layout's order
        let v = Session::new(t).view(&json!(9999999), &json!(1)).unwrap().prediction;
        assert_eq!((v.predicted_sum.as_str(), v.correct, v.steps), ("10000000", true, 8));
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

#[test]
fn explicit_keys_override_the_preset() {
    let c = Config::from_json(&json!({"preset": "carry", "hiddenDim": 8, "optimizer": "momentum"})).unwrap();
    assert_eq!((c.layout, c.hidden_dim, c.optimizer.name(), c.batch_size), (Layout::Aligned, 8, "momentum", 32));
    for (value, want) in [
        (json!({"optimizer": "rmsprop"}), "unknown optimizer \"rmsprop\"; known: sgd, momentum, adam"),
        (json!({"beta1": 1}), "beta1 must be a number from 0 up to (not including) 1, got 1"),
        (json!({"clipNorm": 0}), "clipNorm must be a finite number above 0, got 0"),
        (json!({"freshData": 1}), "freshData must be true or false, got 1"),
        (json!({"batchSize": 0}), "batchSize must be a whole number from 1 to 1024, got 0"),
        (json!({"hiddenDim": 512, "batchSize": 1024}), "batchSize 1024 at these settings makes one update of"),
        (json!({"hiddenDim": 400, "optimizer": "adam"}), "the adam optimizer at hidden size 400 keeps 504000 numbers"),
    ] {
        let e = Config::from_json(&value).unwrap_err();
        assert!(e.message().starts_with(want), "{want}: {e}");
    }
    assert_eq!(Config::from_json(&json!({"clipNorm": null})).unwrap().clip_norm, None);
}

#[test]
fn the_gradient_check_passes_in_the_aligned_layout() {
    for truncate in [2, 100] {
        let t =
            Trainer::new(Config { layout: Layout::Aligned, n_samples: 4, hidden_dim: 6, n_digits: 4, bptt_truncate: truncate, ..Config::default() }).unwrap();
        let (x, y) = t.data().example(1);
        let checks = gradient_check(t.model(), x, y, truncate, CheckOptions::default());
        assert_eq!(checks.iter().map(|c| c.size).collect::<Vec<_>>(), [6 * 20, 10 * 6, 6 * 6]);
        for c in checks {
            assert!(c.passed || (truncate == 2 && c.parameter.name() != "V"), "truncate {truncate}: {c:?}");
        }
    }
}

/// Adam's moments and step count, momentum's velocity and the fresh data's epoch all travel with
/// a saved run: the loaded one carries on bit for bit.
#[test]
fn a_saved_run_resumes_its_optimizer_exactly() {
    for settings in [
        json!({"preset": "carry", "nSamples": 256, "hiddenDim": 8, "testSamples": 50}),
        json!({"preset": "carry", "nSamples": 100, "hiddenDim": 8, "optimizer": "momentum", "freshData": false, "batchSize": 7, "clipNorm": 0.5}),
        json!({"nSamples": 30, "hiddenDim": 8, "batchSize": 4, "bpttTruncate": 3}),
    ] {
        let mut a = Trainer::new(Config::from_json(&settings).unwrap()).unwrap();
        a.train_epoch().unwrap();
        a.train_epoch().unwrap();
        a.advance(40).unwrap(); // mid-epoch: the saved run is its last whole epoch
        let saved = export(&a);
        let mut b = import(&saved).unwrap();
        assert_eq!(export(&b), saved);
        let mut c = import(&saved).unwrap();
        c.train_epoch().unwrap();
        let next_b = b.train_epoch().unwrap();
        assert_eq!(c.model(), b.model(), "{settings}");
        assert_eq!(c.epoch_start_optimizer(), b.epoch_start_optimizer());
        assert_eq!(next_b.test, c.report().test);
        assert_ne!(b.epoch_start_optimizer().step, 0);
    }
}

/// Adam's moments triple what a saved run holds: the largest Adam model allowed still saves
/// under the file limit (numbers written at their longest are at most 24 bytes).
#[test]
fn the_largest_adam_model_saves_under_the_limit() {
    let c = Config::from_json(&json!({"preset": "carry", "hiddenDim": 331, "nSamples": 1, "batchSize": 1})).unwrap();
    assert!(Config::from_json(&json!({"preset": "carry", "hiddenDim": 332})).is_err());
    let mut t = Trainer::new(c).unwrap();
    t.train_epoch().unwrap();
    let json = export(&t);
    let numbers = 3 * 331 * (20 + 10 + 331);
    assert!(numbers * 25 + 400_000 < rnn_playground::snapshot::MAX_FILE_BYTES);
    assert!(json.len() < rnn_playground::snapshot::MAX_FILE_BYTES);
    assert_eq!(import(&json).unwrap().epoch_start_optimizer(), t.epoch_start_optimizer());
}
