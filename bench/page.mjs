// The benchmark page's script (a file of its own: the served CSP allows no inline script).
const worker = new Worker(new URL('./worker.mjs', import.meta.url), { type: 'module' });
worker.onmessage = ({ data }) => {
  window.benchResults = data;
  document.getElementById('status').textContent = data.error ?? 'done';
};
worker.onerror = (e) => {
  window.benchResults = { error: e.message };
};
