// A trained run is never replaced without a question: a preset, a step of the guided path and a
// link opened over the page each ask in Reset's dialog, naming the epoch and what replaces it.
// Keeping the model keeps it (and the address shows its link again); agreeing replaces it. An
// untrained model is replaced at once. (Reset's own dialog: reset.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, until, untilText, holds, untilUrl } from './browser.mjs';

const SMALL = '#h=16&n=100';
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** A page at SMALL trained for two epochs, and Reset's dialog on it. */
async function trained() {
  const opened = await open(browser, { hash: SMALL });
  const { page } = opened;
  for (const e of [1, 2]) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await until(page, async () => (await epoch(page)) === e, `epoch ${e}`);
  }
  return { ...opened, dialog: page.getByRole('dialog', { name: 'Throw the trained model away?' }) };
}

/** The dialog asks with `what`; the model at epoch 2 is kept while it is open. */
async function asked(page, dialog, what) {
  await dialog.waitFor();
  await untilText(page, dialog, what);
  assert.equal(await epoch(page), 2);
}

test('a preset switch over a trained model asks; keeping it keeps it, agreeing switches', async () => {
  const { page, problems, context, dialog } = await trained();
  const carry = page.locator('#preset-switch button', { hasText: /^Carry/ });
  await carry.click();
  await asked(page, dialog, /trained for 2 epochs\. The Carry preset starts a new model from epoch 0; Save model keeps this one/);
  await dialog.getByRole('button', { name: 'Keep the model' }).click();
  await holds(page, async () => (await epoch(page)) === 2 && !/preset=carry/.test(page.url()), 'the model kept', 300);
  assert.equal(await page.locator('#preset-switch button', { hasText: /^Notebook/ }).getAttribute('aria-checked'), 'true');
  await carry.click();
  await dialog.getByRole('button', { name: 'Switch to Carry' }).click();
  await until(page, async () => (await epoch(page)) === 0 && /preset=carry/.test(page.url()), 'the Carry preset at epoch 0');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a step of the guided path over a trained model asks; Escape keeps it, agreeing goes to the step', async () => {
  const { page, problems, context, dialog } = await trained();
  const step3 = page.locator('#tour button[data-step="3"]');
  await step3.click();
  await asked(page, dialog, /trained for 2 epochs\. Step 3 of the path \(“Truncation cuts it”\) starts a new model from epoch 0/);
  await page.keyboard.press('Escape');
  await holds(page, async () => (await epoch(page)) === 2 && (await step3.getAttribute('aria-pressed')) !== 'true', 'the model kept', 300);
  await step3.click();
  await dialog.getByRole('button', { name: 'Go to step 3' }).click();
  await until(page, async () => (await page.locator('#tour').getAttribute('data-step')) === '3' && /[#&]try=3/.test(page.url()), 'step 3');
  assert.equal(await page.getByLabel('BPTT truncation', { exact: true }).inputValue(), '2');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a link opened over a trained model asks; keeping it puts the run’s link back, agreeing opens the link', async () => {
  const { page, problems, context, dialog } = await trained();
  await page.evaluate(() => {
    location.hash = '#h=8&n=50';
  });
  await asked(page, dialog, /trained for 2 epochs\. The link you opened starts a new model; Save model keeps this one/);
  await dialog.getByRole('button', { name: 'Keep the model' }).click();
  await untilText(page, page.locator('#message'), /Kept the trained model: the link was not opened\./);
  await untilUrl(page, /[#&]h=16&n=100(&.*)?&e=2$/, 'the run’s own link back in the address');
  assert.equal(await page.getByLabel('Hidden size H', { exact: true }).inputValue(), '16');
  await page.evaluate(() => {
    location.hash = '#h=8&n=50&try=3';
  });
  await asked(page, dialog, /Step 3 of the path/);
  await dialog.getByRole('button', { name: 'Keep the model' }).click();
  await untilUrl(page, /try=3/, 'the step’s link not followed', false);
  await page.evaluate(() => {
    location.hash = '#h=8&n=50';
  });
  await dialog.getByRole('button', { name: 'Open the link' }).click();
  await until(
    page,
    async () => (await epoch(page)) === 0 && (await page.getByLabel('Hidden size H', { exact: true }).inputValue()) === '8',
    'the link’s model',
  );
  assert.deepEqual(problems, []);
  await context.close();
});
