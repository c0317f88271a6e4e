// The settings form: a setting that needs a new model asks first and Reset applies it, a bad value
// is refused inline, the learning rate changes live. (Settings in links: links.test.mjs; the
// sizes refused as too large: model-sizes.test.mjs; every refusal's wording: tests/settings.rs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, until, untilAttribute, untilText, untilUrl } from './browser.mjs';

const SMALL = '#h=16&n=100';
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('a setting that needs a new model asks first, and Reset applies it', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'epoch 1');
  const hidden = page.getByLabel('Hidden size H', { exact: true });
  await hidden.fill('8');
  await hidden.press('Enter');
  const bar = page.getByRole('alert');
  await bar.waitFor();
  assert.match(await bar.textContent(), /Changing hidden size h needs a new model/);
  assert.equal(await epoch(page), 1, 'nothing reset yet');
  await page.getByRole('button', { name: 'Reset with new settings' }).click();
  await until(page, async () => (await epoch(page)) === 0, 'a new model');
  await untilUrl(page, /h=8/, 'h=8 in the URL');
  await until(page, async () => !(await bar.isVisible()), 'the bar hidden');
  // a bad value is refused inline and changes nothing
  await hidden.fill('0');
  await hidden.press('Enter');
  await untilAttribute(page, hidden, 'aria-invalid', 'true');
  await untilText(page, page.locator('#setting-hiddenDim-error'), /from 1 to \d+/);
  assert.ok(!(await bar.isVisible()));
  assert.equal(await epoch(page), 0, 'the refused value changed nothing');
  // the learning rate changes live, without a reset
  const lr = page.getByLabel('Learning rate', { exact: true });
  await lr.fill('0.02');
  await lr.press('Enter');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'epoch 1 at the new rate');
  await untilText(page, page.locator('#status'), /lr 0\.02/);
  assert.deepEqual(problems, []);
  await context.close();
});
