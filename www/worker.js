// @ts-check
// The only place the model lives: a module Web Worker that owns one `Playground` (wasm) and works
// on it in slices of a few milliseconds (the starting loss, training, a gradient check), looking
// at its message queue between slices, so Pause, Reset and a new sum are answered at once at any
// setting. The protocol is in protocol.js.
//
// If the wasm module ever traps (a bug), the worker says `crashed` and stops: the page replaces it
// and restores the last checkpoint.

import init, { Playground, freshSeed, trapForTests } from './pkg/rnn_playground.js';
import { Command, Event, refusal, SLICE_MS, RECORDS_PER_POST, CHECKPOINT_MS } from './protocol.js';

/** @typedef {import('./protocol.js').Message} Message */

/** @type {Playground | null} */
let playground = null;
let generation = 0;
let crashed = false;
let running = false;
/** @type {number | null} */
let untilEpoch = null; // train until this epoch (Step, or a link's epoch), or null: until paused
let speed = 0; // epochs per second; 0 = as fast as possible
/** @type {{ a: string | number, b: string | number } | null} */
let watched = null; // { a, b }: the sum whose prediction follows training
/** @type {{ id: number, epoch: number } | null} */
let check = null; // { id }: a gradient check under way
let ready = false; // the current model's starting loss is recorded
let drawn = true; // the page has drawn the last progress post
/** @type {{ epochs: number, sequences: number, millis: number, progress: import('./shapes.js').Progress } | null} */
let unposted = null; // progress not yet posted while the page draws
/** @type {number | null} */
let lastRecordEpoch = null; // the latest loss record the page has been sent
let lastCheckpoint = 0;
let lastView = 0;
let sleepUntil = 0; // at a set speed: no training before this time
let epochCache = 0; // the epoch as of the last slice, without asking the model
let stepPending = false; // Step pressed while the model was being prepared
let flowWork = 0; // multiply-adds of one gradient flow of the watched sum: T² H² / 2 (set by watch())
/** Largest gradient flow computed while training (about 5 ms in wasm); larger ones wait for a pause. */
const LIVE_FLOW_WORK = 5e6;
const loaded = init();

/** @type {(msg: object, transfer?: Transferable[]) => void} */
const post = (msg, transfer = []) => self.postMessage({ gen: generation, ...msg }, transfer);

/** Runs `f` (a call into wasm); a trap marks the worker dead and tells the page. */
/**
 * @template T
 * @param {() => T} f
 * @returns {T}
 */
function wasm(f) {
  try {
    return f();
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      crashed = true;
      running = false;
      post({ type: Event.crashed, message: e.message });
    }
    throw e;
  }
}

/**
 * `call` on the watched sum, or an error message for it (null before one is watched).
 * @template T
 * @param {(a: string | number, b: string | number) => T} call
 * @returns {T | { error: string } | null}
 */
function ofWatched(call) {
  if (!playground || !watched || !ready) return null;
  try {
    const { a, b } = watched;
    return wasm(() => call(a, b));
  } catch (e) {
    if (crashed) throw e;
    return { error: e.message };
  }
}

/** The prediction and hidden states for the watched sum, or an error message for it. */
function watch() {
  const view = ofWatched((a, b) => playground.view(a, b));
  // what one gradient flow of this sum costs, from its shape
  if (view && !('error' in view)) flowWork = (view.prediction.steps ** 2 * view.hidden.hiddenDim ** 2) / 2;
  return view;
}

/** @param {import('./shapes.js').View | null} view @returns {Transferable[]} */
function transferables(view) {
  return view && !('error' in view) ? [view.prediction.probabilities.buffer, view.hidden.values.buffer] : [];
}

function checkpoint() {
  lastCheckpoint = performance.now();
  const json = wasm(() => playground.export_model());
  post({ type: Event.checkpoint, json, epoch: wasm(() => playground.epoch()) });
}

// ---- the work loop: one slice at a time, then back to the message queue

const channel = new MessageChannel();
let scheduled = false;
channel.port1.onmessage = () => {
  scheduled = false;
  if (crashed) return;
  try {
    slice();
  } catch (e) {
    if (!crashed) post({ type: Event.error, message: `the model's worker failed: ${e.message}` });
  }
  schedule();
};

function hasWork() {
  return playground && !crashed && (!ready || running || check);
}

/** Runs the next slice soon, after any message waiting (a zero-delay timer would be clamped). */
function schedule() {
  if (scheduled || !hasWork()) return;
  scheduled = true;
  const wait = sleepUntil - performance.now();
  if (wait > 0 && ready && running && !check) setTimeout(() => channel.port2.postMessage(0), wait);
  else channel.port2.postMessage(0);
}

