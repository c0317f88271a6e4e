//! Every golden fixture (the notebook's numpy code run at other seeds, sizes, truncations, rates
//! and sequencings; see tests/fixtures/README.md) against the core.

mod common;

use common::*;
use rnn_playground::bptt::sgd_step;
use rnn_playground::cells::Model;
use rnn_playground::train::evaluate;
use rnn_playground::{Backprop, Method, Trainer};

#[test]
fn data_sets_are_bit_exact() {
    for name in FIXTURES {
        let g = fixture(name);
        let (data, _) = data_and_model(&g);
        let d = &g["data"];
        assert_eq!(sha256_i64(data.inputs.iter().copied()), d["X_sha256_le_i64"].as_str().unwrap(), "{name}: X");
        assert_eq!(sha256_i64(data.targets.iter().copied()), d["y_sha256_le_i64"].as_str().unwrap(), "{name}: y");
        assert_eq!(data.example(data.len() - 1).0, usize_vec(&d["X_last_row"]), "{name}");
    }
}

#[test]
fn initial_weights_are_bit_exact() {
    for name in FIXTURES {
        let g = fixture(name);
        let (_, m) = data_and_model(&g);
        for (p, a) in [("U", &m.u), ("V", &m.v), ("W", &m.w)] {
            assert_eq!(sha256_f64(a), g["init_weights"][p]["sha256_le_f64"].as_str().unwrap(), "{name}: {p}");
        }
    }
}

#[test]
fn forward_pass_and_predictions() {
    for name in FIXTURES {
        let g = fixture(name);
        let (data, m) = data_and_model(&g);
        let f = &g["forward_x0"];
        let x = usize_vec(&f["x"]);
        assert_eq!(x, data.example(0).0);
        let trace = m.forward(&x);
        for (t, row) in f["o"].as_array().unwrap().iter().enumerate() {
            assert_all_close(&trace.output(t).to_vec(), &f64_vec(row), 1e-12, &format!("{name}: o[{t}]"));
        }
        assert_all_close(&trace.state(0).to_vec(), &f64_vec(&f["s_first_step"]), 1e-12, &format!("{name}: s_0"));
        let sums: Vec<f64> = trace.hidden_states().rows().into_iter().map(|r| r.sum()).collect();
        assert_all_close(&sums, &f64_vec(&f["s_row_sums"]), 1e-11, &format!("{name}: s row sums"));
        assert_eq!(m.predict(&x), usize_vec(&g["predictions_x0"]), "{name}");
        let y = usize_vec(&f["y"]);
        assert_close(m.total_loss([(&x[..], &y[..])]), f["loss_x0_total"].as_f64().unwrap(), 1e-12, name);
        let n = g["config"]["n_samples"].as_u64().unwrap() as usize;
        assert_close(evaluate(&Model::Vanilla(m.clone()), &data.slice(0..n)).loss, g["initial_loss_train_subset"].as_f64().unwrap(), 1e-12, name);
        assert_close(evaluate(&Model::Vanilla(m.clone()), &data).loss, g["initial_loss_full_data"].as_f64().unwrap(), 1e-12, name);
    }
}

#[test]
fn gradients_at_every_truncation_by_both_methods() {
    for name in FIXTURES {
        let g = fixture(name);
        let (data, m) = data_and_model(&g);
        let (x, y) = data.example(0);
        let mut bp = Backprop::new(&m);
        for (truncate, digests) in g["bptt_x0"].as_object().unwrap() {
            let truncate: usize = truncate.parse().unwrap();
            let mut methods = vec![Method::NotebookLoops];
            if truncate + 1 >= x.len() {
                methods.push(Method::SinglePass);
            }
            for method in methods {
                let what = format!("{name}: truncate {truncate} {method:?}");
                let grads = bp.gradients_with(&m, x, y, truncate, method).clone();
                assert_matches_digest(&grads.du, &digests["dLdU"], 1e-12, &format!("{what} dU"));
                assert_matches_digest(&grads.dv, &digests["dLdV"], 1e-12, &format!("{what} dV"));
                assert_matches_digest(&grads.dw, &digests["dLdW"], 1e-12, &format!("{what} dW"));
                let col_sums: Vec<f64> = grads.du.columns().into_iter().map(|c| c.sum()).collect();
                assert_all_close(&col_sums, &f64_vec(&digests["dLdU"]["col_sums"]), 1e-11, &format!("{what} dU col sums"));
                let full: Vec<f64> = digests["dLdV"]["full"].as_array().unwrap().iter().flat_map(f64_vec).collect();
                assert_all_close(grads.dv.as_slice().unwrap(), &full, 1e-12, &format!("{what} dV"));
            }
        }
    }
}

