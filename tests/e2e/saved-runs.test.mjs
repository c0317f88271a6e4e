// Saved runs on the page: Save model and Load model round-trip, a run that diverged and was undone
// saves to a file that loads, and a damaged or oversized file is refused and changes nothing.
// (Every reachable state's round trip and the damaged files' messages: tests/saved_runs.rs,
// src/snapshot.rs and tests/wasm_api.rs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { launch, open, newContext, epoch, until, untilAttribute, untilText, BASE_URL } from './browser.mjs';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const SMALL = '#h=16&n=100';
let browser;

before(async () => {
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});
after(() => browser?.close());

test('Save model and Load model round-trip; a damaged file is refused and changes nothing', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'epoch 1');
  const lossAfterOne = await page.locator('#loss-chart').getAttribute('data-last-loss');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save model' }).click()]);
  const saved = `${SHOTS}saved-model.json`;
  await download.saveAs(saved);
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.getByRole('button', { name: 'Reset to a new model' }).click(); // it asks first: the model has trained
  await until(page, async () => (await epoch(page)) === 0, 'a fresh model');
  await page.locator('#load-file').setInputFiles(saved);
  await until(page, async () => (await epoch(page)) === 1, 'the saved model back');
  await untilText(page, page.locator('#message'), /Loaded a model trained for 1 epoch\./);
  await untilAttribute(page, page.locator('#loss-chart'), 'data-last-loss', lossAfterOne, 'the saved loss');
  await page.locator('#load-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "something else"}') });
  await until(page, async () => /Not loaded: this is not a saved rnn-playground model/.test(await page.locator('#message').textContent()), 'the refusal');
  assert.equal(await epoch(page), 1, 'the loaded model is still there');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 2, 'training goes on');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a run whose epochs diverged and were undone saves to a file that loads', async () => {
  // the divergence itself, its message and the rate buttons: training.test.mjs
  const { page, problems, context } = await open(browser, { hash: `${SMALL}&lr=100` });
  const message = page.locator('#message');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await untilText(page, message, /Epoch 1 diverged at learning rate 100: .*The epoch was undone/, 'the divergence');
  await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Use learning rate 10' }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await untilText(page, message, /diverged at learning rate 10:/, 'the second divergence');
  await page.getByRole('button', { name: 'Use learning rate 1' }).click();
  await until(page, async () => (await page.getByLabel('Learning rate', { exact: true }).inputValue()) === '1', 'the field showing 1');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'an epoch at a sane rate');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save model' }).click()]);
  const saved = `${SHOTS}diverged-then-saved.json`;
  await download.saveAs(saved);
  await page.locator('#load-file').setInputFiles(saved);
  await untilText(page, message, /Loaded a model trained for 1 epoch\./);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a file over the size limit is refused before it is read, and changes nothing', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'epoch 1');
  await page.locator('#load-file').setInputFiles({ name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(11 * 1024 * 1024, 32) });
  await untilText(page, page.locator('#message'), /Not loaded: huge\.json is 11\.5 MB, and a saved model is at most 10 MB\. The current model is unchanged\./);
  assert.equal(await epoch(page), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an import that takes long is waited for: the current model is never destroyed meanwhile', async () => {
  const context = await newContext(browser, { viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  // as on a slow machine: every import reaches the worker 10 s late (the page used to restart the worker after 8 s)
  await context.addInitScript(() => {
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function latePost(msg, ...rest) {
      if (msg?.type === 'import') setTimeout(() => post.call(this, msg, ...rest), 10000);
      else post.call(this, msg, ...rest);
    };
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(new URL(SMALL, BASE_URL).href);
  await page.waitForSelector('[data-epoch]');
  const step = async (e) => {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await until(page, async () => (await epoch(page)) === e, `epoch ${e}`);
  };
  await step(1);
  await step(2);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save model' }).click()]);
  const saved = `${SHOTS}slow-import.json`;
  await download.saveAs(saved);
  await step(3);
  // a damaged file, slow too: refused, and the model at epoch 3 is still there and trains on
  await page.locator('#load-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "something else"}') });
  await untilText(page, page.locator('#message'), /Reading broken\.json… The current model stays until it is read\./);
  await untilText(
    page,
    page.locator('#message'),
    /Not loaded: this is not a saved rnn-playground model.*The current model is unchanged\./,
    'the refusal',
    60000,
  );
  await step(4);
  await page.locator('#load-file').setInputFiles(saved);
  await untilText(page, page.locator('#message'), /Loaded a model trained for 2 epochs\./, 'the slow import', 60000);
  await until(page, async () => (await epoch(page)) === 2, 'the imported run at epoch 2');
  await step(3);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a file whose weights overflow is refused; any model that loads draws, and training it fails with a clear message', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'epoch 1');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save model' }).click()]);
  const path = `${SHOTS}to-scale.json`;
  await download.saveAs(path);
  const run = JSON.parse(readFileSync(path, 'utf8'));
  const largest = Math.max(...['V', 'W'].flatMap((m) => run.weights[m].data.map(Math.abs)));
  /** The run with V and W scaled so that the largest weight is `to`. @param {number} to */
  const scaledTo = (to) => {
    const copy = structuredClone(run);
    for (const m of ['V', 'W']) copy.weights[m].data = copy.weights[m].data.map((x) => (x * to) / largest);
    return { name: `scaled-${to}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(copy)) };
  };
  const message = page.locator('#message');
  // finite, but past what the forward pass can add up: it loaded, gave NaN, and the page threw on every frame
  await page.locator('#load-file').setInputFiles(scaledTo(1e300));
  await untilText(
    page,
    message,
    /^Not loaded: [VW]\[\d+\]\[\d+\] = -?[\d.]+e\+(299|300), beyond ±1e\+30: larger weights overflow the forward pass.*The current model is unchanged\./,
  );
  // just inside the bound: it loads, every view draws, and training says why it cannot go on
  await page.locator('#load-file').setInputFiles(scaledTo(1e29));
  await untilText(page, message, /Loaded a model trained for 1 epoch\./);
  await until(page, async () => (await page.locator('#network .out').count()) === 14, 'the network drawn');
  await page.waitForTimeout(1000); // a second of frames, each drawing every view
  const said = await page.evaluate(() => document.body.textContent);
  assert.doesNotMatch(said, /NaN|Infinity|undefined/, 'every figure shown is a number');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await untilText(page, message, /^Epoch 2 diverged at learning rate [\d.]+: .*The epoch was undone; the model is as it was after epoch 1\./);
  assert.equal(await epoch(page), 1);
  assert.deepEqual(problems, []);
  await context.close();
});
