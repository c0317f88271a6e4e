// @ts-check
// The link of a run: the URL hash holds its settings (and its epoch, when training can replay
// it), kept up to date as they change; Copy link; a link's run trained to its epoch. A link
// opened in this tab (a hash changed by hand or by history) is follow-link.js's.

import { Command } from '../protocol.js';
import { toHash } from '../state.js';
import { sectionsOf } from './page.js';

/** @typedef {import('./page.js').App} App */

/** The link of this run: its settings, and its epoch when training can replay it. @param {App} app */
export function currentHash({ page }) {
  const epoch = page.rateChangedByHand ? 0 : Math.max(page.report?.epoch ?? 0, page.reproducing ?? 0);
  // a rate changed during training starts the link's new run; otherwise the run's starting rate replays its halvings
  const learningRate = page.rateChangedByHand ? page.values.learningRate : page.applied.learningRate;
  return toHash({ ...page.applied, learningRate, speed: page.values.speed, a: page.values.a, b: page.values.b, epoch, ...sectionsOf(page.values) });
}

/** @param {App} app */
export function updateHash(app) {
  const hash = currentHash(app);
  if (hash !== location.hash && !(hash === '' && location.hash === '')) history.replaceState(null, '', hash || location.pathname + location.search);
}

/** Trains a link's run to the epoch it was shared at, with progress. @param {App} app @param {number} epoch */
export function reproduceTo({ page, worker }, epoch) {
  page.reproducing = epoch;
  page.values.epoch = 0;
  worker.send(Command.train, { untilEpoch: epoch });
}

/** @param {App} app */
export async function copyLink(app) {
  const { page, views } = app;
  updateHash(app);
  const epoch = page.report?.epoch ?? 0;
  const what = page.rateChangedByHand
    ? 'The learning rate was changed during training, so the link starts a new run at the new rate; Save model keeps this run exactly.'
    : epoch > 0
      ? `Opening it trains the same run to epoch ${epoch}, number for number.`
      : 'Opening it reproduces this run, number for number.';
  try {
    await navigator.clipboard.writeText(location.href);
    views.controls.say(`Link copied. ${what}`);
  } catch {
    views.controls.say(`Copy this link: ${location.href} — ${what}`);
  }
}
