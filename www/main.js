// @ts-check
// Wires the views to the model's worker. Holds the page's state (settings, loss history, the
// latest prediction, the selected step) and redraws at most once per animation frame; all model
// maths happens in the worker. Keeps the run safe: the last whole epoch is saved in the browser
// and restored on reload, and a worker that crashes is replaced and restored from it.

import { ModelWorker } from './worker-client.js';
import { Command, Event } from './protocol.js';
import { defaults, fromHash, toHash, workerConfig, resetNeeded, SECTION_KEYS } from './state.js';
import { append } from './history.js';
import { saveRun, loadRun, forgetRun } from './persist.js';
import { Controls } from './views/controls.js';
import { LossChart } from './views/loss-chart.js';
import { NetworkView } from './views/network.js';
import { ProbabilityView } from './views/probabilities.js';
import { HeatmapView } from './views/heatmap.js';
import { SumInput } from './views/sum-input.js';
import { GradientCheckView } from './views/gradient-check.js';
import { PresetSwitch } from './views/preset-switch.js';
import { ByPlaceView } from './views/by-place.js';
import { SCHEMA } from './pkg/settings-schema.js';
import { HomeworkView } from './views/homework.js';
import { Inspector } from './inspection.js';
import { TourView, EXPERIMENTS } from './views/tour.js';
import { ShownSumView } from './views/shown-sum.js';
import { ConfirmReset } from './views/confirm-reset.js';
import { hintSideways } from './views/scroll-hint.js';

/** @typedef {import('./protocol.js').Message} Message */
/** @typedef {import('./shapes.js').Report} Report */
/** @typedef {import('./shapes.js').LossRecord} LossRecord */
/** @typedef {import('./shapes.js').SumView} SumView */
/** @typedef {import('./shapes.js').LayoutInfo} LayoutInfo */
/** @typedef {{ json: string, epoch: number }} Checkpoint */
/** @typedef {import('./views/tour.js').Experiment} Experiment */

/** An element the page's HTML always has. @param {string} sel */
const $ = (sel) => /** @type {HTMLElement} */ (document.querySelector(sel));

/** An epoch slower than this shows a progress bar. */
const SLOW_EPOCH_MS = 1000;
/** The rate has been halved this far below its start: steps no longer move the loss. */
const STALLED_RATE = 1e-6;

// First, so the worker fetches and compiles the wasm while the views are being built.
const worker = new ModelWorker(onWorkerEvent);

/**
 * @typedef {{ values: Record<string, any>, applied: Record<string, any>, layout: LayoutInfo | null, history: LossRecord[],
 *   report: Report | null, sequencesPerSecond: number | null, view: SumView | null, selected: number | null,
 *   sweep: boolean, dirty: Set<string>, progress: { label: string, done: number, total: number } | null,
 *   epochStartedAt: number, slowEpochs: boolean, rateChangedByHand: boolean, stallShown: boolean, lastGood: Checkpoint | null,
 *   awaitingDraw: boolean, throughput: [number, number][], storageWarned: boolean, running: boolean,
 *   hasModel: boolean, reproducing: number | null, experiment: Experiment | null, shown: { a: string, b: string } | null, onCheckProgress: ((checked: number, total: number) => void) | null }} Page
 */
/** @type {Page} */
const page = {
  values: defaults(), // what the form shows
  applied: defaults(), // what the current model was built with (its starting rate included)
  layout: null, // how the current model lays a sum out in time (Playground.layout(), with `ready`)
  history: [],
  report: null, // the core's report of the last whole epoch (Playground.report())
  sequencesPerSecond: null,
  view: null,
  selected: null,
  sweep: false,
  dirty: new Set(),
  progress: null, // the progress bar's content, or null
  epochStartedAt: 0, // when the epoch under way began
  slowEpochs: false, // the last epoch took over SLOW_EPOCH_MS
  rateChangedByHand: false, // the run's rate was changed after it began: a link cannot replay it
  stallShown: false,
  lastGood: null, // { json, epoch }: the latest checkpoint, for recovery
  awaitingDraw: false,
  throughput: [], // [time, sequences] of recent progress posts, for the seq/s figure
  storageWarned: false,
  running: false,
  hasModel: false, // a model was accepted: a refused setting keeps it, rather than leaving none
  reproducing: null, // the epoch a link is being trained to
  experiment: null, // a step of the guided path whose action runs once its model is ready
  shown: null, // the sum the views show: the typed one, or the last valid one
  onCheckProgress: null, // the gradient check's progress bar
};

