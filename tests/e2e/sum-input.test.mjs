// The sum to add: two typed numbers give a prediction in every view and say which sum the views
// show; bad input gets its message and no prediction; a model of fewer digits cuts the default
// sum and keeps a typed one that no longer fits, saying so. (The parser itself: tests/typed_numbers.rs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, until, untilAttribute, untilText, holds, untilUrl } from './browser.mjs';

const SMALL = '#h=16&n=100'; // epochs of milliseconds
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('typing two numbers shows a predicted sum; bad input shows a message and no prediction', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  const first = page.getByRole('textbox', { name: 'First number' });
  const second = page.getByRole('textbox', { name: 'Second number' });
  await first.fill('1234567');
  await second.fill('7654321');
  await until(page, async () => /the sum is 8888888|Right: 1234567/.test(await page.locator('.sum-summary').textContent()), 'the new prediction');
  await until(page, async () => (await page.locator('.true-digits .d').count()) === 14, '14 true digits');
  await untilText(page, page.locator('.true-digits'), /^00000008888888$/);
  assert.match(await page.locator('.predicted-digits').getAttribute('data-sum'), /^\d+$/);
  await untilUrl(page, /a=1234567&b=7654321/, 'the sum in the URL');

  await first.fill('12a');
  await untilAttribute(page, first, 'aria-invalid', 'true');
  const describedBy = await first.getAttribute('aria-describedby');
  const message = page.locator(`#${describedBy}`);
  await untilText(page, message, /Only digits 0–9/);
  await until(page, () => message.isVisible(), 'the message shown');
  await until(page, async () => (await page.locator('.predicted-digits .d').count()) === 0, 'no prediction for bad input');

  await first.fill('12345678');
  await untilText(page, message, /At most 7 digits/);
  await first.fill('');
  await untilText(page, message, /Type the first number/);
  await first.fill('99');
  await untilAttribute(page, first, 'aria-invalid', 'false');
  await until(page, async () => !(await message.isVisible()), 'the message hidden');
  await until(page, async () => (await page.locator('.predicted-digits .d').count()) === 14, 'a prediction again');
  assert.deepEqual(problems, []);
  await context.close();
});

test('#d=3 shows the default sum cut to 3 digits, with a prediction in every view', async () => {
  const { page, problems, context } = await open(browser, { hash: '#d=3&h=16&n=100' });
  await until(page, async () => (await page.getByRole('textbox', { name: 'First number' }).inputValue()) === '940', 'the first number cut to 940');
  assert.equal(await page.getByRole('textbox', { name: 'Second number' }).inputValue(), '890');
  await untilText(page, page.locator('.true-digits'), /^001830$/, 'the true sum of 940 + 890');
  await until(page, async () => (await page.locator('#network .out').count()) === 6, 'six output steps');
  await untilText(page, page.locator('#network-h + .shown-sum'), /your sum, 940 \+ 890/);
  await untilText(page, page.locator('#heatmap-panel .readout'), /^6 steps × 16 units/);
  assert.equal(await page.getByRole('textbox', { name: 'First number' }).getAttribute('aria-invalid'), 'false');
  assert.deepEqual(problems, []);
  await context.close();
});

test('changing digits per number to 3 keeps the views on the current model, and says which sum they show', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  const first = page.getByRole('textbox', { name: 'First number' });
  await first.fill('1234567');
  await untilText(page, page.locator('.true-digits'), /^0*10143210$/);
  const digits = page.getByLabel('Digits per number', { exact: true });
  await digits.fill('3');
  await digits.press('Enter');
  await page.getByRole('button', { name: 'Reset with new settings' }).click();
  // the typed 7-digit number no longer fits: it stays, with its message, and the views show the default cut to 3 digits
  await untilText(page, page.locator('#first-number-error'), /At most 3 digits/);
  await until(page, async () => (await page.locator('#network .out').count()) === 6, 'the 3-digit model in the network view');
  await untilText(page, page.locator('#heatmap-panel .readout'), /^6 steps × 16 units/);
  for (const where of ['#network-h + .shown-sum', '#heatmap-h + .shown-sum']) {
    await untilText(page, page.locator(where), /does not fit this model \(at most 3 digits a number\)\. The views show 940 \+ 890\./, where);
    assert.ok(await page.locator(where).isVisible(), `${where} visible`);
  }
  // a valid sum is shown again; then an invalid edit keeps it, saying so
  await first.fill('12');
  await page.getByRole('textbox', { name: 'Second number' }).fill('34');
  await untilText(page, page.locator('#network-h + .shown-sum'), /your sum, 12 \+ 34/);
  await untilText(page, page.locator('.true-digits'), /^000046$/);
  await first.fill('1x');
  await untilText(page, page.locator('#network-h + .shown-sum'), /Your sum is not valid yet\. The views show 12 \+ 34\./);
  await untilText(page, page.locator('#heatmap-h + .shown-sum'), /not valid yet\. The views show 12 \+ 34\./);
  await until(page, async () => (await page.locator('.predicted-digits .d').count()) === 0, 'no prediction beside the invalid sum');
  // training goes on without putting the old sum's prediction beside the invalid one
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'epoch 1');
  await holds(page, async () => (await page.locator('.predicted-digits .d').count()) === 0, 'no prediction beside the invalid sum after an epoch', 300);
  assert.deepEqual(problems, []);
  await context.close();
});
