// @ts-check
// Builds the page's views on the elements index.html has, each wired to what it asks the page
// to do: the model's worker, a setting, a step selected, a run saved or loaded.

import { Command } from '../protocol.js';
import { defaults, resetNeeded } from '../state.js';
import { SCHEMA } from '../pkg/settings-schema.js';
import { Controls } from '../views/controls.js';
import { LossChart } from '../views/loss-chart.js';
import { NetworkView } from '../views/network.js';
import { ProbabilityView } from '../views/probabilities.js';
import { HeatmapView } from '../views/heatmap.js';
import { SumInput } from '../views/sum-input.js';
import { GradientCheckView } from '../views/gradient-check.js';
import { PresetSwitch } from '../views/preset-switch.js';
import { ByPlaceView } from '../views/by-place.js';
import { HomeworkView } from '../views/homework.js';
import { Inspector } from '../inspection.js';
import { TourView } from '../views/tour.js';
import { ExplanationsView } from '../views/explanations.js';
import { ShownSumView } from '../views/shown-sum.js';
import { ConfirmReset } from '../views/confirm-reset.js';
import { hintSideways } from '../views/scroll-hint.js';
import { PageParts } from '../views/page-parts.js';
import { ChartDownload } from '../views/chart-download.js';
import { sectionsOf } from './page.js';
import { redraw, select } from './render.js';
import { applySettings, changeSetting, discardChanges, leaveTour, showSum } from './settings.js';
import { copyLink, updateHash } from './link.js';
import { loadModel, saveModel } from './runs.js';
import { runExperiment } from './tour.js';
import { WalkView } from '../views/walk.js';
import { closeWalk, goTo, openWalk } from './walk.js';
import { CompareView } from '../views/compare.js';
import { compareWith, stopComparing } from './compare.js';

/** @typedef {import('./page.js').App} App */
/** @typedef {import('./page.js').Views} Views */

/** An element the page's HTML always has. @param {string} sel */
const $ = (sel) => /** @type {HTMLElement} */ (document.querySelector(sel));

/**
 * Room in a panel for a second run's view (compare): a copy of the panel's content under its
 * own heading, ids suffixed `-b`, in the panel only while two runs are compared (compare.js puts
 * it in and takes it out). The view's class is made a second time on it, so nothing is copied
 * but markup.
 * @param {HTMLElement} panel @param {string} title
 * @returns {{ panel: HTMLElement, part: HTMLElement }}
 */
function secondRunPart(panel, title) {
  const part = document.createElement('div');
  part.className = 'run-b';
  const heading = Object.assign(document.createElement('h3'), { className: 'sub' });
  heading.append(`${title}, `, Object.assign(document.createElement('span'), { className: 'run-name' }));
  part.append(heading, ...[...panel.children].filter((el) => !el.matches('h2, .explain, .shown-sum')).map((el) => el.cloneNode(true)));
  for (const el of part.querySelectorAll('[id]')) el.id = `${el.id}-b`;
  for (const attr of ['for', 'aria-labelledby', 'aria-describedby', 'aria-controls'])
    for (const el of part.querySelectorAll(`[${attr}]`))
      el.setAttribute(
        attr,
        /** @type {string} */ (el.getAttribute(attr))
          .split(' ')
          .map((id) => `${id}-b`)
          .join(' '),
      );
  return { panel, part };
}

