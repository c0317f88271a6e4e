//! Homework mode: the student writes the notebook's `bptt` in the page, and the core supplies the
//! rest. [`gradients`] gives the core's own gradients on one example (for the page's check, which
//! never hands them to the student's code); [`Homework`] trains an epoch with gradients given from
//! outside: the core picks the examples in order, does the update `W -= lr·dW` with the run's rate,
//! and at the epoch's end the loss evaluation and the halving rule, exactly as normal training
//! counts them, so the run's history and checkpoints go on as if the core had trained it.

mod explain;

pub use explain::{explain, Explanation, OutputTrace, StepDelta};

use crate::bptt::{notebook_bptt, Gradients};
use crate::cells::Model;
use crate::error::{Error, Result};
use crate::layout::{hot_columns, Layout};
use crate::model::Rnn;
use crate::train::{divergence, EpochReport, Trainer};
use ndarray::Array2;
use serde::Serialize;

/// One example and the core's gradients on it, with the weights now and the run's truncation.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub example: usize,
    pub x: Vec<usize>,
    /// The columns of U each step's input switches on (see [`hot_columns`]).
    pub hot: Vec<Vec<usize>>,
    pub y: Vec<usize>,
    pub bptt_truncate: usize,
    pub grads: Gradients,
}

/// The core's gradients (the notebook's `bptt` at the run's truncation) on training example
/// `example`, at the weights now.
pub fn gradients(trainer: &Trainer, example: usize) -> Result<Problem> {
    check_example(trainer, example)?;
    let model = notebook_cell(trainer, trainer.model())?;
    let (x, y) = trainer.data().example(example);
    let bptt_truncate = trainer.config().bptt_truncate;
    let grads = notebook_bptt(model, x, y, bptt_truncate);
    Ok(Problem { example, x: x.to_vec(), hot: hot(x, model), y: y.to_vec(), bptt_truncate, grads })
}

/// The run's weights as the notebook's cell, or why homework cannot use them: it is the
/// notebook's `bptt` for its RNN, with a target at every step.
fn notebook_cell<'a>(trainer: &Trainer, model: &'a Model) -> Result<&'a Rnn> {
    let c = trainer.config();
    let Some(rnn) = model.vanilla() else {
        return Err(Error::Input(format!(
            "homework is the notebook's bptt for its vanilla RNN; this run's cell is {}: set the cell to vanilla to do it",
            c.cell.name()
        )));
    };
    if c.layout == Layout::Delayed {
        return Err(Error::Input(
            "homework needs a target at every step; the delayed layout has none while it reads a or a blank step: choose another layout".into(),
        ));
    }
    Ok(rnn)
}

/// The hot columns of U at each step: `[x_t]` for the notebook's one-hot digit, `[a_i, 10 + b_i]`
/// for the aligned layout's pair, so a student's `dU[:, j] += δ_t` for each j works in any layout.
fn hot(x: &[usize], model: &Rnn) -> Vec<Vec<usize>> {
    x.iter().map(|&s| hot_columns(s, model.u.ncols()).collect()).collect()
}

fn check_example(trainer: &Trainer, example: usize) -> Result<()> {
    let n = trainer.data().len();
    if example >= n {
        return Err(Error::Input(format!("example must be from 0 to {}, got {example}", n - 1)));
    }
    Ok(())
}

/// A matrix given from outside: its claimed shape and its values, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct GivenMatrix {
    pub rows: usize,
    pub cols: usize,
    pub values: Vec<f64>,
}

/// The next example an epoch trained with given gradients wants, and the weights to compute them at.
#[derive(Debug, Clone, PartialEq)]
pub struct Next<'a> {
    pub example: usize,
    pub total: usize,
    pub x: &'a [usize],
    /// The columns of U each step's input switches on.
    pub hot: Vec<Vec<usize>>,
    pub y: &'a [usize],
    pub bptt_truncate: usize,
    pub model: &'a Rnn,
}

/// What one [`Homework::step`] did: `{ example, done, total, epoch }`, `epoch` the finished
/// epoch's report when this step ended one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stepped {
    pub example: usize,
    pub done: usize,
    pub total: usize,
    pub epoch: Option<EpochReport>,
}

#[derive(Debug, Clone, PartialEq)]
struct Epoch {
    /// The trainer's epoch this one continues from.
    after: usize,
    model: Rnn,
    next: usize,
}

/// An epoch trained with gradients from outside, one example at a time. It starts from the run's
/// last whole epoch; the trainer is replaced by the one it leads to only when it ends, so training
/// the normal way in between (which moves the run on) simply starts it afresh.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Homework {
    epoch: Option<Epoch>,
}

