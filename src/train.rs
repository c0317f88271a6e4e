//! Training one epoch at a time, as the notebook's `train_with_sgd` does in one go: an SGD pass
//! over the examples in order, then every `evaluate_loss_after` epochs the mean loss, and the
//! learning rate halved whenever that loss is above the previous one.

use crate::bptt::{sgd_step, Backprop};
use crate::config::{check_learning_rate, Config};
use crate::data::DataSet;
use crate::error::{Error, Result};
use crate::kernels::argmax;
use crate::model::{Rnn, Trace};
use crate::rng::NumpyRng;
use serde::{Deserialize, Serialize};

/// How well the model does on the training examples at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    /// Mean cross-entropy per digit (the notebook's `calculate_loss`), in nats.
    pub loss: f64,
    /// Fraction of target digits predicted right.
    pub digit_accuracy: f64,
    /// Fraction of examples whose every digit is right.
    pub exact_accuracy: f64,
}

/// One loss evaluation, as the notebook prints it, plus accuracies.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LossRecord {
    /// Epochs completed before this evaluation.
    pub epoch: usize,
    pub examples_seen: usize,
    #[serde(flatten)]
    pub evaluation: Evaluation,
    /// The rate in force after this evaluation.
    pub learning_rate: f64,
    /// Whether this evaluation halved the rate.
    pub halved: bool,
}

/// The outcome of one [`Trainer::train_epoch`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EpochReport {
    /// Epochs completed.
    pub epoch: usize,
    pub examples_seen: usize,
    /// Whether the loss was evaluated after this epoch; if not, `latest` is the last evaluation.
    pub evaluated: bool,
    pub latest: LossRecord,
    pub learning_rate: f64,
}

/// Where a run stands: enough, with the config and the weights, to carry on exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrainingState {
    pub epoch: usize,
    pub examples_seen: usize,
    /// The rate the next epoch will use.
    pub learning_rate: f64,
    pub history: Vec<LossRecord>,
}

/// A model, its data and its training state.
#[derive(Debug, Clone)]
pub struct Trainer {
    config: Config,
    data: DataSet,
    model: Rnn,
    learning_rate: f64,
    epoch: usize,
    examples_seen: usize,
    history: Vec<LossRecord>,
    backprop: Backprop,
}

impl Trainer {
    /// The notebook's sequencing: seed the data seed, draw the data set; seed the model seed
    /// (unless it is `None`), draw U, V, W; evaluate the starting loss.
    pub fn new(config: Config) -> Result<Trainer> {
        config.validate()?;
        let mut rng = NumpyRng::new(config.data_seed as u64)?;
        let data = DataSet::generate(&mut rng, config.n_samples, config.n_digits, config.layout)?;
        if let Some(seed) = config.model_seed {
            rng.reseed(seed);
        }
        let model = Rnn::init(config.layout.input_dim(), crate::data::N_CLASSES, config.hidden_dim, &mut rng);
        Trainer::from_parts(config, data, model)
    }

    /// A trainer over given data and weights, at epoch 0, with the starting loss evaluated.
    pub fn from_parts(config: Config, data: DataSet, model: Rnn) -> Result<Trainer> {
        let state = TrainingState { epoch: 0, examples_seen: 0, learning_rate: config.learning_rate, history: Vec::new() };
        let mut t = Trainer::resume(config, data, model, state)?;
        t.record_evaluation();
        Ok(t)
    }

    /// A trainer continuing from a saved state.
    pub fn resume(config: Config, data: DataSet, model: Rnn, state: TrainingState) -> Result<Trainer> {
        config.validate()?;
        if data.len() != config.n_samples || data.n_digits != config.n_digits || data.layout != config.layout {
            return Err(Error::Config("the data set does not match the settings".into()));
        }
        let expect = [
            ("U", model.u.dim(), (config.hidden_dim, config.layout.input_dim())),
            ("V", model.v.dim(), (crate::data::N_CLASSES, config.hidden_dim)),
            ("W", model.w.dim(), (config.hidden_dim, config.hidden_dim)),
        ];
        for (name, got, want) in expect {
            if got != want {
                return Err(Error::Model(format!("{name} is {}x{} but the settings need {}x{}", got.0, got.1, want.0, want.1)));
            }
        }
        let learning_rate = check_learning_rate(state.learning_rate)?;
        let backprop = Backprop::new(&model);
        let TrainingState { epoch, examples_seen, history, .. } = state;
        Ok(Trainer { config, data, model, learning_rate, epoch, examples_seen, history, backprop })
    }

