// The guided path ("Try this"), in Chromium: every step sets its state from one click and from
// its link (#try=N), says what to watch, and runs its experiment.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, until, untilText, epoch } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('each step of the path is one click that sets the state, says what to watch and is in the link', async () => {
  const { page, problems, context } = await open(browser);
  await until(page, async () => (await page.locator('#tour .tour-steps button').count()) === 6, 'six steps');
  await page.locator('#tour button[data-step="3"]').click();
  await untilText(page, page.locator('#tour .tour-watch'), /^3\. Truncation cuts it: /);
  await until(
    page,
    async () => /(^#|&)try=3(&|$)/.test(await page.evaluate(() => location.hash)) && /(^#|&)trunc=2(&|$)/.test(await page.evaluate(() => location.hash)),
    'the link holds the step and its setting',
  );
  assert.equal(await page.locator('#tour button[data-step="3"]').getAttribute('aria-pressed'), 'true');
  // its action: the gradient check runs on the truncated model, and the rings stop at the cut
  await until(page, async () => (await page.locator('#network .strip-cell.flow-ring').count()) === 3, 'the error of step 13 cut after 2 steps');
  await untilText(page, page.locator('#gradient-check .result tbody'), /^U✗ failed[\s\S]*V✓ passed[\s\S]*W✗ failed/, 'U and W failing, V passing');
  // a setting changed by hand leaves the path
  await page.locator('#preset-switch button', { hasText: /^Carry/ }).click();
  await until(page, async () => (await page.locator('#tour').getAttribute('data-step')) === '0', 'no step chosen');
  assert.ok(!/try=/.test(await page.evaluate(() => location.hash)));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a link to a step sets it up for a class: divergence caught at learning rate 100', async () => {
  const { page, problems, context } = await open(browser, { hash: '#try=4' });
  await untilText(page, page.locator('#tour .tour-watch'), /^4\. Too high a learning rate: /);
  await untilText(page, page.locator('#message'), /too high/i, 'the divergence message', 60000);
  assert.equal(await epoch(page), 0, 'the diverged epoch was undone');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a link to the last step trains the carry preset, and one to step 5 has 4 hidden units', async () => {
  const five = await open(browser, { hash: '#try=5' });
  await until(five.page, async () => /(^#|&)h=4(&|$)/.test(await five.page.evaluate(() => location.hash)), 'H 4 in the link');
  await until(five.page, async () => (await five.page.locator('#weights-panel').getAttribute('data-hidden')) === '4', 'the weights of H 4');
  await until(five.page, async () => (await epoch(five.page)) >= 1, 'training', 60000);
  assert.deepEqual(five.problems, []);
  await five.context.close();
  const six = await open(browser, { hash: '#try=6' });
  await untilText(six.page, six.page.locator('#tour .tour-watch'), /^6\. It adds: /);
  await until(six.page, async () => /(^#|&)preset=carry(&|$)/.test(await six.page.evaluate(() => location.hash)), 'the carry preset');
  await until(six.page, async () => (await epoch(six.page)) >= 1, 'training', 60000);
  assert.deepEqual(six.problems, []);
  await six.context.close();
});

test('steps 1 and 2: the notebook trains; the untrained flow is shown for the last step', async () => {
  const one = await open(browser, { hash: '#try=1' });
  await until(one.page, async () => (await epoch(one.page)) >= 1, 'training', 60000);
  assert.deepEqual(one.problems, []);
  await one.context.close();
  const two = await open(browser, { hash: '#try=2' });
  await untilText(two.page, two.page.locator('#tour .tour-watch'), /^2\. The gradient vanishes: /);
  await until(two.page, async () => (await two.page.locator('#network').getAttribute('data-flow-step')) === '13', 'the last step selected');
  await untilText(two.page, two.page.locator('#flow-panel .flow-summary'), /times smaller 10 steps back/);
  assert.equal(await epoch(two.page), 0, 'nothing trained: the initial weights');
  assert.deepEqual(two.problems, []);
  await two.context.close();
});
