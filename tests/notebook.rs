//! The numbers the notebook prints, copied from the notebook's own output cells.

mod common;

use common::{assert_all_close, assert_close, f64_vec, fixture};
use rnn_playground::data::{digits_of, number_of};
use rnn_playground::{gradient_check, CheckOptions, Config, NumpyRng, Rnn, Trainer};

fn notebook_trainer(n_samples: usize) -> Trainer {
    Trainer::new(Config { n_samples, ..Config::default() }).unwrap()
}

#[test]
fn cell_2_digit_codec() {
    assert_eq!(digits_of(142857, 7).unwrap(), [0, 1, 4, 2, 8, 5, 7]);
    assert_eq!(number_of(&digits_of(142857, 7).unwrap()).unwrap(), 142857);
}

#[test]
fn cell_3_first_training_example() {
    let t = notebook_trainer(1000);
    let (x, y) = t.data().example(0);
    assert_eq!(x, [9, 4, 0, 1, 9, 0, 1, 8, 9, 0, 8, 6, 4, 3]);
    assert_eq!(y, [0, 0, 0, 0, 0, 0, 1, 8, 3, 1, 0, 5, 4, 4]);
    assert_eq!(t.data().pairs[0], (9401901, 8908643));
}

#[test]
fn cell_7_output_matrix() {
    let t = notebook_trainer(1000);
    let (x, _) = t.data().example(0);
    let trace = t.model().vanilla().unwrap().forward(x);
    assert_eq!(trace.outputs.dim(), (14, 10));
    // The rows the notebook prints in full (np.set_printoptions(precision=6)).
    let printed: [[f64; 10]; 9] = [
        [0.128147, 0.086456, 0.097282, 0.102131, 0.081564, 0.108697, 0.09797, 0.106346, 0.092526, 0.098881],
        [0.095863, 0.110619, 0.112997, 0.090618, 0.094954, 0.11318, 0.086146, 0.090954, 0.110195, 0.094474],
        [0.09886, 0.101381, 0.096624, 0.077477, 0.083638, 0.100096, 0.102021, 0.11491, 0.1099, 0.115094],
        [0.098815, 0.099052, 0.106088, 0.078864, 0.078886, 0.132081, 0.107208, 0.09466, 0.100423, 0.103924],
        [0.128161, 0.098779, 0.09455, 0.103251, 0.073019, 0.122561, 0.083596, 0.113788, 0.095242, 0.087053],
        [0.090704, 0.099418, 0.10445, 0.087798, 0.092747, 0.104899, 0.099478, 0.104261, 0.111476, 0.104769],
        [0.100745, 0.099929, 0.103282, 0.079946, 0.078899, 0.127029, 0.109987, 0.093854, 0.097476, 0.108852],
        [0.106561, 0.099488, 0.090668, 0.104637, 0.100736, 0.105507, 0.08942, 0.118487, 0.106474, 0.078023],
        [0.125611, 0.08225, 0.101721, 0.105134, 0.076596, 0.112481, 0.091433, 0.104065, 0.101788, 0.098921],
    ];
    for (t_, row) in printed.iter().enumerate() {
        assert_all_close(&trace.output(t_).to_vec(), row, 5e-7, &format!("o[{t_}]"));
    }
    // The whole matrix, from running the notebook's code (its output cell is cut at row 9).
    let g = fixture("golden_notebook");
    for (t_, row) in g["forward_x0"]["o"].as_array().unwrap().iter().enumerate() {
        assert_all_close(&trace.output(t_).to_vec(), &f64_vec(row), 1e-12, &format!("o[{t_}] (full)"));
    }
}

#[test]
fn cell_8_predictions() {
    let t = notebook_trainer(1000);
    assert_eq!(t.model().vanilla().unwrap().predict(t.data().example(0).0), [0, 5, 9, 5, 0, 8, 5, 7, 0, 1, 7, 3, 5, 6]);
}

#[test]
fn cell_12_gradient_check_passes_with_full_bptt() {
    let t = notebook_trainer(1000);
    let (x, y) = t.data().example(0);
    let checks = gradient_check(t.model(), x, y, 1000, CheckOptions::default());
    let sizes: Vec<usize> = checks.iter().map(|c| c.size).collect();
    assert_eq!(sizes, [1000, 1000, 10000]);
    for c in &checks {
        assert!(c.passed, "{c:?}");
        assert_eq!(c.checked, c.size);
        assert!(c.max_relative_error < 1e-3, "{c:?}");
    }
}

#[test]
fn cell_15_five_losses() {
    let mut t = notebook_trainer(100);
    let mut losses = vec![t.history()[0].evaluation.loss];
    for _ in 0..4 {
        losses.push(t.train_epoch().unwrap().training.loss);
    }
    let printed = [2.302904, 1.509416, 1.375010, 1.335181, 1.294507];
    for (got, want) in losses.iter().zip(printed) {
        assert_eq!(format!("{got:.6}"), format!("{want:.6}"));
    }
    // and far closer than print precision: the exact numpy values
    let g = fixture("golden_notebook");
    assert_all_close(&losses, &f64_vec(&g["train"]["losses"]), 1e-12, "losses");
    assert_eq!(t.learning_rate(), 0.005);
    assert_eq!(t.examples_seen(), 400);
}

#[test]
fn weights_are_drawn_after_a_second_seed() {
    let t = notebook_trainer(1000);
    let mut r = NumpyRng::new(10).unwrap();
    let fresh = Rnn::init(10, 10, 100, &mut r);
    assert_eq!(t.model().vanilla(), Some(&fresh));
    assert_close(t.model().vanilla().unwrap().u[[0, 1]], -0.3031030808440018, 0.0, "U[0,1]");
    assert_close(t.model().vanilla().unwrap().w[[0, 2]], 0.01169418203230288, 0.0, "W[0,2]");
}
