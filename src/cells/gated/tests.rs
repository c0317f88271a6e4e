//! The gated cells' own checks: finite differences, batches against single sequences, single
//! precision against double, evaluation, steps without a target, initialisation. PyTorch's
//! values are checked in tests/gated.rs.

use super::*;
use crate::kernels::argmax;

/// A model and B sequences of `steps` random symbols and targets, some targets [`NO_TARGET`].
fn setup(gate: Gate, input_dim: usize, hidden: usize, b: usize, steps: usize, seed: u64) -> (Gated, Vec<usize>, Vec<usize>) {
    let mut rng = NumpyRng::new(seed).unwrap();
    let model = Gated::init(gate, input_dim, 10, hidden, &mut rng);
    let symbols = if input_dim == 20 { 100 } else { 10 };
    let x = (0..b * steps).map(|_| rng.randint(symbols) as usize).collect();
    let y = (0..b * steps).map(|_| if rng.randint(4) == 0 { NO_TARGET } else { rng.randint(10) as usize }).collect();
    (model, x, y)
}

const CELLS: [(Gate, usize); 4] = [(Gate::Gru, 10), (Gate::Gru, 20), (Gate::Lstm, 10), (Gate::Lstm, 20)];

fn params_mut(m: &mut Gated) -> [(&'static str, &mut [f64]); 5] {
    [
        ("weight_ih", m.weight_ih.as_slice_mut().unwrap()),
        ("weight_hh", m.weight_hh.as_slice_mut().unwrap()),
        ("bias_ih", m.bias_ih.as_slice_mut().unwrap()),
        ("bias_hh", m.bias_hh.as_slice_mut().unwrap()),
        ("V", m.v.as_slice_mut().unwrap()),
    ]
}

fn grads_of(g: &GatedGradients) -> [(&'static str, &[f64]); 5] {
    [
        ("weight_ih", g.d_weight_ih.as_slice().unwrap()),
        ("weight_hh", g.d_weight_hh.as_slice().unwrap()),
        ("bias_ih", g.d_bias_ih.as_slice().unwrap()),
        ("bias_hh", g.d_bias_hh.as_slice().unwrap()),
        ("V", g.dv.as_slice().unwrap()),
    ]
}

/// Every entry of `a` within `tol` of `b`'s, relative to the largest |entry| of `b`.
fn assert_grads_close(a: &GatedGradients, b: &GatedGradients, tol: f64, what: &str) {
    for ((name, p), (_, q)) in grads_of(a).into_iter().zip(grads_of(b)) {
        let scale = q.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        assert!(scale > 0.0, "{what} d{name}: not all zero");
        for (i, (x, y)) in p.iter().zip(q).enumerate() {
            assert!((x - y).abs() <= tol * scale, "{what} d{name}[{i}]: {x} vs {y} (largest {scale})");
        }
    }
}

fn loss(model: &Gated, x: &[usize], y: &[usize]) -> f64 {
    Gated::sequence_loss(&model.forward(x), y)
}

#[test]
fn full_gradients_are_the_loss_s_central_differences() {
    for (gate, c_in) in CELLS {
        let (model, x, mut y) = setup(gate, c_in, 4, 1, 6, 3);
        y[1] = NO_TARGET;
        let (l, grads) = model.gradients(&x, &y, 5);
        assert!((l - loss(&model, &x, &y)).abs() <= 1e-12 * l);
        let eps = 1e-5;
        let mut m = model.clone();
        for (p, (name, g)) in grads_of(&grads).into_iter().enumerate() {
            for (i, &want) in g.iter().enumerate() {
                let original = params_mut(&mut m)[p].1[i];
                params_mut(&mut m)[p].1[i] = original + eps;
                let up = loss(&m, &x, &y);
                params_mut(&mut m)[p].1[i] = original - eps;
                let down = loss(&m, &x, &y);
                params_mut(&mut m)[p].1[i] = original;
                let numeric = (up - down) / (2.0 * eps);
                assert!((numeric - want).abs() <= 1e-7 * want.abs().max(1e-2), "{gate:?} {c_in} d{name}[{i}]: {want} vs numeric {numeric}");
            }
        }
    }
}

#[test]
fn a_batch_gradient_is_the_sum_of_its_sequences_gradients() {
    for (gate, c_in) in CELLS {
        let (steps, b) = (5, 6);
        let (model, x, y) = setup(gate, c_in, 7, b, steps, 11);
        let mut batch = GatedBatch::<f64>::new(&model);
        for truncate in [0, 1, 3, 4, 100] {
            let mut want = GatedGradients::zeros_like(&model);
            let mut want_loss = 0.0;
            for (xs, ys) in x.chunks(steps).zip(y.chunks(steps)) {
                let (l, g) = model.gradients(xs, ys, truncate);
                want.add(&g);
                want_loss += l;
            }
            let got = batch.gradients(&model, &x, &y, steps, truncate);
            assert!((got - want_loss).abs() <= 1e-12 * want_loss, "{gate:?} {c_in} truncate {truncate}: loss {got} vs {want_loss}");
            assert_grads_close(&batch.grads, &want, 1e-12, &format!("{gate:?} {c_in} truncate {truncate}"));
        }
    }
}

#[test]
fn single_precision_gives_the_double_gradients_to_single_precision_accuracy() {
    for (gate, c_in) in CELLS {
        let (steps, b) = (6, 16);
        let (model, x, y) = setup(gate, c_in, 24, b, steps, 5);
        for truncate in [2, 100] {
            let mut double = GatedBatch::<f64>::new(&model);
            let mut single = GatedBatch::<f32>::new(&model);
            let want = double.gradients(&model, &x, &y, steps, truncate);
            let got = single.gradients(&model, &x, &y, steps, truncate);
            assert!((got - want).abs() <= 1e-5 * want, "{gate:?} {c_in} truncate {truncate}: loss {got} vs {want}");
            assert_grads_close(&single.grads, &double.grads, 1e-4, &format!("{gate:?} {c_in} truncate {truncate} f32"));
            assert!(single.grads != double.grads, "computed in single precision, not copied");
        }
    }
}

#[test]
fn evaluating_a_batch_gives_each_sequence_s_own_loss_and_right_digits() {
    for (gate, c_in) in CELLS {
        let (steps, b) = (5, 9);
        let (model, x, y) = setup(gate, c_in, 13, b, steps, 8);
        let mut batch = GatedBatch::<f64>::new(&model);
        let whole = batch.evaluate(&model, &x, &y, steps);
        let (losses, right) = (whole.losses.to_vec(), whole.right.to_vec());
        let mut sliced = Vec::new();
        for range in [0..2, 2..3, 3..9] {
            let rows = range.start * steps..range.end * steps;
            sliced.extend_from_slice(batch.evaluate(&model, &x[rows.clone()], &y[rows], steps).losses);
        }
        assert_eq!(sliced, losses, "{gate:?}: a sequence's loss does not depend on its batch");
        assert!(right.iter().any(|r| *r) || losses.iter().all(|l| *l > 0.0));
        for (i, (xs, ys)) in x.chunks(steps).zip(y.chunks(steps)).enumerate() {
            let trace = model.forward(xs);
            let want = Gated::sequence_loss(&trace, ys);
            assert!((losses[i] - want).abs() <= 1e-12 * want, "{gate:?} sequence {i}: {} vs {want}", losses[i]);
            let predicted = model.predict(xs);
            for (t, &d) in ys.iter().enumerate() {
                assert_eq!(predicted[t], argmax(trace.outputs.row(t)));
                assert_eq!(right[i * steps + t], d != NO_TARGET && predicted[t] == d, "{gate:?} sequence {i} step {t}");
            }
        }
    }
}

#[test]
fn steps_without_a_target_add_no_loss_and_no_gradient() {
    for (gate, c_in) in CELLS {
        let (model, x, _) = setup(gate, c_in, 6, 1, 6, 21);
        let y = [3, 1, 4, 1, 5, 9];
        for truncate in [1, 100] {
            let (all_loss, all) = model.gradients(&x, &y, truncate);
            // the loss and gradients are sums over outputs: step 2's own, plus the others'
            let mut without = y;
            without[2] = NO_TARGET;
            let mut only = [NO_TARGET; 6];
            only[2] = y[2];
            let (l1, mut g) = model.gradients(&x, &without, truncate);
            let (l2, g2) = model.gradients(&x, &only, truncate);
            assert!((l1 + l2 - all_loss).abs() <= 1e-12 * all_loss);
            assert!(l2 > 0.0 && l1 > 0.0);
            g.add(&g2);
            assert_grads_close(&g, &all, 1e-12, &format!("{gate:?} {c_in} truncate {truncate}"));
            let (nothing, zero) = model.gradients(&x, &[NO_TARGET; 6], truncate);
            assert_eq!((nothing, zero), (0.0, GatedGradients::zeros_like(&model)));
        }
        let flow = gradient_flow(&model, &x, &[NO_TARGET, 1, NO_TARGET, 1, 5, 9]);
        assert!(flow.values.row(0).iter().chain(flow.values.row(2)).all(|v| *v == 0.0));
        assert!(flow.values[[3, 0]] > 0.0);
    }
}

#[test]
fn the_flow_s_diagonal_is_the_direct_term() {
    for (gate, c_in) in CELLS {
        let (model, x, _) = setup(gate, c_in, 8, 1, 5, 2);
        let y = [2, 7, 1, 8, 2];
        let flow = gradient_flow(&model, &x, &y);
        let trace = model.forward(&x);
        for t in 0..5 {
            assert!(flow.values.row(t).slice(ndarray::s![t + 1..]).iter().all(|v| *v == 0.0));
            let mut d = trace.outputs.row(t).to_owned();
            d[y[t]] -= 1.0;
            let direct = model.v.t().dot(&d);
            assert!((flow.values[[t, t]] - direct.dot(&direct).sqrt()).abs() < 1e-15);
            assert!(flow.values[[t, 0]] > 0.0);
        }
        assert_eq!(flow.decay[4], flow.values[[4, 0]]);
    }
}

#[test]
fn init_draws_pytorch_s_order_within_pytorch_s_bounds() {
    for gate in [Gate::Gru, Gate::Lstm] {
        let (c_in, h) = (20, 9);
        let model = Gated::init(gate, c_in, 10, h, &mut NumpyRng::new(4).unwrap());
        let bound = 1.0 / 3.0;
        let gh = gate.gates() * h;
        assert_eq!(
            (model.weight_ih.dim(), model.weight_hh.dim(), model.bias_ih.len(), model.bias_hh.len(), model.v.dim()),
            ((gh, c_in), (gh, h), gh, gh, (10, h))
        );
        assert_eq!(model.parameter_count(), gh * (c_in + h + 2) + 10 * h);
        let mut rng = NumpyRng::new(4).unwrap();
        let mut draws: Vec<f64> = (0..model.parameter_count()).map(|_| rng.uniform(-bound, bound)).collect();
        if gate == Gate::Lstm {
            // the forget gate's block of bias_hh (rows h..2h of the third parameter) starts LSTM_FORGET_BIAS higher
            let forget = gh * (c_in + h) + gh + h;
            draws[forget..forget + h].iter_mut().for_each(|v| *v += LSTM_FORGET_BIAS);
        }
        let mut all = Vec::new();
        for (_, p) in params_mut(&mut model.clone()) {
            all.extend_from_slice(p);
        }
        assert_eq!(all, draws, "{gate:?}: weight_ih, weight_hh, bias_ih, bias_hh, V in that order, each row-major");
        assert_eq!(model.weight_ih[[0, 0]], NumpyRng::new(4).unwrap().uniform(-bound, bound));
        let forget_rows = if gate == Gate::Lstm { h..2 * h } else { 0..0 };
        let shifted = model.bias_hh.iter().enumerate().filter(|(i, _)| forget_rows.contains(i)).map(|(_, v)| v - LSTM_FORGET_BIAS);
        let rest =
            all.iter().copied().enumerate().filter(|&(i, _)| !(gh * (c_in + h) + gh + forget_rows.start..gh * (c_in + h) + gh + forget_rows.end).contains(&i));
        assert!(rest.map(|(_, v)| v).chain(shifted).all(|v| v.abs() <= bound));
        assert_eq!((gate.name(), model.input_dim(), model.hidden_dim(), model.output_dim()), (if gate == Gate::Gru { "gru" } else { "lstm" }, c_in, h, 10));
    }
}

#[test]
fn an_out_of_range_weight_is_named() {
    let model = Gated::init(Gate::Lstm, 10, 10, 4, &mut NumpyRng::new(1).unwrap());
    assert_eq!(model.weight_out_of_range(), None);
    let mut m = model.clone();
    m.bias_hh[3] = f64::NAN;
    m.v[[1, 2]] = 2e30;
    let bad = m.weight_out_of_range().unwrap();
    assert_eq!((bad.matrix, bad.row, bad.column), ("bias_hh", 3, 0));
    m.bias_hh[3] = 0.0;
    assert_eq!(m.weight_out_of_range().map(|w| (w.matrix, w.row, w.column, w.value)), Some(("V", 1, 2, 2e30)));
    m.weight_hh[[5, 1]] = f64::INFINITY;
    assert_eq!(m.weight_out_of_range().unwrap().matrix, "weight_hh");
    m.weight_ih[[15, 9]] = -1e31;
    assert_eq!(m.weight_out_of_range().map(|w| (w.matrix, w.row, w.column)), Some(("weight_ih", 15, 9)));
    m = model;
    m.bias_ih[0] = 1e30; // the limit itself is allowed
    assert_eq!(m.weight_out_of_range(), None);
}

#[test]
fn an_empty_sequence_has_no_loss() {
    let model = Gated::init(Gate::Gru, 10, 10, 3, &mut NumpyRng::new(1).unwrap());
    let trace = model.forward(&[]);
    assert_eq!((trace.hidden.dim(), trace.outputs.dim(), trace.cells), ((1, 3), (0, 10), None));
    assert_eq!(model.gradients(&[], &[], 3), (0.0, GatedGradients::zeros_like(&model)));
    assert!(model.predict(&[]).is_empty());
}

#[test]
#[should_panic(expected = "the model's shapes agree")]
fn a_model_with_inconsistent_shapes_is_refused_by_its_assert() {
    let mut model = Gated::init(Gate::Lstm, 10, 10, 4, &mut NumpyRng::new(1).unwrap());
    model.bias_hh = Array1::zeros(12); // a GRU's size
    model.forward(&[1, 2]);
}
