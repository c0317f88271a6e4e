// The Homework section in headless Chromium: the student's bptt typed into the editor (a text box
// named "Your code"), checked against the core's gradients, trained with; every way it can fail
// gets its own message and leaves the page working; the level lives in the URL, the code survives
// a reload. Small settings keep the student's JavaScript fast: H 8, 3+3 digits, truncation 2.
// The Carry preset's aligned layout, where x_t switches on two columns of U, gets its own test.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, until, untilText, untilAttribute } from './browser.mjs';
import { skeleton } from '../../www/homework/levels.js';

const SMALL = '#h=8&n=40&d=3&trunc=2&lr=0.05';
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

// The notebook's answer in JavaScript (the test's own: the page never shows one), written against
// the contract: δ goes into each column of U that x[step] switched on, model.hot[step], so it is
// right in every layout. `extra` widens the truncation window, for the off-by-one version;
// `dU` replaces the dLdU line, for the notebook-only version.
const HOT = 'for (const j of model.hot[step]) dLdU[i][j] += delta[i];';
const solution = (extra = '', dU = HOT) => `function bptt(model, x, y) {
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
      for (let i = 0; i < H; i++) { for (let j = 0; j < H; j++) dLdW[i][j] += delta[i] * prev[j]; ${dU} }
      delta = prev.map((p, j) => { let a = 0; for (let i = 0; i < H; i++) a += model.W[i][j] * delta[i]; return a * (1 - p * p); });
    }
  }
  return [dLdU, dLdV, dLdW];
}
`;

