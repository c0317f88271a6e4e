//! [`super::dot4`]'s partial sums in simd128 registers, for the wasm build (.cargo/config.toml
//! enables simd128 there). Written out because, left to itself, the compiler shuffles between
//! lanes instead of keeping each lane one of [`super::dot`]'s eight partial sums.

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
