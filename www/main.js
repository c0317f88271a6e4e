// Wires the views to the model's worker. Holds the page's state (settings, loss history, the
// latest prediction, the selected step) and redraws at most once per animation frame; all model
// maths happens in the worker.

import { ModelWorker } from './worker-client.js';
import { defaults, fromHash, toHash, workerConfig, resetNeeded, byKey } from './state.js';
import { ceilings } from './reference.js';
import { Controls } from './views/controls.js';
import { LossChart } from './views/loss-chart.js';
import { NetworkView } from './views/network.js';
import { ProbabilityView } from './views/probabilities.js';
import { HeatmapView } from './views/heatmap.js';
import { SumInput } from './views/sum-input.js';
import { GradientCheckView } from './views/gradient-check.js';

const $ = (sel) => document.querySelector(sel);

// First, so the worker fetches and compiles the wasm while the views are being built.
const worker = new ModelWorker(onWorkerEvent);

const page = {
  values: defaults(), // what the form shows
  applied: defaults(), // what the current model was built with
  history: [],
  status: null,
  view: null,
  selected: null,
  sweep: false,
  dirty: new Set(),
};

const select = (t) => {
  page.selected = t;
  redraw('view');
};

const controls = new Controls($('#app'), {
  train: () => worker.send('train'),
  pause: () => worker.send('pause'),
  step: () => worker.request('step').catch((e) => controls.say(e.message, 'error')),
  reset: () => applySettings(page.values),
  apply: () => applySettings(page.values),
  discard: () => {
    page.values = { ...page.applied, learningRate: page.values.learningRate, speed: page.values.speed };
    controls.show(page.values);
    controls.showPending([]);
  },
  change: (key, value) => changeSetting(key, value),
  randomSeed: async (key) => {
    const reply = await worker.request('seed');
    controls.show({ ...page.values, [key]: reply.value });
    changeSetting(key, reply.value);
  },
  copyLink: () => copyLink(),
  save: () => saveModel(),
  load: (file) => loadModel(file),
});
const lossChart = new LossChart($('#loss-chart'), $('#accuracy-chart'));
const network = new NetworkView($('#network'), select);
const probabilities = new ProbabilityView($('#probabilities'), $('#probability-readout'), select);
const heatmap = new HeatmapView($('#heatmap-panel'), select);
const sum = new SumInput($('#sum-panel'), (ok, raw) => {
  page.values.a = raw.a;
  page.values.b = raw.b;
  updateHash();
  if (ok) {
    page.sweep = true;
    worker.send('watch', { a: ok.a, b: ok.b });
  }
});
new GradientCheckView($('#gradient-check'), async () => (await worker.request('gradientCheck', { options: { maxEntries: 400 } }))?.rows);

function onWorkerEvent(msg) {
  switch (msg.type) {
    case 'ready':
      page.history = msg.state.history;
      page.status = { ...msg.state, loss: msg.state.history.at(-1).loss, sequencesPerSecond: null };
      acceptView(msg.view);
      redraw('history', 'status');
      break;
    case 'epochs': {
      for (const r of msg.reports) {
        if (r.evaluated) page.history.push({ epoch: r.epoch, examplesSeen: r.examplesSeen, loss: r.loss, digitAccuracy: r.digitAccuracy, exactAccuracy: r.exactAccuracy, learningRate: r.learningRate, halved: r.halved });
        if (r.halved) controls.say(`The loss rose, so the learning rate was halved to ${+r.learningRate.toPrecision(4)} (the notebook’s rule).`);
      }
      const r = msg.reports.at(-1);
      const millis = msg.reports.reduce((sum, x) => sum + x.millis, 0);
      const rate = millis > 0 ? (page.applied.nSamples * msg.reports.length * 1000) / millis : null;
      const prev = page.status?.sequencesPerSecond;
      page.status = { epoch: r.epoch, examplesSeen: r.examplesSeen, learningRate: r.learningRate, loss: r.loss, sequencesPerSecond: prev && rate ? 0.7 * prev + 0.3 * rate : rate };
      acceptView(msg.view);
      redraw('history', 'status');
      break;
    }
    case 'view':
      acceptView(msg.view);
      break;
    case 'running':
      controls.setRunning(true);
      break;
    case 'paused':
      controls.setRunning(false);
      break;
    case 'error':
      controls.say(msg.message, 'error');
      break;
    default:
  }
}

