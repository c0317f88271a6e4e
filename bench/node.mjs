// The wasm build (www/pkg, as served) and plain JS, in Node. Prints RESULT lines.

import { readFileSync } from 'node:fs';
import init, { Playground } from '../www/pkg/rnn_playground.js';
import { runWorkloads } from './workloads.mjs';

await init({ module_or_path: readFileSync(new URL('../www/pkg/rnn_playground_bg.wasm', import.meta.url)) });
for (const r of runWorkloads(Playground, 'node')) console.log('RESULT', r.engine, r.workload, r.seqPerSec);
