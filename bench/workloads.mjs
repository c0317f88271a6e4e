// The benchmark's workloads, run the same way on the wasm core and on plain JS, in Node and in the
// browser's worker. Returns [{ engine, workload, seqPerSec }]. Every engine of the benchmark times
// the same way (bench/notebook.py, bench/torch_rnn.py, bench/tfjs.mjs, bench/native/engines.rs):
// the median of `runs` timed runs after a warm-up, each run whole steps (here whole epochs) until
// at least SECONDS have passed.

import { PlainRnn, additionData } from './plain.mjs';

const SAMPLES = 1000;
const DIGITS = 7;

const SECONDS = 0.5;

/** Sequences per second of `run`, which trains (or evaluates) `sequences` sequences. */
export function rate(run, runs, sequences = SAMPLES, seconds = SECONDS) {
  run();
  const rates = [];
  for (let i = 0; i < runs; i++) {
    let done = 0;
    let elapsed = 0;
    const t0 = performance.now();
    do {
      run();
      done += sequences;
      elapsed = (performance.now() - t0) / 1000;
    } while (elapsed < seconds);
    rates.push(done / elapsed);
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(runs / 2)];
}

/** The gated workloads' settings (bench/native/engines.rs, bench/torch_rnn.py and bench/tfjs.mjs
 * use the same): H 100, 7+7 digits in the notebook's layout (14 steps), nothing truncated. */
const GATED_ONE = { hiddenDim: 100, nDigits: DIGITS, bpttTruncate: 20, nSamples: SAMPLES };
const GATED_ADAM = { ...GATED_ONE, optimizer: 'adam', learningRate: 0.001 };
export const GATED = [
  ['gru1', { ...GATED_ONE, cell: 'gru' }],
  ['lstm1', { ...GATED_ONE, cell: 'lstm' }],
  ['gru32', { ...GATED_ADAM, cell: 'gru', batchSize: 32, nSamples: 3200 }],
  ['lstm32', { ...GATED_ADAM, cell: 'lstm', batchSize: 32, nSamples: 3200 }],
];

/** The workloads named in a comma-separated list (`only`), or all of them when it is empty. */
export function wanted(only) {
  const names = (only ?? '').split(',').filter(Boolean);
  return (workload) => names.length === 0 || names.includes(workload);
}

/** `Playground` is the wasm class; `where` names the host ("node" or "chromium"); `only` a
 * comma-separated list of workloads to run (all when empty). */
export function runWorkloads(Playground, where, runs = 5, only = '') {
  const want = wanted(only);
  const results = [];
  const add = (engine, workload, seqPerSec) => results.push({ engine: `${engine}-${where}`, workload, seqPerSec });
  for (const [workload, truncate] of [
    ['a', 20],
    ['b', 3],
  ]) {
    if (!want(workload)) continue;
    // evaluateLossAfter 1000: train_epoch is the SGD pass alone, no loss evaluation
    const p = new Playground({ bpttTruncate: truncate, evaluateLossAfter: 1000, nSamples: SAMPLES, nDigits: DIGITS });
    add(
      'wasm',
      workload,
      rate(() => p.train_epoch(), runs),
    );
    p.free();
    const m = new PlainRnn();
    const data = additionData(SAMPLES, DIGITS);
    add(
      'js',
      workload,
      rate(() => {
        for (const { x, y } of data) m.sgdStep(x, y, 0.005, truncate);
      }, runs),
    );
  }
  // Batched, in f64 and f32 (one epoch = config.nSamples sequences):
  // - Adam at batch 32 on the notebook's layout (a32) and the carry preset (c32), 3200 sequences;
  // - the gated cells (GRU, LSTM) on the notebook's shapes: batch 1 with plain SGD (gru1, lstm1;
  //   1000 sequences an epoch), and Adam at batch 32 (gru32, lstm32). See GATED above.
  const batched = [['a32', { batchSize: 32, optimizer: 'adam', learningRate: 0.001, nSamples: 3200 }], ['c32', { preset: 'carry', nSamples: 3200 }], ...GATED];
  for (const [workload, config] of batched) {
    if (!want(workload)) continue;
    for (const [engine, precision] of [
      ['wasm', 'f64'],
      ['wasm-f32', 'f32'],
    ]) {
      const p = new Playground({ ...config, precision, evaluateLossAfter: 1000 });
      add(
        engine,
        workload,
        rate(() => p.train_epoch(), runs, config.nSamples),
      );
      p.free();
    }
  }
  if (!want('d')) return results;
  // (d) forward only: the loss over the 1000 samples is 1000 forward passes
  const p = new Playground({ nSamples: SAMPLES, nDigits: DIGITS });
  add(
    'wasm',
    'd',
    rate(() => p.loss(), runs),
  );
  p.free();
  const m = new PlainRnn();
  const data = additionData(SAMPLES, DIGITS);
  add(
    'js',
    'd',
    rate(() => m.loss(data), runs),
  );
  return results;
}
