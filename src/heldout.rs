//! Sums the network is tested on and never trained on, and the fresh training sums drawn around
//! them.
//!
//! Every stream here is its own MT19937, seeded from the data seed by [`derive_seed`], so none
//! of them moves the notebook's draws of the training data and the weights:
//! - the test sets: seed `derive_seed(dataSeed, TEST_STREAM)`;
//! - the fresh training sums of epoch e ≥ 1 (`freshData`): seed `derive_seed(dataSeed, e)`;
//!   epoch 0 trains on the usual draw from `dataSeed`.
//!
//! Held out means: a test pair is never in the first training set (test pairs that are get
//! dropped, so a tiny pair space may leave few) and a fresh draw rejects every test pair.

use crate::config::Config;
use crate::data::random_pair;
use crate::dataset::DataSet;
use crate::error::Result;
use crate::layout::Shape;
use crate::rng::NumpyRng;
use std::collections::HashSet;

/// Most carry-chain pairs, whatever the digits: their evaluation is part of an epoch's work.
pub const MAX_CHAIN_PAIRS: usize = 400;

/// Random pairs of each carry-chain family drawn (fewer when the pair space is small).
const PER_FAMILY: usize = 90;

/// The stream index of the test sets (the fresh epochs use 1, 2, ...).
const TEST_STREAM: u64 = u64::MAX;

/// A u32 seed for stream `stream` of data seed `seed`: splitmix64 of both, high half.
pub fn derive_seed(seed: u32, stream: u64) -> u32 {
    let mut z = (u64::from(seed) << 32 ^ stream.rotate_left(17)).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    ((z ^ (z >> 31)) >> 32) as u32
}

/// The two test sets of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct TestSets {
    /// Random pairs, as the training sums are drawn.
    pub random: DataSet,
    /// Pairs whose addition carries through long runs of digits, or must not carry at all.
    pub chains: DataSet,
    /// Every pair of both, which a fresh training draw rejects.
    pub pairs: HashSet<(u64, u64)>,
}

impl TestSets {
    /// `test_samples` random pairs and the carry chains for `n_digits`, none of them in
    /// `training`; at most half the pair space when the training sums are drawn fresh, so that
    /// fresh draws always find pairs.
    pub fn draw(data_seed: u32, test_samples: usize, shape: Shape, training: &DataSet, fresh: bool) -> Result<TestSets> {
        let n_digits = shape.n_digits;
        let mut rng = NumpyRng::new(u64::from(derive_seed(data_seed, TEST_STREAM)))?;
        let taken: HashSet<(u64, u64)> = training.pairs.iter().copied().collect();
        let space = 100f64.powi(n_digits as i32);
        // the chains first: in a small pair space the random pairs would leave them none
        let mut pairs = HashSet::new();
        let mut chains = Vec::new();
        for pair in carry_chains(&mut rng, n_digits) {
            if chains.len() < MAX_CHAIN_PAIRS && !taken.contains(&pair) && pairs.insert(pair) {
                chains.push(pair);
            }
        }
        let room = if fresh { space / 2.0 } else { space - taken.len() as f64 } - chains.len() as f64;
        let wanted = test_samples.min(room.max(0.0) as usize);
        let mut random = Vec::with_capacity(wanted);
        // rejection with a bound: a space almost all taken may not give `wanted` pairs
        for _ in 0..wanted.saturating_mul(20) {
            if random.len() == wanted {
                break;
            }
            // the held-out sums are always uniform, whatever the training sums' carry runs
            let pair = random_pair(&mut rng, n_digits, 0.0)?;
            if !taken.contains(&pair) && pairs.insert(pair) {
                random.push(pair);
            }
        }
        Ok(TestSets { random: DataSet::from_pairs(random, shape)?, chains: DataSet::from_pairs(chains, shape)?, pairs })
    }

