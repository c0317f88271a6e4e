// @ts-check
// The guided path (../views/tour.js declares its steps and shows them): a step sets the page to
// its settings, and its action (select a step, train, check the gradients) runs once the model
// is ready, when its text is written from that model; any setting changed by hand leaves the path.

import { Command } from '../protocol.js';
import { defaults } from '../state.js';
import { EXPERIMENTS } from '../views/tour.js';
import { sectionsOf } from './page.js';
import { select } from './render.js';
import { applySettings } from './settings.js';

/** @typedef {import('./page.js').App} App */

/**
 * Sets the page to step `step` of the guided path; its action runs once the model is ready. A
 * trained model is thrown away only if the user agrees. A step the reader picked (its button,
 * Next) brings its panel into view; a link opened leaves the page at its top, where the step says
 * what to do.
 * @param {App} app @param {number} step @param {boolean} [picked]
 * @returns {Promise<boolean>} whether the step replaced the model
 */
export async function runExperiment(app, step, picked = false) {
  const { page, views } = app;
  const e = EXPERIMENTS[step - 1];
  if (!e) return false;
  const replacement = { what: `Step ${step} of the path (“${e.title}”) starts a new model from epoch 0`, label: `Go to step ${step}` };
  if (!(await views.confirmReset.ask(page.report?.epoch ?? 0, replacement))) return false;
  page.experiment = e;
  views.tour.show(step);
  if (picked) views.tour.reveal(step);
  applySettings(app, {
    ...defaults(e.preset),
    ...e.settings,
    speed: page.values.speed,
    a: page.values.a,
    b: page.values.b,
    ...sectionsOf(page.values),
    tour: step,
    // the walk opens once the step's model is ready (app/walk.js), at its first step
    ...(e.action === 'walk' ? { walk: 1 } : {}),
    epoch: 0,
  });
  return true;
}

/**
 * The step shown (if any), its text written from the model the worker now holds.
 * @param {App} app @param {import('../shapes.js').LayoutInfo} layout @param {Record<string, any>} config that model's settings (`Playground.config()`)
 */
export function showStep({ page, views }, layout, config) {
  views.tour.show(page.values.tour ?? 0, { layout, values: config, preset: defaults(config.preset) });
}

/** The model of a step is ready: its action runs. @param {App} app */
export function runAction(app) {
  const { page, worker, views } = app;
  const e = page.experiment;
  page.experiment = null;
  if (!e) return;
  if (e.select != null) select(app, e.select);
  if (e.action === 'train') worker.send(Command.train);
  if (e.action === 'check') views.gradientCheck.run();
}