// Level 1's skeleton with its lines written in, in its own names: the page's starting code must
// lead to a right answer in every layout, its dLdU loop over model.hot included.
const FILLED = [
  'for (let k = 0; k < delta_o[t].length; k++) for (let j = 0; j < s[t].length; j++) dLdV[k][j] += delta_o[t][k] * s[t][j];',
  'let delta_t = s[t].map((sj, j) => { let a = 0; for (let k = 0; k < delta_o[t].length; k++) a += model.V[k][j] * delta_o[t][k]; return a * (1 - sj * sj); });',
  'for (let i = 0; i < delta_t.length; i++) for (let j = 0; j < delta_t.length; j++) dLdW[i][j] += delta_t[i] * s.at(bptt_step - 1)[j];',
  'for (let i = 0; i < delta_t.length; i++) dLdU[i][j] += delta_t[i];',
  'delta_t = s.at(bptt_step - 1).map((p, j) => { let a = 0; for (let i = 0; i < delta_t.length; i++) a += model.W[i][j] * delta_t[i]; return a * (1 - p * p); });',
];
function levelOneFilled() {
  const lines = FILLED.slice();
  const code = skeleton(1)
    .split('\n')
    .map((l) => (/^\s*\/\/ (\.\.\.|let delta_t = \.\.\.)$/.test(l) ? l.replace(/\/\/.*/, lines.shift()) : l))
    .join('\n');
  assert.equal(lines.length, 0, 'level 1 has a place for each line written in');
  assert.match(code, /for \(const j of model\.hot\[bptt_step\]\) \{\n\s*for \(let i = 0; i < delta_t\.length; i\+\+\) dLdU\[i\]\[j\] \+= delta_t\[i\];/);
  return code;
}

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

/** Checks `code` and waits for the outcome (a name, or a pattern of names), then for its text
 * matching `pattern`. */
async function checkCode(page, code, outcome, pattern) {
  await typeCode(page, code);
  await check(page);
  if (outcome instanceof RegExp) {
    let seen;
    await until(
      page,
      async () => outcome.test((seen = await result(page).getAttribute('data-outcome', { timeout: 1000 })) ?? ''),
      `an outcome matching ${outcome} (last seen ${seen})`,
    );
  } else {
    await untilAttribute(page, result(page), 'data-outcome', outcome);
  }
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
  await checkCode(
    page,
    'function bptt(model, x, y) {\n  const T = y.length;\n  return model.nothing.here;\n}\n',
    'error',
    /threw an error on line 3: TypeError/,
  );
  await checkCode(page, 'function bptt(model, x, y) {\n  while (true) {}\n}\n', 'error', /did not return within 5 s/);
  await checkCode(page, 'function bptt(model, x, y) {\n  return [1, 2;\n}\n', 'error', /Syntax error on line 2/);
  await checkCode(
    page,
    'function bptt(model, x, y) {\n  return [model.U, model.V, model.U];\n}\n',
    'error',
    /dLdW must have 8 rows \(W is 8 × 8\); it has 8|dLdW\[0\] must have 8 numbers \(W is 8 × 8\); it has 10/,
  );
  await checkCode(
    page,
    'function bptt(model, x, y) {\n  return [model.U, model.V, model.W.map((r) => r.map(() => NaN))];\n}\n',
    'error',
    /dLdW\[0\]\[0\] is NaN/,
  );
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

test('Carry preset: a bptt using model.hot passes, one adding to column x[t] alone fails on U, and the correct one trains an epoch', async () => {
  const { page, problems, context } = await openHomework('#preset=carry&hw=1');
  const epochNow = async () => Number(await page.locator('#status [data-epoch]').getAttribute('data-epoch'));
  // the model is ready when its starting loss is on the chart (3200 sums and 1000 held out)
  await until(page, async () => Number(await page.locator('#loss-chart').getAttribute('data-points')) >= 1, 'the starting loss', 120000);
  assert.equal(await epochNow(), 0);
  // the section says what the check asks of dLdU in this layout
  const text = await checkCode(page, solution(), 'passed', /dLdW passed/);
  assert.match(text, /dLdU passed: largest relative error/);
  assert.match(text, /dLdV passed/);
  assert.match(
    text,
    /Here xt switches on two columns of U, ai and 10\s\+\sbi: at t = 0 of this example x\[0\] = \d+, so model\.hot\[0\] is \[\d, 1\d\], and δt goes into each of these columns of dLdU\./,
  );
  const [, symbol, a, b] = text.match(/x\[0\] = (\d+), so model\.hot\[0\] is \[(\d+), (\d+)\]/).map(Number);
  assert.deepEqual([a, b], [Math.floor(symbol / 10), 10 + (symbol % 10)], 'the columns named are the pair’s a_i and 10 + b_i');
  assert.match(text, /H 32, truncation 20/);
  // the notebook's own line, dLdU[:, x[t]]: here x[t] = 10·a_i + b_i is not a column of U
  // (symbols up to 99 against 20 columns), so dLdU comes back the wrong shape or wrong
  const mistake = await checkCode(page, solution('', 'dLdU[i][x[step]] += delta[i];'), /failed|error/, /dLdU/);
  assert.match(
    mistake,
    /dLdU\[0\] must have 20 numbers \(U is 32 × 20\); it has \d+\.In this layout x\[t\] is the symbol 10·ai\s\+\sbi, not a column of U: add δ to each column in model\.hot\[t\]\.|dLdU failed: relative error .* at index \[\d+,\s\d+\]/,
  );
  assert.doesNotMatch(mistake, /dLdU passed/);
  assert.ok(await page.getByRole('button', { name: 'Train with my BPTT' }).isDisabled(), 'no training with a failing bptt');
  // one of the two columns only (a_i): U is wrong at a column 10 + b_i, V and W are right
  const half = await checkCode(
    page,
    solution('', 'dLdU[i][model.hot[step][0]] += delta[i];'),
    'failed',
    /dLdU failed: relative error .* at index \[\d+,\s1\d\]/,
  );
  assert.match(half, /dLdV passed/);
  assert.match(half, /dLdW passed/);
  // the correct code again, then an epoch of all 3200 sums trained with it
  await checkCode(page, solution(), 'passed', /dLdU passed/);
  const train = page.getByRole('button', { name: 'Train with my BPTT' });
  await until(page, () => train.isEnabled(), 'Train with my BPTT enabled');
  await train.click();
  const status = page.locator('.hw-train-status');
  await until(page, async () => Number(await status.getAttribute('data-epochs')) >= 1, 'an epoch trained with the student’s code', 300000);
  await page.getByRole('button', { name: 'Stop training' }).click();
  await untilText(page, page.locator('#homework .hw-side'), /Train with my BPTT/);
  assert.doesNotMatch(await status.textContent(), /stopped/);
  await until(page, async () => (await epochNow()) >= 1, 'the run’s epoch advanced', 60000);
  assert.deepEqual(problems, []);
  await context.close();
});

test('level 1’s skeleton, its lines written in, passes the check in the notebook’s layout and under Carry', async () => {
  for (const hash of [`${SMALL}&hw=1`, '#preset=carry&hw=1']) {
    const { page, problems, context } = await openHomework(hash);
    await until(page, async () => Number(await page.locator('#loss-chart').getAttribute('data-points')) >= 1, 'the starting loss', 120000);
    const text = await checkCode(page, levelOneFilled(), 'passed', /dLdW passed/);
    assert.match(text, /dLdU passed.*dLdV passed/s);
    if (hash.includes('carry')) assert.match(text, /Here xt switches on two columns of U, ai and 10\s\+\sbi/);
    else assert.doesNotMatch(text, /switches on/, 'the notebook’s one-hot digit needs no word');
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('screenshots of the Homework section', async () => {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ]) {
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
