//! The native core's side of `cargo xtask bench`, timed as every engine there is (see
//! bench/workloads.mjs): the median of several runs after a warm-up, each run whole epochs until
//! at least half a second has passed. Prints
//! `RESULT native <workload> <sequences per second>` lines; with `--scaling`, the scaling grid
//! instead (see `scaling` below). Workload names as arguments run only those
//! (`cargo bench --bench engines -- gru1 lstm32`). (`cargo bench --bench train` is the
//! divan view of the same core.)

use rnn_playground::cells::Cell;
use rnn_playground::{Config, Layout, Optimizer, Precision, Preset, Trainer};
use std::time::Instant;

/// Timed runs per figure, and the least time of each.
#[derive(Clone, Copy)]
struct Timing {
    runs: usize,
    seconds: f64,
}

const WORKLOAD_TIMING: Timing = Timing { runs: 5, seconds: 0.5 };
/// The grid has 60 cells: shorter runs, the same rule (bench/scaling.mjs uses the same).
const SCALING_TIMING: Timing = Timing { runs: 3, seconds: 0.25 };

/// Sequences per second of `run`, which trains (or evaluates) `sequences` sequences.
fn rate(mut run: impl FnMut(), sequences: usize, Timing { runs, seconds }: Timing) -> f64 {
    run();
    let mut rates: Vec<f64> = (0..runs)
        .map(|_| {
            let (mut done, t0) = (0, Instant::now());
            loop {
                run();
                done += sequences;
                let elapsed = t0.elapsed().as_secs_f64();
                if elapsed >= seconds {
                    break done as f64 / elapsed;
                }
            }
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    rates[runs / 2]
}

/// Sequences per second of whole training epochs under `config`, the per-epoch loss evaluation
/// switched off (evaluate_loss_after 1000: train_epoch is the SGD pass alone).
fn training_rate(config: Config, timing: Timing) -> f64 {
    let t = Trainer::new(Config { evaluate_loss_after: 1000, ..config }).unwrap();
    rate_of(t, timing)
}

fn rate_of(mut t: Trainer, timing: Timing) -> f64 {
    let n = t.data().len();
    rate(
        || {
            t.train_epoch().unwrap();
        },
        n,
        timing,
    )
}

/// The scaling grid: H x digits per number x layout x batch, plain SGD with exact BPTT (truncate
/// 1000), 320 sums an epoch. Prints `SCALE native <layout> <batch> <H> <digits> <steps> <seq/s>`,
/// or `refused` for a cell the core refuses (batch 32 at H 256 is over its work per update).
fn scaling() {
    for &layout in Layout::ALL {
        for batch_size in [1, 32] {
            for n_digits in [3, 7, 15] {
                for hidden_dim in [16, 32, 64, 128, 256] {
                    let config = Config { layout, batch_size, n_digits, hidden_dim, bptt_truncate: 1000, n_samples: 320, ..Config::default() };
                    let r = Trainer::new(Config { evaluate_loss_after: 1000, ..config }).map_or("refused".into(), |t| rate_of(t, SCALING_TIMING).to_string());
                    println!("SCALE native {} {batch_size} {hidden_dim} {n_digits} {} {r}", layout.name(), layout.digits(n_digits).steps());
                }
            }
        }
    }
}

fn main() {
    if std::env::args().any(|a| a == "--scaling") {
        return scaling();
    }
    // Batch 32 with Adam: the notebook's layout (a32) and the carry preset (c32), 3200 sequences an epoch
    let a32 = Config { batch_size: 32, optimizer: Optimizer::Adam, learning_rate: 0.001, n_samples: 3200, ..Config::default() };
    // The gated cells on the notebook's shapes: batch 1 with plain SGD (gru1, lstm1; 1000 sequences
    // an epoch), and a32's Adam at batch 32 (gru32, lstm32). Both run in f64 and f32.
    let a1 = Config { bptt_truncate: 20, ..Config::default() };
    let workloads = [
        ("a", a1.clone()),
        ("b", Config { bptt_truncate: 3, ..Config::default() }),
        ("a32", a32.clone()),
        ("c32", Preset::Carry.config()),
        ("gru1", Config { cell: Cell::Gru, ..a1.clone() }),
        ("lstm1", Config { cell: Cell::Lstm, ..a1 }),
        ("gru32", Config { cell: Cell::Gru, ..a32.clone() }),
        ("lstm32", Config { cell: Cell::Lstm, ..a32 }),
    ];
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    for (workload, config) in workloads {
        if !only.is_empty() && !only.iter().any(|w| w == workload) {
            continue;
        }
        println!("RESULT native {workload} {}", training_rate(config.clone(), WORKLOAD_TIMING));
        if config.batch_size > 1 || config.cell != Cell::Vanilla {
            println!("RESULT native-f32 {workload} {}", training_rate(Config { precision: Precision::F32, ..config }, WORKLOAD_TIMING));
        }
    }
    if !only.is_empty() && !only.iter().any(|w| w == "d") {
        return;
    }
    // (d) forward only: the loss over the 1000 samples is 1000 forward passes
    let t = Trainer::new(Config::default()).unwrap();
    println!(
        "RESULT native d {}",
        rate(
            || {
                std::hint::black_box(t.evaluate());
            },
            t.data().len(),
            WORKLOAD_TIMING
        )
    );
}
