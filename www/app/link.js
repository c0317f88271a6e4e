// @ts-check
// The link of a run: the URL hash holds its settings (and its epoch, when training can replay
// it), kept up to date as they change; a hash changed by hand or by history applies; Copy link.

import { Command } from '../protocol.js';
import { defaults, fromHash, toHash } from '../state.js';
import { sectionsOf } from './page.js';
import { applySettings } from './settings.js';
import { runExperiment } from './tour.js';
import { followWalk } from './walk.js';

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

/** Hides the parts named in `hide` (the setting), and keeps it for the link. @param {App} app @param {string} hide */
function showParts({ page, views }, hide) {
  page.values.hide = hide;
  views.parts.show(hide);
}

/** A hash changed by hand (or by the browser's history) applies, unless it is our own update; over a trained model, only if the user agrees. @param {App} app */
export function followHash(app) {
  const { page, views } = app;
  /** The link was not followed: the address shows this run again. */
  const kept = () => {
    history.replaceState(null, '', currentHash(app) || location.pathname + location.search);
    views.controls.say('Kept the trained model: the link was not opened.');
  };
  window.addEventListener('hashchange', async () => {
    if (location.hash === currentHash(app)) return; // our own update
    const { values, problems } = fromHash(location.hash);
    if (values.tour && values.tour !== page.values.tour) {
      views.controls.showLinkProblems(problems);
      const hide = page.values.hide;
      showParts(app, values.hide); // the step's run keeps the page's sections
      if (!(await runExperiment(app, values.tour))) {
        showParts(app, hide);
        kept();
      }
      return;
    }
    // only the Homework section's settings changed: no new model
    const sectionsOnly = toHash({ ...values, ...sectionsOf(defaults()) }) === toHash({ ...fromHash(currentHash(app)).values, ...sectionsOf(defaults()) });
    const replacement = { what: 'The link you opened starts a new model', label: 'Open the link' };
    if (!sectionsOnly && !(await views.confirmReset.ask(page.report?.epoch ?? 0, replacement))) return kept();
    views.controls.showLinkProblems(problems);
    Object.assign(page.values, sectionsOf(values));
    views.homework.show(/** @type {any} */ (values));
    views.parts.show(values.hide);
    if (sectionsOnly) {
      followWalk(app, values.walk);
      return updateHash(app);
    }
    if (!values.walk) followWalk(app, 0); // a walk the new link does not have is closed; one it has opens when ready
    views.controls.show(values);
    applySettings(app, values);
  });
}
