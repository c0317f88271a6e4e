//! Saved runs (Save model / Load model): every state a run can reach saves to a file that loads
//! back to the same bytes and carries on bit for bit, the optimizer's state included; files stay
//! bounded however long the run; damaged or arbitrary files are refused, never a panic.
//! (The refusal messages for damaged files: src/snapshot.rs's unit tests, and through the wasm
//! facade tests/wasm_api.rs.)

mod common;

use common::{json_value, small_config};
use proptest::prelude::*;
use rnn_playground::config::MAX_FILE_BYTES;
use rnn_playground::snapshot::{export, import};
use rnn_playground::train::HISTORY_LIMIT;
use rnn_playground::{Config, Error, Trainer};
use serde_json::json;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// Random small runs at random rates, diverging ones included: every state saves to a file
    /// that loads back to the same bytes and trains on identically, and nothing non-finite is
    /// ever kept.
    #[test]
    fn every_reachable_state_round_trips(
        hidden in 1usize..=12, digits in 1usize..=4, samples in 1usize..=12, truncate in 0usize..=10,
        every in 1usize..=3, seed in any::<u32>(), log_lr in -4.0f64..4.0, epochs in 1usize..=8,
    ) {
        let mut t = Trainer::new(small_config(hidden, digits, samples, truncate, every, seed, 10f64.powf(log_lr))).unwrap();
        for _ in 0..epochs {
            let saved = export(&t);
            let mut back = import(&saved).unwrap();
            prop_assert_eq!(export(&back), saved.clone(), "export -> import -> export changes the bytes");
            let (a, b) = (t.train_epoch(), back.train_epoch());
            prop_assert_eq!(&a, &b, "the next epoch differs after a round trip");
            prop_assert_eq!(t.model(), back.model());
            if let Err(e) = a {
                prop_assert!(matches!(e, Error::Diverged(_)), "{}", e);
                // undone: the run is exactly as it was saved
                prop_assert_eq!(export(&t), saved);
            }
            let state = t.state();
            prop_assert!(state.history.iter().all(|r| r.evaluation.loss.is_finite() && r.test.loss.is_finite() && r.learning_rate > 0.0));
            prop_assert!(t.model().weight_out_of_range().is_none(), "{:?}", t.model().weight_out_of_range());
        }
    }

    /// Arbitrary text, and valid saved runs with a stretch of bytes changed or cut, are refused
    /// or loaded, never a panic; whatever loads saves again to a file that loads.
    #[test]
    fn import_never_panics_on_damaged_files(seed in any::<u32>(), at in 0.0f64..1.0, len in 0usize..40, junk in ".{0,20}", cut in any::<bool>()) {
        let mut t = Trainer::new(small_config(3, 2, 4, 2, 1, seed, 0.01)).unwrap();
        t.train_epoch().unwrap();
        let good = export(&t);
        let start = good.floor_char_boundary((at * good.len() as f64) as usize);
        let end = good.floor_char_boundary((start + len).min(good.len()));
        let damaged = if cut { good[..start].to_string() } else { format!("{}{junk}{}", &good[..start], &good[end..]) };
        if let Ok(loaded) = import(&damaged) {
            prop_assert!(import(&export(&loaded)).is_ok());
        }
    }

    #[test]
    fn import_never_panics_on_arbitrary_text(text in ".{0,200}") {
        prop_assert!(import(&text).is_err());
    }

    #[test]
    fn import_never_panics_on_arbitrary_json(value in json_value()) {
        let _ = import(&value.to_string());
        let wrapped = serde_json::json!({"format": "rnn-playground-model", "version": 1, "config": value.clone(), "training": value.clone(), "weights": value});
        prop_assert!(import(&wrapped.to_string()).is_err());
    }
}

