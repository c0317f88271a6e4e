//! The `cell` setting end to end: GRU and LSTM runs train (one sequence or mini-batches, f64 or
//! f32), pass the gradient check, save and load bit for bit, and damaged or mismatched gated
//! files are refused with a reason; the delayed layout counts only the steps with a target.
//! (The cells' maths against PyTorch: tests/gated.rs.)

use rnn_playground::cells::{Cell, Model};
use rnn_playground::data::NO_TARGET;
use rnn_playground::gradcheck::CheckRequest;
use rnn_playground::snapshot::{export, import};
use rnn_playground::{Config, Layout, Session, Trainer};
use serde_json::{json, Value};

fn gated(cell: &str, more: Value) -> Config {
    let mut settings = json!({"cell": cell, "nSamples": 24, "nDigits": 3, "hiddenDim": 6, "testSamples": 20});
    settings.as_object_mut().unwrap().extend(more.as_object().unwrap().clone());
    Config::from_json(&settings).unwrap()
}

#[test]
fn gated_runs_train_in_every_precision_and_batch() {
    for cell in ["gru", "lstm"] {
        for more in [
            json!({"learningRate": 0.05}),
            json!({"optimizer": "adam", "learningRate": 0.01, "batchSize": 8}),
            json!({"optimizer": "adam", "learningRate": 0.01, "batchSize": 8, "precision": "f32"}),
            json!({"optimizer": "momentum", "learningRate": 0.01, "clipNorm": 1, "layout": "aligned"}),
        ] {
            let mut t = Trainer::new(gated(cell, more.clone())).unwrap();
            assert_eq!(t.model().cell().name(), cell);
            let start = t.history()[0].evaluation.loss;
            // untrained, every digit about equally likely: about ln 10 per digit
            assert!((start - 10f64.ln()).abs() < 0.3, "{cell} {more}: starting loss {start}");
            for _ in 0..15 {
                t.train_epoch().unwrap();
            }
            let end = t.history().last().unwrap().evaluation.loss;
            assert!(end < start - 0.2, "{cell} {more}: the loss went from {start} to {end}");
        }
    }
}

#[test]
fn the_gradient_check_passes_for_every_cell() {
    for cell in ["vanilla", "gru", "lstm"] {
        for layout in ["notebook", "aligned", "delayed"] {
            let t = Trainer::new(gated(cell, json!({"layout": layout}))).unwrap();
            let rows = t.gradient_check(&CheckRequest { example: Some(3), ..CheckRequest::default() }).unwrap().finish();
            let names: Vec<&str> = rows.iter().map(|r| r.parameter).collect();
            assert_eq!(names, t.config().cell.parameter_names(), "{cell} {layout}");
            for r in rows {
                assert!(r.passed && r.max_error < 1e-4, "{cell} {layout}: {r:?}");
                assert_eq!(r.checked, r.size);
            }
        }
    }
}

#[test]
fn gated_runs_save_and_load_bit_for_bit() {
    for cell in ["gru", "lstm"] {
        let mut t = Trainer::new(gated(cell, json!({"optimizer": "adam", "learningRate": 0.01, "batchSize": 4}))).unwrap();
        t.train_epoch().unwrap();
        let saved = export(&t);
        let file: Value = serde_json::from_str(&saved).unwrap();
        let names: Vec<&String> = file["weights"].as_object().unwrap().keys().collect();
        assert_eq!(names, ["V", "bias_hh", "bias_ih", "weight_hh", "weight_ih"]);
        let rows = if cell == "gru" { 18 } else { 24 };
        assert_eq!(file["weights"]["weight_ih"]["shape"], json!([rows, 10]));
        assert_eq!(file["weights"]["bias_hh"]["shape"], json!([rows]));
        assert_eq!(file["optimizer"]["moments"][1]["bias_ih"]["shape"], json!([rows]));
        let mut back = import(&saved).unwrap();
        assert_eq!(export(&back), saved);
        assert_eq!(t.train_epoch().unwrap(), back.train_epoch().unwrap());
        assert_eq!(t.model(), back.model());
    }
}

/// A saved GRU run with `edit` applied to its JSON.
fn damaged(edit: impl FnOnce(&mut Value)) -> String {
    let mut t = Trainer::new(gated("gru", json!({}))).unwrap();
    t.train_epoch().unwrap();
    let mut file: Value = serde_json::from_str(&export(&t)).unwrap();
    edit(&mut file);
    import(&file.to_string()).unwrap_err().message().to_string()
}

