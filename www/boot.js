// @ts-check
// The model's worker, started the moment the page's HTML is parsed, before the page's own modules
// load: it fetches and compiles the wasm meanwhile (worker-client.js adopts it). An error while it
// loads is kept for the page, which is not listening yet.

const worker = new Worker(new URL('./worker/main.js', import.meta.url), { type: 'module' });
/** @type {{ worker: Worker, error: string | null }} */
const early = { worker, error: null };
worker.addEventListener('error', (e) => (early.error ??= e.message || 'the worker stopped'));
/** @type {any} */ (globalThis).rnnPlaygroundWorker = early;
