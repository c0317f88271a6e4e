// @ts-check
// The worker's answer to each command of the protocol (protocol.js), by name.

import { Playground, freshSeed, trapForTests } from '../pkg/rnn_playground.js';
import { Command, Event } from '../protocol.js';
import { state, post, wasm, newRun } from './state.js';
import { ofWatched, checkpoint, merge, flush, postView } from './progress.js';
import { stop } from './loop.js';
import { wallClock } from '../timing.js';

/** @typedef {import('../protocol.js').Message} Message */

/** A model from `make`, or null (and the error told) if it cannot be made. */
/**
 * @param {() => Playground} make
 * @param {number | undefined} id
 * @returns {Playground | null}
 */
function made(make, id) {
  try {
    return wasm(make);
  } catch (e) {
    if (!state.crashed) post({ type: Event.error, id, message: e.message, keptGeneration: state.generation });
    return null;
  }
}

/** Frees a run's model. @param {import('./state.js').Run | null} run */
function free(run) {
  try {
    run?.playground?.free();
  } catch {
    // a model still borrowed by a trapped call cannot be freed; it goes with the old generation
  }
}

/** Replaces the model (and drops run B, which belonged to it); if the new one cannot be made the old one stays and keeps its generation. */
/**
 * @param {() => Playground} make
 * @param {number} gen
 * @param {number | undefined} id
 */
function replace(make, gen, id) {
  const next = made(make, id);
  if (!next) return;
  state.running = false;
  state.untilEpoch = null;
  state.check = null;
  free(state.a);
  free(state.b);
  state.a = { ...newRun('a'), playground: next };
  state.b = null;
  state.generation = gen;
  state.stepPending = false;
  state.drawn = true;
  state.lastCheckpoint = performance.now();
  post({ type: Event.accepted, id });
}

/** Where training stands, in epochs: mid-epoch weights are a fraction of the way to the next. @param {Playground} playground */
function epochsNow(playground) {
  const p = wasm(() => playground.progress());
  return wasm(() => playground.epoch()) + (p.phase === 'training' && p.total > 0 ? p.done / p.total : 0);
}

/** @type {Record<string, (msg: Message) => void>} */
export const handlers = {
  [Command.configure]({ gen, id, config }) {
    state.timings.asked ??= wallClock();
    replace(() => new Playground(config), gen, id);
    state.timings.configured ??= wallClock();
  },
  [Command.import]({ gen, id, json }) {
    replace(() => Playground.import_model(json), gen, id);
  },
  [Command.compare]({ id, config, json }) {
    if (config === undefined && json === undefined) {
      free(state.b);
      state.b = null;
      post({ type: Event.accepted, id, run: 'b' });
      return;
    }
    const next = made(() => (json !== undefined ? Playground.import_model(json) : new Playground(config)), id);
    if (!next) return;
    free(state.b);
    state.b = { ...newRun('b'), playground: next };
    // run B is made level with run A: training waits for its starting loss, then keeps both in step
    post({ type: Event.accepted, id, run: 'b' });
  },
  [Command.train]({ untilEpoch }) {
    state.untilEpoch = untilEpoch ?? null;
    state.sleepUntil = 0;
    if (!state.running) {
      state.running = true;
      post({ type: Event.running });
    }
  },
  [Command.pause]() {
    if (state.running) stop();
  },
  [Command.step]({ id }) {
    if (state.running) return;
    if (state.a.ready) state.untilEpoch = wasm(() => state.a.playground.epoch()) + 1;
    else state.stepPending = true;
    state.running = true;
    post({ type: Event.running, id });
  },
  [Command.speed]({ value }) {
    state.speed = value;
    state.sleepUntil = 0;
  },
  [Command.learningRate]({ id, value, both }) {
    try {
      wasm(() => state.a.playground.set_learning_rate(value));
      // run B follows unless it differs from A in its rate (the page says which)
      if (both && state.b) wasm(() => state.b?.playground.set_learning_rate(value));
      post({ type: Event.learningRate, id, value });
    } catch (e) {
      if (!state.crashed) post({ type: Event.error, id, message: e.message });
    }
  },
  [Command.watch]({ id, a, b }) {
    state.watched = { a, b };
    postView(id);
  },
  [Command.export]({ id }) {
    post({ type: Event.exported, id, json: wasm(() => state.a.playground.export_model()), epoch: wasm(() => state.a.playground.epoch()) });
  },
  [Command.gradientCheck]({ id, options }) {
    try {
      wasm(() => state.a.playground.start_gradient_check(options));
      state.check = { id, epoch: wasm(() => state.a.playground.epoch()) };
    } catch (e) {
      if (!state.crashed) post({ type: Event.error, id, message: e.message });
    }
  },
  [Command.inspect]({ id, run }) {
    const started = performance.now();
    const of = run === 'b' ? state.b : state.a;
    if (!of?.ready) throw new Error('that run is not ready');
    const playground = of.playground;
    // while training, the core refuses a flow too costly to compute live (an error the view shows)
    const flow = ofWatched((a, b) => playground.gradient_flow(a, b, state.running), of);
    const weights = wasm(() => playground.weights());
    const sigma = wasm(() => playground.largest_singular_value());
    const transfer = Object.values(weights).map((m) => m.values.buffer);
    if (flow && !('error' in flow)) transfer.push(flow.values.buffer, flow.decay.buffer);
    post({ type: Event.inspection, id, flow, weights, sigma, at: epochsNow(playground), millis: performance.now() - started }, transfer);
  },
  [Command.openWalk]({ id, a, b }) {
    const playground = state.a.playground;
    post({ type: Event.walk, id, walk: wasm(() => playground.open_walk(a, b)), at: epochsNow(playground) });
  },
  [Command.walkPoint]({ id, point }) {
    const g = wasm(() => state.a.playground.walk_gradients(point));
    post({ type: Event.walkPoint, id, ...g }, [g.dU.values.buffer, g.dV.values.buffer, g.dW.values.buffer]);
  },
  [Command.seed]({ id }) {
    post({ type: Event.seed, id, value: freshSeed() });
  },
  [Command.drawn]() {
    state.drawn = true;
    flush(false);
  },
  [Command.trapForTests]() {
    wasm(() => trapForTests());
  },
  // ---- homework: the student's gradients come from the page; the core checks and applies them
  [Command.homeworkProblem]({ id, example }) {
    const playground = state.a.playground;
    const { dU, dV, dW, ...problem } = wasm(() => playground.gradients(example));
    post({
      type: Event.homeworkProblem,
      id,
      ...problem,
      weights: wasm(() => playground.weights()),
      expected: { dU, dV, dW },
      epoch: wasm(() => playground.epoch()),
    });
  },
  [Command.homeworkExample]({ id }) {
    post({ type: Event.homeworkExample, id, ...wasm(() => state.a.playground.homework_example()) });
  },
  [Command.homeworkExplain]({ id }) {
    post({ type: Event.homeworkExplanation, id, explanation: wasm(() => state.a.playground.homework_explanation()) });
  },
  [Command.homeworkStep]({ id, example, dU, dV, dW }) {
    if (state.running) throw new Error('the page is training the model itself: pause it to train with your BPTT');
    const r = wasm(() => state.a.playground.sgd_step_with(example, dU, dV, dW));
    const progress = { phase: /** @type {const} */ ('training'), done: r.done % r.total, total: r.total };
    merge({ epochs: r.epoch ? 1 : 0, sequences: 1, ready: false, latest: r.epoch, progress, diverged: null, millis: 0 });
    if (r.epoch) {
      flush(true);
      checkpoint();
    }
    post({ type: Event.homeworkStepped, id, ...r });
  },
};