function slice() {
  if (check) continueCheck();
  if (!ready) return prepare();
  if (running && performance.now() >= sleepUntil) train();
}

/** The starting loss, in slices (a loaded model has it already); then the model is ready. */
function prepare() {
  if (wasm(() => playground.progress()).phase === 'starting') {
    const r = wasm(() => playground.train_for(SLICE_MS, null));
    if (!r.ready) {
      post({ type: Event.progress, preparing: true, report: null, progress: r.progress, records: [], view: null, epochs: 0, sequences: 0, millis: r.millis });
      return;
    }
  }
  ready = true;
  const state = wasm(() => playground.state());
  lastRecordEpoch = state.history.at(-1).epoch;
  epochCache = state.epoch;
  if (stepPending) untilEpoch = epochCache + 1;
  stepPending = false;
  const view = watch();
  post({ type: Event.ready, config: wasm(() => playground.config()), state, report: wasm(() => playground.report()), view }, transferables(view));
}

function train() {
  const target = speed > 0 ? Math.min(untilEpoch ?? Infinity, epochCache + 1) : untilEpoch;
  const r = wasm(() => playground.train_for(SLICE_MS, target));
  merge(r);
  if (speed > 0 && r.epochs > 0) sleepUntil = performance.now() + Math.max(0, 1000 / speed - r.millis);
  if (r.diverged) {
    flush(true);
    post({ type: Event.diverged, message: r.diverged, learningRate: wasm(() => playground.learning_rate()) });
    return stop();
  }
  if (untilEpoch != null && epochCache >= untilEpoch) return stop();
  flush(false);
  if (performance.now() - lastCheckpoint > CHECKPOINT_MS) checkpoint();
}


/** Stops training: the page gets the last progress and the run at its last whole epoch. */
function stop() {
  running = false;
  untilEpoch = null;
  stepPending = false;
  flush(true);
  if (ready) checkpoint();
  post({ type: Event.paused });
}

/** Adds a slice's outcome to what the page has not been sent yet. */
/** @param {import('./shapes.js').TrainedFor} r */
function merge(r) {
  if (r.latest) epochCache = r.latest.epoch;
  const u = (unposted ??= { epochs: 0, sequences: 0, millis: 0, progress: r.progress });
  u.epochs += r.epochs;
  u.sequences += r.sequences;
  u.millis += r.millis;
  u.progress = r.progress;
}

/** Posts the progress so far, unless the page is still drawing the last one (or `force`). */
/** @param {boolean} force */
function flush(force) {
  if (!unposted || (!drawn && !force)) return;
  const u = unposted;
  unposted = null;
  drawn = false;
  const records = wasm(() => playground.history_since(lastRecordEpoch, RECORDS_PER_POST));
  if (records.length) lastRecordEpoch = records.at(-1).epoch;
  // the prediction follows each epoch, at most about 20 times a second
  let view = null;
  if (u.epochs > 0 && (force || performance.now() - lastView > 50)) {
    view = watch();
    lastView = performance.now();
  }
  const report = wasm(() => playground.report());
  post({ type: Event.progress, preparing: false, report, progress: u.progress, records, view, epochs: u.epochs, sequences: u.sequences, millis: u.millis }, transferables(view));
}

function continueCheck() {
  const r = wasm(() => playground.continue_gradient_check(SLICE_MS / 2));
  if (r.done) {
    post({ type: Event.gradientCheck, id: check.id, rows: r.rows, epoch: check.epoch });
    check = null;
  } else {
    post({ type: Event.checkProgress, checked: r.checked, total: r.total }); // no id: only the result answers the request
  }
}

// ---- commands

/** Replaces the model; if the new one cannot be made the old one stays and keeps its generation. */
/**
 * @param {() => Playground} make
 * @param {number} gen
 * @param {number | undefined} id
 */
function replace(make, gen, id) {
  let next;
  try {
    next = wasm(make);
  } catch (e) {
    if (crashed) return;
    post({ type: Event.error, id, message: e.message, keptGeneration: generation });
    return;
  }
  running = false;
  untilEpoch = null;
  check = null;
  try {
    playground?.free();
  } catch {
    // a model still borrowed by a trapped call cannot be freed; it goes with the old generation
  }
  playground = next;
  generation = gen;
  ready = false;
  stepPending = false;
  unposted = null;
  drawn = true;
  epochCache = 0;
  lastCheckpoint = performance.now();
  post({ type: Event.accepted, id });
}

