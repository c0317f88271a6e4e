//! Named starting points: the notebook's setup, and a network that learns to add.

use super::choice::{choice, Optimizer, Precision, RateRule};
use super::Config;
use crate::cells::Cell;
use crate::layout::Layout;

choice! {
    /// A named starting point: the notebook's setup, and later others.
    Preset {
        /// Exactly the notebook's settings and numbers.
        Notebook = "notebook",
        /// A network that adds: the aligned layout, Adam on mini-batches of fresh sums.
        Carry = "carry",
        /// A task where memory matters: the delayed layout with blank steps, where each output
        /// needs a digit read 13 steps before; gated cells learn it, the vanilla cell does not.
        Memory = "memory",
    }
}

impl Preset {
    /// One sentence for the page.
    pub fn doc(self) -> &'static str {
        match self {
            Preset::Notebook => "The notebook's setup, number for number: reads a then b, most significant digit first.",
            Preset::Carry => {
                "Learns to add: reads a_i and b_i together, least significant first, so every carry is known when it is needed; \
                 Adam on batches of 32 fresh sums, tested on held-out sums and carry chains."
            }
            Preset::Memory => {
                "Needs memory: reads all of a, then 8 blank steps, then b, least significant first, and outputs digit i of the sum \
                 while reading b_i, 13 steps after a_i; an LSTM or a GRU learns it, the notebook's vanilla cell with the same settings does not."
            }
        }
    }

    /// The preset's settings: the defaults with its own values.
    pub fn config(self) -> Config {
        match self {
            Preset::Notebook => Config::default(),
            Preset::Carry => Config {
                preset: Preset::Carry,
                layout: Layout::Aligned,
                hidden_dim: 32,
                n_samples: 3200,
                optimizer: Optimizer::Adam,
                learning_rate: 0.02,
                batch_size: 32,
                fresh_data: true,
                rate_rule: RateRule::Constant,
                ..Config::default()
            },
            Preset::Memory => Config {
                preset: Preset::Memory,
                layout: Layout::Delayed,
                cell: Cell::Lstm,
                n_digits: 5,
                // 8 blank steps between a and b: b_i comes 13 steps after a_i, farther than the
                // vanilla cell's error reaches, near enough for a gated cell's (docs/cells.md)
                gap: 8,
                hidden_dim: 96,
                n_samples: 3200,
                optimizer: Optimizer::Adam,
                learning_rate: 0.01,
                batch_size: 32,
                fresh_data: true,
                // long carry chains trained on: uniform digits almost never give them (docs/cells.md)
                carry_runs: 0.2,
                // big steps first, then small ones that settle on exact answers
                rate_rule: RateRule::StepDecay,
                halve_every: 40,
                // evaluated every other epoch: an evaluation costs about as much as an epoch's training
                evaluate_loss_after: 2,
                clip_norm: Some(1.0),
                // single-precision batches and evaluations: the same learning in less time (docs/cells.md)
                precision: Precision::F32,
                // nothing cut: every output's error reaches back to the digit of a it needs
                bptt_truncate: 100,
                ..Config::default()
            },
        }
    }
}
