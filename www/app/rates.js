// @ts-check
// The learning rate in force: set by hand or by an offer, shown the same everywhere (the field,
// the status line, the link); the offers made when an epoch diverges (the preset's own rate, and
// a tenth never known to diverge from these weights) and when halving has starved training.

import { Command } from '../protocol.js';
import { defaults } from '../state.js';
import { differences } from '../run-b.js';
import { updateHash } from './link.js';
import { redraw } from './render.js';

/** @typedef {import('./page.js').App} App */

/** The rate has been halved this far below its start: steps no longer move the loss. */
const STALLED_RATE = 1e-6;

/** A rate as the page writes it. @param {number} rate */
const shown = (rate) => +rate.toPrecision(4);

/** @param {string} name @returns {string} */
const title = (name) => name[0].toUpperCase() + name.slice(1);

/** Whether `rate` already diverged from the weights the model now has. @param {App} app @param {number} rate */
function knownToDiverge({ page }, rate) {
  const d = page.diverged;
  return d != null && d.epoch === (page.report?.epoch ?? 0) && rate >= d.rate;
}

/**
 * An epoch diverged at `rate` and was undone: say so, and offer the preset's own rate (which
 * trains, where it is lower) and a tenth of the lowest rate known to diverge from these weights.
 * @param {App} app @param {string} message the core's explanation @param {number} rate
 */
export function offerLowerRates(app, message, rate) {
  const { page, views } = app;
  const epoch = page.report?.epoch ?? 0;
  // the same weights diverged before at a lower rate: a tenth of that one, never one known to fail
  const before = page.diverged;
  page.diverged = { epoch, rate: before?.epoch === epoch ? Math.min(rate, before.rate) : rate };
  const lowest = page.diverged.rate;
  const tenth = +(lowest / 10).toPrecision(3);
  const preset = page.applied.preset;
  const presetRate = defaults(preset).learningRate;
  const offers = [];
  const notes = [];
  if (presetRate < lowest && presetRate !== tenth) {
    offers.push({ label: `Use learning rate ${presetRate} (the ${title(preset)} preset’s)`, run: () => setRate(app, presetRate) });
  }
  offers.push({ label: `Use learning rate ${tenth}`, run: () => setRate(app, tenth) });
  if (tenth > presetRate) notes.push(`A tenth, ${tenth}, may still be too high.`);
  views.controls.say([message, 'The learning rate is too high for these weights.', ...notes].join(' '), 'error', offers);
}

/** The notebook's halving can starve training: offer the starting rate back. @param {App} app @param {number} rate */
export function checkStalled(app, rate) {
  const { page, views } = app;
  const start = page.applied.learningRate;
  if (rate >= start * STALLED_RATE) {
    page.stallShown = false;
    return;
  }
  if (page.stallShown) return;
  page.stallShown = true;
  const halvings = Math.round(Math.log2(start / rate));
  const known = knownToDiverge(app, start) ? ` (it diverged from these weights before)` : '';
  views.controls.say(
    `The learning rate has been halved about ${halvings} times, to ${+rate.toPrecision(3)}: steps this small no longer move the loss.`,
    'info',
    [{ label: `Restore the starting rate ${start}${known}`, run: () => setRate(app, start) }],
  );
}

/**
 * The rate from the next step on: in the field at once, and once the worker has it, in the
 * status line and the link too.
 * @param {App} app @param {number} value
 */
export function setRate(app, value) {
  const { page, worker, views } = app;
  page.values.learningRate = value;
  views.controls.showRate(value);
  // compared runs share the rate unless run B was given its own
  const b = page.b;
  const both = b !== null && !('learningRate' in differences(page.applied));
  worker
    .request(Command.learningRate, { value, both })
    .then((reply) => {
      if (!reply) return;
      if ((page.report?.epoch ?? 0) === 0) {
        page.applied.learningRate = value; // a rate set before training is the run's own
        if (both && b) b.values.learningRate = value;
      } else page.rateChangedByHand = true;
      page.stallShown = false;
      // the status lines show the rate in force now, not the last epoch's
      if (page.report) page.report = { ...page.report, learningRate: value };
      if (both && b?.report) b.report = { ...b.report, learningRate: value };
      redraw(app, 'status', 'b');
      const which = b === null ? '' : both ? ' for both runs' : ` for run A (run B keeps its own, ${shown(b.values.learningRate)})`;
      views.controls.say(`Learning rate set to ${shown(value)}${which}: it applies from the next step.`);
      updateHash(app);
    })
    .catch((e) => views.controls.say(e.message, 'error'));
}
