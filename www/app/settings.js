// @ts-check
// Settings: a change typed in the form (the learning rate and the speed apply at once, the rest
// wait for a reset), a new model from settings, the settings of the model the worker now holds
// made the page's, and the sum the views show; a setting changed by hand leaves the guided path.
// (The learning rate in force: rates.js.)

import { markOnce } from '../timing.js';
import { Command } from '../protocol.js';
import { defaults, workerConfig, resetNeeded } from '../state.js';
import { defaultSum } from './page.js';
import { updateHash } from './link.js';
import { setRate } from './rates.js';
import { resumeCompare } from './compare.js';

/** @typedef {import('./page.js').App} App */

/**
 * The views follow the typed sum when it is valid; otherwise the last sum they showed, if this
 * model can add it, or else the default sum cut to the model's digits; and they say which.
 * @param {App} app @param {{ a: string, b: string } | null} typed @param {string} why why the typed sum is not shown
 */
export function showSum({ page, worker, views }, typed, why) {
  const n = page.applied.nDigits;
  const fits = (/** @type {{ a: string, b: string } | null} */ s) => s && s.a.length <= n && s.b.length <= n;
  const shown = typed ?? (fits(page.shown) ? page.shown : defaultSum(n));
  page.shown = shown;
  worker.send(Command.watch, shown);
  views.shownSum.show(shown, typed ? null : why);
}

/** A setting changed by hand: the page no longer shows a step of the path. @param {App} app */
export function leaveTour({ page, views }) {
  if (!page.values.tour) return;
  page.values.tour = 0;
  views.tour.show(0);
}

/** @param {App} app @param {string} key @param {any} value */
export function changeSetting(app, key, value) {
  const { page, worker, views } = app;
  if (key !== 'speed') leaveTour(app);
  if (key === 'learningRate') return setRate(app, value);
  page.values[key] = value;
  if (key === 'speed') {
    worker.send(Command.speed, { value });
    page.applied.speed = value;
  }
  views.controls.showPending(resetNeeded(page.applied, page.values));
  updateHash(app);
}

/** The form goes back to the model's settings (keeping the rate and speed, which applied at once). @param {App} app */
export function discardChanges({ page, views }) {
  page.values = { ...page.applied, learningRate: page.values.learningRate, speed: page.values.speed };
  views.controls.show(page.values);
  views.controls.showPending([]);
}

/** Makes `settings` those of the model the worker now holds, in every view and the URL. @param {App} app @param {Record<string, any>} settings */
export function adopt(app, settings) {
  const { page, worker, views } = app;
  page.applied = { ...settings };
  page.values = { ...settings };
  page.rateChangedByHand = false;
  page.stallShown = false;
  page.diverged = null;
  page.history = [];
  page.report = null;
  page.sequencesPerSecond = null;
  page.throughput = [];
  page.epochStartedAt = performance.now();
  page.slowEpochs = false;
  views.controls.show(page.values);
  views.controls.showPending([]);
  views.presetSwitch.show(settings.preset);
  views.homework.show(/** @type {any} */ (page.values)); // it says when homework does not fit this run's cell or layout
  views.inspector.reset();
  page.running = false;
  views.controls.setRunning(false);
  worker.send(Command.speed, { value: settings.speed });
  // the untouched default sum follows the digits (#d=3 shows 940 + 890), a typed one is kept
  const initial = defaults();
  if (settings.a === initial.a && settings.b === initial.b) Object.assign(page.values, defaultSum(settings.nDigits));
  showSum(
    app,
    views.sum.set(page.values.a, page.values.b, settings.nDigits),
    `Your sum does not fit this model (at most ${settings.nDigits} digits a number).`,
  );
  updateHash(app);
}

/** A new model from `values`; if the worker refuses them the current model stays. @param {App} app @param {Record<string, any>} values */
export async function applySettings(app, values) {
  const { page, worker, views } = app;
  views.controls.say('');
  page.reproducing = null;
  try {
    if (await worker.reset(workerConfig(values))) {
      adopt(app, values);
      page.values.epoch = values.epoch;
      page.lastGood = null;
      modelAccepted(app);
      await resumeCompare(app);
    }
  } catch (e) {
    if (page.hasModel) {
      views.controls.say(`Not applied: ${e.message}. The current model is unchanged.`, 'error');
      return;
    }
    // a link whose settings are refused still opens a working page: the notebook's settings
    await applySettings(app, { ...defaults(), a: values.a, b: values.b });
    views.controls.say(`Not applied: ${e.message}. Showing the notebook’s settings instead.`, 'error');
  }
}

/** The worker holds a model: a refused setting keeps it from now on, and the buttons work. @param {App} app */
export function modelAccepted({ page, views }) {
  markOnce('train-enabled');
  page.hasModel = true;
  views.controls.enable();
}
