// @ts-check
// The worker's one state object: the runs (A, and B when comparing) and everything the work loop, the progress batching
// and the commands share about it. Beside it the two helpers every part uses: `post` (a message
// to the page, tagged with the model's generation) and `wasm` (a call into the core, whose trap
// marks the worker dead).

import { Event } from '../protocol.js';

/** @typedef {import('../pkg/rnn_playground.js').Playground} Playground */
/** @typedef {import('../shapes.js').Progress} Progress */

/**
 * One run the worker holds: run "a", the page's model, or run "b", compared with it.
 * @typedef {object} Run
 * @property {'a' | 'b'} id
 * @property {Playground | null} playground the model
 * @property {boolean} ready its starting loss is recorded
 * @property {{ epochs: number, sequences: number, millis: number, progress: Progress } | null} unposted progress not yet posted while the page draws
 * @property {number | null} lastRecordEpoch the latest loss record the page has been sent
 * @property {number} lastView when the watched sum's view was last sent
 * @property {number} epochCache the epoch as of the last slice, without asking the model
 */

/**
 * @typedef {object} WorkerState
 * @property {Run} a run A: the model
 * @property {Run | null} b run B, when the page compares two runs
 * @property {number} generation the page's number for this model (protocol.js)
 * @property {boolean} crashed the wasm module trapped: the worker does nothing more
 * @property {boolean} running training, until paused or `untilEpoch`
 * @property {number | null} untilEpoch train until this epoch (Step, or a link's epoch), or null: until paused
 * @property {number} speed epochs per second; 0 = as fast as possible
 * @property {{ a: string | number, b: string | number } | null} watched the sum whose prediction follows training
 * @property {{ id: number, epoch: number } | null} check a gradient check under way: the request it answers
 * @property {boolean} drawn the page has drawn the last progress post
 * @property {number} lastCheckpoint when the run was last saved (performance.now())
 * @property {number} sleepUntil at a set speed: no training before this time
 * @property {boolean} stepPending Step pressed while the model was being prepared
 * @property {boolean} scheduled a slice is queued
 * @property {'a' | 'b'} lastTrained the run the last slice trained (two runs level take turns)
 * @property {Record<string, number>} timings when the worker started, its module was ready and its first model made (ms since 1970), for the page's `model-ready` mark
 */

/** A run with no model yet. @param {'a' | 'b'} id @returns {Run} */
export function newRun(id) {
  return { id, playground: null, ready: false, unposted: null, lastRecordEpoch: null, lastView: 0, epochCache: 0 };
}

/** @type {WorkerState} */
export const state = {
  a: newRun('a'),
  b: null,
  generation: 0,
  crashed: false,
  running: false,
  untilEpoch: null,
  speed: 0,
  watched: null,
  check: null,
  drawn: true,
  lastCheckpoint: 0,
  sleepUntil: 0,
  stepPending: false,
  scheduled: false,
  lastTrained: 'b',
  timings: {},
};

/** The runs the worker holds: A, and B when comparing. */
export const runs = () => /** @type {Run[]} */ (state.b ? [state.a, state.b] : [state.a]);

/** A message to the page, about the current generation. @type {(msg: object, transfer?: Transferable[]) => void} */
export const post = (msg, transfer = []) => self.postMessage({ gen: state.generation, ...msg }, transfer);

/**
 * Runs `f` (a call into wasm); a trap marks the worker dead and tells the page.
 * @template T
 * @param {() => T} f
 * @returns {T}
 */
export function wasm(f) {
  try {
    return f();
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      state.crashed = true;
      state.running = false;
      post({ type: Event.crashed, message: e.message });
    }
    throw e;
  }
}
