//! The native core's side of `cargo xtask bench`, timed exactly as bench/workloads.mjs times the
//! wasm build and plain JS: the median of several 1000-sequence runs after a warm-up. Prints
//! `RESULT native <workload> <sequences per second>` lines. (`cargo bench --bench train` is the
//! divan view of the same core.)

use rnn_playground::{Config, Optimizer, Preset, Trainer};
use std::time::Instant;

const RUNS: usize = 9;

fn rate(mut run: impl FnMut(), sequences: usize) -> f64 {
    run();
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t0 = Instant::now();
            run();
            t0.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    sequences as f64 / times[RUNS / 2]
}

/// Sequences per second of whole training epochs under `config`, the per-epoch loss evaluation
/// switched off (evaluate_loss_after 1000: train_epoch is the SGD pass alone).
fn training_rate(config: Config) -> f64 {
    let mut t = Trainer::new(Config { evaluate_loss_after: 1000, ..config }).unwrap();
    let n = t.data().len();
    rate(
        || {
            t.train_epoch().unwrap();
        },
        n,
    )
}

fn main() {
    // Batch 32 with Adam: the notebook's layout (a32) and the carry preset (c32), 3200 sequences an epoch
    let a32 = Config { batch_size: 32, optimizer: Optimizer::Adam, learning_rate: 0.001, n_samples: 3200, ..Config::default() };
    let workloads = [
        ("a", Config { bptt_truncate: 20, ..Config::default() }),
        ("b", Config { bptt_truncate: 3, ..Config::default() }),
        ("a32", a32),
        ("c32", Preset::Carry.config()),
    ];
    for (workload, config) in workloads {
        println!("RESULT native {workload} {}", training_rate(config));
    }
    // (d) forward only: the loss over the 1000 samples is 1000 forward passes
    let t = Trainer::new(Config::default()).unwrap();
    println!(
        "RESULT native d {}",
        rate(
            || {
                std::hint::black_box(t.evaluate());
            },
            t.data().len()
        )
    );
}
