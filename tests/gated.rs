//! The gated cells against PyTorch: tests/fixtures/golden_gated.json holds what torch.nn.GRU and
//! torch.nn.LSTM (float64, autograd) give at fixed weights — outputs, states, loss, gradients in
//! full and truncated, and the gradient flow (tests/fixtures/golden_gated.py).

mod common;

use common::fixture;
use ndarray::{Array1, Array2};
use rnn_playground::cells::gated::{gradient_flow, Gate, Gated, GatedBatch, GatedGradients};
use rnn_playground::data::NO_TARGET;
use serde_json::Value;

/// Two correct f64 implementations agree to ~1e-15; 1e-10 leaves room and still says everything.
const TOL: f64 = 1e-10;

fn matrix(v: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = v.as_array().unwrap().iter().map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()).collect();
    Array2::from_shape_vec((rows.len(), rows[0].len()), rows.concat()).unwrap()
}

fn vector(v: &Value) -> Array1<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

struct Case {
    name: String,
    model: Gated,
    x: Vec<usize>,
    y: Vec<usize>,
    g: Value,
}

fn cases() -> Vec<Case> {
    let golden = fixture("golden_gated");
    assert!(golden["source"].as_str().unwrap().starts_with("torch.nn.GRU / torch.nn.LSTM"), "the fixture comes from PyTorch itself");
    let mut out = Vec::new();
    for (name, g) in golden["cases"].as_object().unwrap() {
        let w = &g["weights"];
        let gate = if g["gate"] == "gru" { Gate::Gru } else { Gate::Lstm };
        let model = Gated {
            gate,
            weight_ih: matrix(&w["weight_ih"]),
            weight_hh: matrix(&w["weight_hh"]),
            bias_ih: vector(&w["bias_ih"]),
            bias_hh: vector(&w["bias_hh"]),
            v: matrix(&w["V"]),
        };
        assert_eq!((model.input_dim(), model.hidden_dim(), model.output_dim()), (g["input_dim"].as_u64().unwrap() as usize, 5, 10));
        let x = g["x"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
        // null: a step without a target
        let y = g["y"].as_array().unwrap().iter().map(|v| v.as_u64().map_or(NO_TARGET, |d| d as usize)).collect();
        out.push(Case { name: name.clone(), model, x, y, g: g.clone() });
    }
    assert_eq!(out.len(), 4);
    assert!(out.iter().any(|c| c.y.contains(&NO_TARGET)));
    out
}

/// |a − b| ≤ tol max(|b|, scale): relative, with the array's own scale as the floor for entries
/// that cancel to nearly nothing.
fn assert_array(got: &[f64], want: &[f64], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    let scale = want.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    assert!(scale > 0.0, "{what}: the golden values are not all zero");
    for (i, (a, b)) in got.iter().zip(want).enumerate() {
        assert!((a - b).abs() <= TOL * b.abs().max(scale * 1e-3), "{what}[{i}]: got {a}, want {b}");
    }
}

fn flat2(a: &Array2<f64>) -> Vec<f64> {
    a.iter().copied().collect()
}

fn assert_gradients(got: &GatedGradients, want: &Value, what: &str) {
    assert_array(&flat2(&got.d_weight_ih), &flat2(&matrix(&want["weight_ih"])), &format!("{what} weight_ih"));
    assert_array(&flat2(&got.d_weight_hh), &flat2(&matrix(&want["weight_hh"])), &format!("{what} weight_hh"));
    assert_array(got.d_bias_ih.as_slice().unwrap(), vector(&want["bias_ih"]).as_slice().unwrap(), &format!("{what} bias_ih"));
    assert_array(got.d_bias_hh.as_slice().unwrap(), vector(&want["bias_hh"]).as_slice().unwrap(), &format!("{what} bias_hh"));
    assert_array(&flat2(&got.dv), &flat2(&matrix(&want["V"])), &format!("{what} V"));
}

#[test]
fn the_forward_pass_and_loss_are_pytorch_s() {
    for c in cases() {
        let trace = c.model.forward(&c.x);
        assert!(trace.hidden.row(0).iter().all(|v| *v == 0.0));
        assert_array(&flat2(&trace.hidden.slice(ndarray::s![1.., ..]).to_owned()), &flat2(&matrix(&c.g["hidden"])), &format!("{}: h", c.name));
        assert_array(&flat2(&trace.outputs), &flat2(&matrix(&c.g["outputs"])), &format!("{}: o", c.name));
        match (&trace.cells, c.model.gate) {
            (Some(cells), Gate::Lstm) => {
                assert_array(&flat2(&cells.slice(ndarray::s![1.., ..]).to_owned()), &flat2(&matrix(&c.g["cells"])), &format!("{}: c", c.name))
            }
            (None, Gate::Gru) => assert!(c.g["cells"].is_null()),
            _ => panic!("{}: a cell state for the LSTM only", c.name),
        }
        let loss = Gated::sequence_loss(&trace, &c.y);
        let want = c.g["loss"].as_f64().unwrap();
        assert!((loss - want).abs() <= TOL * want, "{}: loss {loss} vs {want}", c.name);
    }
}

#[test]
fn full_and_truncated_gradients_are_pytorch_s() {
    for c in cases() {
        let k = c.g["bptt_truncate"].as_u64().unwrap() as usize;
        let want_loss = c.g["loss"].as_f64().unwrap();
        // k = T − 1 and anything beyond are both full BPTT
        for full in [c.x.len() - 1, 1000] {
            let (loss, grads) = c.model.gradients(&c.x, &c.y, full);
            assert!((loss - want_loss).abs() <= TOL * want_loss, "{}: loss", c.name);
            assert_gradients(&grads, &c.g["grads_full"], &format!("{} full (k = {full})", c.name));
        }
        let (loss, grads) = c.model.gradients(&c.x, &c.y, k);
        assert!((loss - want_loss).abs() <= TOL * want_loss, "{}: loss", c.name);
        assert_gradients(&grads, &c.g["grads_truncated"], &format!("{} truncated at {k}", c.name));
        assert!(grads != c.model.gradients(&c.x, &c.y, 100).1, "{}: truncation cuts something", c.name);
    }
}

#[test]
fn single_precision_batches_agree_with_pytorch_to_single_precision() {
    for c in cases() {
        let mut batch = GatedBatch::<f32>::new(&c.model);
        let loss = batch.gradients(&c.model, &c.x, &c.y, c.x.len(), 2);
        let want = c.g["loss"].as_f64().unwrap();
        assert!((loss - want).abs() <= 1e-5 * want, "{}: loss {loss} vs {want}", c.name);
        let want = matrix(&c.g["grads_truncated"]["weight_hh"]);
        let scale = want.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        for (a, b) in batch.grads.d_weight_hh.iter().zip(want.iter()) {
            assert!((a - b).abs() <= 1e-4 * scale, "{}: dW_hh {a} vs {b}", c.name);
        }
    }
}

#[test]
fn the_gradient_flow_is_pytorch_s() {
    for c in cases() {
        let flow = gradient_flow(&c.model, &c.x, &c.y);
        let want = matrix(&c.g["flow"]);
        assert_eq!(flow.values.dim(), want.dim());
        for ((t, k), &w) in want.indexed_iter() {
            let got = flow.values[[t, k]];
            if k > t || c.y[t] == NO_TARGET {
                assert_eq!((got, w), (0.0, 0.0), "{}: flow[{t}][{k}] is zero", c.name);
            } else {
                assert!((got - w).abs() <= TOL * w, "{}: flow[{t}][{k}]: got {got}, want {w}", c.name);
            }
        }
        let steps = c.x.len();
        for j in 0..steps {
            let mean = (j..steps).map(|t| want[[t, t - j]]).sum::<f64>() / (steps - j) as f64;
            assert!((flow.decay[j] - mean).abs() <= TOL * mean, "{}: decay[{j}]", c.name);
        }
    }
}
