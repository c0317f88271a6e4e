// Offline and installable: after one visit the service worker (sw.js) has kept the build, and the
// page opens, trains and answers a typed sum with the network off; served by the development
// server, and as a `cargo xtask dist` folder on a plain static server (tests/static-server.mjs), where a
// new build is also said and taken on a reload, and a build that fails to install leaves the old
// one in place. The manifest and its icons are served. The dist folder's page and worker are one
// bundle each (xtask/src/bundle.rs), and its homework still loads its editor and sandbox.
//
// The dist folder: DIST_DIR (`cargo xtask test` writes one), else `cargo xtask dist` is run here.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staticServer } from '../static-server.mjs';
import { launch, open, epoch, until, untilText, holds, limit, untilOfflineReady, BASE_URL } from './browser.mjs';
import { openHomework, checkCode, solution, SMALL as HOMEWORK } from './homework-page.mjs';

const SMALL = '#h=16&n=100'; // epochs of milliseconds
const ROOT = new URL('../../', import.meta.url).pathname;
const NEW_BUILD = /A new version of the page is ready: reload to use it/;
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** A `cargo xtask dist` folder, copied so that the test may change it. */
function distCopy() {
  let dist = process.env.DIST_DIR;
  if (!dist) {
    dist = join(ROOT, 'target/e2e-dist');
    const run = spawnSync('cargo', ['xtask', 'dist', '--out', dist], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(run.status, 0, '`cargo xtask dist` failed');
  }
  const copy = mkdtempSync(join(tmpdir(), 'rnn-offline-'));
  cpSync(dist, copy, { recursive: true });
  return copy;
}

/** Gives the folder's build a new version, as a rebuild would: precache.js and build.js, build.js's hash in the list. */
function rebuild(dir, version) {
  const [precachePath, buildPath] = [join(dir, 'www/pkg/precache.js'), join(dir, 'www/pkg/build.js')];
  const sri = (text) => `sha256-${createHash('sha256').update(text).digest('base64')}`;
  const build = readFileSync(buildPath, 'utf8');
  const old = /BUILD = '([0-9a-z]+)'/.exec(build)[1];
  const next = build.replace(old, version);
  writeFileSync(buildPath, next);
  writeFileSync(precachePath, readFileSync(precachePath, 'utf8').replace(`version: '${old}'`, `version: '${version}'`).replace(sri(build), sri(next)));
}

/** Asks for the service worker's update and waits for its outcome: 'activated', 'redundant' (a failed install) or 'none'. */
async function update(page) {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration.update();
    const worker = registration.installing ?? registration.waiting;
    if (!worker) return 'none';
    return new Promise((resolve) => {
      const done = () => (worker.state === 'activated' || worker.state === 'redundant') && resolve(worker.state);
      worker.addEventListener('statechange', done);
      done();
    });
  });
}

const cacheNames = (page) => page.evaluate(() => caches.keys());

/** With the network off: the page reloads, trains an epoch and answers a typed sum. */
async function worksOffline(page, context) {
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('[data-epoch]', { timeout: limit(30000) });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await until(page, async () => (await epoch(page)) >= 1, 'epoch 1 without a network', 60000);
  await page.getByRole('textbox', { name: 'First number' }).fill('1234567');
  await page.getByRole('textbox', { name: 'Second number' }).fill('7654321');
  await untilText(page, page.locator('.true-digits'), /^00000008888888$/, 'the typed sum shown');
  await until(page, async () => /^\d+$/.test((await page.locator('.predicted-digits').getAttribute('data-sum')) ?? ''), 'its predicted sum');
  await context.setOffline(false);
}