    /// Where training stands, without the data and weights.
    pub fn state(&self) -> TrainingState {
        TrainingState {
            epoch: self.epoch,
            examples_seen: self.examples_seen,
            learning_rate: self.learning_rate,
            history: self.history.clone(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn data(&self) -> &DataSet {
        &self.data
    }

    pub fn model(&self) -> &Rnn {
        &self.model
    }

    pub fn learning_rate(&self) -> f64 {
        self.learning_rate
    }

    /// Changes the rate from now on (the halving rule keeps applying to it).
    pub fn set_learning_rate(&mut self, lr: f64) -> Result<()> {
        self.learning_rate = check_learning_rate(lr)?;
        Ok(())
    }

    pub fn epoch(&self) -> usize {
        self.epoch
    }

    pub fn examples_seen(&self) -> usize {
        self.examples_seen
    }

    /// Every loss evaluation so far, the starting one first.
    pub fn history(&self) -> &[LossRecord] {
        &self.history
    }

    /// One SGD step on one example (the notebook's `sgd_step`).
    pub fn sgd_step(&mut self, x: &[usize], y: &[usize]) {
        sgd_step(&mut self.model, &mut self.backprop, x, y, self.learning_rate, self.config.bptt_truncate);
        self.examples_seen += 1;
    }

    /// One pass over the examples in order, then the loss evaluation and learning-rate rule when
    /// this epoch's number is a multiple of `evaluate_loss_after`.
    pub fn train_epoch(&mut self) -> EpochReport {
        let Trainer { data, model, backprop, learning_rate, config, .. } = self;
        for (x, y) in data.examples() {
            sgd_step(model, backprop, x, y, *learning_rate, config.bptt_truncate);
        }
        self.examples_seen += self.data.len();
        self.epoch += 1;
        let evaluated = self.epoch.is_multiple_of(self.config.evaluate_loss_after);
        if evaluated {
            self.record_evaluation();
        }
        EpochReport {
            epoch: self.epoch,
            examples_seen: self.examples_seen,
            evaluated,
            latest: *self.history.last().expect("the starting loss is always recorded"),
            learning_rate: self.learning_rate,
        }
    }

    /// Loss and accuracies on the training examples now.
    pub fn evaluate(&self) -> Evaluation {
        evaluate(&self.model, &self.data)
    }

    fn record_evaluation(&mut self) {
        let evaluation = self.evaluate();
        let halved = self.history.last().is_some_and(|prev| evaluation.loss > prev.evaluation.loss);
        if halved {
            self.learning_rate *= 0.5;
        }
        self.history.push(LossRecord {
            epoch: self.epoch,
            examples_seen: self.examples_seen,
            evaluation,
            learning_rate: self.learning_rate,
            halved,
        });
    }
}

/// Mean loss per digit, digit accuracy and exact-sum accuracy of `model` on `data`.
pub fn evaluate(model: &Rnn, data: &DataSet) -> Evaluation {
    let mut trace = Trace::new(data.steps, model.hidden_dim(), model.output_dim());
    let (mut total, mut right_digits, mut exact) = (0.0, 0usize, 0usize);
    for (x, y) in data.examples() {
        model.forward_into(x, &mut trace);
        total += Rnn::sequence_loss(&trace, y);
        let right = y.iter().enumerate().filter(|&(t, &d)| argmax(trace.output(t)) == d).count();
        right_digits += right;
        exact += usize::from(right == y.len());
    }
    let digits = (data.len() * data.steps) as f64;
    Evaluation {
        loss: total / digits,
        digit_accuracy: right_digits as f64 / digits,
        exact_accuracy: exact as f64 / data.len() as f64,
    }
}
