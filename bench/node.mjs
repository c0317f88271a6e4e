// The wasm build (www/pkg, as served) and plain JS, in Node. Prints RESULT lines.
//   node bench/node.mjs [WORKLOADS]   (comma-separated, e.g. gru1,lstm32; all when left out)

import { readFileSync } from 'node:fs';
import init, { Playground } from '../www/pkg/rnn_playground.js';
import { runWorkloads } from './workloads.mjs';

await init({ module_or_path: readFileSync(new URL('../www/pkg/rnn_playground_bg.wasm', import.meta.url)) });
for (const r of runWorkloads(Playground, 'node', 5, process.argv[2])) console.log('RESULT', r.engine, r.workload, r.seqPerSec);