const select = (/** @type {number} */ t) => {
  page.selected = t;
  inspector.selected();
  redraw('view');
};

const controls = new Controls($('#app'), {
  train: () => worker.send(Command.train),
  pause: () => worker.send(Command.pause),
  step: () =>
    worker
      .request(Command.step)
      .then((reply) => {
        if (!reply) return;
        page.running = true;
        redraw('running');
      })
      .catch((e) => controls.say(e.message, 'error')),
  reset: () => confirmReset.ask(page.report?.epoch ?? 0).then((sure) => sure && applySettings({ ...page.values, epoch: 0 })),
  apply: () => applySettings({ ...page.values, epoch: 0 }),
  discard: () => {
    page.values = { ...page.applied, learningRate: page.values.learningRate, speed: page.values.speed };
    controls.show(page.values);
    controls.showPending([]);
  },
  change: (key, value) => changeSetting(key, value),
  randomSeed: async (key) => {
    const reply = await worker.request(Command.seed);
    controls.show({ ...page.values, [key]: reply.value });
    changeSetting(key, reply.value);
  },
  copyLink: () => copyLink(),
  save: () => saveModel(),
  load: (file) => loadModel(file),
});
// a preset's settings, keeping the typed sum and the speed
const presetSwitch = new PresetSwitch($('#preset-switch'), SCHEMA.presets, (name) => {
  leaveTour();
  applySettings({ ...defaults(name), speed: page.values.speed, a: page.values.a, b: page.values.b, ...sectionsOf(page.values), epoch: 0 });
});
const tour = new TourView($('#tour'), (step) => runExperiment(step));
const byPlace = new ByPlaceView($('#by-place'));
const lossChart = new LossChart($('#loss-chart'), $('#accuracy-chart'), /** @type {HTMLInputElement} */ ($('#loss-log')), $('#memorised'));
const network = new NetworkView($('#network'), select, (unit) => inspector.weights.select(unit));
const probabilities = new ProbabilityView(/** @type {HTMLCanvasElement} */ ($('#probabilities')), $('#probability-readout'), select);
const heatmap = new HeatmapView($('#heatmap-panel'), select, (unit) => inspector.weights.select(unit));
const inspector = new Inspector({ request: (type) => worker.request(type), flowRoot: $('#flow-panel'), weightsRoot: $('#weights-panel'), network, onSelect: select, onRedraw: () => redraw('inspection') });
const sum = new SumInput($('#sum-panel'), (ok, raw) => {
  page.values.a = raw.a;
  page.values.b = raw.b;
  updateHash();
  if (ok) page.sweep = true;
  showSum(ok, 'Your sum is not valid yet.');
});
const shownSum = new ShownSumView(document.querySelectorAll('.shown-sum'));
hintSideways($('.network .scroll'), $('#network-scroll-hint'));
const confirmReset = new ConfirmReset(/** @type {HTMLDialogElement} */ ($('#confirm-reset')));

/**
 * The views follow the typed sum when it is valid; otherwise the last sum they showed, if this
 * model can add it, or else the default sum cut to the model's digits; and they say which.
 * @param {{ a: string, b: string } | null} typed @param {string} why why the typed sum is not shown
 */
