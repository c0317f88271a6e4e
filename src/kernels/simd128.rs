//! [`super::dot4`]'s partial sums in simd128 registers, for the wasm build (.cargo/config.toml
//! enables simd128 there). Written out because, left to itself, the compiler shuffles between
//! lanes instead of keeping each lane one of [`super::dot`]'s eight partial sums.

use super::matmul::PANEL_ROWS;
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

/// A block kernel in one precision ([`super::matmul::Block`]), `$vectors` vectors of `$lanes`
/// numbers to each of the block's four rows: for each k in order, acc[r] += A[r, kk] · B[kk, j..],
/// A's entry splatted from the packed panel, each lane one entry's own sum, then written to C (plus
/// beta C when beta is not zero): the bits of [`super::matmul::portable_panel_block`].
macro_rules! panel_kernel {
    ($(#[$doc:meta])* $name:ident, $t:ty, $lanes:expr, $vectors:expr, $splat:ident, $add:ident, $mul:ident) => {
        $(#[$doc])*
        pub(super) fn $name(panel: &[$t], b: &[$t], n: usize, j: usize, beta: $t, c: &mut [$t], rows: usize) {
            const COLS: usize = $lanes * $vectors;
            let k = panel.len() / PANEL_ROWS;
            assert!(panel.len() == PANEL_ROWS * k && b.len() == k * n && j + COLS <= n && rows <= PANEL_ROWS && c.len() >= rows * n);
            // SAFETY: panel[4 kk + r] < panel.len() for kk < k; row kk < k of B has n >= j + COLS
            // entries from b[kk n], so the loads at columns j + lanes q read inside `b`; the stores
            // write rows r < rows of `c`, columns below j + COLS <= n. All lengths were checked above.
            unsafe {
                let mut acc = [[$splat(0.0); $vectors]; PANEL_ROWS];
                for kk in 0..k {
                    let row = b.as_ptr().add(kk * n + j);
                    let bk: [v128; $vectors] = std::array::from_fn(|q| v128_load(row.add($lanes * q) as *const v128));
                    let a = panel.as_ptr().add(kk * PANEL_ROWS);
                    for (r, acc_r) in acc.iter_mut().enumerate() {
                        let ar = $splat(*a.add(r));
                        for (x, &bq) in acc_r.iter_mut().zip(&bk) {
                            *x = $add(*x, $mul(ar, bq));
                        }
                    }
                }
                let keep = beta != 0.0;
                for (r, acc_r) in acc.iter().enumerate().take(rows) {
                    for (q, &v) in acc_r.iter().enumerate() {
                        let out = c.as_mut_ptr().add(r * n + j + $lanes * q) as *mut v128;
                        v128_store(out, if keep { $add(v, $mul($splat(beta), v128_load(out))) } else { v });
                    }
                }
            }
        }
    };
}

panel_kernel!(
    /// [`super::blocked_mat_mul`]'s 4 x 4 block, two f64x2 to a row.
    panel_block, f64, 2, 2, f64x2_splat, f64x2_add, f64x2_mul
);
panel_kernel!(
    /// [`super::blocked_mat_mul`]'s block for two columns left over, one f64x2 to a row.
    narrow_block, f64, 2, 1, f64x2_splat, f64x2_add, f64x2_mul
);
panel_kernel!(
    /// [`super::blocked_mat_mul_f32`]'s 4 x 8 block, two f32x4 to a row.
    panel_block_f32, f32, 4, 2, f32x4_splat, f32x4_add, f32x4_mul
);
panel_kernel!(
    /// [`super::blocked_mat_mul_f32`]'s block for four columns left over, one f32x4 to a row.
    narrow_block_f32, f32, 4, 1, f32x4_splat, f32x4_add, f32x4_mul
);

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
                super::matmul::put(out, a.iter().enumerate().fold(0.0, |sum, (kk, &ak)| sum + ak * b[kk * n + j]), beta);
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
