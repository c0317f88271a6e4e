//! A data set of additions, laid out by a [`Shape`] (src/layout/): the data set, the model and
//! the trainer only see its input symbols and target digits.

use crate::data::random_pair;
use crate::error::Result;
use crate::layout::Shape;
use crate::rng::NumpyRng;

/// A data set of random additions, stored flat (one row of `steps` symbols per example).
#[derive(Debug, Clone, PartialEq)]
pub struct DataSet {
    pub shape: Shape,
    pub steps: usize,
    /// The two numbers of each example.
    pub pairs: Vec<(u64, u64)>,
    /// Input symbols, `len() * steps`, row-major.
    pub inputs: Vec<usize>,
    /// Target digits, `len() * steps`, row-major; [`NO_TARGET`](crate::data::NO_TARGET) where a step has none.
    pub targets: Vec<usize>,
}

impl DataSet {
    /// The notebook's `X_train`: `randint(10, (n_samples, 2 * n_digits))` from `rng`, row by row;
    /// the first `n_digits` digits of a row are a, the rest b. With `carry_runs` above 0 the
    /// pairs are drawn as [`random_pair`] draws them.
    pub fn generate(rng: &mut NumpyRng, n_samples: usize, shape: Shape, carry_runs: f64) -> Result<DataSet> {
        let pairs = (0..n_samples).map(|_| random_pair(rng, shape.n_digits, carry_runs)).collect::<Result<_>>()?;
        DataSet::from_pairs(pairs, shape)
    }

    pub fn from_pairs(pairs: Vec<(u64, u64)>, shape: Shape) -> Result<DataSet> {
        let steps = shape.steps();
        let mut inputs = Vec::with_capacity(pairs.len() * steps);
        let mut targets = Vec::with_capacity(pairs.len() * steps);
        for &(a, b) in &pairs {
            let (x, y) = shape.encode(a, b)?;
            inputs.extend(x);
            targets.extend(y);
        }
        Ok(DataSet { shape, steps, pairs, inputs, targets })
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The steps of each example that have a target: the digits its loss and accuracy count.
    pub fn outputs(&self) -> usize {
        self.shape.outputs()
    }

    /// Example `i`: its input symbols and target digits.
    pub fn example(&self, i: usize) -> (&[usize], &[usize]) {
        let r = i * self.steps..(i + 1) * self.steps;
        (&self.inputs[r.clone()], &self.targets[r])
    }

    pub fn examples(&self) -> impl Iterator<Item = (&[usize], &[usize])> {
        self.inputs.chunks_exact(self.steps).zip(self.targets.chunks_exact(self.steps))
    }

    /// The examples in `range`, as a data set of their own (the notebook's `X_train[:100]`).
    pub fn slice(&self, range: std::ops::Range<usize>) -> DataSet {
        let r = range.start * self.steps..range.end * self.steps;
        DataSet { pairs: self.pairs[range].to_vec(), inputs: self.inputs[r.clone()].to_vec(), targets: self.targets[r].to_vec(), ..self.clone_empty() }
    }

    fn clone_empty(&self) -> DataSet {
        DataSet { shape: self.shape, steps: self.steps, pairs: vec![], inputs: vec![], targets: vec![] }
    }
}