function showSum(typed, why) {
  const n = page.applied.nDigits;
  const fits = (/** @type {{ a: string, b: string } | null} */ s) => s && s.a.length <= n && s.b.length <= n;
  const shown = typed ?? (fits(page.shown) ? page.shown : defaultSum(n));
  page.shown = shown;
  worker.send(Command.watch, shown);
  shownSum.show(shown, typed ? null : why);
}

/** The notebook's sum, cut to `n` digits a number. @param {number} n */
function defaultSum(n) {
  const { a, b } = defaults();
  return { a: a.slice(0, n), b: b.slice(0, n) };
}
const gradientCheck = new GradientCheckView($('#gradient-check'), async (onProgress) => {
  page.onCheckProgress = onProgress;
  const applied = page.applied;
  const reply = await worker.request(Command.gradientCheck, { options: { maxEntries: 400 } });
  // the settings of the model checked, and any typed since that wait for a reset
  const pending = resetNeeded(applied, page.values).map((key) => ({ key, value: page.values[key] }));
  return reply && { rows: reply.rows, epoch: reply.epoch, hiddenDim: applied.hiddenDim, bpttTruncate: applied.bpttTruncate, pending };
});

const homework = new HomeworkView($('#homework'), {
  request: (type, payload) => worker.request(type, payload),
  pauseTraining: () => page.running && worker.send(Command.pause),
  change: (key, value) => {
    page.values[key] = value;
    updateHash();
  },
});

/** @param {Message} msg */
function onWorkerEvent(msg) {
  switch (msg.type) {
    case Event.ready:
      inspector.ask();
      runAction();
      page.layout = msg.layout;
      page.history = msg.state.history;
      page.report = msg.report;
      page.sequencesPerSecond = null;
      page.progress = null;
      page.epochStartedAt = performance.now();
      acceptView(msg.view);
      redraw('history', 'status', 'progress');
      checkStalled(msg.state.learningRate);
      if (page.values.epoch > msg.state.epoch) reproduceTo(page.values.epoch);
      updateHash();
      break;
    case Event.progress:
      onProgress(msg);
      break;
    case Event.view:
      acceptView(msg.view);
      inspector.ask();
      break;
    // drawn with the status, so the Train button and the final epoch appear in the same frame
    case Event.running:
      page.running = true;
      redraw('running');
      break;
    case Event.paused:
      inspector.ask();
      page.running = false;
      page.progress = null;
      redraw('progress', 'running');
      break;
    case Event.diverged: {
      const lower = +(msg.learningRate / 10).toPrecision(3);
      controls.say(`${msg.message} The learning rate is too high for these weights.`, 'error', [{ label: `Use learning rate ${lower}`, run: () => setRate(lower) }]);
      break;
    }
    case Event.checkpoint:
      keep({ json: msg.json, epoch: msg.epoch });
      break;
    case Event.checkProgress:
      page.onCheckProgress?.(msg.checked, msg.total);
      break;
    case Event.crashed:
      recover(msg.message);
      break;
    case Event.error:
      controls.say(msg.message, 'error');
      break;
    default:
  }
}

