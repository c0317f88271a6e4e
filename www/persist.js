// @ts-check
// The runs kept in the browser (IndexedDB), so a reload loses nothing: each tab's run under its
// own id (two tabs never write one record), the model at its last whole epoch as saved JSON,
// with the page's settings and the link it was made from. A tab holds a Web Lock named after its
// run for as long as it lives, so another tab never takes a run that is in use.
// Storage can fail (quota, private windows, blocked storage): every call then rejects with a
// message to show, and the page carries on without it. What is read back may be anything (an
// older page's record, another script's, a damaged one): it is checked by its shape, and a
// record that is not a saved run is deleted and named, never used.

import { storedSettings } from './state.js';

const DB = 'rnn-playground';
const STORE = 'runs';
/** At most this many runs are kept: the most recently saved, and any an open tab holds. */
const KEEP = 5;
const LOCK = 'rnn-playground:run:';

/** @type {Promise<IDBDatabase> | null} */
let opening = null;

/** @returns {Promise<IDBDatabase>} */
function open() {
  opening ??= new Promise((resolve, reject) => {
    if (!('indexedDB' in globalThis)) return reject(new Error('this browser has no IndexedDB'));
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB could not be opened'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  }).catch((e) => {
    opening = null;
    throw e;
  });
  return opening;
}

/**
 * @template T
 * @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => IDBRequest<T>} action
 * @returns {Promise<T>} the request's result, once the transaction is complete
 */
async function transact(mode, action) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = action(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error ?? new Error('the browser refused to store the model'));
    tx.onabort = () => reject(tx.error ?? new Error('the browser refused to store the model'));
  });
}

/** @typedef {{ json: string, epoch: number, settings: object, hash: string, savedAt: number, compare?: { json: string, epoch: number } | null }} SavedRun `compare`: run B, when two runs were compared */

/** Keeps `run` as the run `id`. @param {string} id @param {Omit<SavedRun, 'savedAt'>} run */
export function saveRun(id, run) {
  return transact('readwrite', (store) => store.put({ ...run, savedAt: Date.now() }, id));
}

/** A new run's id. */
export function newRunId() {
  return crypto.randomUUID();
}

/**
 * Holds run `id` for as long as this page lives; false if another tab holds it. (Without Web
 * Locks, as in an old browser, every claim succeeds.)
 * @param {string} id
 * @returns {Promise<boolean>}
 */
export function claimRun(id) {
  if (!navigator.locks) return Promise.resolve(true);
  return new Promise((resolve) => {
    navigator.locks
      .request(`${LOCK}${id}`, { ifAvailable: true }, (lock) => {
        resolve(lock !== null);
        return lock && new Promise(() => {}); // never settles: held until the page goes
      })
      .catch(() => resolve(true));
  });
}

/** The ids of the runs open tabs hold. @returns {Promise<Set<string>>} */
async function heldRuns() {
  /** @type {LockInfo[]} */
  const none = [];
  /** @type {LockManagerSnapshot | null} */
  const snapshot = navigator.locks ? await navigator.locks.query().catch(() => /** @type {null} */ (null)) : null;
  const held = snapshot?.held ?? none;
  return new Set(
    held
      .map((l) => l.name ?? '')
      .filter((n) => n.startsWith(LOCK))
      .map((n) => n.slice(LOCK.length)),
  );
}

/**
 * How long ago `savedAt` was, in words ("saved 3 minutes ago"), or '' for a time that is not one.
 * @param {unknown} savedAt
 */
export function savedAgo(savedAt) {
  if (typeof savedAt !== 'number' || !Number.isFinite(savedAt) || savedAt > Date.now() + 60000) return '';
  const minutes = Math.max(1, Math.round((Date.now() - savedAt) / 60000));
  const [n, unit] = minutes < 120 ? [minutes, 'minute'] : minutes < 48 * 60 ? [Math.round(minutes / 60), 'hour'] : [Math.round(minutes / 1440), 'day'];
  return `saved ${n} ${unit}${n === 1 ? '' : 's'} ago`;
}

/** The words for a stored record: "the run saved in this browser at epoch 5 (saved 3 minutes ago)". @param {any} record */
export function nameOf(record) {
  const epoch = record && typeof record === 'object' && Number.isSafeInteger(record.epoch) && record.epoch >= 0 ? record.epoch : null;
  if (epoch === null) return 'a record in this browser’s storage';
  const ago = savedAgo(record.savedAt);
  return `the run saved in this browser at epoch ${epoch}${ago ? ` (${ago})` : ''}`;
}

/** Why `record` is not a saved run, or '' when it is one. @param {any} record */
export function problemWith(record) {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return 'it is not a saved run';
  if (typeof record.json !== 'string' || record.json === '') return 'it holds no model';
  if (!Number.isSafeInteger(record.epoch) || record.epoch < 0) return 'its epoch is not a whole number';
  if (typeof record.hash !== 'string') return 'its link is not text';
  const b = record.compare;
  if (b != null && (typeof b !== 'object' || typeof b.json !== 'string' || b.json === '' || !Number.isSafeInteger(b.epoch) || b.epoch < 0))
    return 'its compared run is not a saved run';
  return storedSettings(record.settings).problem ?? '';
}

/** @typedef {{ name: string, reason: string }} Discarded a record that was not a saved run */

/**
 * Run `id`, or null; a record there that is not a saved run is deleted and named.
 * @param {string} id
 * @returns {Promise<{ run: SavedRun | null, discarded: Discarded[] }>}
 */
export async function loadRun(id) {
  const record = await transact('readonly', (store) => store.get(id));
  if (record === undefined) return { run: null, discarded: [] };
  const reason = problemWith(record);
  if (!reason) return { run: record, discarded: [] };
  await forgetRun(id).catch(() => {});
  return { run: null, discarded: [{ name: nameOf(record), reason }] };
}

/**
 * The most recently saved run no open tab holds, or null. Records that are not saved runs are
 * deleted and named; past the KEEP most recent, runs no tab holds are deleted.
 * @returns {Promise<{ id: string | null, run: SavedRun | null, discarded: Discarded[] }>}
 */
export async function latestFreeRun() {
  const [keys, records] = await Promise.all([transact('readonly', (store) => store.getAllKeys()), transact('readonly', (store) => store.getAll())]);
  const held = await heldRuns();
  /** @type {Discarded[]} */
  const discarded = [];
  /** @type {[string, SavedRun][]} */
  const runs = [];
  /** @type {IDBValidKey[]} */
  const gone = [];
  keys.forEach((key, i) => {
    const reason = typeof key === 'string' ? problemWith(records[i]) : 'it is not a saved run';
    if (reason) {
      discarded.push({ name: nameOf(records[i]), reason });
      gone.push(key);
    } else runs.push([/** @type {string} */ (key), records[i]]);
  });
  const time = (/** @type {SavedRun} */ r) => (Number.isFinite(r.savedAt) ? r.savedAt : 0);
  runs.sort((a, b) => time(b[1]) - time(a[1]));
  runs.slice(KEEP).forEach(([key]) => !held.has(key) && gone.push(key));
  if (gone.length) await transact('readwrite', (store) => gone.map((key) => store.delete(key)).at(-1)).catch(() => {});
  const free = runs.find(([key]) => !held.has(key));
  return { id: free?.[0] ?? null, run: free?.[1] ?? null, discarded };
}

/** @param {string} id */
export function forgetRun(id) {
  return transact('readwrite', (store) => store.delete(id));
}
