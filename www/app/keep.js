// @ts-check
// Keeping the run in this browser: each whole epoch (a checkpoint from the worker) is kept for
// recovery and saved under this tab's run, with the page's settings and its link; and again as
// the page is left or hidden. What is restored from it, and when, is runs.js's.

import { Command } from '../protocol.js';
import { saveRun } from '../persist.js';
import { updateHash } from './link.js';

/** @typedef {import('./page.js').App} App */
/** @typedef {import('./page.js').Checkpoint} Checkpoint */

/** What the browser keeps of a checkpoint: with the page's settings and the link it belongs to. @param {App} app @param {Checkpoint} checkpoint */
function savedRun({ page }, checkpoint) {
  // run B, when compared, at its own last whole epoch beside run A's
  return { ...checkpoint, settings: { ...page.applied, a: page.values.a, b: page.values.b }, hash: location.hash, compare: page.b?.lastGood ?? null };
}

/** A checkpoint from the worker: kept for recovery and in the browser. @param {App} app @param {Checkpoint} checkpoint */
export function keep(app, checkpoint) {
  const { page, views } = app;
  page.lastGood = checkpoint;
  if (page.reproducing && checkpoint.epoch >= page.reproducing) {
    views.controls.say(`Trained to epoch ${page.reproducing}, where the link was shared: the same run, number for number.`);
    page.reproducing = null;
  }
  updateHash(app);
  if (!page.runId) return;
  saveRun(page.runId, savedRun(app, checkpoint))
    .then(() => {
      document.documentElement.dataset.savedEpoch = String(checkpoint.epoch); // for tests: what a reload restores
    })
    .catch((e) => {
      if (page.storageWarned) return;
      page.storageWarned = true;
      views.controls.say(`This browser would not keep the model (${e.message ?? e}): a reload will start over. Save model keeps it in a file.`);
    });
}

/** The run is saved as the page is left or hidden. @param {App} app */
export function keepOnLeave(app) {
  const { page, worker } = app;
  window.addEventListener('pagehide', () => {
    if (page.lastGood && page.runId) saveRun(page.runId, savedRun(app, page.lastGood)).catch(() => {});
  });
  document.addEventListener('visibilitychange', async () => {
    if (document.visibilityState !== 'hidden') return;
    const reply = await worker.request(Command.export).catch(() => /** @type {null} */ (null));
    if (reply) keep(app, { json: reply.json, epoch: reply.epoch });
  });
}
