//! [`super::dot4`]'s partial sums in simd128 registers, for the wasm build (.cargo/config.toml
//! enables simd128 there). Written out because, left to itself, the compiler shuffles between
//! lanes instead of keeping each lane one of [`super::dot`]'s eight partial sums.

use super::matmul::{PANEL_COLS, PANEL_COLS_F32, PANEL_ROWS};
use super::{LANES, ROWS};
use std::arch::wasm32::*;

/// For each of the four rows of `block`, the eight partial sums of its dot with x over the
/// first `x.len() - x.len() % LANES` columns; the same bits as the portable version's.
#[inline(always)]
pub(super) fn partial_sums(block: &[f64], x: &[f64]) -> [[f64; LANES]; ROWS] {
    let n = x.len();
    assert_eq!(block.len(), ROWS * n);
    let split = n - n % LANES;
    let mut acc = [[0.0f64; LANES]; ROWS];
    // SAFETY: every load reads 2 doubles at column c + 2j < split <= n of x or of a row of
    // `block`, whose lengths were checked above; the stores write 2 doubles inside one `acc` row.
    unsafe {
        // Two rows per sweep: 8 accumulators and 4 x vectors fit the 16 registers engines map
        // v128 to on x86-64; four rows would spill.
        for pair in (0..ROWS).step_by(2) {
            let mut v = [[f64x2_splat(0.0); LANES / 2]; 2];
            for c in (0..split).step_by(LANES) {
                let xs: [v128; LANES / 2] = std::array::from_fn(|j| v128_load(x.as_ptr().add(c + 2 * j) as *const v128));
                for (q, vq) in v.iter_mut().enumerate() {
                    let r = block.as_ptr().add((pair + q) * n + c);
                    for j in 0..LANES / 2 {
                        vq[j] = f64x2_add(vq[j], f64x2_mul(v128_load(r.add(2 * j) as *const v128), xs[j]));
                    }
                }
            }
            for (q, vq) in v.iter().enumerate() {
                for (j, &vj) in vq.iter().enumerate() {
                    v128_store(acc[pair + q].as_mut_ptr().add(2 * j) as *mut v128, vj);
                }
            }
        }
    }
    acc
}

/// [`super::blocked_mat_mul`]'s 4 x 4 block of A B at columns j.. of B, in simd128 registers
/// (two per row of the block): for each k in order, acc[r] += panel[4k + r] · B[k, j..j + 4], each
/// lane one entry's own sum, so the bits are the portable loop's.
#[inline(always)]
pub(super) fn panel_block(panel: &[f64], b: &[f64], n: usize, j: usize) -> [[f64; PANEL_COLS]; PANEL_ROWS] {
    const _: () = assert!(PANEL_ROWS == 4 && PANEL_COLS == 4, "the registers below hold a 4 x 4 block");
    let k = panel.len() / PANEL_ROWS;
    assert!(panel.len() == PANEL_ROWS * k && b.len() == k * n && j + PANEL_COLS <= n);
    let mut out = [[0.0f64; PANEL_COLS]; PANEL_ROWS];
    // SAFETY: row kk < k of B has n >= j + 4 entries from b[kk n], so the two loads at columns
    // j and j + 2 read inside `b`; panel[4 kk + r] < panel.len(); the stores write 2 doubles inside
    // one row of `out`. All lengths were checked above.
    unsafe {
        let mut acc = [[f64x2_splat(0.0); 2]; PANEL_ROWS];
        for kk in 0..k {
            let row = b.as_ptr().add(kk * n + j);
            let (b0, b1) = (v128_load(row as *const v128), v128_load(row.add(2) as *const v128));
            let a = panel.as_ptr().add(kk * PANEL_ROWS);
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let ar = f64x2_splat(*a.add(r));
                acc_r[0] = f64x2_add(acc_r[0], f64x2_mul(ar, b0));
                acc_r[1] = f64x2_add(acc_r[1], f64x2_mul(ar, b1));
            }
        }
        for (o, acc_r) in out.iter_mut().zip(&acc) {
            v128_store(o.as_mut_ptr() as *mut v128, acc_r[0]);
            v128_store(o.as_mut_ptr().add(2) as *mut v128, acc_r[1]);
        }
    }
    out
}

