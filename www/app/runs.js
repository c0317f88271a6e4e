// @ts-check
// Keeping the run: the last whole epoch saved in the browser and restored on reload (when it is
// this link's run), a crashed worker replaced and restored from it, and Save / Load model.

import { Command } from '../protocol.js';
import { fromHash, toHash } from '../state.js';
import { saveRun, loadRun, forgetRun, nameOf, savedAgo } from '../persist.js';
import { SCHEMA } from '../pkg/settings-schema.js';
import { sectionsOf } from './page.js';
import { updateHash } from './link.js';
import { adopt, applySettings, modelAccepted } from './settings.js';

/** @typedef {import('./page.js').App} App */
/** @typedef {import('./page.js').Checkpoint} Checkpoint */

/** A lookup of the saved run slower than this says that it is still looking (it never gives up). */
const LOOKING_MS = 400;

/** After a saved run was accepted: its settings become the page's. */
/**
 * @param {App} app
 * @param {string} json
 * @param {string} what
 * @param {{ label: string, run: () => void }[]} actions
 */
function restored(app, json, what, actions = []) {
  const { page, views } = app;
  const saved = JSON.parse(json);
  const settings = { ...page.values, ...saved.config, epoch: 0 };
  adopt(app, settings);
  page.lastGood = { json, epoch: saved.training.epoch };
  const e = saved.training.epoch;
  views.controls.say(`${what} trained for ${e} epoch${e === 1 ? '' : 's'}.`, 'info', actions);
}

/** @param {App} app */
export async function saveModel({ page, worker }) {
  const reply = await worker.request(Command.export);
  if (!reply) return;
  const url = URL.createObjectURL(new Blob([reply.json], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: `rnn-playground-epoch-${page.report?.epoch ?? 0}.json` });
  a.click();
  URL.revokeObjectURL(url);
}

/** @param {App} app @param {File} file */
export async function loadModel(app, file) {
  const { worker, views } = app;
  // the core refuses larger files too; this spares reading them
  const most = SCHEMA.limits.fileBytes;
  if (file.size > most) {
    views.controls.say(
      `Not loaded: ${file.name} is ${(file.size / 1e6).toFixed(1)} MB, and a saved model is at most ${Math.round(most / 2 ** 20)} MB. The current model is unchanged.`,
      'error',
    );
    return;
  }
  try {
    const json = await file.text();
    const reply = await worker.load(json);
    if (!reply) return;
    modelAccepted(app);
    restored(app, json, 'Loaded a model');
  } catch (e) {
    views.controls.say(`Not loaded: ${e.message}. The current model is unchanged.`, 'error');
  }
}

/** What the browser keeps of a checkpoint: with the page's settings and the link it belongs to. @param {App} app @param {Checkpoint} checkpoint */
function savedRun({ page }, checkpoint) {
  return { ...checkpoint, settings: { ...page.applied, a: page.values.a, b: page.values.b }, hash: location.hash };
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
  saveRun(savedRun(app, checkpoint))
    .then(() => {
      document.documentElement.dataset.savedEpoch = String(checkpoint.epoch); // for tests: what a reload restores
    })
    .catch((e) => {
      if (page.storageWarned) return;
      page.storageWarned = true;
      views.controls.say(`This browser would not keep the model (${e.message ?? e}): a reload will start over. Save model keeps it in a file.`);
    });
}

/** The worker crashed: a new one, with the last checkpoint or else a new model from the settings. @param {App} app @param {string} reason */
export async function recover(app, reason) {
  const { page, worker, views } = app;
  const good = page.lastGood;
  worker.restart();
  page.running = false;
  views.controls.setRunning(false);
  try {
    if (good && (await worker.load(good.json))) {
      modelAccepted(app);
      restored(app, good.json, `The model’s worker crashed (${reason}) and was restarted. Restored the model`);
      return;
    }
  } catch {
    // fall through to a fresh model from the settings
  }
  page.hasModel = false;
  await applySettings(app, { ...page.applied, epoch: 0 });
  views.controls.say(`The model’s worker crashed (${reason}) and was restarted with a new model from the settings.`, 'error');
}

/** The run is saved as the page is left or hidden. @param {App} app */
export function keepOnLeave(app) {
  const { page, worker } = app;
  window.addEventListener('pagehide', () => {
    if (page.lastGood) saveRun(savedRun(app, page.lastGood)).catch(() => {});
  });
  document.addEventListener('visibilitychange', async () => {
    if (document.visibilityState !== 'hidden') return;
    const reply = await worker.request(Command.export).catch(() => /** @type {null} */ (null));
    if (reply) keep(app, { json: reply.json, epoch: reply.epoch });
  });
}

/**
 * The first model: the run saved in the browser if it is this link's (the link's epoch may be
 * ahead of it), else one from the link's settings `values`.
 * @param {App} app @param {Record<string, any>} values
 * @returns {Promise<boolean>} whether a saved run was restored
 */
export async function restoreRun(app, values) {
  const { page, worker, views } = app;
  // a slow machine's storage is waited for, however long: starting over would lose the run
  const looking = 'Looking for the run saved in this browser…';
  const slow = setTimeout(() => views.controls.say(looking), LOOKING_MS);
  const found = await loadRun().catch((e) => {
    views.controls.showStorageNotice(`The run saved in this browser could not be read (${e.message ?? e}): starting from the link.`);
    return /** @type {null} */ (null);
  });
  clearTimeout(slow);
  if (views.controls.message.textContent?.startsWith(looking)) views.controls.say('');
  if (found?.discarded) views.controls.showStorageNotice(`Discarded ${found.discarded.name}: ${found.discarded.reason}.`);
  const saved = found?.run;
  // the saved run is this link's if their settings agree (the link's epoch may be ahead of it)
  const settingsOf = (/** @type {string} */ hash) => toHash({ ...fromHash(hash).values, epoch: 0, homework: 0, classroom: 0 });
  if (!saved || (location.hash !== '' && settingsOf(saved.hash) !== settingsOf(location.hash))) return false;
  try {
    if (!(await worker.load(saved.json))) return false;
  } catch (e) {
    // a run this page cannot read any more: said, forgotten, and the page starts from the link
    views.controls.showStorageNotice(`Discarded ${nameOf(saved)}: its model was refused (${e.message}).`);
    await forgetRun().catch(() => {});
    return false;
  }
  modelAccepted(app);
  page.values = { ...values, ...saved.settings, ...sectionsOf(values) };
  const ago = savedAgo(saved.savedAt);
  restored(app, saved.json, `Welcome back: restored your run${ago ? ` (${ago})` : ''},`, [
    {
      label: 'Start fresh',
      run: () =>
        forgetRun()
          .catch(() => {})
          .finally(() => applySettings(app, { ...values, epoch: 0 })),
    },
  ]);
  page.values.epoch = values.epoch; // a link ahead of the saved epoch trains on to it
  return true;
}
