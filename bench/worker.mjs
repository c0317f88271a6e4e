// The workloads inside a module Web Worker, with the wasm module loaded as the page's worker loads it.

import init, { Playground } from '../www/pkg/rnn_playground.js';
import { runWorkloads } from './workloads.mjs';

try {
  await init();
  self.postMessage({ results: runWorkloads(Playground, 'chromium') });
} catch (e) {
  self.postMessage({ error: String(e?.stack ?? e) });
}
