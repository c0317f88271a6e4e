// Reset: it asks before throwing a trained model away, in an accessible dialog (Escape and "Keep
// the model" keep it, focus returns to Reset), and resets an untrained one at once.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, points, until, holds } from './browser.mjs';

const SMALL = '#h=16&n=100';
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('Reset asks before throwing away a trained model, in an accessible dialog; an untrained one resets at once', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  const reset = page.getByRole('button', { name: 'Reset', exact: true });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'epoch 1');
  await reset.click();
  const dialog = page.getByRole('dialog', { name: 'Throw the trained model away?' });
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /trained for 1 epoch\. Reset draws new weights/);
  await until(page, async () => page.evaluate(() => document.activeElement?.textContent === 'Keep the model'), 'focus on Keep the model');
  // Escape keeps the model
  await page.keyboard.press('Escape');
  await until(page, async () => !(await dialog.isVisible()), 'the dialog closed');
  await holds(page, async () => (await epoch(page)) === 1, 'Escape kept the model', 200);
  await until(page, async () => page.evaluate(() => document.activeElement?.id === 'reset'), 'focus back on Reset');
  // Keep the model keeps it
  await reset.click();
  await dialog.getByRole('button', { name: 'Keep the model' }).click();
  await until(page, async () => !(await dialog.isVisible()), 'the dialog closed');
  assert.equal(await epoch(page), 1, 'kept');
  // and the reset button resets
  await reset.click();
  await dialog.getByRole('button', { name: 'Reset to a new model' }).click();
  await until(page, async () => (await epoch(page)) === 0 && (await points(page)) === 1, 'a fresh model');
  // at epoch 0 there is nothing to lose: no question
  await reset.click();
  await holds(page, async () => !(await dialog.isVisible()), 'no dialog for an untrained model', 300);
  assert.deepEqual(problems, []);
  await context.close();
});