test('after one visit to the development server, the page opens, trains and answers offline; it is installable', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  // installable: the manifest, linked, with icons that are served
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector('link[rel="manifest"]');
    const res = await fetch(link.getAttribute('href'));
    return { type: res.headers.get('content-type'), json: await res.json() };
  });
  assert.equal(manifest.type, 'application/manifest+json');
  assert.equal(manifest.json.start_url, './');
  assert.equal(manifest.json.display, 'standalone');
  const sizes = [];
  for (const icon of manifest.json.icons) {
    const res = await fetch(new URL(icon.src, BASE_URL));
    assert.equal(res.status, 200, icon.src);
    assert.equal(res.headers.get('content-type'), icon.type, icon.src);
    sizes.push(icon.sizes);
  }
  assert.deepEqual(sizes.sort(), ['192x192', '512x512', 'any']);
  await untilOfflineReady(page);
  assert.equal((await cacheNames(page)).length, 1, 'one build kept');
  await worksOffline(page, context);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a `cargo xtask dist` folder on a plain static server works offline; a new build is said and taken on a reload, a failed one leaves the old', async () => {
  const dir = distCopy();
  const server = await staticServer(dir);
  try {
    const { page, problems, context } = await open(browser, { hash: SMALL, base: server.url });
    await untilOfflineReady(page);
    const first = await cacheNames(page);
    assert.equal(first.length, 1);
    // a build whose install fails (a file the server cannot give): the old one stays, nothing is said
    rebuild(dir, 'e2efailed0000000');
    server.failing.add('www/app/main.js');
    assert.equal(await update(page), 'redundant');
    assert.deepEqual(await cacheNames(page), first);
    server.failing.clear();
    // ... and the page still opens from it offline
    await worksOffline(page, context);
    assert.doesNotMatch((await page.locator('#message').textContent()) ?? '', NEW_BUILD, 'no notice for a build that failed');
    // a message shown (the run restored) keeps its place: the notice waits until it is dismissed
    if (await page.locator('#message').isVisible()) await page.locator('#message .dismiss').click();
    // a new build installs: the open page says so, and a reload takes it
    rebuild(dir, 'e2enewbuild00000');
    assert.equal(await update(page), 'activated');
    await untilText(page, page.locator('#message'), NEW_BUILD, 'the new build said');
    assert.deepEqual(await cacheNames(page), ['rnn-playground-e2enewbuild00000'], 'the old build’s cache deleted');
    await page.locator('#message').getByRole('button', { name: 'Reload' }).click();
    await page.waitForSelector('[data-epoch]', { timeout: limit(30000) });
    await until(page, () => page.evaluate(() => document.readyState === 'complete'), 'the reloaded page');
    await holds(page, async () => !NEW_BUILD.test((await page.locator('#message').textContent()) ?? ''), 'no notice once reloaded', 1000);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('`cargo xtask dist` ships the page and the worker as one bundle each; its homework editor and sandbox still load', async () => {
  const dir = distCopy();
  const server = await staticServer(dir);
  try {
    // the modules inside a bundle are gone, and so are their preloads
    for (const gone of ['www/views', 'www/app/page.js', 'www/worker/loop.js', 'www/protocol.js', 'www/vendor/uPlot.esm.js']) {
      assert.equal(existsSync(join(dir, gone)), false, `${gone} is inside a bundle`);
    }
    // the libraries' copyright and licence notices go with their code, into the page's bundle
    const page = readFileSync(join(dir, 'www/app/main.js'), 'utf8');
    assert.match(page, /\/\* www\/vendor\/uPlot\.esm\.js: \*\/\n\/\*\*\n\* Copyright \(c\) \d+, Leon Sorokin\n\* All rights reserved\. \(MIT Licensed\)/);
    for (const d3 of ['d3-color', 'd3-interpolate', 'd3-scale-chromatic']) {
      assert.match(page, new RegExp(`/\\* www/vendor/${d3}\\.min\\.mjs: \\*/\\n// https://d3js\\.org/${d3}/ v[\\d.]+ Copyright \\d+-\\d+ Mike Bostock`), d3);
    }
    assert.doesNotMatch(readFileSync(join(dir, 'www/worker/main.js'), 'utf8'), /Copyright/, 'no library in the worker, so no notice');
    // ... and the homework editor's CodeMirror, bundled by the build, ends with its packages' licences
    const editor = readFileSync(join(dir, 'www/vendor/codemirror.js'), 'utf8');
    const licences = editor.slice(editor.lastIndexOf('/* The packages in this bundle, with their licences:'));
    for (const name of ['@codemirror/view', '@codemirror/state', '@lezer/common', 'codemirror'])
      assert.match(licences, new RegExp(`(^|[\\s,])${name}[,:]`), name);
    assert.match(licences, /Copyright \(C\) \d{4}(-\d{4})? by Marijn Haverbeke[^\n]*\n\nPermission is hereby granted, free of charge/);
    const preloads = [...readFileSync(join(dir, 'index.html'), 'utf8').matchAll(/rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(preloads, ['www/app/main.js', 'www/pkg/build.js']);
    // the page and its worker ask for their bundles, boot.js, the build's version and
    // wasm-bindgen's glue: no other module
    const { page: tab, problems, context } = await openHomework(browser, `${HOMEWORK}&hw=1`, { base: server.url });
    const scripts = await tab.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => new URL(e.name).pathname)
        .filter((p) => p.endsWith('.js') && !p.endsWith('/editor.js') && !p.endsWith('/codemirror.js')),
    );
    assert.deepEqual(scripts.sort(), ['/www/app/main.js', '/www/boot.js', '/www/pkg/build.js', '/www/pkg/rnn_playground.js', '/www/worker/main.js']);
    // the editor (loaded on demand) and the sandbox frame (found from the page's address) work
    await checkCode(tab, solution(), 'passed', /dLdW passed/);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
