//! How far back gradients reach: for one sequence, the size of dE_t/ds_k, the error at output
//! step t flowing back into the hidden state of step k, from the exact (untruncated) chain rule;
//! and W's largest singular value, which bounds how much one step back can grow it.
//!
//! dE_t/ds_t = Vᵀ (o_t − y_t), and one step back dE_t/ds_{k−1} = Wᵀ ((1 − s_k²) ∘ dE_t/ds_k).
//! All outputs t ≥ k are carried back together, as the rows of one matrix G: then a step back
//! is G ← (G ∘ (1 − s_k²)) W, one matrix product.

use crate::data::NO_TARGET;
use crate::kernels::{mat_mul, mat_t_vec_add, mat_vec, output_delta_in_place};
use crate::model::Rnn;
use ndarray::{s, Array1, Array2, Axis};
use serde::Serialize;

/// ‖dE_t/ds_k‖ for one sequence: `values` is T x T, row t the output step, column k the hidden
/// state, zero above the diagonal (E_t does not depend on later states).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GradientFlow {
    pub steps: usize,
    #[serde(skip)]
    pub values: Array2<f64>,
    /// decay[j]: the mean over t ≥ j of ‖dE_t/ds_{t−j}‖, how the size falls j steps back.
    #[serde(skip)]
    pub decay: Vec<f64>,
}

/// The gradient flow of the sequence (x, y) at the model's weights.
pub fn gradient_flow(model: &Rnn, x: &[usize], y: &[usize]) -> GradientFlow {
    assert_eq!(x.len(), y.len(), "one target per input step");
    let trace = model.forward(x);
    let steps = x.len();
    // row t: dE_t/do_t's logits, o_t − y_t (softmax and cross-entropy)
    let mut delta_o = trace.outputs.clone();
    for (mut row, &d) in delta_o.rows_mut().into_iter().zip(y) {
        if d == NO_TARGET {
            row.fill(0.0); // no error at a step with no target
        } else {
            output_delta_in_place(row, d);
        }
    }
    let mut carried = Array2::<f64>::zeros((steps, model.hidden_dim()));
    let mut values = Array2::<f64>::zeros((steps, steps));
    for k in (0..steps).rev() {
        // E_k reaches s_k directly; the rows below it were carried back from k + 1
        let mut direct = carried.row_mut(k);
        direct.fill(0.0);
        mat_t_vec_add(model.v.view(), delta_o.row(k), direct);
        let reached = carried.slice(s![k.., ..]);
        for (t, row) in (k..steps).zip(reached.outer_iter()) {
            values[[t, k]] = row.dot(&row).sqrt();
        }
        if k > 0 {
            let derivative = trace.state(k).mapv(|s| 1.0 - s * s);
            let scaled = &reached * &derivative.insert_axis(Axis(0));
            mat_mul(scaled.view(), model.w.view(), 0.0, carried.slice_mut(s![k.., ..]));
        }
    }
    let decay = (0..steps).map(|j| (j..steps).map(|t| values[[t, t - j]]).sum::<f64>() / (steps - j) as f64).collect();
    GradientFlow { steps, values, decay }
}

/// Most power iterations one estimate of W's largest singular value takes...
const MAX_ITERATIONS: usize = 2000;
/// ...and most multiply-adds (about 15 ms in wasm), so that a large W never holds the worker up:
/// the estimate then goes on converging from its kept vector at the next call.
const MAX_WORK: usize = 20_000_000;
/// Relative change in the estimate at which the iteration stops.
const TOLERANCE: f64 = 1e-10;

/// The largest singular value of `w` (its spectral norm), by power iteration on WᵀW from
/// `start`, which is left holding the top right singular vector: the next call, a few SGD steps
/// later, starts close to it and takes a few iterations. A `start` of the wrong size or zero is
/// replaced by a fixed one.
pub fn largest_singular_value(w: &Array2<f64>, start: &mut Array1<f64>) -> f64 {
    let n = w.ncols();
    if start.len() != n || !start.iter().any(|v| *v != 0.0) || !start.iter().all(|v| v.is_finite()) {
        *start = Array1::from_elem(n, 1.0 / (n as f64).sqrt());
    }
    let mut image = Array1::<f64>::zeros(w.nrows());
    let mut sigma = 0.0;
    let iterations = (MAX_WORK / (2 * w.len()).max(1)).clamp(20, MAX_ITERATIONS);
    for _ in 0..iterations {
        image.fill(0.0);
        mat_vec(w.view(), start.view(), image.view_mut());
        let next = image.dot(&image).sqrt(); // ‖W v‖ with ‖v‖ = 1: a lower bound that rises to σ
        if next == 0.0 || !next.is_finite() {
            return next;
        }
        start.fill(0.0);
        mat_t_vec_add(w.view(), image.view(), start.view_mut());
        let norm = start.dot(start).sqrt();
        *start /= norm;
        let done = (next - sigma).abs() <= TOLERANCE * next;
        sigma = next;
        if done {
            break;
        }
    }
    sigma
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::NumpyRng;
    use ndarray::array;

    #[test]
    fn the_singular_value_of_a_known_matrix() {
        // [[3, 0], [4, 5]] has singular values 3√5 and √5
        let w = array![[3.0, 0.0], [4.0, 5.0]];
        let mut start = Array1::zeros(0);
        assert!((largest_singular_value(&w, &mut start) - 45f64.sqrt()).abs() < 1e-9);
        assert!((largest_singular_value(&Array2::zeros((3, 3)), &mut start)).abs() == 0.0);
    }

    #[test]
    fn zeros_above_the_diagonal_and_the_direct_term_on_it() {
        let mut rng = NumpyRng::new(5).unwrap();
        let model = Rnn::init(10, 10, 12, &mut rng);
        let (x, y) = ([3, 1, 4, 1, 5, 9], [2, 6, 5, 3, 5, 8]);
        let flow = gradient_flow(&model, &x, &y);
        let trace = model.forward(&x);
        for t in 0..6 {
            assert!(flow.values.row(t).slice(s![t + 1..]).iter().all(|v| *v == 0.0));
            let mut d = trace.output(t).to_owned();
            d[y[t]] -= 1.0;
            let direct = model.v.t().dot(&d);
            assert!((flow.values[[t, t]] - direct.dot(&direct).sqrt()).abs() < 1e-15);
            assert!(flow.values[[t, 0]] > 0.0);
        }
        assert_eq!(flow.decay[5], flow.values[[5, 0]]);
        assert_eq!(flow.decay[0], (0..6).map(|t| flow.values[[t, t]]).sum::<f64>() / 6.0);
    }
}