/// A run of any length saves to a bounded file: the tiny model trains as fast as anything can,
/// which is what grew the history (and the page's memory) without end. 300,000 epochs thin the
/// history over a hundred times (a record per epoch, at most HISTORY_LIMIT kept); unbounded, it
/// would be ~50 MB against the 400 KB allowed here. Ten held-out sums instead of a thousand:
/// every epoch is still evaluated and recorded (the history's length and a record's size do not
/// depend on them), in less time. (A million epochs in wasm, with its memory: tests/wasm_api.rs.)
#[test]
fn long_runs_save_to_a_small_file() {
    let mut t = Trainer::new(Config { n_samples: 1, hidden_dim: 1, n_digits: 1, test_samples: 10, ..Config::default() }).unwrap();
    let mut sizes = Vec::new();
    for _ in 0..10 {
        for _ in 0..30_000 {
            t.train_epoch().unwrap();
            assert!(t.history().len() <= HISTORY_LIMIT);
        }
        sizes.push(export(&t).len());
    }
    assert_eq!(t.epoch(), 300_000);
    // HISTORY_LIMIT records of at most ~170 bytes, and three 1 x 10 matrices
    assert!(sizes.iter().all(|&s| s < 400_000), "{sizes:?}");
    let back = import(&export(&t)).unwrap();
    assert_eq!(back.epoch(), 300_000);
    assert_eq!(back.history(), t.history());
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
    assert!(numbers * 25 + 400_000 < MAX_FILE_BYTES);
    assert!(json.len() < MAX_FILE_BYTES);
    assert_eq!(import(&json).unwrap().epoch_start_optimizer(), t.epoch_start_optimizer());
}

/// A file's weights scaled by `factor` (every weight of V and W).
fn scaled(saved: &str, factor: f64) -> String {
    let mut v: serde_json::Value = serde_json::from_str(saved).unwrap();
    for m in ["V", "W"] {
        for x in v["weights"][m]["data"].as_array_mut().unwrap() {
            *x = json!(x.as_f64().unwrap() * factor);
        }
    }
    v.to_string()
}

/// Weights that are finite but past ±1e30 overflowed the forward pass: a file holding them
/// loaded, then every prediction was NaN, the page's probability view threw on every frame and
/// every epoch was reported as diverged. They are refused now, naming the weight; weights just
/// inside the bound load, predict finite probabilities, and training them fails with a clear
/// message that leaves the run as it was.
#[test]
fn huge_weights_are_refused_and_any_accepted_model_predicts_finite_numbers() {
    let mut t = Trainer::new(small_config(8, 3, 20, 4, 1, 7, 0.01)).unwrap();
    t.train_epoch().unwrap();
    let saved = export(&t);
    let v0 = t.model().vanilla().unwrap().v[[0, 0]];
    let e = import(&scaled(&saved, 1e300 / v0.abs())).err().unwrap();
    assert_eq!(
        e.message(),
        format!(
            "V[0][0] = {}e+300, beyond ±1e+30: larger weights overflow the forward pass, and no run that learns gets there",
            if v0 < 0.0 { "-1" } else { "1" }
        )
    );
    let largest = t.model().vanilla().unwrap().v.iter().chain(&t.model().vanilla().unwrap().w).fold(0.0f64, |m, x| m.max(x.abs()));
    let mut big = import(&scaled(&saved, 1e29 / largest)).unwrap();
    for x in [vec![1, 2, 3, 4, 5, 6], vec![9, 9, 9, 0, 0, 1]] {
        let trace = big.model().vanilla().unwrap().forward(&x);
        assert!(trace.outputs.iter().all(|p| p.is_finite() && (0.0..=1.0).contains(p)), "{:?}", trace.outputs);
        assert!(trace.hidden_states().iter().all(|s| s.is_finite()));
    }
    let before = export(&big);
    let e = big.train_epoch().err().unwrap();
    assert!(matches!(e, Error::Diverged(_)), "{e}");
    assert!(
        e.message().starts_with("Epoch 2 diverged at learning rate 0.01: ")
            && e.message().ends_with("The epoch was undone; the model is as it was after epoch 1."),
        "{}",
        e.message()
    );
    assert_eq!(export(&big), before);
}
