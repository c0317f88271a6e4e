// The time from navigation to the first epoch on screen, as a new user meets it, and where it
// goes: the page as `cargo xtask dist` writes it, served by a plain static server (tests/static-server.mjs), a fresh browser context each run (no cache, no saved run), the default
// settings, Train clicked the moment it is enabled. Median of 5. The page marks its own start
// (www/timing.js); the worker's times come with its `ready` message.
//
//   node bench/first-epoch.mjs DIST_FOLDER        (cargo xtask bench --first-epoch runs it)
//
// Prints RESULT lines for `cargo xtask bench`: the median of each moment, in ms from navigation.

import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { staticServer } from '../tests/static-server.mjs';

const folder = process.argv[2] && resolve(process.argv[2]);
if (!folder) throw new Error('usage: node bench/first-epoch.mjs DIST_FOLDER');
const RUNS = 5;
const server = await staticServer(folder);
const base = server.url;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** One run: every moment in ms from the start of the navigation. */
async function once() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base, { waitUntil: 'commit' });
  let spot = null;
  for (const started = Date.now(); !spot; await new Promise((r) => setTimeout(r, 5))) {
    if (Date.now() - started > 60_000) throw new Error('Train never became enabled');
    spot = await page
      .evaluate(() => {
        const b = document.querySelector('#train');
        if (!b || b.disabled) return null;
        const r = b.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      })
      .catch(() => null); // the document may still be replacing the blank one
  }
  await page.mouse.click(spot.x, spot.y);
  const clicked = await page.evaluate(() => performance.now());
  await page.waitForFunction(() => performance.getEntriesByName('first-epoch-drawn').length > 0, null, { timeout: 120_000 });
  const t = await page.evaluate(() => {
    const mark = (name) => performance.getEntriesByName(name, 'mark')[0];
    const worker = mark('model-ready')?.detail ?? {};
    const fromWorker = (k) => (worker[k] ?? Number.NaN) - performance.timeOrigin;
    const nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType('navigation')[0]);
    return {
      html: nav.responseEnd,
      script: mark('page-script').startTime,
      workerStart: fromWorker('start'),
      wasmReady: fromWorker('wasm'),
      lookedUp: mark('run-looked-up')?.startTime ?? Number.NaN,
      modelAsked: fromWorker('asked'),
      modelMade: fromWorker('configured'),
      evaluated: fromWorker('evaluated'),
      trainEnabled: mark('train-enabled').startTime,
      received: mark('first-epoch-received').startTime,
      drawn: mark('first-epoch-drawn').startTime,
    };
  });
  await context.close();
  return { ...t, clicked };
}

const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await once());
await browser.close();
server.close();

const median = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(RUNS / 2)];
for (const k of Object.keys(runs[0])) console.log('RESULT first-epoch', k, median(k).toFixed(1));
const drawn = runs.map((r) => r.drawn).sort((a, b) => a - b);
console.log('RESULT first-epoch min', drawn[0].toFixed(1));
console.log('RESULT first-epoch max', drawn.at(-1).toFixed(1));
