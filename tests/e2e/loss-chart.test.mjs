// The loss chart: many halvings of the learning rate are thinned ticks, and a log scale spreads
// out the low losses. (Its first point, the notebook's starting loss: notebook.test.mjs; the
// held-out curves: presets.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, until, untilAttribute } from './browser.mjs';

let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('the loss chart: many halvings are thinned ticks with one label, and a log scale spreads out 0.2-0.4', async () => {
  // a high rate on few sums: the notebook's rule halves it again and again, early in the run
  const { page, problems, context } = await open(browser, { hash: '#h=16&n=20&lr=0.05' });
  const chart = page.locator('#loss-chart');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  // 300 epochs of 20 sums at H 16: a few seconds here
  await until(page, async () => Number(await chart.getAttribute('data-halvings')) >= 8 && (await epoch(page)) >= 300, 'eight halvings and 300 epochs', 120000);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
  const halvings = Number(await chart.getAttribute('data-halvings'));
  const plotWidth = await chart.locator('.u-over').evaluate((el) => el.clientWidth);
  await until(page, async () => Number(await chart.locator('.uplot').getAttribute('data-halving-ticks')) > 0, 'ticks drawn');
  const ticks = Number(await chart.locator('.uplot').getAttribute('data-halving-ticks'));
  assert.ok(ticks <= halvings && ticks <= plotWidth / 4 + 1, `${ticks} ticks for ${halvings} halvings on ${plotWidth}px: at least 4 px apart`);
  const linear = Number(await chart.getAttribute('data-band'));
  await page.getByLabel('log scale').check();
  await untilAttribute(page, chart, 'data-scale', 'log');
  await until(
    page,
    async () => Number(await chart.getAttribute('data-band')) >= 2 * linear,
    `0.2-0.4 at least twice as tall as on the linear scale (${linear}px)`,
  );
  await page.getByLabel('log scale').uncheck();
  await untilAttribute(page, chart, 'data-scale', 'linear');
  await untilAttribute(page, chart, 'data-band', String(linear), 'the linear scale back');
  assert.deepEqual(problems, []);
  await context.close();
});
