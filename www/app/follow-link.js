// @ts-check
// A link opened in this tab: a hash changed by hand (or by the browser's history) applies, unless
// it is the page's own update; over a trained model, only if the user agrees.

import { defaults, fromHash, toHash } from '../state.js';
import { sectionsOf } from './page.js';
import { currentHash, updateHash } from './link.js';
import { applySettings } from './settings.js';
import { runExperiment } from './tour.js';
import { followWalk } from './walk.js';

/** @typedef {import('./page.js').App} App */

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
