//! The update rules after the notebook's plain SGD: momentum and Adam, with optional clipping of
//! the gradient's global norm. Their state (velocities, moments, step count) is saved with a run
//! so that a loaded run resumes exactly.

use crate::bptt::Gradients;
use crate::config::{Config, Optimizer};
use crate::error::{Error, Result};
use crate::model::Rnn;
use ndarray::{Array2, Zip};

/// What an update rule carries from step to step.
#[derive(Debug, Clone, PartialEq)]
pub struct OptimizerState {
    /// Updates made.
    pub step: u64,
    /// Shaped like the weights: none for SGD, the velocity for momentum, the first and second
    /// moments for Adam.
    pub moments: Vec<Gradients>,
}

fn parts(g: &Gradients) -> [&Array2<f64>; 3] {
    [&g.du, &g.dv, &g.dw]
}

fn parts_mut(g: &mut Gradients) -> [&mut Array2<f64>; 3] {
    [&mut g.du, &mut g.dv, &mut g.dw]
}

fn weights_mut(m: &mut Rnn) -> [&mut Array2<f64>; 3] {
    [&mut m.u, &mut m.v, &mut m.w]
}

impl OptimizerState {
    /// The state before the first update: zero moments.
    pub fn new(optimizer: Optimizer, model: &Rnn) -> OptimizerState {
        OptimizerState { step: 0, moments: (0..optimizer.moments()).map(|_| Gradients::zeros_like(model)).collect() }
    }

    /// Whether a saved state fits the optimizer and the weights.
    pub fn check(&self, optimizer: Optimizer, model: &Rnn) -> Result<()> {
        let want = optimizer.moments();
        if self.moments.len() != want {
            return Err(Error::Model(format!("the {} optimizer keeps {want} moments but the file holds {}", optimizer.name(), self.moments.len())));
        }
        let shapes = Gradients::zeros_like(model);
        for m in &self.moments {
            for (name, a, b) in [("U", &m.du, &shapes.du), ("V", &m.dv, &shapes.dv), ("W", &m.dw, &shapes.dw)] {
                if a.dim() != b.dim() {
                    return Err(Error::Model(format!(
                        "an optimizer moment of {name} is {}x{} but the weights are {}x{}",
                        a.nrows(),
                        a.ncols(),
                        b.nrows(),
                        b.ncols()
                    )));
                }
                if !a.iter().all(|v| v.is_finite()) {
                    return Err(Error::Model("an optimizer moment holds a value that is not a finite number".into()));
                }
            }
        }
        if optimizer == Optimizer::Adam && self.moments[1].du.iter().chain(self.moments[1].dv.iter()).chain(self.moments[1].dw.iter()).any(|&v| v < 0.0) {
            return Err(Error::Model("Adam's second moment holds a negative value".into()));
        }
        Ok(())
    }

    /// One update of `model` by the gradient `g` at rate `lr`, by the config's rule:
    /// SGD W -= lr g; momentum v = μ v + g, W -= lr v; Adam m = β1 m + (1 − β1) g,
    /// v = β2 v + (1 − β2) g², W -= lr m̂ / (√v̂ + ε) with m̂, v̂ bias-corrected by 1 − β^step.
    pub fn update(&mut self, config: &Config, lr: f64, model: &mut Rnn, g: &Gradients) {
        self.step += 1;
        match config.optimizer {
            Optimizer::Sgd => {
                for (w, g) in weights_mut(model).into_iter().zip(parts(g)) {
                    w.scaled_add(-lr, g);
                }
            }
            Optimizer::Momentum => {
                let mu = config.momentum;
                for ((w, v), g) in weights_mut(model).into_iter().zip(parts_mut(&mut self.moments[0])).zip(parts(g)) {
                    Zip::from(w).and(v).and(g).for_each(|w, v, &g| {
                        *v = mu * *v + g;
                        *w -= lr * *v;
                    });
                }
            }
            Optimizer::Adam => {
                let (b1, b2, eps) = (config.beta1, config.beta2, config.epsilon);
                let (c1, c2) = (1.0 - b1.powf(self.step as f64), 1.0 - b2.powf(self.step as f64));
                let [first, second] = &mut self.moments[..] else { unreachable!("Adam keeps two moments") };
                for (((w, m), v), g) in weights_mut(model).into_iter().zip(parts_mut(first)).zip(parts_mut(second)).zip(parts(g)) {
                    Zip::from(w).and(m).and(v).and(g).for_each(|w, m, v, &g| {
                        *m = b1 * *m + (1.0 - b1) * g;
                        *v = b2 * *v + (1.0 - b2) * g * g;
                        *w -= lr * (*m / c1) / ((*v / c2).sqrt() + eps);
                    });
                }
            }
        }
    }
}

/// Scales `g` down so that its global norm (U, V and W together) is at most `max`; returns the
/// norm it had.
pub fn clip_global_norm(g: &mut Gradients, max: f64) -> f64 {
    let norm = parts(g).iter().map(|a| a.iter().map(|v| v * v).sum::<f64>()).sum::<f64>().sqrt();
    if norm > max {
        for a in parts_mut(g) {
            a.mapv_inplace(|v| v * (max / norm));
        }
    }
    norm
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::arr2;

    fn tiny() -> (Rnn, Gradients) {
        let model = Rnn { u: arr2(&[[1.0]]), v: arr2(&[[2.0]]), w: arr2(&[[0.5]]) };
        let g = Gradients { du: arr2(&[[0.1]]), dv: arr2(&[[-0.2]]), dw: arr2(&[[0.4]]) };
        (model, g)
    }

    fn run(optimizer: Optimizer, gradients: &[f64]) -> f64 {
        let config = Config { optimizer, ..Config::default() };
        let (mut model, mut g) = tiny();
        let mut state = OptimizerState::new(optimizer, &model);
        for &du in gradients {
            g.du[[0, 0]] = du;
            state.update(&config, 0.1, &mut model, &g);
        }
        assert_eq!(state.step, gradients.len() as u64);
        model.u[[0, 0]]
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
        let (_, mut g) = tiny();
        g.du[[0, 0]] = 0.0;
        g.dv[[0, 0]] = 3.0;
        g.dw[[0, 0]] = -4.0;
        assert_eq!(clip_global_norm(&mut g, 1.0), 5.0);
        assert!((g.dv[[0, 0]] - 0.6).abs() < 1e-15 && (g.dw[[0, 0]] + 0.8).abs() < 1e-15);
        let before = g.clone();
        assert!((clip_global_norm(&mut g, 10.0) - 1.0).abs() < 1e-15);
        assert_eq!(g, before, "a gradient within the bound is left alone");
    }
}
