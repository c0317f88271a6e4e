//! Shared by the integration tests: the golden fixtures (written by `tests/fixtures/golden.py`,
//! the notebook's own numpy code) and ways to compare our arrays with their digests; small
//! settings and random JSON for the property tests.
#![allow(dead_code)]

use ndarray::Array2;
use proptest::prelude::*;
use rnn_playground::{Config, DataSet, Layout, NumpyRng, Preset, Rnn, Trainer};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const FIXTURES: [&str; 6] = [
    "golden_notebook",
    "golden_s7_h32_t4",
    "golden_s123_h64_t1000_n200_e3",
    "golden_s0_h16_t2",
    "golden_s10_noreseed_h100_t20_lr0.02_e6",
    "golden_s42_d3_h8_t1_k2",
];

pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect("valid JSON")
}

pub fn usize_vec(v: &Value) -> Vec<usize> {
    v.as_array().unwrap().iter().map(|d| d.as_u64().unwrap() as usize).collect()
}

pub fn f64_vec(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|d| d.as_f64().unwrap()).collect()
}

pub fn sha256_f64(a: &Array2<f64>) -> String {
    let mut h = Sha256::new();
    for v in a.iter() {
        h.update(v.to_le_bytes());
    }
    format!("{:x}", h.finalize())
}

pub fn sha256_i64(values: impl Iterator<Item = usize>) -> String {
    let mut h = Sha256::new();
    for v in values {
        h.update((v as i64).to_le_bytes());
    }
    format!("{:x}", h.finalize())
}

/// |a - b| <= tol * max(1, |b|)
pub fn assert_close(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol * b.abs().max(1.0), "{what}: got {a}, want {b} (tolerance {tol})");
}

pub fn assert_all_close(a: &[f64], b: &[f64], tol: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert_close(*x, *y, tol, &format!("{what}[{i}]"));
    }
}

/// Compares a matrix with a digest written by golden.py's `digest()`.
pub fn assert_matches_digest(a: &Array2<f64>, d: &Value, tol: f64, what: &str) {
    let shape = usize_vec(&d["shape"]);
    assert_eq!([a.nrows(), a.ncols()], [shape[0], shape[1]], "{what}: shape");
    let flat: Vec<f64> = a.iter().copied().collect();
    assert_close(flat.iter().sum(), d["sum"].as_f64().unwrap(), tol * 10.0, &format!("{what}.sum"));
    assert_close(flat.iter().map(|v| v.abs()).sum(), d["abs_sum"].as_f64().unwrap(), tol, &format!("{what}.abs_sum"));
    assert_close(flat.iter().map(|v| v * v).sum::<f64>().sqrt(), d["l2_norm"].as_f64().unwrap(), tol, &format!("{what}.l2_norm"));
    assert_all_close(&flat[..5.min(flat.len())], &f64_vec(&d["first"]), tol, &format!("{what}.first"));
    assert_all_close(&flat[flat.len() - 3..], &f64_vec(&d["last"]), tol, &format!("{what}.last"));
    assert_all_close(a.row(0).as_slice().unwrap(), &f64_vec(&d["row0"]), tol, &format!("{what}.row0"));
    assert_all_close(&a.column(0).to_vec(), &f64_vec(&d["col0"]), tol, &format!("{what}.col0"));
    let row_sums: Vec<f64> = a.rows().into_iter().map(|r| r.sum()).collect();
    assert_all_close(&row_sums, &f64_vec(&d["row_sums"]), tol * 10.0, &format!("{what}.row_sums"));
}

/// The fixture's settings as our config (training on the first `n_samples` of `n_data`).
pub fn config_of(g: &Value) -> Config {
    let c = &g["config"];
    Config {
        data_seed: c["seed_data"].as_u64().unwrap() as u32,
        model_seed: c["seed_model"].as_u64().map(|s| s as u32),
        n_digits: c["n_digits"].as_u64().unwrap() as usize,
        n_samples: c["n_samples"].as_u64().unwrap() as usize,
        hidden_dim: c["hidden_dim"].as_u64().unwrap() as usize,
        bptt_truncate: c["bptt_truncate"].as_u64().unwrap() as usize,
        learning_rate: c["learning_rate"].as_f64().unwrap(),
        evaluate_loss_after: c["evaluate_loss_after"].as_u64().unwrap() as usize,
        layout: Layout::Notebook,
        preset: Preset::Notebook,
        ..Config::default()
    }
}

/// The fixture's whole data set (`n_data` examples) and starting model, drawn in its sequencing.
pub fn data_and_model(g: &Value) -> (DataSet, Rnn) {
    let c = &g["config"];
    let cfg = config_of(g);
    let mut rng = NumpyRng::new(cfg.data_seed as u64).unwrap();
    let data = DataSet::generate(&mut rng, c["n_data"].as_u64().unwrap() as usize, Layout::Notebook.digits(cfg.n_digits), 0.0).unwrap();
    if let Some(seed) = cfg.model_seed {
        rng.reseed(seed);
    }
    let model = Rnn::init(10, 10, cfg.hidden_dim, &mut rng);
    (data, model)
}

/// Small settings for the property tests: the model seed derived from the data seed.
pub fn small_config(hidden: usize, digits: usize, samples: usize, truncate: usize, every: usize, seed: u32, lr: f64) -> Config {
    Config {
        data_seed: seed,
        model_seed: Some(seed ^ 0x5eed),
        n_digits: digits,
        n_samples: samples,
        hidden_dim: hidden,
        bptt_truncate: truncate,
        evaluate_loss_after: every,
        learning_rate: lr,
        ..Config::default()
    }
}

/// Three training sums at the given size, for the gradient properties.
pub fn small_trainer(hidden: usize, digits: usize, truncate: usize, seed: u32) -> Trainer {
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

/// Any JSON value, nested a few levels: what a crafted settings object or file can hold.
pub fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (prop_oneof![Just("hiddenDim".to_string()), Just("nDigits".to_string()), Just("modelSeed".to_string()), ".{0,8}".prop_map(|s| s)], inner),
                0..6
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}
