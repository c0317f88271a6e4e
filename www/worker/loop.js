// @ts-check
// The work loop: one slice of a few milliseconds at a time (a starting loss, training, a
// gradient check), then back to the message queue, so that Pause, Reset and a new sum are
// answered at once at any setting. Two runs (when the page compares them) train in lockstep:
// each slice goes to the run with fewer whole epochs (level runs take turns), and neither is
// let more than one epoch ahead, so both do the same number of epochs, slice by slice.

import { Event, SLICE_MS, CHECKPOINT_MS } from '../protocol.js';
import { state, post, wasm, runs } from './state.js';
import { wallClock } from '../timing.js';
import { merge, flush, watch, transferables, checkpoint, postView } from './progress.js';

/** @typedef {import('./state.js').Run} Run */

// a message to ourselves: it runs after any message waiting (a zero-delay timer would be clamped)
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  state.scheduled = false;
  if (state.crashed) return;
  try {
    slice();
  } catch (e) {
    if (!state.crashed) post({ type: Event.error, message: `the model's worker failed: ${e.message}` });
  }
  schedule();
};

/** Every run's starting loss is recorded. */
const allReady = () => runs().every((run) => run.ready);

function hasWork() {
  return state.a.playground && !state.crashed && (!allReady() || state.running || state.check);
}

/** Runs the next slice soon, after any message waiting. */
export function schedule() {
  if (state.scheduled || !hasWork()) return;
  state.scheduled = true;
  const wait = state.sleepUntil - performance.now();
  if (wait > 0 && allReady() && state.running && !state.check) setTimeout(() => channel.port2.postMessage(0), wait);
  else channel.port2.postMessage(0);
}

function slice() {
  if (state.check) continueCheck();
  const preparing = runs().find((run) => !run.ready);
  if (preparing) return prepare(preparing);
  if (state.running && performance.now() >= state.sleepUntil) train();
}

/** A run's starting loss, in slices (a loaded model has it already); then the run is ready. @param {Run} run */
function prepare(run) {
  const playground = run.playground;
  const tag = run.id === 'b' ? { run: 'b' } : {};
  if (wasm(() => playground.progress()).phase === 'starting') {
    const r = wasm(() => playground.train_for(SLICE_MS, null));
    if (!r.ready) {
      post({
        type: Event.progress,
        ...tag,
        preparing: true,
        report: null,
        progress: r.progress,
        records: [],
        view: null,
        epochs: 0,
        sequences: 0,
        millis: r.millis,
      });
      return;
    }
  }
  run.ready = true;
  const training = wasm(() => playground.state());
  run.lastRecordEpoch = training.history.at(-1).epoch;
  run.epochCache = training.epoch;
  if (run.id === 'a' && state.stepPending) {
    state.untilEpoch = run.epochCache + 1;
    state.stepPending = false;
  }
  const view = watch(run);
  const ready = {
    type: Event.ready,
    ...tag,
    config: wasm(() => playground.config()),
    layout: wasm(() => playground.layout()),
    state: training,
    report: wasm(() => playground.report()),
    view,
    timings: { ...state.timings, evaluated: wallClock() },
  };
  post(ready, transferables(view));
}

/** The run the next slice trains, and the epoch it may train to; null when every run is done. */
function next() {
  const all = runs();
  const limit = state.untilEpoch ?? Infinity;
  const behind = all.filter((run) => run.epochCache < limit);
  if (!behind.length) return null;
  const least = Math.min(...behind.map((run) => run.epochCache));
  const level = behind.filter((run) => run.epochCache === least);
  const run = level.find((r) => r.id !== state.lastTrained) ?? level[0];
  // never more than one epoch ahead of the other run
  const ahead = Math.min(...all.filter((r) => r !== run).map((r) => r.epochCache + 1));
  const target = Math.min(limit, ahead, state.speed > 0 ? run.epochCache + 1 : Infinity);
  return { run, target: Number.isFinite(target) ? target : null };
}

function train() {
  const chosen = next();
  if (!chosen) return stop();
  const { run, target } = chosen;
  state.lastTrained = run.id;
  const r = wasm(() => run.playground.train_for(SLICE_MS, target));
  merge(r, run);
  // at a set speed, a pause once every run has done the epoch
  const level = runs().every((other) => other.epochCache === run.epochCache);
  if (state.speed > 0 && r.epochs > 0 && level) state.sleepUntil = performance.now() + Math.max(0, 1000 / state.speed - r.millis);
  if (r.diverged) {
    flush(true);
    post({ type: Event.diverged, ...(run.id === 'b' ? { run: 'b' } : {}), message: r.diverged, learningRate: wasm(() => run.playground.learning_rate()) });
    return stop();
  }
  if (state.untilEpoch != null && runs().every((other) => other.epochCache >= /** @type {number} */ (state.untilEpoch))) return stop();
  flush(false);
  if (performance.now() - state.lastCheckpoint > CHECKPOINT_MS) checkpoint();
}

/**
 * Stops training at the last whole epoch: part of an epoch is set aside (training again redoes
 * it), so the prediction shown is the one the link and the saved run give. The page gets the
 * last progress, the watched sum's view at that epoch and the runs.
 */
export function stop() {
  state.running = false;
  state.untilEpoch = null;
  state.stepPending = false;
  const a = state.a;
  const progress = a.ready ? wasm(() => a.playground.progress()) : null;
  const rewound = runs().map((run) => run.ready && wasm(() => run.playground.rewind()));
  const rewoundA = rewound[0];
  flush(true);
  if (rewound.some(Boolean)) postView();
  if (a.ready) checkpoint();
  post({ type: Event.paused, setAside: rewoundA ? progress : null });
}

function continueCheck() {
  const r = wasm(() => state.a.playground.continue_gradient_check(SLICE_MS / 2));
  if (r.done) {
    post({ type: Event.gradientCheck, id: state.check.id, rows: r.rows, epoch: state.check.epoch });
    state.check = null;
  } else {
    post({ type: Event.checkProgress, checked: r.checked, total: r.total }); // no id: only the result answers the request
  }
}
