// The Homework section in headless Chromium: the student's bptt typed into the editor (a text box
// named "Your code"), checked against the core's gradients, trained with; every way it can fail
// gets its own message and leaves the page working; the level lives in the URL, the code survives
// a reload. Small settings keep the student's JavaScript fast: H 8, 3+3 digits, truncation 2.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, until, untilText, untilAttribute } from './browser.mjs';

const SMALL = '#h=8&n=40&d=3&trunc=2&lr=0.05';
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

// The notebook's answer in JavaScript (the test's own: the page never shows one). `extra` widens
// the truncation window, for the off-by-one version.
const solution = (extra = '') => `function bptt(model, x, y) {
  const T = y.length;
  const [o, s] = model.forward(x);
  const H = model.W.length;
  const dLdU = model.U.map((r) => r.map(() => 0));
  const dLdV = model.V.map((r) => r.map(() => 0));
  const dLdW = model.W.map((r) => r.map(() => 0));
  const d = o.map((r) => r.slice());
  for (let t = 0; t < T; t++) d[t][y[t]] -= 1;
  for (let t = T - 1; t >= 0; t--) {
    for (let k = 0; k < d[t].length; k++) for (let j = 0; j < H; j++) dLdV[k][j] += d[t][k] * s[t][j];
    let delta = s[t].map((sj, j) => { let a = 0; for (let k = 0; k < d[t].length; k++) a += model.V[k][j] * d[t][k]; return a * (1 - sj * sj); });
    for (let step = t; step >= Math.max(0, t - model.bpttTruncate${extra}); step--) {
      const prev = s.at(step - 1);
      for (let i = 0; i < H; i++) { for (let j = 0; j < H; j++) dLdW[i][j] += delta[i] * prev[j]; dLdU[i][x[step]] += delta[i]; }
      delta = prev.map((p, j) => { let a = 0; for (let i = 0; i < H; i++) a += model.W[i][j] * delta[i]; return a * (1 - p * p); });
    }
  }
  return [dLdU, dLdV, dLdW];
}
`;

async function openHomework(hash = `${SMALL}&hw=1`, options = {}) {
  const opened = await open(browser, { hash, ...options });
  await untilAttribute(opened.page, opened.page.locator('#homework'), 'data-editor', 'ready', 'the editor loaded');
  return opened;
}

/** Select all, then type: replaces the editor's text. (Backspace first: Chromium's own insertion
 * over a selection spanning highlighted spans writes style attributes, which the CSP refuses.) */
async function typeCode(page, code) {
  const box = page.getByRole('textbox', { name: 'Your code' });
  await box.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.insertText(code);
  await until(page, async () => (await box.textContent()).replace(/\s/g, '') === code.replace(/\s/g, ''), 'the code in the editor');
}

const result = (page) => page.getByRole('status', { name: 'homework result' });
const check = (page) => page.getByRole('button', { name: 'Check my gradients' }).click();

/** Checks `code` and waits for an outcome matching `pattern`. */
async function checkCode(page, code, outcome, pattern) {
  await typeCode(page, code);
  await check(page);
  await untilAttribute(page, result(page), 'data-outcome', outcome);
  await untilText(page, result(page), pattern);
  return result(page).textContent();
}

/** The page still works: Step trains an epoch. */
async function stillWorks(page) {
  const status = page.locator('#status [data-epoch]');
  const before = Number(await status.getAttribute('data-epoch'));
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => Number(await status.getAttribute('data-epoch')) === before + 1, 'an epoch after Step');
}

