// The page in real headless Chromium, driven through its accessible names.
// Run by `cargo xtask test`, which serves the page and sets BASE_URL.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launch, open, epoch, points, until, untilAttribute, untilText, BASE_URL } from './browser.mjs';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
const SMALL = '#h=16&n=100'; // a small model so epochs take milliseconds
let browser;

before(async () => {
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
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

test('Train is disabled until the first model is in the worker, and a click the moment it is enabled trains', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(new URL(SMALL, BASE_URL).href, { waitUntil: 'commit' });
  // poll the button itself (no locator: its actionability waits would click later than a user)
  const states = new Set();
  let spot = null;
  for (const started = Date.now(); !spot; await page.waitForTimeout(5)) {
    assert.ok(Date.now() - started < 20000, 'Train became enabled');
    spot = await page.evaluate(() => {
      const b = document.querySelector('#train');
      if (!b) return null;
      if (b.disabled) return 'disabled';
      const r = b.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }).catch(() => null);
    if (spot === 'disabled') {
      states.add(spot);
      spot = null;
    }
  }
  await page.mouse.click(spot.x, spot.y);
  await until(page, async () => (await epoch(page)) >= 1, 'an epoch trained by that first click');
  assert.ok(states.has('disabled'), 'Train was seen disabled while the page started');
  assert.equal(await page.locator('#message').isVisible(), false, 'no refusal shown');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Train adds points and the loss falls; Pause stops it', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  const first = Number(await page.locator('#loss-chart').getAttribute('data-last-loss'));
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await until(page, async () => (await points(page)) >= 6, 'five trained epochs');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
  // the epoch shown settles (a loaded machine may draw the last progress a frame late)
  let stopped = await epoch(page);
  await until(page, async () => {
    await page.waitForTimeout(250);
    const now = await epoch(page);
    const settled = now === stopped;
    stopped = now;
    return settled;
  }, 'the epoch to settle');
  const last = Number(await page.locator('#loss-chart').getAttribute('data-last-loss'));
  assert.ok(last < first - 0.3, `loss fell from ${first} to ${last}`);
  await page.waitForTimeout(600);
  assert.equal(await epoch(page), stopped, 'no epoch after Pause');
  assert.deepEqual(problems, []);
  await context.close();
});

test('Step advances exactly one epoch', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  for (const want of [1, 2]) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await until(page, async () => (await epoch(page)) === want, `epoch ${want}`);
  }
  await until(page, async () => (await points(page)) === 3, 'three points plotted');
  await page.waitForTimeout(300);
  assert.equal(await epoch(page), 2, 'no epoch beyond the two steps');
  assert.equal(await points(page), 3);
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.getByRole('button', { name: 'Reset to a new model' }).click(); // it asks first: the model has trained
  await until(page, async () => (await epoch(page)) === 0 && (await points(page)) === 1, 'a fresh model');
  assert.deepEqual(problems, []);
  await context.close();
});

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
  await until(page, async () => /a=1234567&b=7654321/.test(page.url()), 'the sum in the URL');

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

test('a copied link restores every setting and reproduces the run, trained to the same epoch', async () => {
  const hash = '#lr=0.01&h=12&trunc=3&n=50&d=5&ev=2&ds=3&ms=none&speed=5&a=12&b=345';
  const fields = async (page) => {
    const out = {};
    for (const label of ['Learning rate', 'Hidden size H', 'BPTT truncation', 'Training samples', 'Digits per number', 'Evaluate every', 'Data seed', 'Model seed']) {
      out[label] = await page.getByLabel(label, { exact: true }).inputValue();
    }
    out.speed = await page.getByLabel('Speed').inputValue();
    out.first = await page.getByRole('textbox', { name: 'First number' }).inputValue();
    return out;
  };
  const one = await open(browser, { hash });
  const want = { 'Learning rate': '0.01', 'Hidden size H': '12', 'BPTT truncation': '3', 'Training samples': '50', 'Digits per number': '5', 'Evaluate every': '2', 'Data seed': '3', 'Model seed': 'none', speed: '5', first: '12' };
  assert.deepEqual(await fields(one.page), want);
  for (const e of [1, 2, 3, 4]) {
    await one.page.getByRole('button', { name: 'Step', exact: true }).click();
    await until(one.page, async () => (await epoch(one.page)) === e, `epoch ${e}`);
  }
  await until(one.page, async () => (await points(one.page)) === 3, 'evaluations at epochs 0, 2 and 4');
  const loss = await one.page.locator('#loss-chart').getAttribute('data-last-loss');
  const trained = await fields(one.page); // the learning-rate field shows the rate in force
  await one.page.getByRole('button', { name: 'Copy link' }).click();
  await untilText(one.page, one.page.locator('#message'), /Opening it trains the same run to epoch 4, number for number/);
  await until(one.page, async () => /[#&]e=4(&|$)/.test(one.page.url()), 'the epoch in the link');
  const url = one.page.url();
  assert.deepEqual(one.problems, []);
  await one.context.close();

  const two = await open(browser, { hash: new URL(url).hash });
  await until(two.page, async () => (await epoch(two.page)) === 4, 'the link trained to epoch 4');
  await untilText(two.page, two.page.locator('#message'), /Trained to epoch 4, where the link was shared/);
  assert.equal(await two.page.locator('#loss-chart').getAttribute('data-last-loss'), loss, 'the same loss, to the last digit');
  await until(two.page, async () => JSON.stringify(await fields(two.page)) === JSON.stringify(trained), `the same fields, rate in force included, as ${JSON.stringify(trained)}`);
  await two.page.waitForTimeout(300);
  assert.equal(await epoch(two.page), 4, 'it stops there');
  assert.deepEqual(two.problems, []);
  await two.context.close();
});

test('a bad link says what it ignored, and keeps saying it until dismissed', async () => {
  const { page, problems, context } = await open(browser, { hash: '#h=abc&zz=1&n=100&lr=99' });
  const notice = page.locator('#link-problems');
  await untilText(page, notice, /h=abc: Hidden size H must be a whole number from 1 to 512/);
  assert.match(await notice.textContent(), /“zz” is not a setting/);
  assert.equal(await page.getByLabel('Learning rate', { exact: true }).inputValue(), '99', 'a high rate is a valid setting');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1 || /diverged/.test(await page.locator('#message').textContent()), 'the step done');
  assert.ok(await notice.isVisible(), 'still shown after other messages');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await until(page, async () => !(await notice.isVisible()), 'dismissed');
  assert.deepEqual(problems, []);
  await context.close();
});

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
  await until(page, async () => /h=8/.test(page.url()), 'h=8 in the URL');
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

test('steps, heatmap and gradient check respond', async () => {
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
  await page.getByLabel('Unit order').selectOption('variance');
  await page.getByRole('button', { name: 'Check the gradients' }).click();
  const body = page.locator('#gradient-check tbody');
  await untilText(page, body, /V.*✓ passed/s, 'dL/dV exact whatever the truncation');
  await untilText(page, body, /W.*✗ failed/s, 'truncation 2 of 14 steps making dL/dW approximate');
  assert.deepEqual(problems, []);
  await context.close();
});

test('screenshots at desktop and phone size, light and dark, with no horizontal scrolling', async () => {
  for (const [name, width, height, colorScheme] of [['desktop', 1280, 800, 'light'], ['phone', 390, 844, 'light'], ['desktop-dark', 1280, 800, 'dark'], ['phone-dark', 390, 844, 'dark']]) {
    const { page, problems, context } = await open(browser, { width, height, colorScheme, hash: '#n=300' });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await until(page, async () => (await epoch(page)) >= 3, 'three epochs');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
    await page.waitForTimeout(200);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `${name}: the page scrolls sideways by ${overflow}px`);
    await page.screenshot({ path: `${SHOTS}${name}.png` });
    await page.screenshot({ path: `${SHOTS}${name}-full.png`, fullPage: true });
    assert.deepEqual(problems, [], name);
    await context.close();
  }
});

