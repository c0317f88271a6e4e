// @ts-check
// What the page is sent as the runs go on: training progress batched while the page draws
// (`merge` adds a slice's outcome to its run, `flush` posts each run's when the page has drawn the
// last post), the watched sum's prediction and hidden states in each run, and checkpoints.

import { Event, RECORDS_PER_POST } from '../protocol.js';
import { state, post, wasm, runs } from './state.js';

/** @typedef {import('./state.js').Run} Run */

/**
 * `call` on the watched sum in `run`, or an error message for it (null before one is watched).
 * @template T
 * @param {(a: string | number, b: string | number) => T} call
 * @param {Run} [run]
 * @returns {T | { error: string } | null}
 */
export function ofWatched(call, run = state.a) {
  if (!run.playground || !state.watched || !run.ready) return null;
  try {
    const { a, b } = state.watched;
    return wasm(() => call(a, b));
  } catch (e) {
    if (state.crashed) throw e;
    return { error: e.message };
  }
}

/** The prediction and hidden states for the watched sum in `run`, or an error message for it. @param {Run} [run] */
export function watch(run = state.a) {
  return ofWatched((a, b) => run.playground.view(a, b), run);
}

/** Posts the watched sum's view at the weights now, in each run (`id`: the request it answers, if any). @param {number} [id] */
export function postView(id) {
  for (const run of runs()) {
    const view = watch(run);
    // run A's answers the request; run B's follows it
    post({ type: Event.view, ...(run.id === 'a' ? { id } : { run: run.id }), view }, transferables(view));
  }
}

/** @param {import('../shapes.js').View | null} view @returns {Transferable[]} */
export function transferables(view) {
  return view && !('error' in view) ? [view.prediction.probabilities.buffer, view.hidden.values.buffer] : [];
}

/** A run at its last whole epoch. @param {Run} run */
const saved = (run) => ({ json: wasm(() => run.playground.export_model()), epoch: wasm(() => run.playground.epoch()) });

/** The runs at their last whole epochs, for the page to keep: both in one message. */
export function checkpoint() {
  state.lastCheckpoint = performance.now();
  const b = state.b?.ready ? saved(state.b) : null;
  post({ type: Event.checkpoint, ...saved(state.a), b });
}

/** Adds a slice's outcome to what the page has not been sent yet of `run`. */
/** @param {import('../shapes.js').TrainedFor} r @param {Run} [run] */
export function merge(r, run = state.a) {
  if (r.latest) run.epochCache = r.latest.epoch;
  const u = (run.unposted ??= { epochs: 0, sequences: 0, millis: 0, progress: r.progress });
  u.epochs += r.epochs;
  u.sequences += r.sequences;
  u.millis += r.millis;
  u.progress = r.progress;
}

/** Posts each run's progress so far, unless the page is still drawing the last post (or `force`). */
/** @param {boolean} force */
export function flush(force) {
  const due = runs().filter((run) => run.unposted && run.ready);
  if (!due.length || (!state.drawn && !force)) return;
  state.drawn = false;
  for (const run of due) flushRun(run, force);
}

/** @param {Run} run @param {boolean} force */
function flushRun(run, force) {
  const u = /** @type {NonNullable<Run['unposted']>} */ (run.unposted);
  run.unposted = null;
  const records = wasm(() => run.playground.history_since(run.lastRecordEpoch, RECORDS_PER_POST));
  if (records.length) run.lastRecordEpoch = records.at(-1).epoch;
  // the prediction follows each epoch, at most about 20 times a second
  let view = null;
  if (u.epochs > 0 && (force || performance.now() - run.lastView > 50)) {
    view = watch(run);
    run.lastView = performance.now();
  }
  const report = wasm(() => run.playground.report());
  post(
    {
      type: Event.progress,
      ...(run.id === 'b' ? { run: 'b' } : {}),
      preparing: false,
      report,
      progress: u.progress,
      records,
      view,
      epochs: u.epochs,
      sequences: u.sequences,
      millis: u.millis,
    },
    transferables(view),
  );
}