function acceptView(view) {
  if (!view) return;
  if (view.error) {
    sum.showError(view.error);
    return;
  }
  page.view = view;
  if (page.selected == null || page.selected >= view.prediction.steps) page.selected = view.prediction.steps - 1;
  redraw('view');
}

// ---- drawing: at most once per frame, only what changed

let frame = 0;
function redraw(...parts) {
  parts.forEach((p) => page.dirty.add(p));
  frame ||= requestAnimationFrame(render);
}

function render() {
  frame = 0;
  const d = page.dirty;
  if (d.has('history')) lossChart.render(page.history, ceilings(page.applied.nDigits));
  if (d.has('status') && page.status) controls.setStatus(page.status);
  if (d.has('view') && page.view) {
    const n = page.applied.nDigits;
    network.render(page.view, n, page.selected, page.applied.bpttTruncate, page.sweep && !matchMedia('(prefers-reduced-motion: reduce)').matches);
    probabilities.render(page.view.prediction, page.selected);
    heatmap.render(page.view.hidden, n, page.selected);
    sum.render(page.view.prediction);
    page.sweep = false;
  }
  d.clear();
}

// ---- settings, URL hash and resets

function updateHash() {
  const hash = toHash({ ...page.applied, learningRate: page.values.learningRate, speed: page.values.speed, a: page.values.a, b: page.values.b });
  if (hash !== location.hash && !(hash === '' && location.hash === '')) history.replaceState(null, '', hash || location.pathname + location.search);
}

function changeSetting(key, value) {
  page.values[key] = value;
  if (key === 'learningRate') {
    worker.request('learningRate', { value }).then(() => controls.say(`Learning rate set to ${value}: it applies from the next step.`)).catch((e) => controls.say(e.message, 'error'));
  }
  if (key === 'speed') worker.send('speed', { value });
  controls.showPending(resetNeeded(page.applied, page.values));
  updateHash();
}

/** Makes `settings` those of the model the worker now holds, in every view and the URL. */
function adopt(settings) {
  page.applied = { ...settings };
  page.values = { ...settings };
  controls.show(page.values);
  controls.showPending([]);
  controls.setRunning(false);
  worker.send('speed', { value: settings.speed });
  const typed = sum.set(settings.a, settings.b, settings.nDigits);
  if (typed) worker.send('watch', typed);
  updateHash();
}

async function applySettings(values) {
  controls.say('');
  try {
    if (await worker.reset(workerConfig(values))) adopt(values);
  } catch (e) {
    controls.say(`Not applied: ${e.message}. The current model is unchanged.`, 'error');
  }
}

async function copyLink() {
  updateHash();
  try {
    await navigator.clipboard.writeText(location.href);
    controls.say('Link copied: opening it reproduces this run, number for number.');
  } catch {
    controls.say(`Copy this link to reproduce the run: ${location.href}`);
  }
}

async function saveModel() {
  const reply = await worker.request('export');
  if (!reply) return;
  const url = URL.createObjectURL(new Blob([reply.json], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: `rnn-playground-epoch-${page.status?.epoch ?? 0}.json` });
  a.click();
  URL.revokeObjectURL(url);
}

async function loadModel(file) {
  try {
    const reply = await worker.load(await file.text());
    if (!reply) return;
    adopt({ ...page.values, ...reply.config });
    controls.say(`Loaded a model trained for ${reply.state.epoch} epoch${reply.state.epoch === 1 ? '' : 's'}.`);
  } catch (e) {
    controls.say(`Not loaded: ${e.message}. The current model is unchanged.`, 'error');
  }
}

function start() {
  const { values, problems } = fromHash(location.hash);
  page.values = values;
  controls.show(values);
  if (problems.length) controls.say(`Some of the link was not used: ${problems.join('; ')}.`, 'error');
  applySettings(values);
}

window.addEventListener('hashchange', () => {
  const { values, problems } = fromHash(location.hash);
  if (problems.length) controls.say(`Some of the link was not used: ${problems.join('; ')}.`, 'error');
  controls.show(values);
  applySettings(values);
});

// keyboard: space toggles training when focus is not in a field
document.addEventListener('keydown', (e) => {
  if (e.key === ' ' && !e.target.closest('input, select, button, textarea')) {
    e.preventDefault();
    $('#train').click();
  }
});

start();
export { page, byKey };
