//! Named starting points: the notebook's setup, and a network that learns to add.

use super::choice::{choice, Optimizer, RateRule};
use super::Config;
use crate::layout::Layout;

choice! {
    /// A named starting point: the notebook's setup, and later others.
    Preset {
        /// Exactly the notebook's settings and numbers.
        Notebook = "notebook",
        /// A network that adds: the aligned layout, Adam on mini-batches of fresh sums.
        Carry = "carry",
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
        }
    }
}