/** @type {Record<string, (msg: Message) => void>} */
const handlers = {
  [Command.configure]({ gen, id, config }) {
    replace(() => new Playground(config), gen, id);
  },
  [Command.import]({ gen, id, json }) {
    replace(() => Playground.import_model(json), gen, id);
  },
  [Command.train]({ untilEpoch: until }) {
    untilEpoch = until ?? null;
    sleepUntil = 0;
    if (!running) {
      running = true;
      post({ type: Event.running });
    }
  },
  [Command.pause]() {
    if (running) stop();
  },
  [Command.step]({ id }) {
    if (running) return;
    if (ready) untilEpoch = wasm(() => playground.epoch()) + 1;
    else stepPending = true;
    running = true;
    post({ type: Event.running, id });
  },
  [Command.speed]({ value }) {
    speed = value;
    sleepUntil = 0;
  },
  [Command.learningRate]({ id, value }) {
    try {
      wasm(() => playground.set_learning_rate(value));
      post({ type: Event.learningRate, id, value });
    } catch (e) {
      if (!crashed) post({ type: Event.error, id, message: e.message });
    }
  },
  [Command.watch]({ id, a, b }) {
    watched = { a, b };
    const view = watch();
    post({ type: Event.view, id, view }, transferables(view));
  },
  [Command.export]({ id }) {
    post({ type: Event.exported, id, json: wasm(() => playground.export_model()), epoch: wasm(() => playground.epoch()) });
  },
  [Command.gradientCheck]({ id, options }) {
    try {
      wasm(() => playground.start_gradient_check(options));
      check = { id, epoch: wasm(() => playground.epoch()) };
    } catch (e) {
      if (!crashed) post({ type: Event.error, id, message: e.message });
    }
  },
  [Command.inspect]({ id }) {
    const started = performance.now();
    const flow =
      watched && running && flowWork > LIVE_FLOW_WORK
        ? { error: 'This model’s gradient flow is drawn when training pauses: computing it live would slow Pause and new sums down.' }
        : ofWatched((a, b) => playground.gradient_flow(a, b));
    const weights = wasm(() => playground.weights());
    const sigma = wasm(() => playground.largest_singular_value());
    const transfer = [weights.U, weights.V, weights.W].map((m) => m.values.buffer);
    if (flow && !('error' in flow)) transfer.push(flow.values.buffer, flow.decay.buffer);
    // where training stands, in epochs: mid-epoch weights are a fraction of the way to the next
    const p = wasm(() => playground.progress());
    const at = wasm(() => playground.epoch()) + (p.phase === 'training' && p.total > 0 ? p.done / p.total : 0);
    post({ type: Event.inspection, id, flow, weights, sigma, at, millis: performance.now() - started }, transfer);
  },
  [Command.seed]({ id }) {
    post({ type: Event.seed, id, value: freshSeed() });
  },
  [Command.drawn]() {
    drawn = true;
    flush(false);
  },
  [Command.trapForTests]() {
    wasm(() => trapForTests());
  },
  // ---- homework: the student's gradients come from the page; the core checks and applies them
  [Command.homeworkProblem]({ id, example }) {
    const { dU, dV, dW, ...problem } = wasm(() => playground.gradients(example));
    post({ type: Event.homeworkProblem, id, ...problem, weights: wasm(() => playground.weights()), expected: { dU, dV, dW }, epoch: wasm(() => playground.epoch()) });
  },
  [Command.homeworkExample]({ id }) {
    post({ type: Event.homeworkExample, id, ...wasm(() => playground.homework_example()) });
  },
  [Command.homeworkStep]({ id, example, dU, dV, dW }) {
    if (running) throw new Error('the page is training the model itself: pause it to train with your BPTT');
    const r = wasm(() => playground.sgd_step_with(example, dU, dV, dW));
    const progress = { phase: /** @type {const} */ ('training'), done: r.done % r.total, total: r.total };
    merge({ epochs: r.epoch ? 1 : 0, sequences: 1, ready: false, latest: r.epoch, progress, diverged: null, millis: 0 });
    if (r.epoch) {
      flush(true);
      checkpoint();
    }
    post({ type: Event.homeworkStepped, id, ...r });
  },
};

self.onmessage = async ({ data }) => {
  await loaded;
  if (crashed) return;
  const handler = handlers[data.type];
  if (!handler) {
    post({ type: Event.error, id: data.id, message: `unknown command "${data.type}"` });
    return;
  }
  const refused = refusal(data, { generation, hasModel: playground !== null, ready });
  if (refused === 'stale') return; // about a model since replaced
  if (refused) {
    post({ type: Event.error, id: data.id, message: refused });
    return;
  }
  try {
    handler(data);
  } catch (e) {
    if (!crashed) post({ type: Event.error, id: data.id, message: e.message });
  }
  schedule();
};