/** @param {Message} msg */
function onProgress(msg) {
  const now = performance.now();
  if (msg.preparing) {
    const p = msg.progress;
    page.progress = now - page.epochStartedAt > SLOW_EPOCH_MS ? { label: 'Preparing the model: the starting loss', done: p.done, total: p.total } : null;
    redraw('progress');
    return;
  }
  page.history = append(page.history, msg.records);
  for (const r of msg.records) {
    if (r.halved) controls.say(`The loss rose, so the learning rate was halved to ${+r.learningRate.toPrecision(4)} (the notebook’s rule).`);
  }
  const { report, progress } = msg;
  const learningRate = report.learningRate;
  if (msg.epochs > 0) {
    // the last epoch was slow: the next will be too, so the bar stays rather than blinking off for a second
    page.slowEpochs = now - page.epochStartedAt > SLOW_EPOCH_MS;
    page.epochStartedAt = now;
  }
  // sequences trained per wall-clock second over the last two seconds
  page.throughput.push([now, msg.sequences]);
  while (page.throughput.length > 1 && now - page.throughput[0][0] > 2000) page.throughput.shift();
  const span = now - page.throughput[0][0];
  const trained = page.throughput.slice(1).reduce((s, [, n]) => s + n, 0);
  if (span > 200) page.sequencesPerSecond = (trained * 1000) / span;
  page.report = report;
  const slow = page.slowEpochs || now - page.epochStartedAt > SLOW_EPOCH_MS;
  const target = page.reproducing;
  if (target) page.progress = { label: `Reproducing the link: epoch ${report.epoch} of ${target}`, done: report.epoch, total: target };
  else page.progress = slow && progress.phase !== 'starting' ? { label: progress.phase === 'training' ? 'This epoch' : 'Evaluating the loss', done: progress.done, total: progress.total } : null;
  checkStalled(learningRate);
  acceptView(msg.view);
  page.awaitingDraw = true;
  if (msg.epochs > 0) inspector.ask(true);
  redraw('history', 'status', 'progress');
}

/** The notebook's halving can starve training: offer the starting rate back. */
/** @param {number} rate */
function checkStalled(rate) {
  const start = page.applied.learningRate;
  if (rate >= start * STALLED_RATE) {
    page.stallShown = false;
    return;
  }
  if (page.stallShown) return;
  page.stallShown = true;
  const halvings = Math.round(Math.log2(start / rate));
  controls.say(`The learning rate has been halved about ${halvings} times, to ${+rate.toPrecision(3)}: steps this small no longer move the loss.`, 'info', [
    { label: `Restore the starting rate ${start}`, run: () => setRate(start) },
  ]);
}

/** @param {import('./shapes.js').View | null} view */
function acceptView(view) {
  if (!view) return;
  if ('error' in view) {
    sum.showError(view.error);
    return;
  }
  page.view = view;
  if (page.selected == null || page.selected >= view.prediction.steps) page.selected = view.prediction.steps - 1;
  redraw('view');
}

// ---- drawing: at most once per frame, only what changed

let frame = 0;
/** @param {...string} parts */
function redraw(...parts) {
  parts.forEach((p) => page.dirty.add(p));
  frame ||= requestAnimationFrame(render);
}

function render() {
  frame = 0;
  const d = page.dirty;
  if (d.has('history')) {
    // the layout's limits on fresh sums, where known (the aligned layout has none short of perfect)
    const limits = page.layout?.floor ?? null;
    lossChart.render(page.history, limits);
    lossChart.showMemorised(page.history.at(-1), limits, page.applied.nSamples);
  }
  if (d.has('status') && page.report) byPlace.render(page.report.test?.digitAccuracyByPlace);
  if (d.has('status') && page.report) {
    controls.setStatus(page.report, page.sequencesPerSecond);
    controls.showRate(page.report.learningRate);
  }
  if (d.has('progress')) controls.setProgress(page.progress);
  if (d.has('running')) controls.setRunning(page.running);
  const motion = !matchMedia('(prefers-reduced-motion: reduce)').matches;
  const layout = page.layout;
  if (d.has('view') && page.view && layout) {
    network.render(page.view, layout, page.selected, page.applied.bpttTruncate, page.sweep && motion);
    probabilities.render(page.view.prediction, page.selected);
    heatmap.render(page.view.hidden, layout, page.selected);
    if (sum.typed) sum.render(page.view.prediction, layout); // not the last valid sum's
    page.sweep = false;
  }
  if ((d.has('view') || d.has('inspection')) && page.view && layout) inspector.render(page.selected, page.applied.bpttTruncate, layout, motion);
  d.clear();
  // the worker posts no more progress than the page has drawn
  if (page.awaitingDraw) {
    page.awaitingDraw = false;
    worker.send(Command.drawn);
  }
}

// ---- settings, URL hash and resets

