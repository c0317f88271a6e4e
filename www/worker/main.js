// @ts-check
// The only place the runs live: a module Web Worker that owns run A's `Playground` (wasm), and run
// B's when the page compares two runs, and works on them in slices of a few milliseconds
// (loop.js), looking at its message queue between slices, so
// Pause, Reset and a new sum are answered at once at any setting. The protocol is in
// ../protocol.js; the worker's state is one object (state.js), the commands' handlers are in
// commands.js, and the progress posted while the page draws is batched in progress.js.
//
// If the wasm module ever traps (a bug), the worker says `crashed` and stops: the page replaces it
// and restores the last checkpoint.

import init from '../pkg/rnn_playground.js';
import { wallClock } from '../timing.js';
import { Event, refusal } from '../protocol.js';
import { state, post } from './state.js';
import { handlers } from './commands.js';
import { schedule } from './loop.js';

state.timings.start = wallClock();
const loaded = init().then(() => {
  state.timings.wasm = wallClock();
});

self.onmessage = async ({ data }) => {
  await loaded;
  if (state.crashed) return;
  const handler = handlers[data.type];
  if (!handler) {
    post({ type: Event.error, id: data.id, message: `unknown command "${data.type}"` });
    return;
  }
  const refused = refusal(data, { generation: state.generation, hasModel: state.a.playground !== null, ready: state.a.ready });
  if (refused === 'stale') return; // about a model since replaced
  if (refused) {
    post({ type: Event.error, id: data.id, message: refused });
    return;
  }
  try {
    handler(data);
  } catch (e) {
    if (!state.crashed) post({ type: Event.error, id: data.id, message: e.message });
  }
  schedule();
};
