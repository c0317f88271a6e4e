// The views of one sum: the unrolled network's steps (selecting one shows how far its error
// reaches under truncation), the probability grid and the hidden-state heatmap with their
// read-outs and axes. (The gradient-flow and weight panels: bptt.test.mjs; the gradient check:
// gradient-check.test.mjs; taps on a phone: phone.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, until, untilAttribute, untilText } from './browser.mjs';

const SMALL = '#h=16&n=100';
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('the network’s steps, the probability grid and the heatmap respond to hover and click', async () => {
  const { page, problems, context } = await open(browser, { hash: `${SMALL}&trunc=2` });
  const step3 = page.getByRole('button', { name: /^step 3, a₄,/ });
  await step3.click();
  await untilAttribute(page, step3, 'aria-pressed', 'true', 'step 3 selected');
  await until(page, async () => (await page.locator('.strip-cell.reached').count()) === 3, 'truncation 2 reaching steps 1..3');
  const canvas = page.locator('#heatmap');
  const box = await canvas.boundingBox();
  await canvas.hover({ position: { x: box.width * 0.5, y: 5 } });
  await untilText(page, page.locator('#heatmap-panel .readout'), /step 0 \(a₁\), unit \d+: ■ -?\d\.\d{4}/, 'the heatmap read-out');
  // the probability grid reads out too, and selects a step on click
  const grid = page.locator('#probabilities');
  const g = await grid.boundingBox();
  await grid.hover({ position: { x: g.width * (5.5 / 14), y: 13 * 9 + 6 } });
  await untilText(page, page.locator('#probability-readout'), /^step 5, digit 0: \d+\.\d%/, 'the probability read-out');
  await grid.click({ position: { x: g.width * (5.5 / 14), y: 13 * 9 + 6 } });
  await untilAttribute(page, page.getByRole('button', { name: /^step 5, a₆,/ }), 'aria-pressed', 'true', 'step 5 selected');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the heatmap labels its rows with the steps and its columns with unit numbers, in the chosen order', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  const rows = page.locator('#heatmap-panel .heatmap-steps span');
  await until(page, async () => (await rows.count()) === 14, '14 row labels');
  assert.deepEqual(await rows.allTextContents(), ['a₁', 'a₂', 'a₃', 'a₄', 'a₅', 'a₆', 'a₇', 'b₁', 'b₂', 'b₃', 'b₄', 'b₅', 'b₆', 'b₇']);
  // each label beside its row
  const canvas = await page.locator('#heatmap').boundingBox();
  const last = await rows.nth(13).boundingBox();
  assert.ok(Math.abs(last.y + last.height / 2 - (canvas.y + canvas.height * (13.5 / 14))) < 4, 'the last label beside the last row');
  const ticks = page.locator('#heatmap-panel .heatmap-units .ticks span');
  await until(page, async () => (await ticks.count()) >= 2, 'unit labels');
  const units = (await ticks.allTextContents()).map(Number);
  assert.equal(units[0], 0, 'unit 0 first in unit order');
  assert.ok(
    units.every((u, i) => u === i * units[1]),
    `evenly spaced unit numbers, got ${units}`,
  );
  await untilText(page, page.locator('#heatmap-panel .axis-title'), /^hidden unit$/);
  await page.getByLabel('Unit order').selectOption('variance');
  await untilText(page, page.locator('#heatmap-panel .axis-title'), /most varying at the left/);
  assert.deepEqual(problems, []);
  await context.close();
});
