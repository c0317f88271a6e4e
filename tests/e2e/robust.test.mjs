// Nothing lost, nothing stuck: the page under the conditions that used to lose a model or hang
// it. Run by `cargo xtask test` after page.test.mjs, in the same headless Chromium.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, points, until, untilText, BASE_URL } from './browser.mjs';

const SMALL = '#h=16&n=100';
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

const lastLoss = (page) => page.locator('#loss-chart').getAttribute('data-last-loss');

async function steps(page, n) {
  const start = await epoch(page);
  for (let i = 1; i <= n; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await until(page, async () => (await epoch(page)) === start + i, `epoch ${start + i}`);
  }
}

test('the page is served and runs under a strict Content-Security-Policy', async () => {
  const res = await fetch(BASE_URL);
  const header = res.headers.get('content-security-policy');
  for (const d of ["script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'"]) assert.ok(header.includes(d), `header lacks ${d}: ${header}`);
  const { page, problems, context } = await open(browser, { hash: SMALL });
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  for (const d of ["script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'"]) assert.ok(meta.includes(d), `meta lacks ${d}`);
  // the page works under it: a step trains and predicts
  await steps(page, 1);
  await until(page, async () => (await page.locator('.predicted-digits .d').count()) === 14, 'a prediction');
  // and it is in force: an injected inline script does not run, a foreign request is refused
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.injected = true';
    document.body.append(s);
    let fetched = true;
    try {
      await fetch('https://example.com/');
    } catch {
      fetched = false;
    }
    return { script: window.injected === true, fetched };
  });
  assert.deepEqual(ran, { script: false, fetched: false });
  const expected = (p) => /Content Security Policy|example\.com|Failed to fetch/.test(p);
  assert.deepEqual(problems.filter((p) => !expected(p)), []);
  assert.ok(problems.some((p) => /Content Security Policy/.test(p)), 'the browser reported the blocked script');
  await context.close();
});