    /// Examples in both sets.
    pub fn len(&self) -> usize {
        self.random.len() + self.chains.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A number below 10^n_digits.
fn below(rng: &mut NumpyRng, n_digits: usize) -> u64 {
    (0..n_digits).fold(0, |acc, _| acc * 10 + u64::from(rng.randint(10)))
}

/// The carry-chain families, the fixed cases first: 99..9 + 1 and 1 + 99..9, 99..9 + 99..9,
/// 499..9 + 500..01; then a + (10^n − a) (a carry through every digit), a + (10^n − 1 − a)
/// (all nines, no carry at all), and random pairs with a run of at least min(5, n) carries.
fn carry_chains(rng: &mut NumpyRng, n: usize) -> Vec<(u64, u64)> {
    let top = 10u64.pow(n as u32);
    let max = top - 1;
    let mut out = vec![(max, 1), (1, max), (max, max), (top / 2 - 1, top / 2 + 1)];
    for _ in 0..PER_FAMILY {
        // a last digit from 1 makes every place carry
        let a = below(rng, n);
        let a = a - a % 10 + 1 + u64::from(rng.randint(9));
        out.push((a, top - a));
        let a = below(rng, n);
        out.push((a, max - a));
        out.push(run_of_carries(rng, n));
    }
    out.retain(|&(a, b)| a <= max && b <= max);
    out
}

/// A random pair whose digits carry through a run of at least min(5, n) places: the run's lowest
/// digits sum to 10 or more, the rest of it to exactly 9 (each passes the carry on).
fn run_of_carries(rng: &mut NumpyRng, n: usize) -> (u64, u64) {
    let len = n.min(5) + rng.randint((n - n.min(5) + 1) as u32) as usize;
    let start = rng.randint((n - len + 1) as u32) as usize;
    let (mut a, mut b) = (0u64, 0u64);
    for place in (0..n).rev() {
        let (da, db) = if place == start {
            let da = 1 + rng.randint(9);
            (da, 10 - da + rng.randint(da))
        } else if place > start && place < start + len {
            let da = rng.randint(10);
            (da, 9 - da)
        } else {
            (rng.randint(10), rng.randint(10))
        };
        a = a * 10 + u64::from(da);
        b = b * 10 + u64::from(db);
    }
    (a, b)
}

/// The first training set, the notebook's draw from the data seed, and that stream where the draw
/// left it (where a run without a model seed draws its weights). A new run and a resumed one
/// start from it alike.
pub fn first_training_set(config: &Config) -> Result<(DataSet, NumpyRng)> {
    let mut rng = NumpyRng::new(u64::from(config.data_seed))?;
    let data = DataSet::generate(&mut rng, config.n_samples, config.shape(), config.carry_runs)?;
    Ok((data, rng))
}

/// Epoch `epoch`'s fresh training sums: `nSamples` random pairs (with the run's carry runs) from
/// that epoch's stream, each test pair rejected (the test sets cover at most half the pairs, so
/// this ends quickly).
pub fn fresh_training_set(config: &Config, epoch: usize, tests: &TestSets) -> Result<DataSet> {
    let mut rng = NumpyRng::new(u64::from(derive_seed(config.data_seed, epoch as u64)))?;
    let mut pairs = Vec::with_capacity(config.n_samples);
    while pairs.len() < config.n_samples {
        let pair = random_pair(&mut rng, config.n_digits, config.carry_runs)?;
        if !tests.pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    DataSet::from_pairs(pairs, config.shape())
}

/// Most consecutive places of `a + b` that receive a carry.
pub fn longest_carry_run(a: u64, b: u64) -> usize {
    let (mut a, mut b, mut carry, mut run, mut best) = (a, b, 0, 0, 0);
    while a > 0 || b > 0 || carry > 0 {
        carry = u64::from(a % 10 + b % 10 + carry >= 10);
        run = if carry == 1 { run + 1 } else { 0 };
        best = best.max(run);
        (a, b) = (a / 10, b / 10);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Layout;

    fn training(seed: u32, n: usize, samples: usize) -> DataSet {
        DataSet::generate(&mut NumpyRng::new(seed as u64).unwrap(), samples, Layout::Notebook.digits(n), 0.0).unwrap()
    }

    /// Settings for `fresh_training_set`: data seed 10, `n` digits, `samples` sums an epoch.
    fn fresh(n: usize, samples: usize, carry_runs: f64) -> Config {
        Config { n_digits: n, n_samples: samples, layout: Layout::Aligned, fresh_data: true, carry_runs, ..Config::default() }
    }

    #[test]
    fn test_sets_are_held_out_and_carry() {
        for n in [1, 2, 3, 7, 18] {
            // a tiny pair space is all taken by 1000 training sums: nothing would be held out
            let train = training(10, n, if n <= 2 { 20 } else { 1000 });
            let t = TestSets::draw(10, 1000, Layout::Aligned.digits(n), &train, false).unwrap();
            assert!(train.pairs.iter().all(|p| !t.pairs.contains(p)), "n {n}");
            assert!(t.chains.len() <= MAX_CHAIN_PAIRS && !t.chains.is_empty(), "n {n}");
            assert!(t.chains.pairs.iter().all(|&(a, b)| a < 10u64.pow(n as u32) && b < 10u64.pow(n as u32)));
            // every chain family but the all-nines one carries through a run of min(5, n)
            let long = t.chains.pairs.iter().filter(|&&(a, b)| longest_carry_run(a, b) >= n.min(5)).count();
            assert!(long * 3 + 12 >= t.chains.len() * 2, "n {n}: {long} of {}", t.chains.len());
            if n >= 7 {
                assert_eq!(t.random.len(), 1000);
                assert!(t.chains.pairs.contains(&(10u64.pow(n as u32) - 1, 1)));
                assert!(t.chains.len() > 250, "{}", t.chains.len());
            }
            let fresh = TestSets::draw(10, 1000, Layout::Aligned.digits(n), &train, true).unwrap();
            for carry_runs in [0.0, 0.5] {
                let next = fresh_training_set(&self::fresh(n, 500, carry_runs), 3, &fresh).unwrap();
                assert!(next.pairs.iter().all(|p| !fresh.pairs.contains(p)), "n {n}, carry runs {carry_runs}");
            }
        }
        assert_eq!(longest_carry_run(9999999, 1), 7);
        assert_eq!(longest_carry_run(4999999, 5000001), 7);
        assert_eq!(longest_carry_run(1234, 8765), 0);
    }

    #[test]
    fn streams_are_their_own() {
        assert_ne!(derive_seed(10, TEST_STREAM), 10);
        assert_ne!(derive_seed(10, 1), derive_seed(10, 2));
        assert_ne!(derive_seed(10, 1), derive_seed(11, 1));
        let a = fresh_training_set(&fresh(7, 5, 0.0), 1, &TestSets::draw(10, 5, Layout::Aligned.digits(7), &training(10, 7, 5), true).unwrap());
        assert_ne!(a.unwrap().pairs, training(10, 7, 5).pairs);
    }

    /// The share of places whose digits sum to 9 (where a carry in is passed on, and the sum
    /// digit depends on it), and of pairs with `run` such places in a row, in `pairs`.
    fn nines_and_runs(pairs: &[(u64, u64)], n: usize, run: usize) -> (f64, f64) {
        let nines = |&(a, b): &(u64, u64)| (0..n).map(move |k| (a / 10u64.pow(k as u32)) % 10 + (b / 10u64.pow(k as u32)) % 10 == 9);
        let places = pairs.iter().flat_map(nines).filter(|&nine| nine).count();
        let longest = |p: &(u64, u64)| nines(p).fold((0, 0), |(now, best), nine| if nine { (now + 1, best.max(now + 1)) } else { (0, best) }).1;
        let runs = pairs.iter().filter(|p| longest(p) >= run).count();
        (places as f64 / (pairs.len() * n) as f64, runs as f64 / pairs.len() as f64)
    }

    #[test]
    fn carry_runs_make_long_carries_common_and_leave_the_test_sums_uniform() {
        let tests = TestSets::draw(10, 1000, Layout::Aligned.digits(10), &training(10, 10, 100), true).unwrap();
        let uniform = fresh_training_set(&fresh(10, 20_000, 0.0), 1, &tests).unwrap();
        let rich = fresh_training_set(&fresh(10, 20_000, 0.2), 1, &tests).unwrap();
        // a place sums to 9 with chance 1/10 uniformly, 0.2 + 0.8 / 10 = 0.28 with carry runs 0.2
        let (nines, runs) = nines_and_runs(&uniform.pairs, 10, 3);
        assert!((nines - 0.10).abs() < 0.005, "{nines}");
        let (rich_nines, rich_runs) = nines_and_runs(&rich.pairs, 10, 3);
        assert!((rich_nines - 0.28).abs() < 0.005, "{rich_nines}");
        // three such places in a row: under 1 % of uniform sums, over ten times as many with carry runs
        assert!(runs < 0.01 && rich_runs > 10.0 * runs, "{runs} {rich_runs}");
        // the held-out sums do not change with the training sums' carry runs
        let (test_nines, _) = nines_and_runs(&tests.random.pairs, 10, 3);
        assert!((test_nines - 0.10).abs() < 0.02, "{test_nines}");
        // 0 is the notebook's draw, digit for digit
        let mut rng = NumpyRng::new(10).unwrap();
        let row: Vec<u64> = (0..20).map(|_| u64::from(rng.randint(10))).collect();
        let number = |digits: &[u64]| digits.iter().fold(0, |n, d| n * 10 + d);
        assert_eq!(training(10, 10, 1).pairs[0], (number(&row[..10]), number(&row[10..])));
    }
}
