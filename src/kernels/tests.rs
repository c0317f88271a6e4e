//! Every kernel gives the bits of the plain loop it replaces.

use super::matmul::*;
use super::*;
use ndarray::{array, Array1, Array2};

#[test]
fn kernels_agree_with_naive_loops() {
    // 7 rows: one block of four and three rows on their own
    let m = Array2::from_shape_fn((7, 11), |(r, c)| ((r * 11 + c) as f64 * 0.37).sin());
    let x = Array1::from_shape_fn(11, |i| i as f64 - 4.5);
    let mut y = Array1::zeros(7);
    mat_vec(m.view(), x.view(), y.view_mut());
    for r in 0..7 {
        let naive: f64 = (0..11).map(|c| m[[r, c]] * x[c]).sum();
        assert!((y[r] - naive).abs() < 1e-12);
        assert_eq!(y[r], dot(contiguous(m.row(r)), contiguous(x.view())), "blocked rows give dot's bits");
    }
    let z = array![1.0, -2.0, 0.5, 0.25, 3.0, -1.5, 2.0];
    let mut t = Array1::zeros(11);
    mat_t_vec_add(m.view(), z.view(), t.view_mut());
    let mut one_by_one = Array1::zeros(11);
    for (r, &zr) in z.iter().enumerate() {
        axpy(zr, m.row(r), one_by_one.view_mut());
    }
    assert_eq!(t, one_by_one, "blocked rows give axpy's bits");
    let mut t = Array1::zeros(11);
    let z9 = array![1.0, -2.0, 0.5, 0.25, 3.0, -1.5, 2.0, 0.125, -0.75];
    let m9 = Array2::from_shape_fn((9, 11), |(r, c)| ((r * 11 + c) as f64 * 0.11).cos());
    mat_t_vec_add(m9.view(), z9.view(), t.view_mut());
    let mut one_by_one = Array1::zeros(11);
    for (r, &zr) in z9.iter().enumerate() {
        axpy(zr, m9.row(r), one_by_one.view_mut());
    }
    assert_eq!(t, one_by_one, "a sweep of eight rows and one row alone give axpy's bits");
    // combine_rows over 37 columns: one 32-wide block, one 4-wide, one single column
    let rows = Array2::from_shape_fn((5, 37), |(k, j)| ((k * 37 + j) as f64 * 0.3).sin());
    let coef = [0.5, -1.25, 2.0, 0.1, -3.0];
    let mut combined = Array1::from_elem(37, f64::NAN);
    combine_rows(coef.iter().copied().zip(rows.outer_iter()), combined.view_mut());
    let mut summed = Array1::zeros(37);
    for (&a, r) in coef.iter().zip(rows.outer_iter()) {
        axpy(a, r, summed.view_mut());
    }
    assert_eq!(combined, summed, "combine_rows gives repeated axpy's bits");
    let mut outer = Array2::zeros((7, 11));
    outer_add(y.view(), x.view(), outer.view_mut());
    assert_eq!(outer, Array2::from_shape_fn((7, 11), |(r, c)| 0.0 + y[r] * x[c]), "outer_add is one product per entry");
    let mut p = array![1.0f64, 3.0, 2.0, 3.0];
    assert_eq!(argmax(p.view()), 1);
    softmax_in_place(p.view_mut());
    assert!((p.sum() - 1.0).abs() < 1e-15);
}

