// @ts-check
// Compare: a second run, B, beside the page's run, A: the same settings (so the same data and
// seeds) but for the ones B differs in, kept in the settings as `b.`-prefixed keys (state.js),
// so the link, the saved run and a reload carry it. The worker holds both runs and trains them in
// lockstep; this module starts and stops run B and takes the worker's events about it; render.js draws
// it with the views' second-run API (a second status line, the loss chart's overlay, a second
// heatmap, flow map and prediction).

import { Command } from '../protocol.js';
import { B_PREFIX, workerConfig } from '../state.js';
import { differences, runBValues, runNames, withoutRunB } from '../run-b.js';
import { append } from '../history.js';
import { redraw } from './render.js';
import { updateHash } from './link.js';
import { keep } from './keep.js';

/** @typedef {import('./page.js').App} App */
/** @typedef {import('../protocol.js').Message} Message */

/**
 * Run B as the page knows it.
 * @typedef {object} RunB
 * @property {Record<string, any>} values its settings in full
 * @property {import('../shapes.js').LayoutInfo | null} layout
 * @property {import('../shapes.js').LossRecord[]} history
 * @property {import('../shapes.js').Report | null} report
 * @property {import('../shapes.js').SumView | null} view
 * @property {import('./page.js').Checkpoint | null} lastGood its last whole epoch, kept with run A's
 * @property {[number, number][]} throughput [time, sequences] of recent progress posts
 * @property {number | null} sequencesPerSecond
 */

/**
 * Makes run B agree with the settings run A was built with: a new run B from them when they have
 * `b.` keys (or the saved run B, `json`, read back), none when they have not. Called whenever
 * run A is replaced, since the worker drops run B with it.
 * @param {App} app @param {string} [json] a saved run B
 */
export async function resumeCompare(app, json) {
  const { page, worker, views } = app;
  const compared = Object.keys(differences(page.applied)).length > 0;
  page.b = compared
    ? { values: runBValues(page.applied), layout: null, history: [], report: null, view: null, lastGood: null, throughput: [], sequencesPerSecond: null }
    : null;
  views.inspectorB.reset();
  showRunB(app);
  if (!compared) return;
  try {
    const payload = json !== undefined ? { json } : { config: workerConfig(/** @type {RunB} */ (page.b).values) };
    await worker.request(Command.compare, payload);
  } catch (e) {
    // run B's settings refused (the core's rules beyond the table's bounds): said, and not compared
    views.controls.say(`Run B was not started: ${e.message}. Showing run A alone.`, 'error');
    dropRunB(app);
  }
}

/** Starts comparing (or changes run B): B differs from A in `key`, set to `value`. @param {App} app @param {string} key @param {any} value */
export function compareWith(app, key, value) {
  const { page, views } = app;
  if (page.applied[key] === value) {
    views.compare.showError('Run B would be the same as run A: choose another value.');
    return;
  }
  page.applied[B_PREFIX + key] = value;
  page.values[B_PREFIX + key] = value;
  resumeCompare(app);
  saveNow(app);
}

/** Leaves compare: run B and its `b.` keys are dropped. @param {App} app */
export function stopComparing(app) {
  dropRunB(app);
  app.worker.request(Command.compare, {}).catch(() => {});
  saveNow(app);
}

/** The link, and the run kept in the browser, say at once whether run B is there: a reload keeps or drops it as the page shows. @param {App} app */
function saveNow(app) {
  if (app.page.lastGood) keep(app, app.page.lastGood);
  else updateHash(app);
}

/** @param {App} app */
function dropRunB(app) {
  const { page } = app;
  page.applied = withoutRunB(page.applied);
  page.values = withoutRunB(page.values);
  page.b = null;
  showRunB(app);
}

/** Shows or hides run B's parts, and names both runs. @param {App} app */
function showRunB(app) {
  const { page, views } = app;
  const names = page.b ? runNames(page.applied) : null;
  views.compare.show(names);
  views.controls.showRunB(names);
  views.sum.showSecond(names);
  for (const { panel, part } of views.runBParts) {
    if (page.b) panel.append(part);
    else part.remove();
    const title = part.querySelector('.run-name');
    if (title) title.textContent = names ? names.b : '';
  }
  redraw(app, 'history', 'status', 'view', 'b');
}

/** An event of the worker about run B. @param {App} app @param {Message} msg */
export function onRunB(app, msg) {
  const { page, views } = app;
  const b = page.b;
  if (!b) return;
  switch (msg.type) {
    case 'ready':
      b.layout = msg.layout;
      b.history = msg.state.history;
      b.report = msg.report;
      if (msg.view && !('error' in msg.view)) b.view = msg.view;
      views.inspectorB.ask();
      break;
    case 'progress': {
      if (msg.preparing) return;
      b.history = append(b.history, msg.records);
      b.report = msg.report;
      if (msg.view && !('error' in msg.view)) b.view = msg.view;
      const now = performance.now();
      b.throughput.push([now, msg.sequences]);
      while (b.throughput.length > 1 && now - b.throughput[0][0] > 2000) b.throughput.shift();
      const span = now - b.throughput[0][0];
      if (span > 200) b.sequencesPerSecond = (b.throughput.slice(1).reduce((s, [, n]) => s + n, 0) * 1000) / span;
      page.awaitingDraw = true;
      if (msg.epochs > 0) views.inspectorB.ask(true);
      break;
    }
    case 'view':
      if (msg.view && !('error' in msg.view)) b.view = msg.view;
      views.inspectorB.ask();
      break;
    case 'diverged':
      views.controls.say(`Run B: ${msg.message}`, 'error');
      break;
    default:
      return;
  }
  redraw(app, 'history', 'b');
}
