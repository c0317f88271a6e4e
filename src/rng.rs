//! numpy's legacy `RandomState` stream (the global `np.random.*` functions the notebook calls),
//! bit for bit: MT19937 seeded with `init_genrand`, `randint` by masked rejection on 32-bit draws,
//! `uniform` from two 32-bit draws. The generator itself is `rand_mt`; this module adds numpy's
//! distributions on top of it.

use crate::error::{Error, Result};
use ndarray::Array2;
use rand_mt::Mt;

/// The random stream `np.random.seed(s)` starts.
#[derive(Clone)]
pub struct NumpyRng {
    mt: Mt,
}

impl NumpyRng {
    /// `np.random.seed(seed)`. numpy accepts 0..=2^32-1 and so do we.
    pub fn new(seed: u64) -> Result<Self> {
        Ok(NumpyRng { mt: Mt::new(check_seed(seed)?) })
    }

    /// `np.random.seed(seed)` on an existing stream.
    pub fn reseed(&mut self, seed: u32) {
        self.mt.reseed(seed);
    }

    pub fn next_u32(&mut self) -> u32 {
        self.mt.next_u32()
    }

    /// numpy's `legacy_double`: 53 random bits from two draws (27 high, then 26 low), exact.
    pub fn next_double(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// One draw of `np.random.randint(high)` (0 <= v < high): legacy masked rejection sampling.
    pub fn randint(&mut self, high: u32) -> u32 {
        assert!(high > 0, "randint needs a positive bound");
        let range = high - 1;
        if range == 0 {
            return 0;
        }
        let mut mask = range;
        for shift in [1, 2, 4, 8, 16] {
            mask |= mask >> shift;
        }
        loop {
            let v = self.next_u32() & mask;
            if v <= range {
                return v;
            }
        }
    }

    /// One draw of `np.random.uniform(low, high)`. Multiply then add, never fused, as numpy does.
    pub fn uniform(&mut self, low: f64, high: f64) -> f64 {
        let range = high - low;
        low + range * self.next_double()
    }

    /// `np.random.uniform(low, high, (rows, cols))`, filled in row-major order.
    pub fn uniform_matrix(&mut self, low: f64, high: f64, rows: usize, cols: usize) -> Array2<f64> {
        let range = high - low;
        Array2::from_shape_simple_fn((rows, cols), || low + range * self.next_double())
    }
}

/// numpy rejects seeds outside 0..=2^32-1; so do we, with the same bounds in the message.
pub fn check_seed(seed: u64) -> Result<u32> {
    u32::try_from(seed).map_err(|_| Error::Config(format!("seed {seed} is out of range: a seed must be between 0 and 4294967295")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_words_after_seed_10_match_numpy() {
        let mut r = NumpyRng::new(10).unwrap();
        let words: Vec<u32> = (0..5).map(|_| r.next_u32()).collect();
        assert_eq!(words, [3312796937, 1283169405, 89128932, 2124247567, 2721498432]);
    }

    #[test]
    fn seed_out_of_range_is_an_error() {
        assert!(NumpyRng::new(1 << 32).is_err());
        assert!(NumpyRng::new(u32::MAX as u64).is_ok());
    }

    #[test]
    fn uniform_matches_numpy_first_weight() {
        // U[0,0] of the notebook: seed(10); uniform(-sqrt(1/10), sqrt(1/10))
        let mut r = NumpyRng::new(10).unwrap();
        let b = (1.0f64 / 10.0).sqrt();
        assert_eq!(r.uniform(-b, b).to_bits(), 0x3fc5f6ee6244749a);
    }
}
