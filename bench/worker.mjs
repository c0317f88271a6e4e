// The workloads inside a module Web Worker, with the wasm module loaded as the page's worker loads it.
// Its URL's `only` names the workloads to run (all when empty; see bench/page.mjs).

import init, { Playground } from '../www/pkg/rnn_playground.js';
import { runWorkloads } from './workloads.mjs';

try {
  await init();
  self.postMessage({ results: runWorkloads(Playground, 'chromium', 5, new URL(self.location.href).searchParams.get('only')) });
} catch (e) {
  self.postMessage({ error: String(e?.stack ?? e) });
}
