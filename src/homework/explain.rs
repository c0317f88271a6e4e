//! Homework's explain mode: a tiny case (T 3, H 4) put through the notebook's `bptt` loop one
//! output at a time, keeping every δ it computes. The page runs the student's code on the same
//! case once per output, with the other outputs' errors made zero, and reads the student's δ at
//! each step from the column of dLdU that step adds to (the case's steps switch on different
//! columns): so it can say at which step of which output the student's δ first parts from this.

use super::hot;
use crate::bptt::Gradients;
use crate::data::N_CLASSES;
use crate::kernels::{mat_t_vec_add, outer_add, output_delta_in_place};
use crate::layout::Shape;
use crate::model::Rnn;
use crate::rng::NumpyRng;
use ndarray::{Array1, ArrayView1, ArrayView2};
use serde::Serialize;

/// The tiny case's size: three steps, four hidden units.
pub const STEPS: usize = 3;
pub const HIDDEN: usize = 4;
/// Its weights: the notebook's initialisation, from this seed.
const SEED: u64 = 3;
/// Its targets.
const TARGETS: [usize; STEPS] = [4, 9, 0];

/// One δ of the loop: the error at hidden state `step` of the output being carried back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepDelta {
    pub step: usize,
    pub delta: Vec<f64>,
}

/// One output's pass of the loop: its δ at each step it reaches (from `output` back to the
/// truncation window's first step), and the gradients of that output's loss alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputTrace {
    pub output: usize,
    pub deltas: Vec<StepDelta>,
    #[serde(skip)]
    pub grads: Gradients,
}

/// The tiny case and its loop, the outputs in the notebook's order (the last first).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub x: Vec<usize>,
    pub hot: Vec<Vec<usize>>,
    pub y: Vec<usize>,
    pub bptt_truncate: usize,
    #[serde(skip)]
    pub model: Rnn,
    /// Written to JS with their gradients by the facade.
    #[serde(skip)]
    pub outputs: Vec<OutputTrace>,
}

/// The tiny case in `shape`'s layout (its input columns), carried back `bptt_truncate` steps as the run is.
pub fn explain(shape: Shape, bptt_truncate: usize) -> Explanation {
    let input_dim = shape.input_dim();
    // three symbols whose columns differ, so each step's δ lands in columns of its own
    let x: Vec<usize> = if input_dim == N_CLASSES { vec![3, 7, 1] } else { vec![35, 72, 18] };
    let mut rng = NumpyRng::new(SEED).expect("a fixed seed");
    let model = Rnn::init(input_dim, N_CLASSES, HIDDEN, &mut rng);
    let hot = hot(&x, &model);
    let trace = model.forward(&x);
    let y = TARGETS.to_vec();
    let outputs = (0..STEPS)
        .rev()
        .map(|t| {
            let mut grads = Gradients::zeros_like(&model);
            let mut delta_o = trace.output(t).to_owned();
            output_delta_in_place(delta_o.view_mut(), y[t]);
            outer_add(delta_o.view(), trace.state(t), grads.dv.view_mut());
            // δ_t = Vᵀ δ_o ∘ (1 − s_t²), then one step back δ ← Wᵀ δ ∘ (1 − s_{k−1}²)
            let mut delta = back_through(model.v.view(), delta_o.view(), trace.state(t));
            let mut deltas = Vec::new();
            for step in (t.saturating_sub(bptt_truncate)..=t).rev() {
                outer_add(delta.view(), trace.previous_state(step), grads.dw.view_mut());
                for &j in &hot[step] {
                    let mut column = grads.du.column_mut(j);
                    column += &delta;
                }
                deltas.push(StepDelta { step, delta: delta.to_vec() });
                delta = back_through(model.w.view(), delta.view(), trace.previous_state(step));
            }
            OutputTrace { output: t, deltas, grads }
        })
        .collect();
    Explanation { x, hot, y, bptt_truncate, model, outputs }
}

/// Mᵀ g ∘ (1 − s²): an error carried back through M and the tanh that made s, by the kernels'
/// loop (ndarray's general `dot` would add its own code to the module for this one use).
fn back_through(m: ArrayView2<'_, f64>, g: ArrayView1<'_, f64>, s: ArrayView1<'_, f64>) -> Array1<f64> {
    let mut out = Array1::zeros(m.ncols());
    mat_t_vec_add(m, g, out.view_mut());
    out.zip_mut_with(&s, |o, si| *o *= 1.0 - si * si);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bptt::Backprop;
    use crate::layout::Layout;
    use ndarray::Array2;

    fn close(a: &Array2<f64>, b: &Array2<f64>) -> bool {
        a.dim() == b.dim() && a.iter().zip(b).all(|(p, q)| (p - q).abs() <= 1e-12 * (1.0 + q.abs()))
    }

    /// The outputs' gradients add up to the core's bptt, in both layouts and at every truncation.
    #[test]
    fn the_outputs_add_up_to_the_cores_bptt() {
        for layout in [Layout::Notebook, Layout::Aligned] {
            let shape = layout.digits(7);
            for truncate in 0..4 {
                let e = explain(shape, truncate);
                let want = Backprop::new(&e.model).gradients(&e.model, &e.x, &e.y, truncate).clone();
                let mut sum = Gradients::zeros_like(&e.model);
                for o in &e.outputs {
                    sum.du += &o.grads.du;
                    sum.dv += &o.grads.dv;
                    sum.dw += &o.grads.dw;
                }
                assert!(close(&sum.du, &want.du) && close(&sum.dv, &want.dv) && close(&sum.dw, &want.dw), "{layout:?} truncate {truncate}");
            }
        }
    }

    /// The loop's shape: the last output first, each from its own step back through the window;
    /// every step's columns its own, and each holds exactly that step's δ.
    #[test]
    fn each_step_delta_is_in_its_own_columns_of_du() {
        let e = explain(Layout::Aligned.digits(7), 1);
        assert_eq!(e.hot, vec![vec![3, 15], vec![7, 12], vec![1, 18]]);
        let steps: Vec<Vec<usize>> = e.outputs.iter().map(|o| o.deltas.iter().map(|d| d.step).collect()).collect();
        assert_eq!(steps, vec![vec![2, 1], vec![1, 0], vec![0]]);
        assert_eq!(e.outputs.iter().map(|o| o.output).collect::<Vec<_>>(), vec![2, 1, 0]);
        for o in &e.outputs {
            for d in &o.deltas {
                for &j in &e.hot[d.step] {
                    assert_eq!(o.grads.du.column(j).to_vec(), d.delta);
                }
            }
            let touched = o.deltas.iter().flat_map(|d| e.hot[d.step].clone()).collect::<Vec<_>>();
            for j in (0..20).filter(|j| !touched.contains(j)) {
                assert!(o.grads.du.column(j).iter().all(|&v| v == 0.0));
            }
        }
        assert_eq!(e.outputs[0].deltas[0].delta.len(), HIDDEN);
    }
}
