//! The bounds that combine settings: how much work a sequence, an update, an epoch and a
//! gradient flow take (about one multiply-add each), and the limits that keep the page answering
//! and a saved run under its file size.

use super::Config;
use crate::cells::Cell;
use crate::error::{Error, Result};

/// Bounds that combine settings: most work (about one multiply-add each) one training sequence
/// may take. The page trains between its other tasks one sequence at a time at least, and must
/// answer within 50 ms; the largest allowed sequences take about 9 ms in wasm on a 2-core VM
/// (H 512, 36 steps).
pub const MAX_SEQUENCE_WORK: f64 = 4.0e7;

/// Most work one update of a mini-batch may take. A batch's products do several times as much per
/// multiply-add as one sequence's (an LSTM update of 32 sequences at H 100, 5.6e7, takes about
/// 10 ms in wasm f64), and even a batch of two or three of the largest sequences, with no gain at
/// all, stays near 25 ms.
pub const MAX_BATCH_WORK: f64 = 1.0e8;

/// Most work one epoch may take (its SGD steps and its loss evaluation): about 25 s in wasm on a
/// 2-core VM, so that an epoch ends within a minute on a slower machine while a user watches.
pub const MAX_EPOCH_WORK: f64 = 1.2e11;

/// Largest file read back. The largest model the settings allow (H 512) with a full loss history
/// saves to about 6 MB, and [`MAX_SAVED_NUMBERS`] keeps an optimizer's moments within it
/// too, so every saved run fits; a larger file is refused before it is parsed.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// Most numbers a saved run may hold in its weights and optimizer moments: at up to 25 bytes each
/// they leave a saved run under the 10 MB a file may have ([`MAX_FILE_BYTES`]), history
/// included. Plain SGD fits at every size; Adam's two moments do up to H 332.
pub const MAX_SAVED_NUMBERS: usize = 360_000;

/// Most work of a gradient flow computed while training (about 5 ms in wasm): a larger one waits
/// for a pause, so that Pause and a new sum are answered at once.
pub const MAX_LIVE_FLOW_WORK: f64 = 5e6;

impl Config {
    /// Multiply-adds of one training sequence, roughly: the forward pass, T·H·(H + C), and a
    /// backward pass of twice that for every step each output's error reaches back (all of them
    /// at once for the single pass used when nothing is truncated). A batch costs its sequences'
    /// sum (its matrix products are faster per sequence, never slower).
    pub fn sequence_work(&self) -> f64 {
        let steps = self.shape().steps();
        let reach = if self.bptt_truncate + 1 >= steps { 1 } else { self.bptt_truncate + 1 };
        self.forward_work() * (1 + 2 * reach) as f64
    }

    /// Multiply-adds of one update, the smallest piece of training the page can stop between.
    pub fn batch_work(&self) -> f64 {
        self.batch_size.min(self.n_samples) as f64 * self.sequence_work()
    }

    /// Multiply-adds of one epoch: its training sequences, and a forward pass each for the loss
    /// on them and on the test sets.
    pub fn epoch_work(&self) -> f64 {
        let evaluated = self.n_samples + self.test_samples + crate::heldout::MAX_CHAIN_PAIRS;
        self.n_samples as f64 * self.sequence_work() + evaluated as f64 * self.forward_work()
    }

    /// Multiply-adds of one gradient flow of a sum (see `flow::gradient_flow`): T² G H² / 2, for
    /// a cell of G gates.
    pub fn flow_work(&self) -> f64 {
        let steps = self.shape().steps() as f64;
        steps * steps * (self.cell.gates() * self.hidden_dim * self.hidden_dim) as f64 / 2.0
    }

    /// Weights of the model: H (C_in + C_out + H) for the vanilla cell; G H (C_in + H + 2) + C_out H
    /// for a cell of G gates (its biases too).
    pub fn parameter_count(&self) -> usize {
        let (h, g) = (self.hidden_dim, self.cell.gates());
        let biases = if self.cell == Cell::Vanilla { 0 } else { 2 * g * h };
        g * h * (self.shape().input_dim() + h) + biases + crate::data::N_CLASSES * h
    }

    /// A forward pass: T H (G H + C_out), the gates' recurrent products and the output layer
    /// (the one-hot input only adds columns).
    fn forward_work(&self) -> f64 {
        let steps = self.shape().steps();
        (steps * self.hidden_dim * (self.cell.gates() * self.hidden_dim + self.shape().input_dim() + crate::data::N_CLASSES)) as f64
    }

    /// Refuses settings whose sequence or epoch would take too long for a page that must keep
    /// answering; the message says what would fit.
    pub(super) fn check_work(&self) -> Result<()> {
        let sequence = self.sequence_work();
        if sequence > MAX_SEQUENCE_WORK {
            return Err(Error::Config(format!(
                "hiddenDim {} with {} steps ({} digits) and bpttTruncate {} is too large: one training sequence would take {:.0e} multiply-adds, \
                 and the page allows {MAX_SEQUENCE_WORK:.0e} (about 10 ms) so that it keeps answering while it trains. \
                 Use a smaller hidden size, fewer digits, or bpttTruncate {} or more (nothing cut: one backward pass, the fastest).",
                self.hidden_dim,
                self.shape().steps(),
                self.n_digits,
                self.bptt_truncate,
                sequence,
                self.shape().steps().saturating_sub(1)
            )));
        }
        let batch = self.batch_work();
        if batch > MAX_BATCH_WORK {
            let most = (MAX_BATCH_WORK / sequence).floor();
            return Err(Error::Config(format!(
                "batchSize {} at these settings makes one update of {batch:.0e} multiply-adds; the page allows {MAX_BATCH_WORK:.0e} \
                 (about 25 ms) so that it keeps answering while it trains. Use a batch of at most {most}.",
                self.batch_size
            )));
        }
        let numbers = (1 + self.optimizer.moments()) * self.parameter_count();
        if numbers > MAX_SAVED_NUMBERS {
            return Err(Error::Config(format!(
                "the {} optimizer at hidden size {} keeps {numbers} numbers with the weights, more than the {MAX_SAVED_NUMBERS} a saved \
                 run holds (files are at most 10 MB). Use a smaller hidden size or a plainer optimizer.",
                self.optimizer.name(),
                self.hidden_dim
            )));
        }
        let epoch = self.epoch_work();
        if epoch > MAX_EPOCH_WORK {
            let most = (self.n_samples as f64 * MAX_EPOCH_WORK / epoch).floor();
            return Err(Error::Config(format!(
                "{} training samples at hidden size {} and {} digits make an epoch of {:.0e} multiply-adds; the page allows \
                 {MAX_EPOCH_WORK:.0e} (under a minute) so that every epoch ends while you watch. \
                 Use at most {most} samples at these settings, or a smaller hidden size.",
                self.n_samples, self.hidden_dim, self.n_digits, epoch
            )));
        }
        Ok(())
    }
}
