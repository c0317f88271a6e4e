//! The carry preset: the aligned layout, Adam on batches of fresh sums, measured on held-out sums.
//! (Its settings' refusals: tests/settings.rs; its saved runs: tests/saved_runs.rs; its gradient
//! check: tests/gradient_check.rs; training it in slices: tests/training.rs.)

use rnn_playground::{Config, Layout, Session, Trainer};
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

#[test]
fn explicit_keys_override_the_preset() {
    let c = Config::from_json(&json!({"preset": "carry", "hiddenDim": 8, "optimizer": "momentum"})).unwrap();
    assert_eq!((c.layout, c.hidden_dim, c.optimizer.name(), c.batch_size), (Layout::Aligned, 8, "momentum", 32));
}