test('a correct bptt passes the check and trains the model: the loss falls', async () => {
  const { page, problems, context } = await openHomework();
  const text = await checkCode(page, solution(), 'passed', /dLdW passed/);
  assert.match(text, /dLdU passed: largest relative error/);
  assert.match(text, /dLdV passed/);
  const lossBefore = Number(await page.locator('#loss-chart').getAttribute('data-last-loss'));
  const train = page.getByRole('button', { name: 'Train with my BPTT' });
  await until(page, () => train.isEnabled(), 'Train with my BPTT enabled');
  await train.click();
  const status = page.locator('.hw-train-status');
  await until(page, async () => Number(await status.getAttribute('data-epochs')) >= 2, 'two epochs trained with the student’s code', 60000);
  await page.getByRole('button', { name: 'Stop training' }).click();
  await untilText(page, page.locator('#homework .hw-side'), /Train with my BPTT/);
  await until(page, async () => Number(await page.locator('#status [data-epoch]').getAttribute('data-epoch')) >= 2, 'the status counts the epochs');
  const lossAfter = Number(await page.locator('#loss-chart').getAttribute('data-last-loss'));
  assert.ok(lossAfter < lossBefore, `the loss fell: ${lossBefore} -> ${lossAfter}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('truncation off by one fails on W and U with an index, never the expected values', async () => {
  const { page, problems, context } = await openHomework();
  const text = await checkCode(page, solution(' - 1'), 'failed', /dLdW failed: relative error .* at index \[\d+,\s\d+\]/);
  assert.match(text, /dLdU failed: relative error .* at index \[\d+,\s\d+\]/);
  assert.match(text, /dLdV passed/);
  assert.ok(await page.getByRole('button', { name: 'Train with my BPTT' }).isDisabled(), 'no training with a failing bptt');
  assert.deepEqual(problems, []);
  await context.close();
});

test('an exception, an endless loop, a syntax error and wrong shapes each get their message; the page keeps working', async () => {
  const { page, problems, context } = await openHomework();
  await checkCode(page, 'function bptt(model, x, y) {\n  const T = y.length;\n  return model.nothing.here;\n}\n', 'error', /threw an error on line 3: TypeError/);
  await checkCode(page, 'function bptt(model, x, y) {\n  while (true) {}\n}\n', 'error', /did not return within 5 s/);
  await checkCode(page, 'function bptt(model, x, y) {\n  return [1, 2;\n}\n', 'error', /Syntax error on line 2/);
  await checkCode(page, 'function bptt(model, x, y) {\n  return [model.U, model.V, model.U];\n}\n', 'error', /dLdW must have 8 rows \(W is 8 × 8\); it has 8|dLdW\[0\] must have 8 numbers \(W is 8 × 8\); it has 10/);
  await checkCode(page, 'function bptt(model, x, y) {\n  return [model.U, model.V, model.W.map((r) => r.map(() => NaN))];\n}\n', 'error', /dLdW\[0\]\[0\] is NaN/);
  await stillWorks(page);
  await checkCode(page, solution(), 'passed', /dLdW passed/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the level round-trips through the URL hash; a reload keeps the code', async () => {
  const { page, problems, context } = await openHomework(`${SMALL}&hw=2`);
  assert.equal(await page.getByLabel('Guidance').inputValue(), '2');
  await until(page, async () => /bptt_step/.test(await page.getByRole('textbox', { name: 'Your code' }).textContent()), 'level 2’s loops');
  await page.getByLabel('Guidance').selectOption('3');
  await until(page, async () => new URL(page.url()).hash.includes('hw=3'), 'hw=3 in the URL');
  await typeCode(page, 'function bptt(model, x, y) {\n  return "kept across reloads";\n}\n');
  await page.reload();
  await untilAttribute(page, page.locator('#homework'), 'data-editor', 'ready', 'the editor loaded again');
  assert.equal(await page.getByLabel('Guidance').inputValue(), '3');
  await untilText(page, page.getByRole('textbox', { name: 'Your code' }), /kept across reloads/);
  // the hash changed by hand opens another level without a new model
  const epochShown = await page.locator('#status [data-epoch]').getAttribute('data-epoch');
  await page.evaluate(() => (location.hash = location.hash.replace('hw=3', 'hw=1')));
  await until(page, async () => (await page.getByLabel('Guidance').inputValue()) === '1', 'level 1 from the hash');
  assert.equal(await page.locator('#status [data-epoch]').getAttribute('data-epoch'), epochShown);
  // closed: the editor is gone from view, the hash says so
  await page.getByRole('button', { name: 'Close the homework' }).click();
  await until(page, async () => !new URL(page.url()).hash.includes('hw='), 'no hw in the URL');
  assert.ok(await page.getByRole('button', { name: 'Open the homework' }).isVisible());
  assert.deepEqual(problems, []);
  await context.close();
});

test('the classroom switch hides the page’s explanation of BPTT', async () => {
  const { page, problems, context } = await openHomework(`${SMALL}&hw=1`);
  const answer = page.locator('.explain-all p.answer');
  assert.ok(await answer.isVisible());
  await page.getByLabel(/Classroom/).check();
  await until(page, async () => !(await answer.isVisible()), 'the explanation hidden');
  await until(page, async () => new URL(page.url()).hash.includes('class=1'), 'class=1 in the URL');
  assert.deepEqual(problems, []);
  await context.close();
});

test('screenshots of the Homework section', async () => {
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    for (const colorScheme of ['light', 'dark']) {
      const { page, problems, context } = await openHomework(`${SMALL}&hw=1`, { width, height, colorScheme });
      await check(page);
      await untilAttribute(page, result(page), 'data-outcome', 'failed');
      await page.locator('#homework').scrollIntoViewIfNeeded();
      await page.locator('#homework').screenshot({ path: `tests/e2e/screenshots/homework-${width}-${colorScheme}.png` });
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(scroll <= 0, `no horizontal scrolling at ${width}px (${scroll}px)`);
      assert.deepEqual(problems, []);
      await context.close();
    }
  }
});
