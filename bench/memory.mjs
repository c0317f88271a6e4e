// The Memory preset's claim, measured as the issue states it: through the wasm API in Node, each
// cell trained with the preset's settings for two minutes (one run at a time), for several data
// and model seeds; the held-out sums and carry chains right at the end, and when each first
// reached 100 %. Gated cells must get every held-out sum right; the vanilla cell, the same
// settings and time, must stay below half.
//
//   node bench/memory.mjs [SECONDS] [SEEDS...]     (cargo xtask bench --memory runs it)
//
// Needs www/pkg (cargo xtask build). Prints one RESULT line per run for `cargo xtask bench`.

import { readFileSync } from 'node:fs';
import { initSync, Playground } from '../www/pkg/rnn_playground.js';

initSync({ module: readFileSync(new URL('../www/pkg/rnn_playground_bg.wasm', import.meta.url)) });
const seconds = Number(process.argv[2] ?? 120);
const seeds = process.argv.length > 3 ? process.argv.slice(3).map(Number) : [10, 11, 12];

for (const seed of seeds) {
  for (const cell of ['gru', 'lstm', 'vanilla']) {
    const p = new Playground({ preset: 'memory', cell, dataSeed: seed, modelSeed: seed });
    const start = performance.now();
    let first = null;
    let last = null;
    let best = 0;
    while (performance.now() - start < seconds * 1000) {
      const r = p.train_for(200, null);
      if (r.latest) {
        last = r.latest;
        best = Math.max(best, last.test.exactAccuracy);
        if (first == null && last.test.exactAccuracy === 1 && last.carryChains.exactAccuracy === 1)
          first = { epoch: last.epoch, s: (performance.now() - start) / 1000 };
      }
    }
    const s = ((performance.now() - start) / 1000).toFixed(0);
    const at = first ? `epoch ${first.epoch} (${first.s.toFixed(0)} s)` : 'never';
    console.log(
      `RESULT memory seed=${seed} cell=${cell} epochs=${last?.epoch} seconds=${s} testSums=${last?.test.exactAccuracy.toFixed(3)} ` +
        `chains=${last?.carryChains.exactAccuracy.toFixed(3)} bestTestSums=${best.toFixed(3)} all100At="${at}"`,
    );
    p.free();
  }
}