test('a reload restores the run: same epoch, same loss; "Start fresh" starts over', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await steps(page, 3);
  const loss = await lastLoss(page);
  const saved = (e) => until(page, async () => (await page.locator('html').getAttribute('data-saved-epoch')) === String(e), `the run saved at epoch ${e}`);
  await saved(3);
  assert.match(page.url(), /[#&]e=3(&|$)/, 'the link carries the epoch');
  await page.reload();
  await page.waitForSelector('[data-epoch]');
  await until(page, async () => (await epoch(page)) === 3, 'epoch 3 after the reload');
  await untilText(page, page.locator('#message'), /Welcome back: restored your run .* trained for 3 epochs/);
  assert.equal(await lastLoss(page), loss);
  assert.equal(await points(page), 4, 'the loss history came back too');
  await steps(page, 1);
  await saved(4);
  await page.reload();
  await page.waitForSelector('[data-epoch]');
  await until(page, async () => (await epoch(page)) === 4, 'epoch 4 after the second reload');
  await page.getByRole('button', { name: 'Start fresh' }).click();
  await until(page, async () => (await epoch(page)) === 0, 'a fresh model');
  await page.reload();
  await page.waitForSelector('[data-epoch]');
  await until(page, async () => (await epoch(page)) === 0, 'still fresh after a reload');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a browser that will not store the model is told so, and the page works on', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  // as in a private window whose storage is blocked, or over quota
  await context.addInitScript(() => {
    IDBFactory.prototype.open = function open() {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(new URL(SMALL, BASE_URL).href);
  await page.waitForSelector('[data-epoch]');
  await steps(page, 2);
  await untilText(page, page.locator('#message'), /This browser would not keep the model \(.*quota.*\): a reload will start over\. Save model keeps it in a file\./i);
  await steps(page, 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a trap in the wasm module is noticed: the worker is replaced and the last model restored', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await steps(page, 2);
  const loss = await lastLoss(page);
  await page.evaluate(() => document.dispatchEvent(new Event('rnn-playground:trap-for-tests')));
  await untilText(page, page.locator('#message'), /The model’s worker crashed \(.*unreachable.*\) and was restarted\. Restored the model trained for 2 epochs\./);
  assert.equal(await epoch(page), 2);
  assert.equal(await lastLoss(page), loss);
  await steps(page, 1);
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.getByRole('button', { name: 'Reset to a new model' }).click(); // it asks first: the model has trained
  await until(page, async () => (await epoch(page)) === 0, 'Reset works after a crash');
  await page.getByRole('textbox', { name: 'First number' }).fill('123');
  await untilText(page, page.locator('.sum-summary'), /the sum is|Right/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a starved learning rate is shown as it is and offered back', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await steps(page, 1);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save model' }).click()]);
  const saved = JSON.parse(await (await import('node:fs/promises')).readFile(await download.path(), 'utf8'));
  saved.training.learningRate = 7.1e-17; // where the notebook's rule had taken one run
  await page.locator('#load-file').setInputFiles({ name: 'starved.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(saved)) });
  const lr = page.getByLabel('Learning rate', { exact: true });
  await until(page, async () => (await lr.inputValue()) === '7.1e-17', 'the rate in force in the field');
  await untilText(page, page.locator('#message'), /halved about 46 times, to 7\.1e-17: steps this small no longer move the loss/);
  await page.getByRole('button', { name: 'Restore the starting rate 0.005' }).click();
  await until(page, async () => (await lr.inputValue()) === '0.005', 'the starting rate back');
  await steps(page, 1);
  await untilText(page, page.locator('#status'), /lr 0\.005/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a file over the size limit is refused before it is read, and changes nothing', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await steps(page, 1);
  await page.locator('#load-file').setInputFiles({ name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(11 * 1024 * 1024, 32) });
  await untilText(page, page.locator('#message'), /Not loaded: huge\.json is 11\.5 MB, and a saved model is at most 10 MB\. The current model is unchanged\./);
  assert.equal(await epoch(page), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the largest settings stay responsive: progress shows, Pause and a new sum answer at once', async () => {
  // refused, with what would fit
  const refused = await open(browser, { hash: '#h=512&n=100000' });
  await untilText(refused.page, refused.page.locator('#message'), /Not applied: 100000 training samples at hidden size 512 .* Use at most \d+ samples .*Showing the notebook’s settings instead\./);
  assert.equal(await refused.page.getByLabel('Hidden size H', { exact: true }).inputValue(), '100');
  assert.deepEqual(refused.problems, []);
  await refused.context.close();

  // at the limit: an epoch of about 25 s here, after a starting loss of about 5 s
  const { page, problems, context } = await open(browser, { hash: '#h=512&n=7300' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const bar = page.locator('#epoch-progress');
  await until(page, () => bar.isVisible(), 'the progress bar of a slow epoch', 60000);
  await untilText(page, bar, /This epoch \d+%/);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
  const paused = Date.now() - t0;
  console.log(`# Pause answered in ${paused} ms at H 512, 7300 samples (the largest at this size with the test sets)`);
  assert.ok(paused < 2000, `Pause took ${paused} ms`);
  const t1 = Date.now();
  await page.getByRole('textbox', { name: 'First number' }).fill('1234567');
  await untilText(page, page.locator('.sum-summary'), /the sum is 10143210|Right/);
  console.log(`# a new sum answered in ${Date.now() - t1} ms`);
  assert.equal(await epoch(page), 0, 'paused mid-epoch: no epoch counted yet');
  // Reset answers too
  const t2 = Date.now();
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await untilText(page, bar, /Preparing the model: the starting loss \d+%/, 'the new model being prepared');
  console.log(`# after Reset, the new model was being prepared (progress shown) at ${Date.now() - t2} ms`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the tiny model trains for a minute with a flat heap, and Pause works', async () => {
  const { page, problems, context } = await open(browser, { hash: '#h=1&n=1&d=1' });
  const cdp = await context.newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForTimeout(10000);
  const early = await heap();
  const epochEarly = await epoch(page);
  const frames = await page.evaluate(() => new Promise((resolve) => {
    let n = 0;
    const t0 = performance.now();
    const tick = () => (performance.now() - t0 < 2000 ? (n++, requestAnimationFrame(tick)) : resolve(n / 2));
    requestAnimationFrame(tick);
  }));
  await page.waitForTimeout(48000);
  const late = await heap();
  const epochLate = await epoch(page);
  console.log(`# tiny model: ${epochLate} epochs in 60 s, ${frames} frames/s while training, JS heap ${(early / 1e6).toFixed(1)} MB at 10 s, ${(late / 1e6).toFixed(1)} MB at 60 s`);
  assert.ok(epochLate > epochEarly * 2, `training went on: ${epochEarly} -> ${epochLate}`);
  assert.ok(late < early * 1.5 + 2e6, `the heap grew from ${early} to ${late}`);
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
  const stopped = await epoch(page);
  console.log(`# Pause answered in ${Date.now() - t0} ms`);
  await page.waitForTimeout(500);
  assert.equal(await epoch(page), stopped, 'no epoch after Pause');
  assert.ok(points(page), 'the chart is there');
  assert.ok((await points(page)) <= 2000, 'the chart data is bounded');
  assert.deepEqual(problems, []);
  await context.close();
});
