// TensorFlow.js, the in-browser alternative, on the benchmark's training workloads: a module Web
// Worker like ours (TF.js bundled by `cargo xtask bench`, see bench/tfjs-entry.mjs), started by bench/page.mjs beside the wasm core's worker and
// never at the same time. The same model as ours, hand-built the way the TF.js guides do it:
// tf.variable for U, V and W, the recurrence as a loop of tanh(x U' + s W'), the loss summed over
// the steps and averaged over the batch, tf.train.sgd / tf.train.adam minimize. No truncation:
// autograd runs the exact BPTT, as the workloads' truncate >= steps does. TF.js computes in float32
// (its wasm and cpu backends have no float64). The wasm backend runs single-threaded SIMD here (the
// served page is not cross-origin isolated, so no threads), as on a user's page by default.
//
// The gated rows use TF.js's layers API as its guides do: a tf.sequential of tf.layers.gru or
// tf.layers.lstm (H 100, returnSequences) and a bias-free dense softmax layer over every step,
// trained with the same optimizer's minimize on the cross-entropy summed over the steps and averaged
// over the batch (Keras's categorical cross-entropy, per sequence). recurrentActivation is set to
// 'sigmoid', PyTorch's and ours (TF.js's default is hardSigmoid). TF.js's GRU applies its reset gate
// before the recurrent product (Keras's reset_after false; TF.js has no other): the same products
// and the same number of weights as PyTorch's, in a slightly different order.
//
// Posts { results: [{ engine, workload, seqPerSec }] } or { error }.

import { tf, tfl, setWasmPaths } from './vendor/tfjs/tfjs.mjs';
import { PlainRnn, additionData } from './plain.mjs';
import { rate, wanted } from './workloads.mjs';

const RUNS = 5;
// the workloads this worker's URL names in `only` (all when empty; see bench/page.mjs)
const want = wanted(new URL(self.location.href).searchParams.get('only'));
const SAMPLES = 3200;

// (workload, layout, H, batch, optimizer, learning rate): the shapes of xtask/src/bench.rs
const WORKLOADS = [
  ['a', 'notebook', 100, 1, 'sgd', 0.005],
  ['a32', 'notebook', 100, 32, 'adam', 0.001],
  ['c32', 'aligned', 32, 32, 'adam', 0.02],
];

/** The sums as one-hot inputs [T, n, I] and targets [T, n, 10], in either layout. */
function tensors(examples, layout, digits) {
  const n = examples.length;
  const T = layout === 'notebook' ? 2 * digits : digits + 1;
  const I = layout === 'notebook' ? 10 : 20;
  const x = new Float32Array(T * n * I);
  const y = new Float32Array(T * n * 10);
  examples.forEach(({ x: ex, y: ey }, i) => {
    for (let t = 0; t < T; t++) {
      const row = t * n + i;
      if (layout === 'notebook') {
        x[row * I + ex[t]] = 1;
        y[row * 10 + ey[t]] = 1;
      } else if (t < digits) {
        // step t reads digit t of a and of b, least significant first, and outputs sum digit t
        x[row * I + ex[digits - 1 - t]] = 1;
        x[row * I + 10 + ex[2 * digits - 1 - t]] = 1;
        y[row * 10 + ey[2 * digits - 1 - t]] = 1;
      } else {
        y[row * 10 + ey[2 * digits - 1 - t]] = 1; // the last step outputs the final carry
      }
    }
  });
  return { x: tf.tensor3d(x, [T, n, I]), y: tf.tensor3d(y, [T, n, 10]) };
}

class TfRnn {
  constructor(inputDim, hidden, weights) {
    const init = (shape, fan) => tf.randomUniform(shape, -Math.sqrt(1 / fan), Math.sqrt(1 / fan), 'float32', 10);
    // U [H, I], V [10, H], W [H, H]: the notebook's matrices, applied to row vectors transposed
    this.U = tf.variable(weights ? tf.tensor2d(Float32Array.from(weights.U), [hidden, inputDim]) : init([hidden, inputDim], inputDim));
    this.V = tf.variable(weights ? tf.tensor2d(Float32Array.from(weights.V), [10, hidden]) : init([10, hidden], hidden));
    this.W = tf.variable(weights ? tf.tensor2d(Float32Array.from(weights.W), [hidden, hidden]) : init([hidden, hidden], hidden));
    this.hidden = hidden;
  }

  /** x [T, B, I], y [T, B, 10]: the cross-entropy summed over the steps, averaged over the batch. */
  loss(x, y) {
    const [T, B, I] = x.shape;
    const inputs = tf.reshape(tf.matMul(tf.reshape(x, [T * B, I]), this.U, false, true), [T, B, this.hidden]);
    let s = tf.zeros([B, this.hidden]);
    const states = [];
    for (const u of tf.unstack(inputs)) {
      s = tf.tanh(tf.add(u, tf.matMul(s, this.W, false, true)));
      states.push(s);
    }
    const logits = tf.matMul(tf.concat(states), this.V, false, true);
    return tf.div(tf.losses.softmaxCrossEntropy(tf.reshape(y, [T * B, 10]), logits, undefined, 0, tf.Reduction.SUM), B);
  }
}

// (workload, cell, batch, optimizer, learning rate): H 100, the notebook's layout (see GATED in
// bench/workloads.mjs)
const GATED = [
  ['gru1', 'gru', 1, 'sgd', 0.005],
  ['lstm1', 'lstm', 1, 'sgd', 0.005],
  ['gru32', 'gru', 32, 'adam', 0.001],
  ['lstm32', 'lstm', 32, 'adam', 0.001],
];

