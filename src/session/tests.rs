//! The session's policies: slices, views, the gradient check in slices, the walk.

use super::*;
use crate::config::Config;
use serde_json::json;
use std::time::Instant;

fn clock() -> impl FnMut() -> f64 {
    let start = Instant::now();
    move || start.elapsed().as_secs_f64() * 1000.0
}

fn small() -> Session {
    Session::new(Trainer::start(Config { n_samples: 20, hidden_dim: 8, ..Config::default() }).unwrap())
}

#[test]
fn train_for_prepares_then_trains_to_a_target_epoch() {
    let mut s = small();
    let r = s.train_for(1000.0, None, clock()).unwrap();
    assert!(r.ready && r.epochs == 0 && r.sequences == 0);
    let r = s.train_for(10_000.0, Some(3), clock()).unwrap();
    assert_eq!((r.epochs, r.sequences, r.latest.unwrap().epoch), (3, 60, 3));
    assert_eq!(s.train_for(10_000.0, Some(3), clock()).unwrap().epochs, 0, "the target is reached");
    let mut whole = Trainer::new(Config { n_samples: 20, hidden_dim: 8, ..Config::default() }).unwrap();
    for _ in 0..3 {
        whole.train_epoch().unwrap();
    }
    assert_eq!(s.trainer().model(), whole.model(), "slices give the bits of whole epochs");
    for bad in [0.0, -1.0, f64::NAN, 1e9] {
        assert!(s.train_for(bad, None, clock()).unwrap_err().message().starts_with("millis must be"));
    }
}

#[test]
fn a_view_is_one_forward_pass_of_the_model_now() {
    let s = small();
    let v = s.view(&json!(9401901), &json!("8908643")).unwrap();
    let (outputs, _) = s.trainer().model().forward(&v.prediction.input_digits);
    assert_eq!(v.prediction.probabilities, outputs.iter().copied().collect::<Vec<_>>());
    assert_eq!(v.hidden.values.len(), 14 * 8);
    assert_eq!(v.prediction.true_sum, "18310544");
    assert_eq!(v.prediction.target_digits, [0, 0, 0, 0, 0, 0, 1, 8, 3, 1, 0, 5, 4, 4].map(Some));
    let e = s.view(&json!(1.5), &json!(1)).unwrap_err();
    assert_eq!(e.message(), "the first number must be a whole number from 0, got 1.5");
    let e = s.view(&json!(1), &json!(true)).unwrap_err();
    assert_eq!(e.message(), "the second number must be a number or a string of digits, got true");
    let e = s.view(&json!(1e17), &json!(1)).unwrap_err();
    assert_eq!(e.message(), "the first number is too large to be exact as a JS number; pass it as a string");
}

#[test]
fn a_gradient_check_in_slices_reports_its_rows_once() {
    let mut s = small();
    s.trainer_mut().finish_starting_loss();
    let whole = s.gradient_check(&json!({ "maxEntries": 5 })).unwrap();
    let first = s.start_gradient_check(&json!({ "maxEntries": 5 })).unwrap();
    assert_eq!((first.checked, first.done), (0, false));
    let report = loop {
        let r = s.continue_gradient_check(0.001, clock()).unwrap();
        if r.done {
            break r.rows.unwrap().to_vec();
        }
    };
    assert_eq!(report, whole);
    assert!(s.continue_gradient_check(5.0, clock()).unwrap_err().message().starts_with("no gradient check is under way"));
    let e = s.start_gradient_check(&json!({ "maxEntries": 5, "speed": 1 })).unwrap_err();
    assert!(e.message().starts_with("gradient check options: unknown field `speed`"), "{e}");
}

#[test]
fn a_walk_keeps_its_weights_while_training_goes_on() {
    let mut s = small();
    assert_eq!(s.walk_gradients(0).unwrap_err().message(), "no walk is open: open one for a sum first");
    let opened = s.open_walk(&json!(12), &json!("34")).unwrap().clone();
    assert_eq!(opened.input_labels, ["0", "0", "0", "0", "0", "1", "2", "0", "0", "0", "0", "0", "3", "4"]);
    let last = opened.len() - 1;
    let before = s.walk_gradients(last).unwrap();
    s.trainer_mut().train_epoch().unwrap();
    assert_eq!(s.walk_gradients(last).unwrap(), before, "the walk is of the weights it was opened at");
    assert!(before.agreement.unwrap().bit_for_bit);
    let e = s.open_walk(&json!(123456789), &json!(1)).unwrap_err();
    assert_eq!(e.message(), "the first number: \"123456789\" has 9 digits; this model adds numbers of at most 7");
    assert_eq!(s.walk_gradients(last).unwrap(), before, "a refused sum keeps the open walk");
}
