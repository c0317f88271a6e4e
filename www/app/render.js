// @ts-check
// Drawing: at most once per animation frame, and only what changed (`redraw` marks a part dirty).

import { Command } from '../protocol.js';
import { markOnce } from '../timing.js';
import { runNames } from '../run-b.js';

/** @typedef {import('./page.js').App} App */

/** Marks parts of the page to draw in the next frame. @param {App} app @param {...string} parts */
export function redraw(app, ...parts) {
  const page = app.page;
  parts.forEach((p) => page.dirty.add(p));
  page.frame ||= requestAnimationFrame(() => render(app));
}

/** Selects step `t` in every view. @param {App} app @param {number} t */
export function select(app, t) {
  app.page.selected = t;
  app.views.inspector.selected();
  redraw(app, 'view');
}

/** @param {App} app */
function render({ page, worker, views }) {
  page.frame = 0;
  const d = page.dirty;
  // the two runs' names, when compared: the chart's legend, the bars and run B's status line
  const names = page.b && runNames(page.applied);
  if (d.has('history')) {
    // the layout's limits on fresh sums, where known (the aligned layout has none short of perfect)
    const limits = page.layout?.floor ?? null;
    views.lossChart.render(page.history, limits, page.b && names ? { history: page.b.history, names } : null);
    views.lossChart.showMemorised(page.history.at(-1), limits, page.applied.nSamples);
    views.chartDownload.enable(page.history.length > 0);
    views.controls.showHalvings(
      page.history.filter((r) => r.halved),
      page.applied,
    );
  }
  if ((d.has('status') || d.has('b')) && page.report) {
    const second = page.b && names ? { values: page.b.report?.test?.digitAccuracyByPlace, names } : null;
    views.byPlace.render(page.report.test?.digitAccuracyByPlace, second);
  }
  if (d.has('status') && page.report) {
    views.controls.setStatus(page.report, page.sequencesPerSecond);
    views.controls.showRate(page.report.learningRate);
    if (page.report.epoch >= 1) markOnce('first-epoch-drawn');
  }
  if (d.has('progress')) views.controls.setProgress(page.progress);
  if (d.has('running')) views.controls.setRunning(page.running);
  const motion = !matchMedia('(prefers-reduced-motion: reduce)').matches;
  const layout = page.layout;
  if (d.has('view') && page.view && layout) {
    views.network.render(page.view, layout, page.selected, page.applied.bpttTruncate, page.sweep && motion);
    views.probabilities.render(page.view.prediction, page.selected);
    views.heatmap.render(page.view.hidden, layout, page.selected);
    if (views.sum.typed) views.sum.render(page.view.prediction, layout); // not the last valid sum's
    page.sweep = false;
  }
  if ((d.has('view') || d.has('inspection')) && page.view && layout) views.inspector.render(page.selected, page.applied.bpttTruncate, layout, motion);
  renderRunB({ page, views }, d, names);
  d.clear();
  // the worker posts no more progress than the page has drawn
  if (page.awaitingDraw) {
    page.awaitingDraw = false;
    worker.send(Command.drawn);
  }
}

/**
 * Draws run B: its status line, its heatmap, flow and prediction (the chart's overlay is drawn with run A's).
 * @param {Pick<App, 'page' | 'views'>} app @param {Set<string>} dirty @param {{ a: string, b: string } | null} names the runs' names
 */
function renderRunB({ page, views }, dirty, names) {
  const b = page.b;
  if (!b || !(dirty.has('b') || dirty.has('view') || dirty.has('inspection'))) return;
  if (b.report) views.controls.setStatus(b.report, b.sequencesPerSecond, names?.b, views.controls.statusB);
  if (!b.view || !b.layout) return;
  const steps = b.view.prediction.steps;
  const selected = page.selected != null && page.selected < steps ? page.selected : steps - 1;
  if (dirty.has('b') || dirty.has('view')) {
    views.heatmapB.render(b.view.hidden, b.layout, selected);
    if (views.sum.typed) views.sum.renderSecond(b.view.prediction, b.layout);
  }
  views.inspectorB.render(selected, b.values.bpttTruncate, b.layout, false);
}