/** A tf.layers GRU or LSTM over [B, T, 10] inputs, a dense softmax on every step's state. */
function gatedModel(cell) {
  const layer = cell === 'gru' ? tfl.layers.gru : tfl.layers.lstm;
  return tfl.sequential({
    layers: [
      layer({ units: 100, returnSequences: true, recurrentActivation: 'sigmoid', inputShape: [14, 10] }),
      tfl.layers.dense({ units: 10, activation: 'softmax', useBias: false }),
    ],
  });
}

/** probs and y [B, T, 10]: the cross-entropy summed over the steps, averaged over the batch. */
function gatedLoss(probs, y) {
  return tf.div(tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(probs, 1e-7, 1))))), probs.shape[0]);
}

/** Sequences per second of each gated workload on the current backend; first, that a few SGD steps
 * on one batch lower its loss (the gradients reach every weight the right way round). */
function gatedWorkloads(examples, backend, results) {
  for (const [workload, cell, batch, optimizer, lr] of GATED) {
    if (!want(workload)) continue;
    const batches = [];
    for (let j = 0; j + batch <= examples.length; j += batch) {
      const { x, y } = tensors(examples.slice(j, j + batch), 'notebook', 7);
      // [T, B, C] to the layers' [B, T, C], before the clock starts
      batches.push({ x: tf.transpose(x, [1, 0, 2]), y: tf.transpose(y, [1, 0, 2]) });
      tf.dispose([x, y]);
    }
    const model = gatedModel(cell);
    const vars = model.trainableWeights.map((w) => w.read());
    const loss = ({ x, y }) => gatedLoss(model.apply(x, { training: true }), y);
    const probe = tf.train.sgd(0.05);
    const before = tf.tidy(() => loss(batches[0]).dataSync()[0]);
    for (let i = 0; i < 5; i++) probe.minimize(() => loss(batches[0]), false, vars);
    const after = tf.tidy(() => loss(batches[0]).dataSync()[0]);
    probe.dispose();
    if (!(after < before)) throw new Error(`TF.js ${cell}: 5 SGD steps did not lower the loss (${before} -> ${after})`);
    const opt = optimizer === 'sgd' ? tf.train.sgd(lr) : tf.train.adam(lr, 0.9, 0.999, 1e-8);
    let k = 0;
    const synced = () => {
      opt.minimize(() => loss(batches[k++ % batches.length]), false, vars);
      vars[0].dataSync();
    };
    results.push({ engine: `tfjs-${backend}`, workload, seqPerSec: rate(synced, RUNS, batch) });
    opt.dispose();
    model.dispose();
    tf.dispose(batches.flatMap(({ x, y }) => [x, y]));
  }
}

/** The same weights and the same sequence as plain JS (float64): loss and one SGD step must agree. */
function checkAgainstPlain(examples) {
  const plain = new PlainRnn();
  const m = new TfRnn(10, 100, { U: plain.U, V: plain.V, W: plain.W });
  const { x, y } = tensors(examples.slice(0, 1), 'notebook', 7);
  const lossTf = tf.tidy(() => m.loss(x, y)).dataSync()[0];
  const lossPlain = plain.loss(examples.slice(0, 1)) * 14; // plain's loss is per digit
  if (Math.abs(lossTf - lossPlain) > 1e-4 * lossPlain) throw new Error(`TF.js loss ${lossTf} differs from plain JS ${lossPlain}`);
  tf.train.sgd(0.5).minimize(() => m.loss(x, y), false, [m.U, m.V, m.W]);
  plain.sgdStep(examples[0].x, examples[0].y, 0.5, 20);
  for (const name of ['U', 'V', 'W']) {
    const ours = m[name].dataSync();
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - plain[name][i]));
    if (worst > 1e-4) throw new Error(`TF.js's SGD step on ${name} differs from plain JS's by ${worst}`);
  }
  tf.dispose([m.U, m.V, m.W, x, y]);
}

async function main() {
  setWasmPaths(new URL('./vendor/tfjs/', import.meta.url).href);
  const examples = additionData(SAMPLES, 7);
  const results = [];
  for (const backend of ['wasm', 'cpu']) {
    if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} did not start`);
    await tf.ready();
    checkAgainstPlain(examples);
    for (const [workload, layout, hidden, batch, optimizer, lr] of WORKLOADS) {
      if (!want(workload)) continue;
      const batches = [];
      for (let j = 0; j < SAMPLES; j += batch) batches.push(tensors(examples.slice(j, j + batch), layout, 7));
      const m = new TfRnn(layout === 'notebook' ? 10 : 20, hidden);
      const opt = optimizer === 'sgd' ? tf.train.sgd(lr) : tf.train.adam(lr, 0.9, 0.999, 1e-8);
      let k = 0;
      const step = () => {
        const { x, y } = batches[k++ % batches.length];
        opt.minimize(() => m.loss(x, y), false, [m.U, m.V, m.W]);
      };
      // the backends are synchronous; reading W back only makes sure nothing is left queued
      const synced = () => {
        step();
        m.W.dataSync();
      };
      results.push({ engine: `tfjs-${backend}`, workload, seqPerSec: rate(synced, RUNS, batch) });
      opt.dispose();
      tf.dispose([m.U, m.V, m.W, ...batches.flatMap(({ x, y }) => [x, y])]);
    }
    gatedWorkloads(examples, backend, results);
  }
  return { results, version: tf.version_core };
}

main().then(
  (r) => self.postMessage(r),
  (e) => self.postMessage({ error: String(e?.stack ?? e) }),
);
