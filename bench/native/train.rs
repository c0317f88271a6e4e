//! Training throughput of the core: `cargo bench --bench train`. divan prints sequences per
//! second ("item/s"): one item is one SGD step on one 14-step sequence.

use divan::counter::ItemsCount;
use divan::Bencher;
use rnn_playground::{Config, Trainer};

fn main() {
    divan::main();
}

fn epoch(bencher: Bencher, bptt_truncate: usize) {
    let config = Config { bptt_truncate, ..Config::default() };
    let trainer = Trainer::new(config).unwrap();
    bencher.counter(ItemsCount::new(trainer.data().len())).with_inputs(|| trainer.clone()).bench_local_values(|mut t| {
        t.train_epoch().unwrap();
        t
    });
}

/// The notebook setting: H 100, 7 + 7 digits, truncate 20 (the single backward pass), 1000 samples.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn epoch_notebook_truncate_20(bencher: Bencher) {
    epoch(bencher, 20);
}

/// The same with truncate 3: the notebook's nested loops, 4 steps back from every output.
#[divan::bench(sample_count = 10, sample_size = 1)]
fn epoch_truncate_3(bencher: Bencher) {
    epoch(bencher, 3);
}

/// Forward pass only (what `predict` costs), one sequence.
#[divan::bench]
fn forward_h100(bencher: Bencher) {
    let trainer = Trainer::new(Config { n_samples: 1, ..Config::default() }).unwrap();
    let (x, _) = trainer.data().example(0);
    let mut trace = rnn_playground::Trace::new(x.len(), 100, 10);
    bencher.counter(ItemsCount::new(1usize)).bench_local(|| trainer.model().vanilla().unwrap().forward_into(divan::black_box(x), &mut trace));
}
