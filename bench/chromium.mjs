// Debian's Chromium (never a downloaded browser), headless, driven by playwright-core:
//   node bench/chromium.mjs BASE_URL [WORKLOADS]
// (WORKLOADS: comma-separated, e.g. gru1,lstm32: only those in the worker, and not the page's
// carry preset; all when left out)
// 1. bench/index.html: the workloads in a Web Worker (ours, then TensorFlow.js's); 2. the real
// page: click Train the moment it is enabled (the first model is in the worker), wait for the status to show epoch 1; 3. the carry preset from Train to 100 % of held-out sums and
// carry chains. Prints RESULT lines.

import { chromium } from 'playwright-core';

const base = process.argv[2];
const only = process.argv[3] ?? '';
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args });
try {
  const page = await browser.newPage();
  await page.goto(new URL(`bench/index.html?only=${encodeURIComponent(only)}`, base).href);
  await page.waitForFunction(() => window.benchResults, null, { timeout: 600_000 });
  const { results, error } = await page.evaluate(() => window.benchResults);
  if (error) throw new Error(`the bench page failed: ${error}`);
  for (const r of results) console.log('RESULT', r.engine, r.workload, r.seqPerSec);
  await page.close();

  if (!only) {
    // the first epoch on screen is bench/first-epoch.mjs's, on the page as `dist` writes it

    // The carry preset: Train clicked to every held-out sum and carry chain right, median of 3 seeds.
    const carry = [];
    for (const seed of [10, 42, 2024]) {
      const context = await browser.newContext();
      const p = await context.newPage();
      await p.goto(new URL(`#preset=carry&ds=${seed}&ms=${seed}`, base).href);
      await p.waitForSelector('[data-epoch]');
      const train = p.getByRole('button', { name: 'Train', exact: true });
      await train.waitFor();
      const started = Date.now();
      await train.click();
      await p.waitForFunction(
        () => {
          const el = document.querySelector('#accuracy-chart');
          return el?.getAttribute('data-last-test-exact') === '1' && el?.getAttribute('data-last-chain-exact') === '1';
        },
        null,
        { timeout: 300_000, polling: 50 },
      );
      carry.push(Date.now() - started);
      await context.close();
    }
    carry.sort((a, b) => a - b);
    console.log('RESULT page carry-100-ms', carry[1]);
  }
} finally {
  await browser.close();
}
