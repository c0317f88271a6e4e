// The scaling grid on the wasm build (www/pkg, as served) in Node, as bench/native/engines.rs
// `--scaling` runs it natively: H x digits per number x layout x batch, plain SGD, exact BPTT
// (truncate 1000), 320 sums an epoch, timed by the benchmark's one rule (bench/workloads.mjs).
// Prints `SCALE wasm-node <layout> <batch> <H> <digits> <steps> <seq/s | refused>`.

import { readFileSync } from 'node:fs';
import init, { Playground } from '../www/pkg/rnn_playground.js';
import { rate } from './workloads.mjs';

await init({ module_or_path: readFileSync(new URL('../www/pkg/rnn_playground_bg.wasm', import.meta.url)) });
for (const layout of ['notebook', 'aligned']) {
  for (const batchSize of [1, 32]) {
    for (const nDigits of [3, 7, 15]) {
      for (const hiddenDim of [16, 32, 64, 128, 256]) {
        const steps = layout === 'notebook' ? 2 * nDigits : nDigits + 1;
        let result = 'refused'; // over the core's work per update, as natively
        try {
          const p = new Playground({ layout, batchSize, nDigits, hiddenDim, bpttTruncate: 1000, nSamples: 320, evaluateLossAfter: 1000 });
          result = rate(() => p.train_epoch(), 3, 320, 0.25);
          p.free();
        } catch (e) {
          if (!String(e?.message).includes('multiply-adds')) throw e;
        }
        console.log('SCALE wasm-node', layout, batchSize, hiddenDim, nDigits, steps, result);
      }
    }
  }
}
