// Nothing lost, nothing stuck: the run is kept in the browser and restored on a reload ("Start
// fresh" starts over), a browser that will not store it is told so, and a trap in the wasm module
// replaces the worker and restores the last model. (Files: saved-runs.test.mjs; links: links.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, newContext, epoch, points, until, untilText, BASE_URL, untilUrl } from './browser.mjs';

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

test('a reload restores the run: same epoch, same loss; "Start fresh" starts over', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await steps(page, 3);
  const loss = await lastLoss(page);
  const saved = (e) => until(page, async () => (await page.locator('html').getAttribute('data-saved-epoch')) === String(e), `the run saved at epoch ${e}`);
  await saved(3);
  await untilUrl(page, /[#&]e=3(&|$)/, 'the link carries the epoch');
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

test('a slow lookup of the saved run is waited for, and says it is looking: the run comes back', async () => {
  const context = await newContext(browser, { viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  // as on a slow machine: the browser's storage answers after 4 s (the page used to give up at 1.5 s)
  await context.addInitScript(() => {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function slowOpen(...args) {
      const late = {};
      setTimeout(() => {
        const req = open.apply(this, args);
        Object.defineProperty(late, 'result', { get: () => req.result });
        Object.defineProperty(late, 'error', { get: () => req.error });
        for (const on of ['onupgradeneeded', 'onsuccess', 'onerror', 'onblocked']) req[on] = (e) => late[on]?.(e);
      }, 4000);
      return late;
    };
  });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(new URL(SMALL, BASE_URL).href);
  await page.waitForSelector('[data-epoch]');
  await steps(page, 2);
  await until(page, async () => (await page.locator('html').getAttribute('data-saved-epoch')) === '2', 'the run saved at epoch 2');
  await page.reload();
  await untilText(page, page.locator('#message'), /Looking for the run saved in this browser…/);
  await untilText(page, page.locator('#message'), /Welcome back: restored your run .* trained for 2 epochs/);
  assert.equal(await epoch(page), 2);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a browser that will not store the model is told so, and the page works on', async () => {
  const context = await newContext(browser, { viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
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
  await untilText(
    page,
    page.locator('#message'),
    /This browser would not keep the model \(.*quota.*\): a reload will start over\. Save model keeps it in a file\./i,
  );
  await steps(page, 1);
  // a reload looks for the run, is refused, says so, and opens the link
  await page.reload();
  await untilText(page, page.locator('#storage-notice'), /The run saved in this browser could not be read \(.*quota.*\): starting from the link\./i);
  await until(page, async () => (await epoch(page)) === 3, 'the link trained to its epoch 3');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a trap in the wasm module is noticed: the worker is replaced and the last model restored', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await steps(page, 2);
  const loss = await lastLoss(page);
  await page.evaluate(() => document.dispatchEvent(new Event('rnn-playground:trap-for-tests')));
  await untilText(
    page,
    page.locator('#message'),
    /The model’s worker crashed \(.*unreachable.*\) and was restarted\. Restored the model trained for 2 epochs\./,
  );
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