/** @param {App} app its page and worker (its views are what this returns) @returns {Views} */
export function buildViews(app) {
  const { page, worker } = app;
  // copied before the views fill the originals
  const heatmapB0 = secondRunPart($('#heatmap-panel'), 'Hidden state');
  const flowB0 = secondRunPart($('#flow-panel'), 'How the error flows back');
  const [heatmapPartB, flowPartB] = [heatmapB0.part, flowB0.part];
  flowPartB.querySelector('.flow-map button')?.remove(); // it animates the network, which shows run A
  const controls = new Controls($('#app'), {
    train: () => worker.send(Command.train),
    pause: () => worker.send(Command.pause),
    step: () =>
      worker
        .request(Command.step)
        .then((reply) => {
          if (!reply) return;
          page.running = true;
          redraw(app, 'running');
        })
        .catch((e) => controls.say(e.message, 'error')),
    reset: () => confirmReset.ask(page.report?.epoch ?? 0).then((sure) => sure && applySettings(app, { ...page.values, epoch: 0 })),
    apply: () => applySettings(app, { ...page.values, epoch: 0 }),
    discard: () => discardChanges(app),
    change: (key, value) => changeSetting(app, key, value),
    randomSeed: async (key) => {
      const reply = await worker.request(Command.seed);
      controls.show({ ...page.values, [key]: reply.value });
      changeSetting(app, key, reply.value);
    },
    copyLink: () => copyLink(app),
    save: () => saveModel(app),
    load: (file) => loadModel(app, file),
  });
  // a preset's settings, keeping the typed sum and the speed
  const presetSwitch = new PresetSwitch($('#preset-switch'), SCHEMA.presets, async (name) => {
    const title = name[0].toUpperCase() + name.slice(1);
    const replacement = { what: `The ${title} preset starts a new model from epoch 0`, label: `Switch to ${title}` };
    if (!(await confirmReset.ask(page.report?.epoch ?? 0, replacement))) return;
    leaveTour(app);
    applySettings(app, { ...defaults(name), speed: page.values.speed, a: page.values.a, b: page.values.b, ...sectionsOf(page.values), epoch: 0 });
  });
  const tour = new TourView($('#tour'), (step) => runExperiment(app, step, true));
  const byPlace = new ByPlaceView($('#by-place'));
  const lossChart = new LossChart($('#loss-chart'), $('#accuracy-chart'), /** @type {HTMLInputElement} */ ($('#loss-log')), $('#memorised'));
  // the history the page holds, and the charts as drawn: nothing computed again
  const chartDownload = new ChartDownload($('.panel.charts'), { history: () => page.history, loss: () => lossChart.loss, accuracy: () => lossChart.accuracy });
  const parts = new PageParts(document);
  const onSelect = (/** @type {number} */ t) => select(app, t);
  const onUnit = (/** @type {number} */ unit) => inspector.weights.select(unit);
  const network = new NetworkView($('#network'), onSelect, onUnit);
  const probabilities = new ProbabilityView(/** @type {HTMLCanvasElement} */ ($('#probabilities')), $('#probability-readout'), onSelect);
  const heatmap = new HeatmapView($('#heatmap-panel'), onSelect, onUnit);
  const inspector = new Inspector({
    request: (type) => worker.request(type),
    flowRoot: $('#flow-panel'),
    weightsRoot: $('#weights-panel'),
    network,
    onSelect,
    onRedraw: () => redraw(app, 'inspection'),
  });
  const sum = new SumInput($('#sum-panel'), (ok, raw) => {
    page.values.a = raw.a;
    page.values.b = raw.b;
    updateHash(app);
    if (ok) page.sweep = true;
    showSum(app, ok, 'Your sum is not valid yet.');
  });
  const shownSum = new ShownSumView(document.querySelectorAll('.shown-sum'));
  hintSideways($('.network .scroll'), $('#network-scroll-hint'));
  const confirmReset = new ConfirmReset(/** @type {HTMLDialogElement} */ ($('#confirm-reset')));
  const gradientCheck = new GradientCheckView($('#gradient-check'), async (onProgress) => {
    page.onCheckProgress = onProgress;
    const applied = page.applied;
    const reply = await worker.request(Command.gradientCheck, { options: { maxEntries: 400 } });
    // the settings of the model checked, and any typed since that wait for a reset
    const pending = resetNeeded(applied, page.values).map((key) => ({ key, value: page.values[key] }));
    return (
      reply && { rows: reply.rows, epoch: reply.epoch, hiddenDim: applied.hiddenDim, bpttTruncate: applied.bpttTruncate, pending, compared: page.b !== null }
    );
  });
  const homework = new HomeworkView($('#homework'), {
    request: (type, payload) => worker.request(type, payload),
    pauseTraining: () => page.running && worker.send(Command.pause),
    change: (key, value) => {
      page.values[key] = value;
      updateHash(app);
    },
  });
  const explanations = new ExplanationsView(document);
  const heatmapB = new HeatmapView(heatmapPartB, onSelect);
  const inspectorB = new Inspector({
    request: (type) => worker.request(type, { run: 'b' }),
    flowRoot: flowPartB,
    onSelect,
    onRedraw: () => redraw(app, 'inspection'),
  });
  const compare = new CompareView($('#compare'), {
    start: (key, value) => compareWith(app, key, value),
    stop: () => stopComparing(app),
    current: (key) => page.applied[key],
  });
  const walk = new WalkView($('#walk-panel'), {
    go: (step) => goTo(app, step),
    close: () => closeWalk(app),
    retake: () => openWalk(app, page.values.walk || 1),
  });
  $('#walk-open').addEventListener('click', () => openWalk(app, 1));
  return {
    controls,
    presetSwitch,
    tour,
    explanations,
    byPlace,
    lossChart,
    chartDownload,
    parts,
    network,
    probabilities,
    heatmap,
    inspector,
    sum,
    shownSum,
    confirmReset,
    gradientCheck,
    homework,
    walk,
    compare,
    heatmapB,
    inspectorB,
    runBParts: [heatmapB0, flowB0],
  };
}
