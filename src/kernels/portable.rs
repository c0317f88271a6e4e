//! [`super::dot4`]'s partial sums in plain Rust, for targets without AVX or simd128, and the
//! reference the vector versions are tested against: each lane k of a row sums columns k, k + 8,
//! k + 16, ... in order, as [`super::dot`] does.

use super::{LANES, ROWS};

/// For each of the four rows of `block`, the eight partial sums of its dot with x over the
/// first `x.len() - x.len() % LANES` columns.
#[inline(always)]
pub(super) fn partial_sums(block: &[f64], x: &[f64]) -> [[f64; LANES]; ROWS] {
    let n = x.len();
    assert_eq!(block.len(), ROWS * n);
    let split = n - n % LANES;
    let mut acc = [[0.0f64; LANES]; ROWS];
    for c in (0..split).step_by(LANES) {
        for (q, aq) in acc.iter_mut().enumerate() {
            for k in 0..LANES {
                aq[k] += block[q * n + c + k] * x[c + k];
            }
        }
    }
    acc
}
