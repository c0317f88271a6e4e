// @ts-check
// The work loop: one slice of a few milliseconds at a time (the starting loss, training, a
// gradient check), then back to the message queue, so that Pause, Reset and a new sum are
// answered at once at any setting.

import { Event, SLICE_MS, CHECKPOINT_MS } from '../protocol.js';
import { state, post, wasm } from './state.js';
import { wallClock } from '../timing.js';
import { merge, flush, watch, transferables, checkpoint, postView } from './progress.js';

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

function hasWork() {
  return state.playground && !state.crashed && (!state.ready || state.running || state.check);
}

/** Runs the next slice soon, after any message waiting. */
export function schedule() {
  if (state.scheduled || !hasWork()) return;
  state.scheduled = true;
  const wait = state.sleepUntil - performance.now();
  if (wait > 0 && state.ready && state.running && !state.check) setTimeout(() => channel.port2.postMessage(0), wait);
  else channel.port2.postMessage(0);
}

function slice() {
  if (state.check) continueCheck();
  if (!state.ready) return prepare();
  if (state.running && performance.now() >= state.sleepUntil) train();
}

/** The starting loss, in slices (a loaded model has it already); then the model is ready. */
function prepare() {
  const playground = state.playground;
  if (wasm(() => playground.progress()).phase === 'starting') {
    const r = wasm(() => playground.train_for(SLICE_MS, null));
    if (!r.ready) {
      post({ type: Event.progress, preparing: true, report: null, progress: r.progress, records: [], view: null, epochs: 0, sequences: 0, millis: r.millis });
      return;
    }
  }
  state.ready = true;
  const training = wasm(() => playground.state());
  state.lastRecordEpoch = training.history.at(-1).epoch;
  state.epochCache = training.epoch;
  if (state.stepPending) state.untilEpoch = state.epochCache + 1;
  state.stepPending = false;
  const view = watch();
  const ready = {
    type: Event.ready,
    config: wasm(() => playground.config()),
    layout: wasm(() => playground.layout()),
    state: training,
    report: wasm(() => playground.report()),
    view,
    timings: { ...state.timings, evaluated: wallClock() },
  };
  post(ready, transferables(view));
}

function train() {
  const target = state.speed > 0 ? Math.min(state.untilEpoch ?? Infinity, state.epochCache + 1) : state.untilEpoch;
  const r = wasm(() => state.playground.train_for(SLICE_MS, target));
  merge(r);
  if (state.speed > 0 && r.epochs > 0) state.sleepUntil = performance.now() + Math.max(0, 1000 / state.speed - r.millis);
  if (r.diverged) {
    flush(true);
    post({ type: Event.diverged, message: r.diverged, learningRate: wasm(() => state.playground.learning_rate()) });
    return stop();
  }
  if (state.untilEpoch != null && state.epochCache >= state.untilEpoch) return stop();
  flush(false);
  if (performance.now() - state.lastCheckpoint > CHECKPOINT_MS) checkpoint();
}

/**
 * Stops training at the last whole epoch: part of an epoch is set aside (training again redoes
 * it), so the prediction shown is the one the link and the saved run give. The page gets the
 * last progress, the watched sum's view at that epoch and the run.
 */
export function stop() {
  state.running = false;
  state.untilEpoch = null;
  state.stepPending = false;
  const progress = state.ready ? wasm(() => state.playground.progress()) : null;
  const rewound = state.ready && wasm(() => state.playground.rewind());
  flush(true);
  if (rewound) postView();
  if (state.ready) checkpoint();
  post({ type: Event.paused, setAside: rewound ? progress : null });
}

function continueCheck() {
  const r = wasm(() => state.playground.continue_gradient_check(SLICE_MS / 2));
  if (r.done) {
    post({ type: Event.gradientCheck, id: state.check.id, rows: r.rows, epoch: state.check.epoch });
    state.check = null;
  } else {
    post({ type: Event.checkProgress, checked: r.checked, total: r.total }); // no id: only the result answers the request
  }
}
