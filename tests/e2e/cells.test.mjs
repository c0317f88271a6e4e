// The cell setting on the page: an LSTM from a link trains, draws its stacked weights, shows its
// own equations and what carries its error back (and no σ(W)), passes the page's gradient check
// for its five parameters, and homework and the step-through say they are the vanilla cell's;
// an unknown cell in a link is reported and the rest of the link kept.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, until, untilText } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('an LSTM trains and every view says what its cell is', async () => {
  const { page, problems, context } = await open(browser, { hash: '#cell=lstm&h=8&n=60' });
  assert.equal(await page.getByLabel('Cell', { exact: true }).inputValue(), 'lstm');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await until(page, async () => (await epoch(page)) >= 2, 'epoch 2', 60000);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  // the weights: weight_ih and weight_hh in U's and W's places, four gate blocks of 8 rows
  const weights = page.locator('[data-part="weights"]');
  await untilText(page, weights.locator('[data-matrix="U"] figcaption'), /weight_ih\s+32 × 10/);
  await untilText(page, weights.locator('[data-matrix="W"] figcaption'), /weight_hh\s+32 × 8/);
  await untilText(page, weights, /one block of H rows per gate \(i \(input\), f \(forget\), g \(candidate\), o \(output\)\)/);
  // How it works: the LSTM's equations, not the notebook's; the dimensions of its weights
  assert.equal(await page.locator('[data-cell="lstm"]').isVisible(), true);
  assert.equal(await page.locator('[data-cell="vanilla"]').isVisible(), false);
  await untilText(page, page.locator('[data-explain="dims"]'), /weight_hh\s*4H × H\s*256/);
  // the flow: what carries the error back in an LSTM, and no σ(W)
  await untilText(page, page.locator('[data-explain="flow-cell"]'), /along the cell state: c_t = f c_\{t−1\} \+ i g/);
  assert.equal(await page.locator('#flow-sigma').isVisible(), false);
  // the page's gradient check: one row per parameter, every one passing
  await page.getByRole('button', { name: 'Check the gradients' }).click();
  const rows = page.locator('#gradient-check tbody tr');
  await until(page, async () => (await rows.count()) === 5, 'five rows', 60000);
  const text = (await page.locator('#gradient-check tbody').textContent()) ?? '';
  for (const name of ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh', 'V']) assert.match(text, new RegExp(name));
  assert.doesNotMatch(text, /fail/i);
  // homework and the step-through are the notebook's vanilla cell's, and say so
  await untilText(page, page.locator('#homework [role="note"]'), /this run’s cell is an LSTM\. Set the cell to vanilla to do it\./);
  await page.getByRole('button', { name: 'Step through BPTT on this sum' }).click();
  await untilText(page, page.locator('body'), /the step-through follows the notebook's bptt for its vanilla RNN; this run's cell is lstm/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an unknown cell in a link is reported and the rest of the link kept', async () => {
  const { page, problems, context } = await open(browser, { hash: '#cell=transformer&h=12&n=40' });
  await untilText(page, page.locator('.link-problems, #link-problems, [data-kind="link"]').first(), /cell=transformer/);
  assert.equal(await page.getByLabel('Hidden size H', { exact: true }).inputValue(), '12');
  assert.equal(await page.getByLabel('Cell', { exact: true }).inputValue(), 'vanilla');
  assert.deepEqual(problems, []);
  await context.close();
});
