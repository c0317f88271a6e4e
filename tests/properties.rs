//! Properties over random small settings: backpropagation agrees with finite differences and the
//! single backward pass with the notebook's loops; bad settings and inputs are errors, not panics.

use proptest::prelude::*;
use rnn_playground::data::parse_number;
use rnn_playground::gradcheck::Parameter;
use rnn_playground::{gradient_check, Backprop, CheckOptions, Config, Method, Trainer};
use serde_json::json;

fn small_trainer(hidden: usize, digits: usize, truncate: usize, seed: u32) -> Trainer {
    Trainer::new(Config {
        data_seed: seed,
        model_seed: Some(seed.wrapping_add(1)),
        n_digits: digits,
        n_samples: 3,
        hidden_dim: hidden,
        bptt_truncate: truncate,
        ..Config::default()
    })
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// With nothing truncated, every gradient is the true one. With truncation, dL/dV still is
    /// (it never looks back in time), while dL/dU and dL/dW are the truncated approximation.
    #[test]
    fn gradient_check_passes(hidden in 1usize..=16, digits in 1usize..=7, truncate in 0usize..=20, seed in any::<u32>()) {
        let t = small_trainer(hidden, digits, truncate, seed);
        let (x, y) = t.data().example(0);
        let checks = gradient_check(t.model(), x, y, truncate, CheckOptions::default());
        let full = truncate + 1 >= x.len();
        for c in checks {
            if full || c.parameter == Parameter::V {
                prop_assert!(c.passed, "{:?} (T = {}, truncate = {})", c, x.len(), truncate);
            }
        }
    }

    #[test]
    fn single_pass_equals_notebook_loops(hidden in 1usize..=16, digits in 1usize..=7, extra in 0usize..=20, seed in any::<u32>()) {
        let steps = 2 * digits;
        let truncate = steps - 1 + extra;
        let t = small_trainer(hidden, digits, truncate, seed);
        let mut bp = Backprop::new(t.model());
        for i in 0..3 {
            let (x, y) = t.data().example(i);
            let loops = bp.gradients_with(t.model(), x, y, truncate, Method::NotebookLoops).clone();
            let single = bp.gradients_with(t.model(), x, y, truncate, Method::SinglePass).clone();
            for (a, b) in [(&loops.du, &single.du), (&loops.dv, &single.dv), (&loops.dw, &single.dw)] {
                for (p, q) in a.iter().zip(b.iter()) {
                    prop_assert!((p - q).abs() <= 1e-12 * p.abs().max(1.0), "{} vs {}", p, q);
                }
            }
        }
    }

    #[test]
    fn out_of_range_settings_are_errors(key in prop::sample::select(vec!["nDigits", "nSamples", "hiddenDim", "evaluateLossAfter"]), bad in prop_oneof![Just(json!(0)), Just(json!(-1)), Just(json!(1.5)), Just(json!("7")), Just(json!(null)), Just(json!(1e12))]) {
        let err = Config::from_json(&json!({ key: bad })).unwrap_err();
        prop_assert!(err.message().contains(key), "{}", err);
    }

    #[test]
    fn typed_numbers_never_panic(text in "\\PC{0,24}", digits in 1usize..=18) {
        if let Ok(n) = parse_number(&text, digits) {
            prop_assert!(n.to_string().len() <= digits);
        }
    }
}

#[test]
fn settings_errors_name_the_problem() {
    let cases = [
        (json!({"hiddenDim": 0}), "hiddenDim must be a whole number from 1 to 512, got 0"),
        (json!({"hiddenDim": 5000}), "hiddenDim must be a whole number from 1 to 512, got 5000"),
        (json!({"nDigits": 19}), "nDigits must be a whole number from 1 to 18, got 19"),
        (json!({"nSamples": 0}), "nSamples must be a whole number from 1 to 100000, got 0"),
        (json!({"dataSeed": 4294967296u64}), "dataSeed must be a whole number from 0 to 4294967295, got 4294967296"),
        (json!({"learningRate": 0}), "learningRate must be a finite number above 0, got 0"),
        (json!({"learningRate": -0.1}), "learningRate must be a finite number above 0, got -0.1"),
        (json!({"learningRate": "f".repeat(100_000)}), "learningRate must be a number, got \"fffffffffffffffffffffffffffffffffffffff…"),
        (json!({"hiddenDim": 512, "nDigits": 18}), "hiddenDim 512 with 18 digits and bpttTruncate 20 is too large: one training sequence"),
        (json!({"hiddenDim": 512, "nSamples": 100000}), "100000 training samples at hidden size 512 and 7 digits make an epoch of"),
        (json!({"hiddenDim": 512, "nDigits": 18, "bpttTruncate": 6}), "hiddenDim 512 with 18 digits and bpttTruncate 6 is too large"),
        (json!({"learningRate": "fast"}), "learningRate must be a number, got \"fast\""),
        (json!({"layout": "backwards"}), "unknown layout \"backwards\"; known: notebook"),
        (json!({"hiddenSize": 10}), "unknown setting \"hiddenSize\""),
        (json!([1, 2]), "the settings must be an object"),
    ];
    for (value, want) in cases {
        let err = Config::from_json(&value).unwrap_err();
        assert!(err.message().starts_with(want), "{want}: {err}");
        assert!(err.message().len() < 500, "{want}: a message of {} bytes", err.message().len());
    }
    // any finite rate is accepted: one that blows up is there to be seen, and is undone
    assert_eq!(Config::from_json(&json!({"learningRate": 100})).unwrap().learning_rate, 100.0);
    assert_eq!(Config::from_json(&json!({"learningRate": 1e300})).unwrap().learning_rate, 1e300);
    let c = Config::from_json(&json!({"modelSeed": null, "nSamples": 100, "learningRate": 0.01})).unwrap();
    assert_eq!((c.model_seed, c.n_samples, c.learning_rate, c.hidden_dim), (None, 100, 0.01, 100));
    assert_eq!(Config::from_json(&json!({})).unwrap(), Config::default());
    let mut t = Trainer::new(Config { n_samples: 5, hidden_dim: 4, ..Config::default() }).unwrap();
    assert!(t.set_learning_rate(f64::NAN).is_err());
    assert_eq!(t.learning_rate(), 0.005, "a refused rate changes nothing");
    assert!(Trainer::new(Config { hidden_dim: 0, ..Config::default() }).is_err());
}