#[test]
fn blocked_mat_mul_agrees_with_the_naive_product() {
    // shapes with whole 4 x 4 blocks, and rows and columns left over, A plain and transposed; one
    // row (its own path) over more than one chunk of columns
    // (columns for a narrow block: 14 in f64, 13 and 100 in f32), and A as rows of a larger matrix
    for (m, k, n) in [(8, 12, 16), (7, 5, 9), (1, 3, 2), (33, 100, 10), (3, 1, 5), (1, 64, 130), (5, 6, 14), (6, 5, 13), (9, 7, 100)] {
        let a = Array2::from_shape_fn((m, k), |(i, j)| ((i * k + j) as f64 * 0.37).sin());
        let at = a.t().as_standard_layout().into_owned();
        let mut larger = Array2::zeros((m + 2, k));
        larger.slice_mut(ndarray::s![1..m + 1, ..]).assign(&a);
        let b = Array2::from_shape_fn((k, n), |(i, j)| ((i * n + j) as f64 * 0.11).cos());
        let start = Array2::from_shape_fn((m, n), |(i, j)| (i + 2 * j) as f64);
        for beta in [0.0, 1.0] {
            let want = Array2::from_shape_fn((m, n), |(i, j)| (0..k).fold(0.0, |s, kk| s + a[[i, kk]] * b[[kk, j]]) + beta * start[[i, j]]);
            for (what, view) in [("A", a.view()), ("(Aᵀ)ᵀ", at.t()), ("rows of a larger A", larger.slice(ndarray::s![1..m + 1, ..]))] {
                let mut c = start.clone();
                blocked_mat_mul(view, b.view(), beta, c.view_mut());
                assert_eq!(c, want, "{m}x{k} {what} times {k}x{n}, beta {beta}: the naive sums' bits");
                let mut c = start.clone();
                mat_mul(view, b.view(), beta, c.view_mut());
                assert!(c.iter().zip(&want).all(|(p, q)| (p - q).abs() <= 1e-12 * q.abs().max(1.0)), "mat_mul {m}x{k}x{n}");
                // single precision: the naive single-precision sums' bits, blocked; near them, either way
                let (a32, at32, larger32) = (a.mapv(|v| v as f32), at.mapv(|v| v as f32), larger.mapv(|v| v as f32));
                let view32 = match what {
                    "A" => a32.view(),
                    "(Aᵀ)ᵀ" => at32.t(),
                    _ => larger32.slice(ndarray::s![1..m + 1, ..]),
                };
                let b32 = b.mapv(|v| v as f32);
                let start32 = start.mapv(|v| v as f32);
                let want32 =
                    Array2::from_shape_fn((m, n), |(i, j)| (0..k).fold(0.0f32, |s, kk| s + a32[[i, kk]] * b32[[kk, j]]) + beta as f32 * start32[[i, j]]);
                let mut c32 = start32.clone();
                blocked_mat_mul_f32(view32, b32.view(), beta as f32, c32.view_mut());
                assert_eq!(c32, want32, "f32 {m}x{k} {what} times {k}x{n}, beta {beta}: the naive sums' bits");
                let mut c32 = start32.clone();
                mat_mul_f32(view32, b32.view(), beta as f32, c32.view_mut());
                assert!(c32.iter().zip(&want32).all(|(p, q)| (p - q).abs() <= 1e-4 * q.abs().max(1.0)), "mat_mul_f32 {m}x{k}x{n}");
            }
        }
    }
}

#[test]
#[should_panic(expected = "kernel operands are contiguous and row-major")]
fn a_column_is_refused() {
    let m = Array2::from_shape_fn((3, 3), |(r, c)| (r * 3 + c) as f64);
    let mut y = Array1::zeros(3);
    axpy(1.0, m.column(1), y.view_mut());
}

