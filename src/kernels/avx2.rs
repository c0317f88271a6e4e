//! [`super::dot4`]'s partial sums in AVX registers, for the native build: .cargo/config.toml
//! targets x86-64-v3 (AVX2), though these loads, adds and multiplies need only AVX. Written out
//! because, left to itself, the compiler shuffles between lanes instead of keeping each lane one
//! of [`super::dot`]'s eight partial sums.

use super::{LANES, ROWS};
use std::arch::x86_64::*;

/// For each of the four rows of `block`, the eight partial sums of its dot with x over the
/// first `x.len() - x.len() % LANES` columns; the same bits as the portable version's.
#[inline(always)]
pub(super) fn partial_sums(block: &[f64], x: &[f64]) -> [[f64; LANES]; ROWS] {
    let n = x.len();
    assert_eq!(block.len(), ROWS * n);
    let split = n - n % LANES;
    let mut acc = [[0.0f64; LANES]; ROWS];
    // SAFETY: every load reads 8 doubles at column c < split <= n of x or of a row of `block`,
    // whose lengths were checked above; the stores write the 8 doubles of one `acc` row.
    unsafe {
        let (mut lo, mut hi) = ([_mm256_setzero_pd(); ROWS], [_mm256_setzero_pd(); ROWS]);
        for c in (0..split).step_by(LANES) {
            let (xl, xh) = (_mm256_loadu_pd(x.as_ptr().add(c)), _mm256_loadu_pd(x.as_ptr().add(c + 4)));
            for q in 0..ROWS {
                let r = block.as_ptr().add(q * n + c);
                lo[q] = _mm256_add_pd(lo[q], _mm256_mul_pd(_mm256_loadu_pd(r), xl));
                hi[q] = _mm256_add_pd(hi[q], _mm256_mul_pd(_mm256_loadu_pd(r.add(4)), xh));
            }
        }
        for q in 0..ROWS {
            _mm256_storeu_pd(acc[q].as_mut_ptr(), lo[q]);
            _mm256_storeu_pd(acc[q].as_mut_ptr().add(4), hi[q]);
        }
    }
    acc
}
