// The only place the model lives: a module Web Worker that owns one `Playground` (wasm) and
// trains it in a loop, so the page never freezes. Every message carries the generation it
// belongs to; the page drops replies from before its latest reset.

import init, { Playground, freshSeed } from './pkg/rnn_playground.js';

let playground = null;
let generation = 0;
let running = false;
let speed = 0;                 // epochs per second; 0 = as fast as possible
let watched = null;            // { a, b }: the sum whose prediction follows every epoch
const ready = init();

const post = (msg, transfer = []) => self.postMessage({ gen: generation, ...msg }, transfer);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The prediction and hidden states for the watched sum, or an error message for it. */
function watch() {
  if (!playground || !watched) return null;
  try {
    const prediction = playground.predict(watched.a, watched.b);
    const hidden = playground.hidden_states(watched.a, watched.b);
    return { prediction, hidden };
  } catch (e) {
    return { error: e.message };
  }
}

function transferables(view) {
  return view && !view.error ? [view.prediction.probabilities.buffer, view.hidden.values.buffer] : [];
}

function snapshot() {
  return { config: playground.config(), state: playground.state() };
}

/** Trains epochs until `budget` ms have passed (at least one), then posts them as one batch
 * with the watched prediction: fast small models would otherwise flood the page with messages.
 * A loss that is no longer finite stops training, whether it came from Train or Step. */
function trainBatch(budget) {
  const started = performance.now();
  const reports = [];
  do {
    const report = playground.train_epoch();
    reports.push(report);
    if (!Number.isFinite(report.loss)) break;
  } while (performance.now() - started < budget);
  const view = watch();
  post({ type: 'epochs', reports, view }, transferables(view));
  if (!Number.isFinite(reports.at(-1).loss)) {
    running = false;
    post({ type: 'error', message: 'The loss is no longer a number: the learning rate is too high and the weights blew up. Lower it and press Reset.' });
  }
}

// One batch per animation frame's worth of time at full speed.
const FRAME_MS = 16;

async function loop() {
  while (running) {
    const started = performance.now();
    try {
      trainBatch(speed > 0 ? 0 : FRAME_MS);
    } catch (e) {
      running = false;
      post({ type: 'error', message: `training stopped: ${e.message}` });
    }
    const wait = speed > 0 ? Math.max(0, 1000 / speed - (performance.now() - started)) : 0;
    await sleep(wait); // also lets pause / predict messages in between batches
  }
  post({ type: 'paused' });
}

/** Replaces the model; if the new one cannot be made the old one stays and keeps its generation. */
function replace(make, gen, id) {
  let next;
  try {
    next = make();
  } catch (e) {
    post({ type: 'error', id, message: e.message, keptGeneration: generation });
    return;
  }
  running = false;
  playground?.free();
  playground = next;
  generation = gen;
  const view = watch();
  post({ type: 'ready', id, ...snapshot(), view }, transferables(view));
}

const handlers = {
  configure({ gen, id, config }) {
    replace(() => new Playground(config), gen, id);
  },
  import({ gen, id, json }) {
    replace(() => Playground.import_model(json), gen, id);
  },
  train() {
    if (!running) {
      running = true;
      post({ type: 'running' });
      loop();
    }
  },
  pause() {
    running = false;
  },
  step({ id }) {
    if (running) return;
    try {
      trainBatch(0);
      post({ type: 'stepped', id });
    } catch (e) {
      post({ type: 'error', id, message: e.message });
    }
  },
  speed({ value }) {
    speed = value;
  },
  learningRate({ id, value }) {
    try {
      playground.set_learning_rate(value);
      post({ type: 'learningRate', id, value });
    } catch (e) {
      post({ type: 'error', id, message: e.message });
    }
  },
  watch({ id, a, b }) {
    watched = { a, b };
    const view = watch();
    post({ type: 'view', id, view }, transferables(view));
  },
  export({ id }) {
    post({ type: 'exported', id, json: playground.export_model() });
  },
  gradientCheck({ id, options }) {
    try {
      post({ type: 'gradientCheck', id, rows: playground.gradient_check(options) });
    } catch (e) {
      post({ type: 'error', id, message: e.message });
    }
  },
  seed({ id }) {
    post({ type: 'seed', id, value: freshSeed() });
  },
};

self.onmessage = async ({ data }) => {
  await ready;
  const handler = handlers[data.type];
  if (!handler) {
    post({ type: 'error', id: data.id, message: `unknown command "${data.type}"` });
    return;
  }
  // Commands for an older model than the current one are stale: ignore them.
  const fresh = data.type === 'configure' || data.type === 'import' || data.type === 'seed' || data.gen === generation;
  if (!fresh) return;
  if (!playground && !['configure', 'import', 'seed', 'watch', 'speed'].includes(data.type)) {
    post({ type: 'error', id: data.id, message: 'no model yet' });
    return;
  }
  handler(data);
};