#[test]
fn this_targets_block_kernels_give_the_portable_bits() {
    // A 4 x 9, and 3 rows of it (the fourth repeating the first, its sums dropped); B 9 x 10:
    // whole blocks at columns 0 and 2 (f32) or 6 (f64), narrow ones at 6 (f32) and 8 (f64); beta 0
    // and 1
    let k = 9;
    let a: Vec<f64> = (0..PANEL_ROWS * k).map(|i| (i as f64 * 0.37).sin() * 1e3).collect();
    let b: Vec<f64> = (0..k * 10).map(|i| (i as f64 * 0.7).cos()).collect();
    let start: Vec<f64> = (0..PANEL_ROWS * 10).map(|i| i as f64 - 7.5).collect();
    let f32s = |v: &[f64]| v.iter().map(|&x| x as f32).collect::<Vec<f32>>();
    let (b32, start32) = (f32s(&b), f32s(&start));
    for rows in [PANEL_ROWS, 3] {
        // packed: panel[4 kk + r] = A[r, kk]
        let panel: Vec<f64> = (0..PANEL_ROWS * k).map(|i| a[if i % PANEL_ROWS < rows { i % PANEL_ROWS } else { 0 } * k + i / PANEL_ROWS]).collect();
        let panel32 = f32s(&panel);
        let (panel, panel32) = (panel.as_slice(), panel32.as_slice());
        for beta in [0.0, 1.0] {
            let (mut got, mut want) = (start.clone(), start.clone());
            for j in [0, 6] {
                panel_block(panel, &b, 10, j, beta, &mut got, rows);
                portable_panel_block::<f64, PANEL_COLS>(panel, &b, 10, j, beta, &mut want, rows);
            }
            narrow_block(panel, &b, 10, 8, beta, &mut got, rows);
            portable_panel_block::<f64, { PANEL_COLS / 2 }>(panel, &b, 10, 8, beta, &mut want, rows);
            assert_eq!(got, want, "f64, {rows} rows, beta {beta}");
            let (mut got, mut want) = (start32.clone(), start32.clone());
            for j in [0, 2] {
                panel_block_f32(panel32, &b32, 10, j, beta as f32, &mut got, rows);
                portable_panel_block::<f32, PANEL_COLS_F32>(panel32, &b32, 10, j, beta as f32, &mut want, rows);
            }
            narrow_block_f32(panel32, &b32, 10, 6, beta as f32, &mut got, rows);
            portable_panel_block::<f32, { PANEL_COLS_F32 / 2 }>(panel32, &b32, 10, 6, beta as f32, &mut want, rows);
            assert_eq!(got, want, "f32, {rows} rows, beta {beta}");
        }
    }
}

#[test]
fn this_targets_row_kernels_give_the_portable_bits() {
    // 37 columns: a block of eight vectors (16 or 32 columns), single vectors, and columns left
    // for the scalar tail in either precision; beta 0 and 1
    let (k, n) = (9, 37);
    let a: Vec<f64> = (0..k).map(|i| (i as f64 * 0.37).sin() * 1e3).collect();
    let b: Vec<f64> = (0..k * n).map(|i| (i as f64 * 0.7).cos()).collect();
    let start: Vec<f64> = (0..n).map(|j| j as f64 - 3.5).collect();
    for beta in [0.0, 1.0] {
        let (mut got, mut want) = (start.clone(), start.clone());
        row_times(&a, &b, beta, &mut got);
        portable_row_times(&a, &b, beta, &mut want);
        assert_eq!(got, want, "f64, beta {beta}");
        let (a, b) = (a.iter().map(|&v| v as f32).collect::<Vec<_>>(), b.iter().map(|&v| v as f32).collect::<Vec<_>>());
        let (mut got, mut want): (Vec<f32>, Vec<f32>) = (start.iter().map(|&v| v as f32).collect(), start.iter().map(|&v| v as f32).collect());
        row_times_f32(&a, &b, beta as f32, &mut got);
        portable_row_times(&a, &b, beta as f32, &mut want);
        assert_eq!(got, want, "f32, beta {beta}");
    }
}

#[test]
fn this_targets_dot4_gives_the_portable_bits() {
    // 19 columns: two sweeps of eight and three left for dot4's own tail
    let x: Vec<f64> = (0..19).map(|i| (i as f64 * 0.7).cos()).collect();
    let block: Vec<f64> = (0..ROWS * 19).map(|i| (i as f64 * 0.37).sin() * 1e3).collect();
    assert_eq!(partial_sums(&block, &x), portable::partial_sums(&block, &x));
}
