// @ts-check
// What the page is sent as the run goes on: training progress batched while the page draws
// (`merge` adds a slice's outcome, `flush` posts it when the page has drawn the last post), the
// watched sum's prediction and hidden states, and checkpoints of the run.

import { Event, RECORDS_PER_POST } from '../protocol.js';
import { state, post, wasm } from './state.js';

/**
 * `call` on the watched sum, or an error message for it (null before one is watched).
 * @template T
 * @param {(a: string | number, b: string | number) => T} call
 * @returns {T | { error: string } | null}
 */
export function ofWatched(call) {
  if (!state.playground || !state.watched || !state.ready) return null;
  try {
    const { a, b } = state.watched;
    return wasm(() => call(a, b));
  } catch (e) {
    if (state.crashed) throw e;
    return { error: e.message };
  }
}

/** The prediction and hidden states for the watched sum, or an error message for it. */
export function watch() {
  return ofWatched((a, b) => state.playground.view(a, b));
}

/** Posts the watched sum's view at the weights now (`id`: the request it answers, if any). @param {number} [id] */
export function postView(id) {
  const view = watch();
  post({ type: Event.view, id, view }, transferables(view));
}

/** @param {import('../shapes.js').View | null} view @returns {Transferable[]} */
export function transferables(view) {
  return view && !('error' in view) ? [view.prediction.probabilities.buffer, view.hidden.values.buffer] : [];
}

/** The run at its last whole epoch, for the page to keep. */
export function checkpoint() {
  state.lastCheckpoint = performance.now();
  const json = wasm(() => state.playground.export_model());
  post({ type: Event.checkpoint, json, epoch: wasm(() => state.playground.epoch()) });
}

/** Adds a slice's outcome to what the page has not been sent yet. */
/** @param {import('../shapes.js').TrainedFor} r */
export function merge(r) {
  if (r.latest) state.epochCache = r.latest.epoch;
  const u = (state.unposted ??= { epochs: 0, sequences: 0, millis: 0, progress: r.progress });
  u.epochs += r.epochs;
  u.sequences += r.sequences;
  u.millis += r.millis;
  u.progress = r.progress;
}

/** Posts the progress so far, unless the page is still drawing the last one (or `force`). */
/** @param {boolean} force */
export function flush(force) {
  if (!state.unposted || (!state.drawn && !force)) return;
  const u = state.unposted;
  state.unposted = null;
  state.drawn = false;
  const records = wasm(() => state.playground.history_since(state.lastRecordEpoch, RECORDS_PER_POST));
  if (records.length) state.lastRecordEpoch = records.at(-1).epoch;
  // the prediction follows each epoch, at most about 20 times a second
  let view = null;
  if (u.epochs > 0 && (force || performance.now() - state.lastView > 50)) {
    view = watch();
    state.lastView = performance.now();
  }
  const report = wasm(() => state.playground.report());
  post(
    { type: Event.progress, preparing: false, report, progress: u.progress, records, view, epochs: u.epochs, sequences: u.sequences, millis: u.millis },
    transferables(view),
  );
}
