// A run per tab: two tabs training at once keep a run each; a reload (or Back) brings the tab's
// run back as it stood, whatever its link says (a typed sum, a step of the guided path); a link
// opened in a new tab reproduces the link; a page opened without a link takes the latest run no
// open tab holds. (A reload's restore and recovery: persistence.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, epoch, until, untilText, holds, BASE_URL, untilUrl } from './browser.mjs';

const SMALL = '#h=16&n=100';
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** A tab of `context` at `hash`, with its problems, once it shows a model. */
async function tab(context, hash, problems) {
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  await page.goto(new URL(hash, BASE_URL).href);
  await page.waitForSelector('[data-epoch]');
  return page;
}

/** Steps `n` epochs and waits until the browser has kept the last. */
async function stepAndKeep(page, n) {
  const start = await epoch(page);
  for (let e = start + 1; e <= start + n; e++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await until(page, async () => (await epoch(page)) === e, `epoch ${e}`);
  }
  await until(page, async () => (await page.locator('html').getAttribute('data-saved-epoch')) === String(start + n), `the run kept at epoch ${start + n}`);
}

async function reloaded(page, e) {
  await page.reload();
  await page.waitForSelector('[data-epoch]');
  await untilText(page, page.locator('#message'), new RegExp(`Welcome back: restored your run .*trained for ${e} epochs?\\.`), `the run back at epoch ${e}`);
  assert.equal(await epoch(page), e);
}

test('two tabs training at once keep a run each; a tab opened without a link takes the latest free one', async () => {
  const context = await newContext(browser, { viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  const problems = [];
  const one = await tab(context, SMALL, problems);
  await stepAndKeep(one, 2);
  const two = await tab(context, SMALL, problems); // the same link, in a new tab: a new run
  assert.equal(await epoch(two), 0);
  await stepAndKeep(two, 4);
  await stepAndKeep(one, 1);
  await reloaded(one, 3);
  await reloaded(two, 4);
  await two.close();
  const held = () => one.evaluate(async () => (await navigator.locks.query()).held.length);
  await until(one, async () => (await held()) === 1, 'the closed tab’s run let go');
  const three = await tab(context, '', problems); // no link: the latest run no tab holds
  await untilText(three, three.locator('#message'), /Welcome back: restored your run .*trained for 4 epochs\./);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a reload brings the run back as it stood, typed sum included; a link in a new tab reproduces the link', async () => {
  const context = await newContext(browser, { viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  const problems = [];
  const one = await tab(context, SMALL, problems);
  await stepAndKeep(one, 3);
  await one.getByRole('textbox', { name: 'First number' }).fill('12');
  await one.getByRole('textbox', { name: 'Second number' }).fill('34');
  await untilUrl(one, /[#&]a=12&b=34(&|$)/, 'the typed sum in the link');
  await reloaded(one, 3);
  assert.equal(await one.getByRole('textbox', { name: 'First number' }).inputValue(), '12');
  assert.equal(await one.getByRole('textbox', { name: 'Second number' }).inputValue(), '34');
  const two = await tab(context, `${SMALL}&e=1`, problems);
  await untilText(two, two.locator('#message'), /Trained to epoch 1, where the link was shared/);
  await holds(two, async () => (await epoch(two)) === 1, 'the link’s epoch, not the other tab’s run', 300);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a reload during a step of the guided path brings the run back, not the step run again', async () => {
  const context = await newContext(browser, { viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  const problems = [];
  const page = await tab(context, '#try=6', problems);
  await until(page, async () => (await epoch(page)) >= 2, 'the step’s training past epoch 2');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
  const e = await epoch(page);
  await until(page, async () => (await page.locator('html').getAttribute('data-saved-epoch')) === String(e), `the run kept at epoch ${e}`);
  await untilUrl(page, new RegExp(`[#&]e=${e}&try=6$`), 'the link of step 6 at its epoch');
  await reloaded(page, e);
  assert.equal(await page.locator('#tour').getAttribute('data-step'), '6', 'still at step 6');
  await untilText(
    page,
    page.locator('#tour .tour-text'),
    /^6\. It adds: The carry preset reads digit i of a and of b together/,
    'its text, written from the run brought back',
  );
  await holds(
    page,
    async () => (await epoch(page)) === e && (await page.getByRole('button', { name: 'Train', exact: true }).isVisible()),
    'not run again',
    500,
  );
  assert.deepEqual(problems, []);
  await context.close();
});
