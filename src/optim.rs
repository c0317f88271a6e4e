//! The update rules after the notebook's plain SGD: momentum and Adam, with optional clipping of
//! the gradient's global norm. Their state (velocities, moments, step count) is saved with a run
//! so that a loaded run resumes exactly. They see a model's parameters as flat slices, in the
//! order `Model::parameters` gives them, so every cell updates the same way.

use crate::cells::{shape_text, Model};
use crate::config::{Config, Optimizer};
use crate::error::{Error, Result};

/// What an update rule carries from step to step.
#[derive(Debug, Clone, PartialEq)]
pub struct OptimizerState {
    /// Updates made.
    pub step: u64,
    /// None for SGD, the velocity for momentum, the first and second moments for Adam: each one
    /// array per parameter, shaped (flat) like it.
    pub moments: Vec<Vec<Vec<f64>>>,
}

impl OptimizerState {
    /// The state before the first update: zero moments.
    pub fn new(optimizer: Optimizer, model: &Model) -> OptimizerState {
        let zeros = || model.parameters().iter().map(|p| vec![0.0; p.values.len()]).collect();
        OptimizerState { step: 0, moments: (0..optimizer.moments()).map(|_| zeros()).collect() }
    }

    /// Whether a saved state fits the optimizer and the weights.
    pub fn check(&self, optimizer: Optimizer, model: &Model) -> Result<()> {
        let want = optimizer.moments();
        if self.moments.len() != want {
            return Err(Error::Model(format!("the {} optimizer keeps {want} moments but the file holds {}", optimizer.name(), self.moments.len())));
        }
        let parameters = model.parameters();
        for m in &self.moments {
            if m.len() != parameters.len() {
                return Err(Error::Model(format!("an optimizer moment holds {} arrays but the model has {} parameters", m.len(), parameters.len())));
            }
            for (a, p) in m.iter().zip(&parameters) {
                if a.len() != p.values.len() {
                    return Err(Error::Model(format!(
                        "an optimizer moment of {} holds {} numbers but the weights are {}",
                        p.name,
                        a.len(),
                        shape_text(&p.shape)
                    )));
                }
                if !a.iter().all(|v| v.is_finite()) {
                    return Err(Error::Model("an optimizer moment holds a value that is not a finite number".into()));
                }
            }
        }
        if optimizer == Optimizer::Adam && self.moments[1].iter().flatten().any(|&v| v < 0.0) {
            return Err(Error::Model("Adam's second moment holds a negative value".into()));
        }
        Ok(())
    }

    /// One update of the parameters `weights` by the gradient `g` (one slice each, in the same
    /// order) at rate `lr`, by the config's rule: SGD W -= lr g; momentum v = μ v + g, W -= lr v;
    /// Adam m = β1 m + (1 − β1) g, v = β2 v + (1 − β2) g², W -= lr m̂ / (√v̂ + ε) with m̂, v̂
    /// bias-corrected by 1 − β^step.
    pub fn update(&mut self, config: &Config, lr: f64, weights: Vec<&mut [f64]>, g: &[&mut [f64]]) {
        self.step += 1;
        match config.optimizer {
            Optimizer::Sgd => {
                for (w, g) in weights.into_iter().zip(g) {
                    for (w, g) in w.iter_mut().zip(g.iter()) {
                        *w -= lr * g;
                    }
                }
            }
            Optimizer::Momentum => {
                let mu = config.momentum;
                for ((w, v), g) in weights.into_iter().zip(&mut self.moments[0]).zip(g) {
                    for ((w, v), &g) in w.iter_mut().zip(v.iter_mut()).zip(g.iter()) {
                        *v = mu * *v + g;
                        *w -= lr * *v;
                    }
                }
            }
            Optimizer::Adam => {
                let (b1, b2, eps) = (config.beta1, config.beta2, config.epsilon);
                let (c1, c2) = (1.0 - b1.powf(self.step as f64), 1.0 - b2.powf(self.step as f64));
                let [first, second] = &mut self.moments[..] else { unreachable!("Adam keeps two moments") };
                for (((w, m), v), g) in weights.into_iter().zip(first).zip(second).zip(g) {
                    for (((w, m), v), &g) in w.iter_mut().zip(m.iter_mut()).zip(v.iter_mut()).zip(g.iter()) {
                        *m = b1 * *m + (1.0 - b1) * g;
                        *v = b2 * *v + (1.0 - b2) * g * g;
                        *w -= lr * (*m / c1) / ((*v / c2).sqrt() + eps);
                    }
                }
            }
        }
    }
}

/// Scales `g` down so that its global norm (every parameter together) is at most `max`;
/// returns the norm it had.
pub fn clip_global_norm(g: &mut [&mut [f64]], max: f64) -> f64 {
    let norm = g.iter().map(|a| a.iter().map(|v| v * v).sum::<f64>()).sum::<f64>().sqrt();
    if norm > max {
        for a in g.iter_mut() {
            a.iter_mut().for_each(|v| *v *= max / norm);
        }
    }
    norm
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rnn;
    use ndarray::arr2;

    fn tiny() -> Model {
        Model::Vanilla(Rnn { u: arr2(&[[1.0]]), v: arr2(&[[2.0]]), w: arr2(&[[0.5]]) })
    }

    fn run(optimizer: Optimizer, gradients: &[f64]) -> f64 {
        let config = Config { optimizer, ..Config::default() };
        let mut model = tiny();
        let mut state = OptimizerState::new(optimizer, &model);
        for &du in gradients {
            let (mut gu, mut gv, mut gw) = ([du], [-0.2], [0.4]);
            state.update(&config, 0.1, model.parameters_mut(), &[&mut gu, &mut gv, &mut gw]);
        }
        assert_eq!(state.step, gradients.len() as u64);
        model.parameters()[0].values[0]
    }

    #[test]
    fn each_rule_takes_the_hand_computed_steps() {
        assert_eq!(run(Optimizer::Sgd, &[0.1, 0.3]), 1.0 - 0.01 - 0.03);
        // v = 0.1 then 0.9 * 0.1 + 0.3 = 0.39
        assert!((run(Optimizer::Momentum, &[0.1, 0.3]) - (1.0 - 0.01 - 0.039)).abs() < 1e-15);
        // step 1: m̂ = g, v̂ = g², so W moves by lr g / (|g| + ε); step 2 from Python's floats
        assert!((run(Optimizer::Adam, &[0.1]) - 0.900000009999999).abs() < 1e-15);
        assert!((run(Optimizer::Adam, &[0.1, 0.3]) - 0.8082219022055899).abs() < 1e-15);
    }

    #[test]
    fn clipping_scales_the_whole_gradient() {
        let (mut du, mut dv, mut dw) = ([0.0], [3.0], [-4.0]);
        let mut g = [&mut du[..], &mut dv[..], &mut dw[..]];
        assert_eq!(clip_global_norm(&mut g, 1.0), 5.0);
        assert!((g[1][0] - 0.6).abs() < 1e-15 && (g[2][0] + 0.8).abs() < 1e-15);
        let before: Vec<f64> = g.iter().map(|a| a[0]).collect();
        assert!((clip_global_norm(&mut g, 10.0) - 1.0).abs() < 1e-15);
        assert_eq!(g.iter().map(|a| a[0]).collect::<Vec<_>>(), before, "a gradient within the bound is left alone");
    }
}
