// @ts-check
// The current run kept in the browser (IndexedDB), so a reload loses nothing: the model at its
// last whole epoch as saved JSON, with the page's settings and the link it was made from.
// Storage can fail (quota, private windows, blocked storage): every call then rejects with a
// message to show, and the page carries on without it. What is read back may be anything (an
// older page's record, another script's, a damaged one): it is checked by its shape, and a
// record that is not a saved run is deleted and named, never used.

import { storedSettings } from './state.js';

const DB = 'rnn-playground';
const STORE = 'runs';
const KEY = 'current';

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

/** @typedef {{ json: string, epoch: number, settings: object, hash: string, savedAt: number }} SavedRun */

/** Keeps `run` as the current run. @param {Omit<SavedRun, 'savedAt'>} run */
export function saveRun(run) {
  return transact('readwrite', (store) => store.put({ ...run, savedAt: Date.now() }, KEY));
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
  return storedSettings(record.settings).problem ?? '';
}

/**
 * The run kept by the last `saveRun`, or null; a record that is not one is deleted and named.
 * @returns {Promise<{ run: SavedRun | null, discarded: { name: string, reason: string } | null }>}
 */
export async function loadRun() {
  const record = await transact('readonly', (store) => store.get(KEY));
  if (record === undefined) return { run: null, discarded: null };
  const reason = problemWith(record);
  if (!reason) return { run: record, discarded: null };
  await forgetRun().catch(() => {});
  return { run: null, discarded: { name: nameOf(record), reason } };
}

export function forgetRun() {
  return transact('readwrite', (store) => store.delete(KEY));
}
