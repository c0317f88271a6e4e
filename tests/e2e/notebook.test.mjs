// The page starts at the notebook's setting and shows its numbers: the starting loss on all 1000
// samples and cell 8's untrained prediction for 9401901 + 8908643.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, points, until } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('the page loads at the notebook setting with no console error', async () => {
  const { page, problems, context } = await open(browser);
  assert.equal(await page.title(), 'rnn-playground: a recurrent network learns to add');
  assert.equal(await epoch(page), 0);
  await until(page, async () => (await points(page)) === 1, 'the starting loss plotted');
  const startLoss = Number(await page.locator('#loss-chart').getAttribute('data-last-loss'));
  assert.ok(Math.abs(startLoss - 2.3067355311509568) < 1e-9, `notebook's loss on all 1000 samples, got ${startLoss}`);
  // the notebook's sum and its untrained prediction (cell 8)
  await until(page, async () => (await page.locator('.predicted-digits').getAttribute('data-sum')) !== null, 'a prediction');
  assert.equal(await page.locator('.predicted-digits').getAttribute('data-sum'), '5950857017356');
  assert.match(await page.locator('.sum-summary').textContent(), /the sum is 18310544/);
  for (const name of ['Train', 'Step', 'Reset', 'Copy link']) assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, name);
  assert.deepEqual(problems, []);
  await context.close();
});
