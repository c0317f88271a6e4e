// A plain static server over a folder, as a static host serves `cargo xtask dist`: files by path
// (`/` is index.html), `.wasm` as application/wasm, nothing outside the folder, `Cache-Control:
// no-cache`. Paths added to `failing` answer 500 (a host failing mid-update). Used by the offline
// test (tests/e2e/offline.test.mjs) and the first-epoch benchmark (bench/first-epoch.mjs).

import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves `dir` on a free port of 127.0.0.1. @param {string} dir */
export async function staticServer(dir) {
  const failing = new Set();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://host').pathname).replace(/^\/$/, '/index.html');
    const file = normalize(join(dir, path));
    const found = file.startsWith(dir) && !failing.has(path.slice(1)) && statSync(file, { throwIfNoEntry: false })?.isFile();
    if (!found) {
      res.writeHead(failing.has(path.slice(1)) ? 500 : 404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, failing, close: () => server.close() };
}