impl Homework {
    fn current(&mut self, trainer: &Trainer) -> Result<&mut Epoch> {
        let model = notebook_cell(trainer, trainer.epoch_start_model())?;
        if self.epoch.as_ref().is_some_and(|e| e.after != trainer.epoch()) {
            self.epoch = None;
        }
        Ok(self.epoch.get_or_insert_with(|| Epoch { after: trainer.epoch(), model: model.clone(), next: 0 }))
    }

    /// The example to compute gradients on next, and the weights to compute them at.
    pub fn next<'a>(&'a mut self, trainer: &'a Trainer) -> Result<Next<'a>> {
        if trainer.is_starting() {
            return Err(Error::Input("the model is still being prepared: one moment".into()));
        }
        let total = trainer.data().len();
        let epoch = self.current(trainer)?;
        let (x, y) = trainer.data().example(epoch.next);
        Ok(Next { example: epoch.next, total, x, hot: hot(x, &epoch.model), y, bptt_truncate: trainer.config().bptt_truncate, model: &epoch.model })
    }

    /// One SGD step on `example` (which must be the one [`Homework::next`] gives) with the given
    /// gradients: `U -= lr·dU`, `V -= lr·dV`, `W -= lr·dW` at the run's rate. Gradients of the
    /// wrong shape or holding a number that is not finite are refused and nothing changes. The
    /// last example of the epoch ends it: the loss is evaluated when due, the rate halved if it
    /// rose, and `trainer` replaced by the run one epoch on. An epoch that diverges is undone.
    pub fn step(&mut self, trainer: &mut Trainer, example: usize, du: GivenMatrix, dv: GivenMatrix, dw: GivenMatrix) -> Result<Stepped> {
        check_example(trainer, example)?;
        if trainer.is_starting() {
            return Err(Error::Input("the model is still being prepared: one moment".into()));
        }
        let lr = trainer.learning_rate();
        let total = trainer.data().len();
        let epoch = self.current(trainer)?;
        if example != epoch.next {
            return Err(Error::Input(format!("example {example} is not the next one of this epoch: train on example {} next", epoch.next)));
        }
        let du = matrix("dLdU", du, &epoch.model.u)?;
        let dv = matrix("dLdV", dv, &epoch.model.v)?;
        let dw = matrix("dLdW", dw, &epoch.model.w)?;
        let mut model = epoch.model.clone();
        for (param, grad) in [(&mut model.u, &du), (&mut model.v, &dv), (&mut model.w, &dw)] {
            param.scaled_add(-lr, grad);
        }
        if let Some(bad) = model.weight_out_of_range() {
            self.epoch = None;
            return Err(divergence(trainer.epoch(), trainer.learning_rate(), &bad.grown()));
        }
        epoch.model = model;
        epoch.next += 1;
        let done = epoch.next;
        if done < total {
            return Ok(Stepped { example, done, total, epoch: None });
        }
        let finished = self.epoch.take().expect("an epoch under way");
        let report = trainer.finish_epoch_with(Model::Vanilla(finished.model))?;
        Ok(Stepped { example, done, total, epoch: Some(report) })
    }
}

