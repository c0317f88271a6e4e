// @ts-check
// The current run kept in the browser (IndexedDB), so a reload loses nothing: the model at its
// last whole epoch as saved JSON, with the page's settings and the link it was made from.
// Storage can fail (quota, private windows, blocked storage): every call then rejects with a
// message to show, and the page carries on without it.

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

/** The run kept by the last `saveRun`, or null. @returns {Promise<SavedRun | null>} */
export async function loadRun() {
  return (await transact('readonly', (store) => store.get(KEY))) ?? null;
}

export function forgetRun() {
  return transact('readwrite', (store) => store.delete(KEY));
}
