//! rnn-playground's core: the numpy notebook "Backpropagation in Recurrent Neural Networks" in
//! pure Rust, number for number. No wasm types here: `wasm.rs` is the only browser-facing file.

pub mod batch;
pub mod bptt;
pub mod cells;
pub mod config;
pub mod data;
pub mod dataset;
pub mod error;
pub mod fastmath;
pub mod flow;
pub mod gradcheck;
pub mod heldout;
pub mod homework;
pub mod kernels;
pub mod layout;
pub mod metrics;
pub mod model;
pub mod optim;
pub mod rng;
pub mod session;
pub mod snapshot;
pub mod train;
pub mod walk;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use bptt::{Backprop, Gradients, Method};
pub use config::{Config, Optimizer, Precision, Preset, RateRule};
pub use dataset::DataSet;
pub use error::{Error, Result};
pub use gradcheck::{gradient_check, CheckOptions, CheckReport, CheckRequest, GradientCheck, ParameterCheck};
pub use layout::{Layout, LayoutInfo, Shape};
pub use metrics::Evaluation;
pub use model::{Rnn, Trace};
pub use rng::NumpyRng;
pub use session::{Session, TrainedFor, View};
pub use train::{Advance, EpochReport, LossRecord, Progress, Trainer, TrainingState};