/// A given gradient as a matrix shaped like `like`, or why it cannot be one.
fn matrix(name: &str, given: GivenMatrix, like: &Array2<f64>) -> Result<Array2<f64>> {
    let (rows, cols) = like.dim();
    if (given.rows, given.cols) != (rows, cols) {
        return Err(Error::Input(format!("{name} must be {rows}x{cols}, got {}x{}", given.rows, given.cols)));
    }
    if given.values.len() != rows * cols {
        return Err(Error::Input(format!("{name} must hold {} numbers ({rows}x{cols}), got {}", rows * cols, given.values.len())));
    }
    if let Some(i) = given.values.iter().position(|v| !v.is_finite()) {
        return Err(Error::Input(format!("{name}[{}][{}] is {}, not a finite number", i / cols, i % cols, given.values[i])));
    }
    Ok(Array2::from_shape_vec((rows, cols), given.values).expect("the length was checked"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bptt::Backprop;
    use crate::config::Config;

    fn small() -> Trainer {
        Trainer::new(Config { n_samples: 6, hidden_dim: 5, n_digits: 2, bptt_truncate: 2, ..Config::default() }).unwrap()
    }

    fn given(a: &Array2<f64>) -> GivenMatrix {
        GivenMatrix { rows: a.nrows(), cols: a.ncols(), values: a.iter().copied().collect() }
    }

    /// One epoch through [`Homework`] with the core's own gradients.
    fn homework_epoch(trainer: &mut Trainer, hw: &mut Homework) -> Stepped {
        loop {
            let next = hw.next(trainer).unwrap();
            let (example, model) = (next.example, next.model.clone());
            let (x, y) = (next.x.to_vec(), next.y.to_vec());
            let g = Backprop::new(&model).gradients(&model, &x, &y, trainer.config().bptt_truncate).clone();
            let r = hw.step(trainer, example, given(&g.du), given(&g.dv), given(&g.dw)).unwrap();
            if r.epoch.is_some() {
                return r;
            }
        }
    }

    #[test]
    fn an_epoch_with_the_cores_gradients_is_the_cores_epoch() {
        let mut native = small();
        let mut given_run = small();
        let mut hw = Homework::default();
        for _ in 0..3 {
            let want = native.train_epoch().unwrap();
            let got = homework_epoch(&mut given_run, &mut hw);
            assert_eq!(got.epoch, Some(want));
            assert_eq!((got.done, got.total), (6, 6));
        }
        assert_eq!(given_run.model(), native.model());
        assert_eq!(given_run.state(), native.state());
    }

    #[test]
    fn gradients_are_the_notebooks_at_the_runs_truncation() {
        let t = small();
        let p = gradients(&t, 2).unwrap();
        let (x, y) = t.data().example(2);
        assert_eq!((p.x.as_slice(), p.y.as_slice(), p.bptt_truncate), (x, y, 2));
        assert_eq!(p.grads, notebook_bptt(t.model().vanilla().unwrap(), x, y, 2));
        assert_eq!(gradients(&t, 6).unwrap_err().message(), "example must be from 0 to 5, got 6");
    }

    #[test]
    fn bad_gradients_are_refused_and_change_nothing() {
        let mut t = small();
        let before = (t.model().clone(), t.state());
        let mut hw = Homework::default();
        let g = gradients(&t, 0).unwrap().grads;
        let wrong_shape = GivenMatrix { rows: 4, cols: 5, values: vec![0.0; 20] };
        let e = hw.step(&mut t, 0, given(&g.du), given(&g.dv), wrong_shape).unwrap_err();
        assert_eq!(e.message(), "dLdW must be 5x5, got 4x5");
        let short = GivenMatrix { rows: 5, cols: 5, values: vec![0.0; 24] };
        let e = hw.step(&mut t, 0, given(&g.du), given(&g.dv), short).unwrap_err();
        assert_eq!(e.message(), "dLdW must hold 25 numbers (5x5), got 24");
        let mut nan = given(&g.du);
        nan.values[7] = f64::NAN;
        let e = hw.step(&mut t, 0, nan, given(&g.dv), given(&g.dw)).unwrap_err();
        assert_eq!(e.message(), "dLdU[0][7] is NaN, not a finite number");
        let e = hw.step(&mut t, 1, given(&g.du), given(&g.dv), given(&g.dw)).unwrap_err();
        assert_eq!(e.message(), "example 1 is not the next one of this epoch: train on example 0 next");
        assert_eq!((t.model().clone(), t.state()), before);
        assert_eq!(hw.next(&t).unwrap().example, 0);
    }

    #[test]
    fn an_epoch_that_blows_up_is_undone() {
        let mut t = small();
        let before = (t.model().clone(), t.state());
        let mut hw = Homework::default();
        let huge =
            |a: &Array2<f64>| GivenMatrix { rows: a.nrows(), cols: a.ncols(), values: (0..a.len()).map(|i| if i % 3 == 0 { 1e300 } else { -1e299 }).collect() };
        let m = t.model().vanilla().unwrap().clone();
        // finite, but past what a forward pass can add up: the first step is undone already
        let e = hw.step(&mut t, 0, huge(&m.u), huge(&m.v), huge(&m.w)).unwrap_err();
        assert!(
            e.message().starts_with("Epoch 1 diverged at learning rate 0.005: U[0][0] = -5e+297 grew past ±1e+30.")
                && e.message().contains("The epoch was undone"),
            "{e}"
        );
        assert_eq!((t.model().clone(), t.state()), before);
        assert_eq!(hw.next(&t).unwrap().example, 0);
    }

    #[test]
    fn training_the_normal_way_in_between_starts_the_epoch_afresh() {
        let mut t = small();
        let mut hw = Homework::default();
        let g = gradients(&t, 0).unwrap().grads;
        hw.step(&mut t, 0, given(&g.du), given(&g.dv), given(&g.dw)).unwrap();
        assert_eq!(hw.next(&t).unwrap().example, 1);
        t.train_epoch().unwrap();
        let next = hw.next(&t).unwrap();
        assert_eq!(next.example, 0);
        assert_eq!(Some(next.model), t.model().vanilla());
    }
}