#[test]
fn one_sgd_step() {
    for name in FIXTURES {
        let g = fixture(name);
        let (data, mut m) = data_and_model(&g);
        let cfg = config_of(&g);
        let (x, y) = data.example(0);
        let mut bp = Backprop::new(&m);
        sgd_step(&mut m, &mut bp, x, y, cfg.learning_rate, cfg.bptt_truncate);
        let after = &g["after_one_sgd_step_x0"];
        for (p, a) in [("U", &m.u), ("V", &m.v), ("W", &m.w)] {
            assert_matches_digest(a, &after[p], 1e-12, &format!("{name}: {p} after one step"));
        }
        assert_close(m.total_loss([(x, y)]), after["loss_x0_total"].as_f64().unwrap(), 1e-12, name);
    }
}

#[test]
fn training_follows_train_with_sgd() {
    for name in FIXTURES {
        let g = fixture(name);
        let (data, m) = data_and_model(&g);
        let cfg = config_of(&g);
        let n = cfg.n_samples;
        let nepoch = g["config"]["nepoch"].as_u64().unwrap() as usize;
        // lr 0.02 amplifies rounding differences between two correct implementations (~3e-6 by epoch 6).
        let tol = if cfg.learning_rate > 0.01 { 1e-5 } else { 1e-10 };
        let mut t = Trainer::from_parts(cfg.clone(), data.slice(0..n), Model::Vanilla(m)).unwrap();
        // the notebook evaluates at the start of epochs 0, k, 2k, ... < nepoch; the trainer after
        // each k-th epoch, so it runs nepoch - 1 epochs to have made the same evaluations.
        for _ in 0..nepoch - 1 {
            t.train_epoch().unwrap();
        }
        let records = g["train"]["loss_records"].as_array().unwrap();
        assert_eq!(t.history().len(), records.len(), "{name}: evaluations");
        for (ours, want) in t.history().iter().zip(records) {
            assert_eq!(ours.epoch as u64, want["epoch"].as_u64().unwrap(), "{name}");
            assert_eq!(ours.examples_seen, want["num_examples_seen"].as_u64().unwrap(), "{name}");
            assert_close(ours.evaluation.loss, want["loss"].as_f64().unwrap(), tol, &format!("{name}: loss at epoch {}", ours.epoch));
            if tol <= 1e-10 {
                // at lr 0.02 the last printed digit may round the other way (1.1825185 ± 1e-7)
                assert_eq!(format!("{:.6}", ours.evaluation.loss), want["loss_6dp"].as_str().unwrap(), "{name}");
            }
            assert_eq!(ours.learning_rate, want["learning_rate_after_check"].as_f64().unwrap(), "{name}");
            assert_eq!(ours.halved, want["halved"].as_bool().unwrap(), "{name}");
        }
        // the notebook's last epoch is one more SGD pass at the rate then in force
        let tr = &g["train"];
        assert_eq!(t.learning_rate(), tr["final_learning_rate"].as_f64().unwrap(), "{name}: final rate");
        t.train_epoch().unwrap();
        let final_eval = t.evaluate();
        assert_close(final_eval.loss, tr["loss_after_last_epoch"].as_f64().unwrap(), tol, &format!("{name}: loss after last epoch"));
        for (p, a) in [("U", &t.model().vanilla().unwrap().u), ("V", &t.model().vanilla().unwrap().v), ("W", &t.model().vanilla().unwrap().w)] {
            if tol <= 1e-10 {
                assert_matches_digest(a, &tr["final_weights"][p], tol * 10.0, &format!("{name}: final {p}"));
            } else {
                // chaotic at this rate: single weights drift ~3e-4 apart, their norm far less
                let l2 = a.iter().map(|v| v * v).sum::<f64>().sqrt();
                assert_close(l2, tr["final_weights"][p]["l2_norm"].as_f64().unwrap(), 1e-4, &format!("{name}: final |{p}|"));
            }
        }
        assert_eq!(t.model().vanilla().unwrap().predict(data.example(0).0), usize_vec(&tr["predictions_x0_after"]), "{name}");
        // a digit or two of thousands may flip where the weights drifted (chaotic case only)
        let acc_tol = if tol <= 1e-10 { 1e-12 } else { 1e-3 };
        let acc = &tr["accuracy_train_subset"];
        assert_close(final_eval.digit_accuracy, acc["digit_accuracy"].as_f64().unwrap(), acc_tol, name);
        assert_close(final_eval.exact_accuracy, acc["exact_match"].as_f64().unwrap(), acc_tol, name);
        let held = &tr["accuracy_heldout"];
        if !held.is_null() {
            let e = evaluate(t.model(), &data.slice(n..data.len()));
            assert_close(e.digit_accuracy, held["digit_accuracy"].as_f64().unwrap(), acc_tol, name);
            assert_close(e.exact_accuracy, held["exact_match"].as_f64().unwrap(), acc_tol, name);
        }
    }
}
