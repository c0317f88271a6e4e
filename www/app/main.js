// @ts-check
// The page's entry: makes the page's state (page.js), the model's worker and the views
// (views.js), wires the page-wide listeners, and starts. All model maths happens in the worker;
// what the page does is split by concern: drawing (render.js), the worker's events (events.js),
// settings (settings.js), the link written (link.js) and opened (follow-link.js), keeping the run
// (keep.js) and bringing it back (runs.js), the guided path (tour.js).

import { markOnce } from '../timing.js';
import { ModelWorker } from '../worker-client.js';
import { Command } from '../protocol.js';
import { fromHash } from '../state.js';
import { createPage } from './page.js';
import { buildViews } from './views.js';
import { onWorkerEvent } from './events.js';
import { applySettings } from './settings.js';
import { followHash } from './follow-link.js';
import { lookUpRun, restoreRun } from './runs.js';
import { keepOnLeave } from './keep.js';
import { runExperiment } from './tour.js';
import { openWalk } from './walk.js';
import { keepForOffline } from './offline.js';

/** @typedef {import('./page.js').App} App */

markOnce('page-script');

/** The page: its state, then the worker (first, so that it fetches and compiles the wasm while the views are built), then the views. */
const app = /** @type {App} */ ({ page: createPage(), worker: null, views: null });
app.worker = new ModelWorker((msg) => onWorkerEvent(app, msg));
// the browser's storage looks for a saved run while the views are built
const lookup = lookUpRun();
app.views = buildViews(app);

keepOnLeave(app);
followHash(app);
// the service worker keeps this build for offline use; a newer build ready is said, not forced
keepForOffline(() =>
  app.views.controls.sayWhenFree('A new version of the page is ready: reload to use it.', 'info', [{ label: 'Reload', run: () => location.reload() }]),
);

// a test-only way in: crash the worker on purpose, to see the page recover
document.addEventListener('rnn-playground:trap-for-tests', () => app.worker.send(Command.trapForTests));

// keyboard: space toggles training when focus is not in a field
document.addEventListener('keydown', (e) => {
  if (e.defaultPrevented) return; // a view's own key (the step-through's Space)
  if (e.key === ' ' && !(e.target instanceof Element && e.target.closest('input, select, button, textarea'))) {
    e.preventDefault();
    app.views.controls.pressTrain();
  }
});

/**
 * The link's settings, then this tab's saved run on a reload (runs.js), or else the link's model (a step of the path runs its own).
 * @param {App} app @param {Promise<import('./runs.js').Lookup>} lookup the saved run looked for
 */
async function start(app, lookup) {
  const { page, views } = app;
  const { values, problems } = fromHash(location.hash);
  views.controls.showLinkProblems(problems);
  views.parts.show(values.hide);
  page.values = values;
  views.controls.show(values);
  views.homework.show(/** @type {any} */ (values));
  if (values.walk) openWalk(app, values.walk); // opens once the model is ready
  // whatever the browser's storage holds, the page opens: at worst with the link's own model
  const back = await restoreRun(app, values, lookup).catch((e) => {
    views.controls.showStorageNotice(`The run saved in this browser could not be read back (${e.message ?? e}): starting from the link.`);
    return false;
  });
  if (back) return views.tour.show(values.tour); // a step reloaded is where it was, not run again
  if (values.tour) return runExperiment(app, values.tour); // a step of the path sets its own state
  applySettings(app, values);
}

start(app, lookup);