/// [`super::blocked_mat_mul_f32`]'s 4 x 8 block of A B at columns j.. of B, in simd128 registers
/// (two f32x4 per row of the block), each lane one entry's own sum in k order: the portable bits.
#[inline(always)]
pub(super) fn panel_block_f32(panel: &[f32], b: &[f32], n: usize, j: usize) -> [[f32; PANEL_COLS_F32]; PANEL_ROWS] {
    const _: () = assert!(PANEL_ROWS == 4 && PANEL_COLS_F32 == 8, "the registers below hold a 4 x 8 block");
    let k = panel.len() / PANEL_ROWS;
    assert!(panel.len() == PANEL_ROWS * k && b.len() == k * n && j + PANEL_COLS_F32 <= n);
    let mut out = [[0.0f32; PANEL_COLS_F32]; PANEL_ROWS];
    // SAFETY: row kk < k of B has n >= j + 8 entries from b[kk n], so the loads at columns j and
    // j + 4 read inside `b`; panel[4 kk + r] < panel.len(); the stores write 4 floats inside one
    // row of `out`. All lengths were checked above.
    unsafe {
        let mut acc = [[f32x4_splat(0.0); 2]; PANEL_ROWS];
        for kk in 0..k {
            let row = b.as_ptr().add(kk * n + j);
            let (b0, b1) = (v128_load(row as *const v128), v128_load(row.add(4) as *const v128));
            let a = panel.as_ptr().add(kk * PANEL_ROWS);
            for (r, acc_r) in acc.iter_mut().enumerate() {
                let ar = f32x4_splat(*a.add(r));
                acc_r[0] = f32x4_add(acc_r[0], f32x4_mul(ar, b0));
                acc_r[1] = f32x4_add(acc_r[1], f32x4_mul(ar, b1));
            }
        }
        for (o, acc_r) in out.iter_mut().zip(&acc) {
            v128_store(o.as_mut_ptr() as *mut v128, acc_r[0]);
            v128_store(o.as_mut_ptr().add(4) as *mut v128, acc_r[1]);
        }
    }
    out
}

/// Vector registers of sums [`row_times`] and [`row_times_f32`] keep while they run down B.
const ROW_VECTORS: usize = 8;

/// The row kernel in one precision, `$lanes` numbers to a vector: C = a B + beta C for one row a,
/// ROW_VECTORS vectors of C's columns at a time, then one vector, then column by column; each
/// lane one column's sum in k order from zero, then beta C added (when beta is not zero), so the
/// bits are [`super::matmul::portable_row_times`]'s.
macro_rules! row_kernel {
    ($(#[$doc:meta])* $name:ident, $t:ty, $lanes:expr, $splat:ident, $add:ident, $mul:ident) => {
        $(#[$doc])*
        #[inline(always)]
        pub(super) fn $name(a: &[$t], b: &[$t], beta: $t, c: &mut [$t]) {
            let (k, n) = (a.len(), c.len());
            assert_eq!(b.len(), k * n, "B has a row for each entry of a, as long as C");
            let keep = beta != 0.0;
            let mut j = 0;
            // SAFETY: each block of V vectors is taken only while j + V lanes <= n, so every load
            // of B reads lanes at row kk < k, columns below n, inside `b` (k n long), and the loads
            // and stores of C stay below n = c.len().
            macro_rules! blocks {
                ($vectors:expr) => {
                    while j + $vectors * $lanes <= n {
                        let mut acc = [$splat(0.0); $vectors];
                        for (kk, &ak) in a.iter().enumerate() {
                            let (s, row) = ($splat(ak), b.as_ptr().add(kk * n + j));
                            for (q, x) in acc.iter_mut().enumerate() {
                                *x = $add(*x, $mul(s, v128_load(row.add($lanes * q) as *const v128)));
                            }
                        }
                        for (q, &v) in acc.iter().enumerate() {
                            let out = c.as_mut_ptr().add(j + $lanes * q) as *mut v128;
                            v128_store(out, if keep { $add(v, $mul($splat(beta), v128_load(out))) } else { v });
                        }
                        j += $vectors * $lanes;
                    }
                };
            }
            unsafe {
                blocks!(ROW_VECTORS);
                blocks!(1);
            }
            for (j, out) in c.iter_mut().enumerate().skip(j) {
                let v = a.iter().enumerate().fold(0.0, |sum, (kk, &ak)| sum + ak * b[kk * n + j]);
                *out = if keep { v + beta * *out } else { v };
            }
        }
    };
}

row_kernel!(
    /// [`super::matmul::portable_row_times`] in simd128 registers, eight f64x2 sums (16 columns)
    /// at a time.
    row_times, f64, 2, f64x2_splat, f64x2_add, f64x2_mul
);
row_kernel!(
    /// [`row_times`] in single precision, eight f32x4 sums (32 columns) at a time.
    row_times_f32, f32, 4, f32x4_splat, f32x4_add, f32x4_mul
);