test('a learning rate that blows the weights up is caught, undone and explained, with a lower rate one click away', async () => {
  const { page, problems, context } = await open(browser, { hash: `${SMALL}&lr=100` });
  assert.equal(await page.getByLabel('Learning rate', { exact: true }).inputValue(), '100', 'any finite rate is accepted');
  const before = await page.locator('#loss-chart').getAttribute('data-last-loss');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const message = page.locator('#message');
  await untilText(page, message, /Epoch 1 diverged at learning rate 100: .*The epoch was undone; the model is as it was after epoch 0\./, 'the explanation');
  await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
  assert.equal(await epoch(page), 0, 'the diverged epoch is not counted');
  assert.equal(await page.locator('#loss-chart').getAttribute('data-last-loss'), before, 'nothing non-finite was recorded');
  await page.getByRole('button', { name: 'Use learning rate 10' }).click();
  await until(page, async () => (await page.getByLabel('Learning rate', { exact: true }).inputValue()) === '10', 'the field showing 10');
  // 10 still blows up; one more click down trains
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await untilText(page, message, /diverged at learning rate 10:/, 'the second explanation');
  await page.getByRole('button', { name: 'Use learning rate 1' }).click();
  await until(page, async () => (await page.getByLabel('Learning rate', { exact: true }).inputValue()) === '1', 'the field showing 1');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'an epoch at a sane rate');
  const after = Number(await page.locator('#loss-chart').getAttribute('data-last-loss'));
  assert.ok(Number.isFinite(after), `a finite loss, got ${after}`);
  // and the run saves to a file that loads again
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save model' }).click()]);
  const saved = `${SHOTS}diverged-then-saved.json`;
  await download.saveAs(saved);
  await page.locator('#load-file').setInputFiles(saved);
  await untilText(page, message, /Loaded a model trained for 1 epoch\./);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Save model and Load model round-trip; a damaged file is refused and changes nothing', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'epoch 1');
  const lossAfterOne = await page.locator('#loss-chart').getAttribute('data-last-loss');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save model' }).click()]);
  const saved = `${SHOTS}saved-model.json`;
  await download.saveAs(saved);
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await page.getByRole('button', { name: 'Reset to a new model' }).click(); // it asks first: the model has trained
  await until(page, async () => (await epoch(page)) === 0, 'a fresh model');
  await page.locator('#load-file').setInputFiles(saved);
  await until(page, async () => (await epoch(page)) === 1, 'the saved model back');
  await untilText(page, page.locator('#message'), /Loaded a model trained for 1 epoch\./);
  await untilAttribute(page, page.locator('#loss-chart'), 'data-last-loss', lossAfterOne, 'the saved loss');
  await page.locator('#load-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "something else"}') });
  await until(page, async () => /Not loaded: this is not a saved rnn-playground model/.test(await page.locator('#message').textContent()), 'the refusal');
  assert.equal(await epoch(page), 1, 'the loaded model is still there');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 2, 'training goes on');
  assert.deepEqual(problems, []);
  await context.close();
});

test('served as the README says', async () => {
  const res = await fetch(new URL('www/pkg/rnn_playground_bg.wasm', BASE_URL));
  assert.equal(res.headers.get('content-type'), 'application/wasm');
  assert.equal((await fetch(new URL('Cargo.toml', BASE_URL))).status, 404, 'only the page is served');
});
