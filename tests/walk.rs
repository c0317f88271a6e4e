//! The walk through BPTT (src/walk.rs) against the notebook's own numpy code, point by point:
//! tests/fixtures/golden_walk.json (golden_walk.py) records the forward steps and, after each point
//! of the `bptt` loop, the norms of the running dLdU, dLdV, dLdW and of δ. The session opens the
//! walk as the page does: the Notebook preset's weights, the typed sum 9401901 + 8908643.

mod common;

use common::*;
use rnn_playground::walk::BackwardPoint;
use rnn_playground::{Config, Session, Trainer};
use serde_json::json;

#[test]
fn every_point_of_the_walk_is_numpys() {
    let g = fixture("golden_walk");
    for (truncate, want) in g["walks"].as_object().unwrap() {
        let truncate: usize = truncate.parse().unwrap();
        let config = Config { bptt_truncate: truncate, ..Config::default() };
        assert_eq!(config.hidden_dim, g["hidden_dim"].as_u64().unwrap() as usize);
        let mut session = Session::new(Trainer::new(config).unwrap());
        let walk = session.open_walk(&json!(g["a"]), &json!(g["b"])).unwrap().clone();
        assert_eq!(walk.x, usize_vec(&g["x"]));
        assert_eq!(walk.y, usize_vec(&g["y"]));
        let forward = want["forward"].as_array().unwrap();
        assert_eq!(walk.forward.len(), forward.len());
        for (got, want) in walk.forward.iter().zip(forward) {
            let what = format!("truncate {truncate}, forward t = {}", got.t);
            assert_all_close(&got.state[..3], &f64_vec(&want["state_first3"]), 1e-12, &what);
            assert_all_close(&got.output, &f64_vec(&want["output"]), 1e-12, &what);
            assert_close(got.loss, want["loss"].as_f64().unwrap(), 1e-12, &what);
        }
        let backward = want["backward"].as_array().unwrap();
        assert_eq!(walk.backward.len(), backward.len(), "truncate {truncate}: points");
        for (i, (got, want)) in walk.backward.iter().zip(backward).enumerate() {
            let (kind, t, step, delta_norm) = match got {
                BackwardPoint::Output { t, delta_norm, .. } => ("output", *t, None, *delta_norm),
                BackwardPoint::Step { t, step, delta_norm, .. } => ("step", *t, Some(*step as u64), *delta_norm),
            };
            let what = format!("truncate {truncate}, point {i} ({kind} t = {t})");
            assert_eq!((kind, t as u64, step), (want["kind"].as_str().unwrap(), want["t"].as_u64().unwrap(), want["step"].as_u64()), "{what}");
            assert_close(delta_norm, want["delta_norm"].as_f64().unwrap(), 1e-12, &what);
            let running = session.walk_gradients(walk.forward.len() + i).unwrap();
            assert_all_close(&running.norms, &f64_vec(&want["norms"]), 1e-12, &what);
        }
        let last = session.walk_gradients(walk.len() - 1).unwrap();
        let f = &want["final"];
        for (m, key) in [(&last.grads.du, "dLdU_sum"), (&last.grads.dv, "dLdV_sum"), (&last.grads.dw, "dLdW_sum")] {
            assert_close(m.sum(), f[key].as_f64().unwrap(), 1e-11, &format!("truncate {truncate}: {key}"));
        }
        assert!(last.agreement.unwrap().bit_for_bit, "truncate {truncate}: the walk ends at the core's bptt");
    }
}
