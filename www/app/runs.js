// @ts-check
// Bringing a run back: the last whole epoch saved in this browser (keep.js) restored on a reload
// whatever the link says (a link opened in a new tab is reproduced instead), a crashed worker
// replaced and restored from it, and Save / Load model.

import { Command } from '../protocol.js';
import { markOnce } from '../timing.js';
import { fromHash, workerConfig } from '../state.js';
import { loadRun, forgetRun, nameOf, savedAgo, latestFreeRun, claimRun, newRunId } from '../persist.js';
import { returning, setTabRun, tabRun } from './tab-run.js';
import { SCHEMA } from '../pkg/settings-schema.js';
import { sectionsOf } from './page.js';
import { adopt, applySettings, modelAccepted } from './settings.js';
import { resumeCompare } from './compare.js';

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
  // a large file on a slow machine takes a while: it is waited for, and says so
  const slow = setTimeout(() => views.controls.say(`Reading ${file.name}… The current model stays until it is read.`), LOOKING_MS);
  try {
    const json = await file.text();
    const reply = await worker.load(json);
    clearTimeout(slow);
    if (!reply) return;
    modelAccepted(app);
    restored(app, json, 'Loaded a model');
    await resumeCompare(app); // run B, if compared, starts again beside it
  } catch (e) {
    clearTimeout(slow);
    views.controls.say(`Not loaded: ${e.message}. The current model is unchanged.`, 'error');
  }
}

/** The worker crashed: a new one, with the last checkpoint or else a new model from the settings. @param {App} app @param {string} reason */
export async function recover(app, reason) {
  const { page, worker, views } = app;
  const good = page.lastGood;
  worker.restart();
  page.running = false;
  views.controls.setRunning(false);
  const goodB = page.b?.lastGood;
  try {
    if (good && (await worker.load(good.json))) {
      modelAccepted(app);
      restored(app, good.json, `The model’s worker crashed (${reason}) and was restarted. Restored the model`);
      await resumeCompare(app, goodB?.json);
      return;
    }
  } catch {
    // fall through to a fresh model from the settings
  }
  page.hasModel = false;
  await applySettings(app, { ...page.applied, epoch: 0 });
  views.controls.say(`The model’s worker crashed (${reason}) and was restarted with a new model from the settings.`, 'error');
}

/** The words for discarded records, a few named. @param {import('../persist.js').Discarded[]} discarded */
function discardedText(discarded) {
  const named = discarded.slice(0, 3).map((d) => `Discarded ${d.name}: ${d.reason}.`);
  const more = discarded.length - named.length;
  return [
    ...named,
    ...(more > 0 ? [`And ${more} more record${more === 1 ? '' : 's'} that ${more === 1 ? 'was not a saved run' : 'were not saved runs'}.`] : []),
  ].join(' ');
}

/**
 * @typedef {{ id: string | null, run: import('../persist.js').SavedRun | null, discarded: import('../persist.js').Discarded[] }} Found
 * @typedef {{ found: Found, error: string | null }} Lookup
 */

/**
 * The look in this browser's storage for the run to restore (see restoreRun), started by
 * main.js before the views are built: the storage answers meanwhile (docs/speed.md).
 * @returns {Promise<Lookup>}
 */
export async function lookUpRun() {
  const again = returning();
  const mine = tabRun();
  /** @type {Found} */
  let found = { id: null, run: null, discarded: [] };
  try {
    if (again && mine) found = { id: mine, ...(await loadRun(mine)) };
    else if (location.hash === '') found = await latestFreeRun();
  } catch (e) {
    return { found, error: String(/** @type {any} */ (e)?.message ?? e) };
  }
  return { found, error: null };
}

/**
 * The first model. A reload (or Back, Forward) brings this tab's run back as it stood, whatever
 * its link says; a page opened without a link takes the latest run no open tab holds; a link
 * opened afresh is reproduced, from `values`. The tab's run is claimed for its life, so no other
 * tab writes it (a duplicated tab's copy of it becomes a run of its own).
 * @param {App} app @param {Record<string, any>} values the link's settings
 * @param {Promise<Lookup>} lookup what lookUpRun found
 * @returns {Promise<boolean>} whether a saved run was restored
 */
export async function restoreRun(app, values, lookup) {
  const { page, worker, views } = app;
  const again = returning();
  // a slow machine's storage is waited for, however long: starting over would lose the run
  const looking = 'Looking for the run saved in this browser…';
  const slow = setTimeout(() => views.controls.say(looking), LOOKING_MS);
  const { found, error } = await lookup;
  if (error) views.controls.showStorageNotice(`The run saved in this browser could not be read (${error}): starting from the link.`);
  clearTimeout(slow);
  if (views.controls.message.textContent?.startsWith(looking)) views.controls.say('');
  if (found.discarded.length) views.controls.showStorageNotice(discardedText(found.discarded));
  // this tab's run from now on: the one found, unless another tab holds it (then a copy)
  let id = found.id;
  if (!id || !(await claimRun(id))) {
    id = newRunId();
    await claimRun(id);
  }
  page.runId = id;
  setTabRun(id);
  markOnce('run-looked-up');
  const saved = found.run;
  if (!saved) return false;
  try {
    if (!(await worker.load(saved.json))) return false;
  } catch (e) {
    // a run this page cannot read any more: said, forgotten, and the page starts from the link
    views.controls.showStorageNotice(`Discarded ${nameOf(saved)}: its model was refused (${e.message}).`);
    await forgetRun(id).catch(() => {});
    return false;
  }
  modelAccepted(app);
  // on a reload the link holds what changed since the last save: the typed sum, the speed
  page.values = { ...values, ...saved.settings, ...(again ? { a: values.a, b: values.b, speed: values.speed } : {}), ...sectionsOf(values) };
  const ago = savedAgo(saved.savedAt);
  restored(app, saved.json, `Welcome back: restored your run${ago ? ` (${ago})` : ''},`, [
    {
      label: 'Start fresh',
      run: () =>
        forgetRun(id)
          .catch(() => {})
          .finally(() => applySettings(app, { ...values, epoch: 0 })),
    },
  ]);
  // run B, when compared, back at its own epoch
  await resumeCompare(app, saved.compare?.json);
  // the same run's link further on (its last epochs not saved yet) trains on to its epoch
  const model = (/** @type {string} */ hash) => JSON.stringify(workerConfig(fromHash(hash).values));
  page.values.epoch = again && model(saved.hash) === model(location.hash) ? values.epoch : 0;
  return true;
}
