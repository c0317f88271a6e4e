//! The gradient flow ‖dE_t/ds_k‖ and W's largest singular value: against the notebook's numpy code
//! (tests/fixtures/golden_flow.py) at the notebook's initial weights and after one epoch, and
//! against finite differences on a trained model.

mod common;

use common::*;
use ndarray::{s, Array1};
use rnn_playground::flow::{gradient_flow, largest_singular_value};
use rnn_playground::kernels::softmax_in_place;
use rnn_playground::{Config, Rnn, Trainer};
use serde_json::Value;

/// |a − b| ≤ tol |b|: the flow spans four decades, so an absolute tolerance would say nothing.
fn assert_relative(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol * b.abs(), "{what}: got {a}, want {b} (relative tolerance {tol})");
}

fn check_against_numpy(model: &Rnn, golden: &Value, stage: &str) {
    let mut start = Array1::zeros(0);
    assert_relative(largest_singular_value(&model.w, &mut start), golden["sigma_W"].as_f64().unwrap(), 1e-9, &format!("{stage}: σ(W)"));
    for name in ["example0", "default_sum"] {
        let g = &golden[name];
        let flow = gradient_flow(model, &usize_vec(&g["x"]), &usize_vec(&g["y"]));
        for (t, row) in g["flow"].as_array().unwrap().iter().enumerate() {
            for (k, want) in f64_vec(row).into_iter().enumerate() {
                let got = flow.values[[t, k]];
                if k > t {
                    assert_eq!(got, 0.0, "{stage} {name}: above the diagonal");
                } else {
                    assert_relative(got, want, 1e-10, &format!("{stage} {name}: flow[{t}][{k}]"));
                }
            }
        }
        for (j, want) in f64_vec(&g["decay"]).into_iter().enumerate() {
            assert_relative(flow.decay[j], want, 1e-10, &format!("{stage} {name}: decay[{j}]"));
        }
    }
}

#[test]
fn the_flow_and_sigma_of_the_notebook_agree_with_its_numpy_code() {
    let golden = fixture("golden_flow_notebook");
    // the notebook's cell 15 trains on the first 100 samples
    let mut trainer = Trainer::new(Config { n_samples: 100, ..Config::default() }).unwrap();
    check_against_numpy(trainer.model().vanilla().unwrap(), &golden["initial"], "initial weights");
    trainer.train_epoch().unwrap();
    check_against_numpy(trainer.model().vanilla().unwrap(), &golden["after_one_epoch"], "after one epoch");
}

#[test]
fn at_the_notebook_s_initial_weights_the_gradient_vanishes() {
    // what the page shows a student: 13 steps back, the error is over a thousand times smaller
    let trainer = Trainer::new(Config::default()).unwrap();
    let (x, y) = trainer.data().example(0);
    let flow = gradient_flow(trainer.model().vanilla().unwrap(), x, y);
    assert!(flow.decay[13] < flow.decay[0] / 1000.0, "{:?}", flow.decay);
    assert!(flow.decay.windows(2).all(|w| w[1] < w[0]), "it falls at every step back: {:?}", flow.decay);
}

/// E_t = −log o_t[y_t] as a function of s_k alone: the forward pass from step k + 1 on.
fn loss_at_from_state(model: &Rnn, x: &[usize], y: &[usize], t: usize, k: usize, s_k: &Array1<f64>) -> f64 {
    let mut s = s_k.clone();
    for &symbol in &x[k + 1..=t] {
        let z = model.u.column(symbol).to_owned() + model.w.dot(&s);
        s = z.mapv(f64::tanh);
    }
    let mut o = model.v.dot(&s);
    softmax_in_place(o.view_mut());
    -o[y[t]].ln()
}

#[test]
fn the_flow_matches_finite_differences_on_a_trained_model() {
    let config = Config { hidden_dim: 12, n_samples: 40, ..Config::default() };
    let mut trainer = Trainer::new(config).unwrap();
    for _ in 0..30 {
        trainer.train_epoch().unwrap();
    }
    let model = trainer.model().vanilla().unwrap();
    let (x, y) = trainer.data().example(3);
    let flow = gradient_flow(model, x, y);
    let trace = model.forward(x);
    let h = 1e-6;
    for t in [0, 5, 13] {
        for k in 0..=t {
            let s_k = trace.state(k).to_owned();
            let numeric: Vec<f64> = (0..s_k.len())
                .map(|i| {
                    let (mut up, mut down) = (s_k.clone(), s_k.clone());
                    up[i] += h;
                    down[i] -= h;
                    (loss_at_from_state(model, x, y, t, k, &up) - loss_at_from_state(model, x, y, t, k, &down)) / (2.0 * h)
                })
                .collect();
            let norm = numeric.iter().map(|g| g * g).sum::<f64>().sqrt();
            // central differences are good to ~h² relative, and to ~1e-10 absolute from rounding
            assert!((flow.values[[t, k]] - norm).abs() <= 1e-6 * norm + 1e-9, "flow[{t}][{k}] = {} but finite differences give {norm}", flow.values[[t, k]]);
        }
        assert!(flow.values.slice(s![t, t + 1..]).iter().all(|v| *v == 0.0));
    }
}