/** The link of this run: its settings, and its epoch when training can replay it. */
function currentHash() {
  const epoch = page.rateChangedByHand ? 0 : Math.max(page.report?.epoch ?? 0, page.reproducing ?? 0);
  return toHash({ ...page.applied, speed: page.values.speed, a: page.values.a, b: page.values.b, epoch, ...sectionsOf(page.values) });
}

/** The Homework section's and the guided path's settings among `values` (they never need a new model). @param {Record<string, any>} values */
function sectionsOf(values) {
  return Object.fromEntries(SECTION_KEYS.map((k) => [k, values[k]]));
}

function updateHash() {
  const hash = currentHash();
  if (hash !== location.hash && !(hash === '' && location.hash === '')) history.replaceState(null, '', hash || location.pathname + location.search);
}

/** @param {number} value */
function setRate(value) {
  page.values.learningRate = value;
  controls.showRate(value);
  worker
    .request(Command.learningRate, { value })
    .then((reply) => {
      if (!reply) return;
      if ((page.report?.epoch ?? 0) === 0) page.applied.learningRate = value; // a rate set before training is the run's own
      else page.rateChangedByHand = true;
      page.stallShown = false;
      controls.say(`Learning rate set to ${value}: it applies from the next step.`);
      updateHash();
    })
    .catch((e) => controls.say(e.message, 'error'));
}

/**
 * @param {string} key
 * @param {any} value
 */
function changeSetting(key, value) {
  if (key !== 'speed') leaveTour();
  if (key === 'learningRate') return setRate(value);
  page.values[key] = value;
  if (key === 'speed') {
    worker.send(Command.speed, { value });
    page.applied.speed = value;
  }
  controls.showPending(resetNeeded(page.applied, page.values));
  updateHash();
}

/** Makes `settings` those of the model the worker now holds, in every view and the URL. */
/** @param {Record<string, any>} settings */
function adopt(settings) {
  page.applied = { ...settings };
  page.values = { ...settings };
  page.rateChangedByHand = false;
  page.stallShown = false;
  page.history = [];
  page.report = null;
  page.sequencesPerSecond = null;
  page.throughput = [];
  page.epochStartedAt = performance.now();
  page.slowEpochs = false;
  controls.show(page.values);
  controls.showPending([]);
  presetSwitch.show(settings.preset);
  inspector.reset();
  page.running = false;
  controls.setRunning(false);
  worker.send(Command.speed, { value: settings.speed });
  // the untouched default sum follows the digits (#d=3 shows 940 + 890), a typed one is kept
  const initial = defaults();
  if (settings.a === initial.a && settings.b === initial.b) Object.assign(page.values, defaultSum(settings.nDigits));
  showSum(sum.set(page.values.a, page.values.b, settings.nDigits), `Your sum does not fit this model (at most ${settings.nDigits} digits a number).`);
  updateHash();
}

/** @param {Record<string, any>} values */
async function applySettings(values) {
  controls.say('');
  page.reproducing = null;
  try {
    if (await worker.reset(workerConfig(values))) {
      adopt(values);
      page.values.epoch = values.epoch;
      page.lastGood = null;
      modelAccepted();
    }
  } catch (e) {
    if (page.hasModel) {
      controls.say(`Not applied: ${e.message}. The current model is unchanged.`, 'error');
      return;
    }
    // a link whose settings are refused still opens a working page: the notebook's settings
    await applySettings({ ...defaults(), a: values.a, b: values.b });
    controls.say(`Not applied: ${e.message}. Showing the notebook’s settings instead.`, 'error');
  }
}

/** The worker holds a model: a refused setting keeps it from now on, and the buttons work. */
function modelAccepted() {
  page.hasModel = true;
  controls.enable();
}

// ---- the guided path

/** Sets the page to step `step` of the guided path; its action runs once the model is ready. @param {number} step */
function runExperiment(step) {
  const e = EXPERIMENTS[step - 1];
  if (!e) return;
  page.experiment = e;
  tour.show(step);
  applySettings({ ...defaults(e.preset), ...e.settings, speed: page.values.speed, a: page.values.a, b: page.values.b, ...sectionsOf(page.values), tour: step, epoch: 0 });
}

