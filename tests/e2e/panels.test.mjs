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
  assert.deepEqual(await rows.allTextContents(), [
    ' 0 a₁',
    ' 1 a₂',
    ' 2 a₃',
    ' 3 a₄',
    ' 4 a₅',
    ' 5 a₆',
    ' 6 a₇',
    ' 7 b₁',
    ' 8 b₂',
    ' 9 b₃',
    '10 b₄',
    '11 b₅',
    '12 b₆',
    '13 b₇',
  ]);
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

test('every view counts the steps one way, from 0: the network’s buttons, the heatmap’s rows and every read-out', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await until(page, async () => (await page.locator('#network .step').count()) === 14, 'the step buttons');
  // the buttons show the step number t over what the step reads (the core's label)
  const shown = await page
    .locator('#network .step')
    .evaluateAll((bs) => bs.map((b) => [b.querySelector('.t')?.textContent, b.querySelector('.reads')?.textContent]));
  assert.deepEqual(
    shown.map(([t]) => t),
    Array.from({ length: 14 }, (_, t) => String(t)),
  );
  assert.deepEqual(shown[1], ['1', 'a₂']);
  // the button showing 1 is the step every read-out calls step 1
  await page.locator('#network .step', { has: page.locator('.t', { hasText: /^1$/ }) }).click();
  await untilAttribute(page, page.getByRole('button', { name: /^step 1, a₂,/ }), 'aria-pressed', 'true', 'step 1 selected');
  await untilText(page, page.locator('#heatmap-panel .readout'), /; step 1 \(a₂\) is selected/, 'the heatmap naming the selected step');
  const row = page.locator('#heatmap-panel .heatmap-steps span').nth(1);
  assert.match(await row.textContent(), /^ ?1 a₂$/, 'the heatmap row of step 1');
  const grid = page.locator('#probabilities');
  const g = await grid.boundingBox();
  await grid.hover({ position: { x: g.width * (1.5 / 14), y: 13 * 9 + 6 } });
  await untilText(page, page.locator('#probability-readout'), /^step 1, digit 0:/, 'the probability read-out of the second column');
  const flow = page.locator('#flow-heatmap');
  await until(page, async () => (await page.locator('#flow-panel').getAttribute('data-steps')) === '14', 'the gradient flow');
  const f = await flow.boundingBox();
  await flow.hover({ position: { x: f.width * (1.5 / 14), y: f.height * (3.5 / 14) } });
  await untilText(page, page.locator('.flow-readout'), /output step 3 \(a₄\), 2 steps back at s_1/, 'the flow read-out');
  assert.equal(await page.locator('#flow-panel .flow-cols span').nth(2).textContent(), '2', 'the flow map numbers its columns from 0');
  assert.deepEqual(problems, []);
  await context.close();
});
