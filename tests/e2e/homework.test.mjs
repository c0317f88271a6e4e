// The Homework section in headless Chromium: the student's bptt typed into the editor (a text box
// named "Your code"), checked against the core's gradients, trained with; every way it can fail
// gets its own message and leaves the page working; the level lives in the URL, the code survives
// a reload. Small settings keep the student's JavaScript fast: H 8, 3+3 digits, truncation 2.
// The Carry preset's aligned layout, where x_t switches on two columns of U, gets its own test.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, until, untilText, untilAttribute } from './browser.mjs';
import { SMALL, solution, levelOneFilled, openHomework as openIn, typeCode, result, check, checkCode, stillWorks } from './homework-page.mjs';

const openHomework = (...args) => openIn(browser, ...args);

let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

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

test('the feedback names the likely mistake: the untouched skeleton, then dLdV right with dLdU and dLdW zero', async () => {
  const { page, problems, context } = await openHomework();
  await check(page);
  await untilAttribute(page, result(page), 'data-outcome', 'failed');
  await untilText(page, result(page), /All three gradients are exactly zero: nothing has been written into dLdU, dLdV and dLdW yet/);
  assert.equal(await page.locator('.hw-hint').getAttribute('data-pattern'), 'all-zero');
  const onlyV = `function bptt(model, x, y) {
  const [o, s] = model.forward(x);
  const zeros = (m) => m.map((r) => r.map(() => 0));
  const dLdV = zeros(model.V);
  for (let t = 0; t < y.length; t++) {
    const d = o[t].slice();
    d[y[t]] -= 1;
    for (let k = 0; k < d.length; k++) for (let j = 0; j < s[t].length; j++) dLdV[k][j] += d[k] * s[t][j];
  }
  return [zeros(model.U), dLdV, zeros(model.W)];
}
`;
  const text = await checkCode(page, onlyV, 'failed', /dLdV is right but dLdU and dLdW are all zero/);
  assert.match(text, /dLdV passed/);
  assert.match(text, /tanh’s derivative, 1 − s\[t\]²/);
  assert.equal(await page.locator('.hw-hint').getAttribute('data-pattern'), 'step-back');
  // the truncation off by one: V right, U and W wrong
  await checkCode(page, solution(' - 1'), 'failed', /dLdV is right but dLdU and dLdW are wrong/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('training with the student’s code shows progress within the first epoch, and Stop says where it stopped', async () => {
  const { page, problems, context } = await openHomework('#h=8&n=1000&d=3&trunc=2&lr=0.05&hw=1');
  await checkCode(page, solution(), 'passed', /dLdW passed/);
  const train = page.getByRole('button', { name: 'Train with my BPTT' });
  await until(page, () => train.isEnabled(), 'Train with my BPTT enabled');
  await train.click();
  const progress = page.getByRole('progressbar', { name: 'examples of this epoch trained with your BPTT' });
  const status = page.locator('.hw-train-status');
  // the bar moves before the first epoch ends
  await until(
    page,
    async () => Number(await progress.getAttribute('value')) >= 20 && (await status.getAttribute('data-epochs')) === '0',
    'progress in the first epoch',
  );
  assert.equal(await progress.getAttribute('max'), '1000');
  await page.getByRole('button', { name: 'Stop training' }).click();
  await untilText(page, status, /^Stopped at example \d+ of 1000 of this epoch/);
  const [, k] = (await status.textContent()).match(/example (\d+) of/);
  assert.ok(Number(k) >= 20 && Number(k) < 1000, `stopped at example ${k}`);
  assert.equal(await progress.getAttribute('value'), k, 'the bar shows where it stopped');
  assert.doesNotMatch(await status.textContent(), /Training with your BPTT/);
  assert.deepEqual(problems, []);
  await context.close();
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
