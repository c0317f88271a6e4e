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

/** `Playground` is the wasm class; `where` names the host ("node" or "chromium"). */
export function runWorkloads(Playground, where, runs = 5) {
  const results = [];
  const add = (engine, workload, seqPerSec) => results.push({ engine: `${engine}-${where}`, workload, seqPerSec });
  for (const [workload, truncate] of [
    ['a', 20],
    ['b', 3],
  ]) {
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
  // Batch 32 with Adam: the notebook's layout (a32) and the carry preset (c32); one epoch = 3200 sequences
  for (const [workload, config] of [
    ['a32', { batchSize: 32, optimizer: 'adam', learningRate: 0.001, nSamples: 3200 }],
    ['c32', { preset: 'carry' }],
  ]) {
    for (const [engine, precision] of [
      ['wasm', 'f64'],
      ['wasm-f32', 'f32'],
    ]) {
      const p = new Playground({ ...config, precision, evaluateLossAfter: 1000 });
      add(
        engine,
        workload,
        rate(() => p.train_epoch(), runs, 3200),
      );
      p.free();
    }
  }
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