function runAction() {
  const e = page.experiment;
  page.experiment = null;
  if (!e) return;
  if (e.select != null) select(e.select);
  if (e.action === 'train') worker.send(Command.train);
  if (e.action === 'check') gradientCheck.run();
}

/** A setting changed by hand: the page no longer shows a step of the path. */
function leaveTour() {
  if (!page.values.tour) return;
  page.values.tour = 0;
  tour.show(0);
}

/** Trains a link's run to the epoch it was shared at, with progress. */
/** @param {number} epoch */
function reproduceTo(epoch) {
  page.reproducing = epoch;
  page.values.epoch = 0;
  worker.send(Command.train, { untilEpoch: epoch });
}

async function copyLink() {
  updateHash();
  const epoch = page.report?.epoch ?? 0;
  const what = page.rateChangedByHand
    ? 'The learning rate was changed during training, so the link starts a new run at the new rate; Save model keeps this run exactly.'
    : epoch > 0
      ? `Opening it trains the same run to epoch ${epoch}, number for number.`
      : 'Opening it reproduces this run, number for number.';
  try {
    await navigator.clipboard.writeText(location.href);
    controls.say(`Link copied. ${what}`);
  } catch {
    controls.say(`Copy this link: ${location.href} — ${what}`);
  }
}

async function saveModel() {
  const reply = await worker.request(Command.export);
  if (!reply) return;
  const url = URL.createObjectURL(new Blob([reply.json], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: `rnn-playground-epoch-${page.report?.epoch ?? 0}.json` });
  a.click();
  URL.revokeObjectURL(url);
}

/** @param {File} file */
async function loadModel(file) {
  // the core refuses larger files too; this spares reading them
  const most = SCHEMA.limits.fileBytes;
  if (file.size > most) {
    controls.say(`Not loaded: ${file.name} is ${(file.size / 1e6).toFixed(1)} MB, and a saved model is at most ${Math.round(most / 2 ** 20)} MB. The current model is unchanged.`, 'error');
    return;
  }
  try {
    const json = await file.text();
    const reply = await worker.load(json);
    if (!reply) return;
    modelAccepted();
    restored(json, 'Loaded a model');
  } catch (e) {
    controls.say(`Not loaded: ${e.message}. The current model is unchanged.`, 'error');
  }
}

/** After a saved run was accepted: its settings become the page's. */
/**
 * @param {string} json
 * @param {string} what
 * @param {{ label: string, run: () => void }[]} actions
 */
function restored(json, what, actions = []) {
  const saved = JSON.parse(json);
  const settings = { ...page.values, ...saved.config, epoch: 0 };
  adopt(settings);
  page.lastGood = { json, epoch: saved.training.epoch };
  const e = saved.training.epoch;
  controls.say(`${what} trained for ${e} epoch${e === 1 ? '' : 's'}.`, 'info', actions);
}

// ---- keeping the run: in the browser, and for recovery from a crash

/** What the browser keeps of a checkpoint: with the page's settings and the link it belongs to. */
/** @param {Checkpoint} checkpoint */
function savedRun(checkpoint) {
  return { ...checkpoint, settings: { ...page.applied, a: page.values.a, b: page.values.b }, hash: location.hash };
}

/** @param {Checkpoint} checkpoint */
function keep(checkpoint) {
  page.lastGood = checkpoint;
  if (page.reproducing && checkpoint.epoch >= page.reproducing) {
    controls.say(`Trained to epoch ${page.reproducing}, where the link was shared: the same run, number for number.`);
    page.reproducing = null;
  }
  updateHash();
  saveRun(savedRun(checkpoint))
    .then(() => {
      document.documentElement.dataset.savedEpoch = String(checkpoint.epoch); // for tests: what a reload restores
    })
    .catch((e) => {
    if (page.storageWarned) return;
    page.storageWarned = true;
    controls.say(`This browser would not keep the model (${e.message ?? e}): a reload will start over. Save model keeps it in a file.`);
  });
}