#[test]
fn mismatched_or_damaged_gated_files_are_refused_with_a_reason() {
    // the weights are a GRU's (18 rows) but the settings say LSTM (24)
    assert_eq!(damaged(|f| f["config"]["cell"] = json!("lstm")), "weight_ih is 18x10 but the settings need 24x10");
    assert_eq!(damaged(|f| f["config"]["cell"] = json!("vanilla")), "the saved model is damaged: the weights has no U");
    assert_eq!(damaged(|f| f["config"]["cell"] = json!("cnn")), "unknown cell \"cnn\"; known: vanilla, gru, lstm");
    assert_eq!(
        damaged(|f| f["weights"]["U"] = f["weights"]["V"].clone()),
        "the weights has a parameter U, which a gru cell does not have (its parameters: weight_ih, weight_hh, bias_ih, bias_hh, V)"
    );
    assert_eq!(damaged(|f| f["weights"]["bias_ih"]["shape"] = json!([6, 3])), "bias_ih should be a vector, but its shape is 6x3");
    assert_eq!(damaged(|f| f["weights"]["weight_hh"]["shape"] = json!([18, 5])), "weight_hh should hold 18x5 numbers but holds 108");
    assert_eq!(damaged(|f| f["weights"]["weight_hh"]["shape"] = json!([12, 9])), "weight_hh is 12x9 but the settings need 18x6");
    assert_eq!(damaged(|f| f["weights"]["V"]["data"][0] = Value::Null), "V holds a value that is not a finite number");
    // a vanilla file read as a GRU's
    let mut v = Trainer::new(gated("vanilla", json!({}))).unwrap();
    v.train_epoch().unwrap();
    let mut file: Value = serde_json::from_str(&export(&v)).unwrap();
    file["config"]["cell"] = json!("gru");
    assert_eq!(import(&file.to_string()).unwrap_err().message(), "the saved model is damaged: the weights has no weight_ih");
}

#[test]
fn the_delayed_layout_counts_only_the_steps_with_a_target() {
    let c = gated("lstm", json!({"layout": "delayed", "nDigits": 4}));
    let t = Trainer::new(c.clone()).unwrap();
    let data = t.data();
    assert_eq!((data.steps, data.outputs()), (9, 5));
    let (x, y) = data.example(0);
    let (a, b) = data.pairs[0];
    assert_eq!(y[..4], [NO_TARGET; 4]);
    assert_eq!(Layout::Delayed.digits(4).decode_sum(&y.iter().map(|&d| if d == NO_TARGET { 0 } else { d }).collect::<Vec<_>>()), a + b);
    assert_eq!(x[8], 0);
    // the loss per digit is over the 5 outputs: an untrained model is near ln 10 per digit
    let start = t.history()[0].evaluation.loss;
    assert!((start - 10f64.ln()).abs() < 0.3, "{start}");
    assert_eq!(t.state().test_by_place.len(), 5, "one figure per place of the sum");
    // the typed sum's view: no target while reading a, and the sum decoded from the rest
    let s = Session::new(Trainer::new(c).unwrap());
    let v = s.view(&json!(1234), &json!(9999)).unwrap();
    assert_eq!(v.prediction.target_digits, [None, None, None, None, Some(3), Some(3), Some(2), Some(1), Some(1)]);
    assert_eq!(v.prediction.true_sum, "11233");
    assert_eq!(v.hidden.values.len(), 9 * 6);
}

#[test]
fn gradients_name_every_parameter_and_homework_stays_with_the_notebooks_cell() {
    let mut s = Session::new(Trainer::new(gated("lstm", json!({"bpttTruncate": 2}))).unwrap());
    let g = s.gradients(1).unwrap();
    let named: Vec<(&str, Vec<usize>)> = g.parameters().iter().map(|p| (p.name, p.shape.clone())).collect();
    assert_eq!(named, [("weight_ih", vec![24, 10]), ("weight_hh", vec![24, 6]), ("bias_ih", vec![24]), ("bias_hh", vec![24]), ("V", vec![10, 6])]);
    let Model::Gated(m) = s.trainer().model() else { panic!("an LSTM") };
    let (x, y) = s.trainer().data().example(1);
    assert_eq!(g.grads[0], m.gradients(x, y, 2).1.d_weight_ih.iter().copied().collect::<Vec<_>>());
    assert_eq!(s.gradients(24).unwrap_err().message(), "example must be from 0 to 23, got 24");
    let e = s.homework_problem(0).unwrap_err();
    assert_eq!(e.message(), "homework is the notebook's bptt for its vanilla RNN; this run's cell is lstm: set the cell to vanilla to do it");
    assert!(s.homework_example().is_err());
    let e = s.open_walk(&json!(12), &json!(34)).unwrap_err();
    assert!(e.message().starts_with("the step-through follows the notebook's bptt for its vanilla RNN"), "{e}");
    assert!(s.largest_singular_value().is_nan(), "no one W bounds a gated cell's step back");
    let flow = s.gradient_flow(&json!(12), &json!(34), false).unwrap();
    assert_eq!(flow.steps, 6);
    assert!(flow.values[[5, 0]] > 0.0 && flow.values[[0, 5]] == 0.0);
    // the delayed layout has no target while reading a: homework refuses it too
    let s = Session::new(Trainer::new(gated("vanilla", json!({"layout": "delayed"}))).unwrap());
    assert!(s.homework_problem(0).unwrap_err().message().starts_with("homework needs a target at every step"));
    assert_eq!(Cell::ALL.len(), 3);
}

#[test]
fn the_delayed_layouts_fade_averages_the_outputs_that_have_a_target() {
    let s = Session::new(Trainer::new(gated("gru", json!({"layout": "delayed", "nDigits": 3}))).unwrap());
    let flow = s.gradient_flow(&json!(123), &json!(456), false).unwrap();
    // 7 steps, the first 3 with no target: their rows are zero and left out of the mean
    assert!((0..3).all(|t| flow.values.row(t).iter().all(|&v| v == 0.0)));
    let mean = |j: usize| (3.max(j)..7).map(|t| flow.values[[t, t - j]]).sum::<f64>() / (7 - 3.max(j)) as f64;
    for j in 0..7 {
        assert!((flow.decay[j] - mean(j)).abs() <= 1e-15 * mean(j), "j = {j}: {} vs {}", flow.decay[j], mean(j));
    }
}
