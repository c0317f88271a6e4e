// The benchmark page's script (a file of its own: the served CSP allows no inline script). Runs the
// wasm core's and plain JS's workloads in a module worker, then TensorFlow.js's in another module worker
// (bench/tfjs.mjs), one after the other, and leaves every result in window.benchResults.

/** Runs a worker to its one message and ends it. */
function run(url, options) {
  return new Promise((resolve) => {
    const worker = new Worker(new URL(url, import.meta.url), options);
    worker.onmessage = ({ data }) => {
      worker.terminate();
      resolve(data);
    };
    worker.onerror = (e) => {
      worker.terminate();
      resolve({ error: `${url}: ${e.message}` });
    };
  });
}

// bench/index.html?only=gru1,lstm32 runs only those workloads (all when left out)
const only = `?only=${encodeURIComponent(new URLSearchParams(location.search).get('only') ?? '')}`;
const status = document.getElementById('status');
const ours = await run(`./worker.mjs${only}`, { type: 'module' });
status.textContent = 'running TensorFlow.js…';
const tfjs = ours.error ? { results: [] } : await run(`./tfjs.mjs${only}`, { type: 'module' });
window.benchResults = {
  results: [...(ours.results ?? []), ...(tfjs.results ?? [])],
  error: ours.error ?? tfjs.error,
};
status.textContent = window.benchResults.error ?? 'done';