/** @param {string} reason */
async function recover(reason) {
  const good = page.lastGood;
  worker.restart();
  page.running = false;
  controls.setRunning(false);
  try {
    if (good && (await worker.load(good.json))) {
      modelAccepted();
      restored(good.json, `The model’s worker crashed (${reason}) and was restarted. Restored the model`);
      return;
    }
  } catch {
    // fall through to a fresh model from the settings
  }
  page.hasModel = false;
  await applySettings({ ...page.applied, epoch: 0 });
  controls.say(`The model’s worker crashed (${reason}) and was restarted with a new model from the settings.`, 'error');
}

window.addEventListener('pagehide', () => {
  if (page.lastGood) saveRun(savedRun(page.lastGood)).catch(() => {});
});
document.addEventListener('visibilitychange', async () => {
  if (document.visibilityState !== 'hidden') return;
  const reply = await worker.request(Command.export).catch(() => /** @type {null} */ (null));
  if (reply) keep({ json: reply.json, epoch: reply.epoch });
});

// a test-only way in: crash the worker on purpose, to see the page recover
document.addEventListener('rnn-playground:trap-for-tests', () => worker.send(Command.trapForTests));

// ---- start

async function start() {
  const { values, problems } = fromHash(location.hash);
  controls.showLinkProblems(problems);
  page.values = values;
  controls.show(values);
  homework.show(/** @type {any} */ (values));
  if (values.tour) return runExperiment(values.tour); // a step of the path sets its own state
  const saved = await Promise.race([loadRun().catch(() => /** @type {null} */ (null)), /** @type {Promise<null>} */ (new Promise((r) => setTimeout(() => r(null), 1500)))]);
  // the saved run is this link's if their settings agree (the link's epoch may be ahead of it)
  const settingsOf = (/** @type {string} */ hash) => toHash({ ...fromHash(hash).values, epoch: 0, homework: 0, classroom: 0 });
  if (saved && (location.hash === '' || settingsOf(saved.hash) === settingsOf(location.hash))) {
    try {
      if (await worker.load(saved.json)) {
        modelAccepted();
        page.values = { ...values, ...saved.settings, ...sectionsOf(values) };
        const ago = Math.max(1, Math.round((Date.now() - saved.savedAt) / 60000));
        restored(saved.json, `Welcome back: restored your run (saved ${ago} minute${ago === 1 ? '' : 's'} ago),`, [
          { label: 'Start fresh', run: () => forgetRun().catch(() => {}).finally(() => applySettings({ ...values, epoch: 0 })) },
        ]);
        page.values.epoch = values.epoch; // a link ahead of the saved epoch trains on to it
        return;
      }
    } catch {
      // a run this page cannot read any more: start from the link
    }
  }
  applySettings(values);
}

window.addEventListener('hashchange', () => {
  if (location.hash === currentHash()) return; // our own update
  const { values, problems } = fromHash(location.hash);
  controls.showLinkProblems(problems);
  if (values.tour && values.tour !== page.values.tour) return runExperiment(values.tour);
  Object.assign(page.values, sectionsOf(values));
  homework.show(/** @type {any} */ (values));
  // only the Homework section's settings changed: no new model
  if (toHash({ ...values, ...sectionsOf(defaults()) }) === toHash({ ...fromHash(currentHash()).values, ...sectionsOf(defaults()) })) return updateHash();
  controls.show(values);
  applySettings(values);
});

// keyboard: space toggles training when focus is not in a field
document.addEventListener('keydown', (e) => {
  if (e.key === ' ' && !(e.target instanceof Element && e.target.closest('input, select, button, textarea'))) {
    e.preventDefault();
    controls.pressTrain();
  }
});

start();
