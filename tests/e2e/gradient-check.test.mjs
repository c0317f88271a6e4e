// The gradient check in real headless Chromium: it passes a correct backprop after training and in
// the carry preset's aligned layout, fails truncated BPTT for U and W only, shows the worst
// entry's values and its progress, and says which model it checked when a typed setting waits for
// a reset; pressed, it brings its result into view and sums it up beside the button, in a table
// that fits at both sizes. (Its criterion on long-trained models: tests/gradient_check.rs.)
// BASE_URL=http://127.0.0.1:8123/ node --test --test-concurrency=1 tests/e2e/gradient-check.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, until, untilText } from './browser.mjs';

const SMALL = '#h=16&n=100'; // a small model so epochs take milliseconds
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** The check's result rows, U, V, W. */
const row = (page, i) => page.locator('#gradient-check tbody tr').nth(i);
const which = (page) => page.locator('#gradient-check .which').first();
const NUMBER = String.raw`-?\d[\d.]*(?:e[+-]\d+)?`;

/** Records every state of the progress bar and its text while the check runs. */
async function watchProgress(page) {
  await page.evaluate(() => {
    const seen = [];
    /** @type {any} */ (window).progressSeen = seen;
    const result = document.querySelector('#gradient-check .result');
    new MutationObserver(() => {
      const bar = result.querySelector('progress');
      const text = result.querySelector('.progress-text');
      if (bar && text) seen.push({ value: bar.value, max: bar.max, determinate: bar.hasAttribute('value'), text: text.textContent });
    }).observe(result, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

test('at the default settings, after a few epochs, every matrix passes, with progress shown while it runs', async () => {
  const { page, problems, context } = await open(browser);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await until(page, async () => (await epoch(page)) >= 3, 'three epochs', 120000);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
  const trained = await epoch(page);
  await watchProgress(page);
  await page.getByRole('button', { name: 'Check the gradients' }).click();
  for (const [i, name] of ['U', 'V', 'W'].entries()) {
    await untilText(page, row(page, i), new RegExp(`^${name}✓ passed`), `${name} passing`);
  }
  // the worst entry of each matrix: its index and both values, nearly equal
  for (const [i, name] of ['U', 'V', 'W'].entries()) {
    const cell = row(page, i).locator('.worst');
    const m = (await cell.textContent()).match(new RegExp(`^${name}\\[(\\d+), (\\d+)\\]: (${NUMBER}), (${NUMBER})$`));
    assert.ok(m, `${name}'s worst entry: ${await cell.textContent()}`);
    const [a, n] = [Number(m[3]), Number(m[4])];
    assert.ok(Math.abs(a - n) <= 0.01 * Math.max(Math.abs(a), Math.abs(n), 1e-8) + 1e-3 * Math.abs(a), `${name}: backprop ${a} vs numeric ${n}`);
  }
  await untilText(page, which(page), new RegExp(`^Checked the current model: H 100, truncation 20, epoch ${trained}\\.$`), 'which model');
  // progress: a determinate bar and "checked N of M entries" part way through
  const seen = await page.evaluate(() => /** @type {any} */ (window).progressSeen);
  const partway = seen.filter((s) => s.determinate && s.value > 0 && s.value < s.max && s.text === ` checked ${s.value} of ${s.max} entries`);
  assert.ok(partway.length > 0, `no progress part way through: ${JSON.stringify(seen.slice(0, 5))}`);
  assert.equal(partway.at(-1).max, 334 + 334 + 400, 'up to 400 of each matrix: U and V 1000 entries (every 3rd), W 10000 (every 25th)');
  assert.equal(await page.locator('#gradient-check progress').count(), 0, 'the bar gone once done');
  assert.deepEqual(problems, []);
  await context.close();
});

test('at truncation 2 of 14 steps U and W fail and V passes, with the worst entries off', async () => {
  const { page, problems, context } = await open(browser, { hash: `${SMALL}&trunc=2` });
  await page.getByRole('button', { name: 'Check the gradients' }).click();
  await untilText(page, row(page, 0), /^U✗ failed/, 'U failing');
  await untilText(page, row(page, 1), /^V✓ passed/, 'V passing');
  await untilText(page, row(page, 2), /^W✗ failed/, 'W failing');
  for (const i of [0, 2]) {
    const m = (await row(page, i).locator('.worst').textContent()).match(new RegExp(`^[UW]\\[\\d+, \\d+\\]: (${NUMBER}), (${NUMBER})$`));
    assert.ok(m, await row(page, i).textContent());
    const [a, n] = [Number(m[1]), Number(m[2])];
    assert.ok(Math.abs(a - n) > 0.01 * Math.max(Math.abs(a), Math.abs(n)), `backprop ${a} vs numeric ${n} should differ`);
    const error = Number(await row(page, i).locator('.criterion').textContent());
    assert.ok(error > 0.01, `error ÷ scale ${error}`);
  }
  await untilText(page, which(page), /^Checked the current model: H 16, truncation 2, epoch 0\.$/, 'which model');
  assert.deepEqual(problems, []);
  await context.close();
});

test('with truncation 2 typed but no reset, the check says it checked the current model, not the typed settings', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'epoch 1');
  const field = page.getByLabel('BPTT truncation', { exact: true });
  await field.fill('2');
  await field.press('Enter');
  await page.getByRole('alert').waitFor(); // the bar offering "Reset with new settings"
  await page.getByRole('button', { name: 'Check the gradients' }).click();
  await untilText(
    page,
    which(page),
    /^This checked the current model \(H 16, truncation 20, epoch 1\), not the settings you typed \(BPTT truncation 2\): they apply only after “Reset with new settings”\.$/,
    'the check naming the model it checked',
  );
  for (const [i, name] of ['U', 'V', 'W'].entries()) {
    await untilText(page, row(page, i), new RegExp(`^${name}✓ passed`), `${name} passing: truncation 20 is exact`);
  }
  assert.equal(await epoch(page), 1, 'nothing reset');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the gradient check passes in the aligned layout', async () => {
  const { page, problems, context } = await open(browser, { hash: '#preset=carry' });
  await page.getByRole('button', { name: 'Check the gradients' }).click();
  const body = page.locator('#gradient-check tbody');
  await untilText(page, body, /U.*✓ passed.*V.*✓ passed.*W.*✓ passed/s, 'U, V and W passed');
  assert.deepEqual(problems, []);
  await context.close();
});

for (const [name, width, height] of [
  ['desktop', 1280, 800],
  ['phone', 390, 844],
]) {
  test(`${name}: pressed at the foot of the window, the check brings its result into view, sums it up beside the button, and its table fits with no number split`, async () => {
    const { page, problems, context } = await open(browser, { width, height, hash: `${SMALL}&trunc=2` });
    const button = page.getByRole('button', { name: 'Check the gradients' });
    // the button at the foot of the window: the result would come below it, out of sight
    await button.evaluate((b) => scrollBy(0, b.getBoundingClientRect().bottom - innerHeight + 4));
    await button.click();
    await untilText(page, row(page, 2), /^W✗ failed/, 'the result');
    const table = page.locator('#gradient-check table');
    await until(
      page,
      async () => {
        const box = await table.boundingBox();
        return box.y >= 0 && box.y + box.height <= height;
      },
      'the result table in view',
    );
    const summary = page.locator('#gradient-check .summary');
    await untilText(page, summary, /^U ✗ failed, V ✓ passed, W ✗ failed: see the table$/, 'the summary beside the button');
    const [b, s] = [await button.boundingBox(), await summary.boundingBox()];
    assert.ok(s.y < b.y + b.height + 40, `the summary (at ${s.y}) right by the button (ends ${b.y + b.height})`);
    // every column in sight, and every number on one line
    const fit = await table.evaluate((t) => ({ table: t.getBoundingClientRect().right, wrap: t.parentElement.getBoundingClientRect().right }));
    assert.ok(fit.table <= fit.wrap + 0.5, `the table ends at ${fit.table}, its box at ${fit.wrap}: no column cut off`);
    const split = await table.locator('tbody td').evaluateAll((cells) =>
      cells.flatMap((cell) =>
        Array.from(cell.childNodes)
          .filter((n) => n.nodeType === Node.TEXT_NODE || n.nodeName === 'SMALL')
          .filter((n) => {
            const range = document.createRange();
            range.selectNodeContents(n);
            return new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size > 1;
          })
          .map((n) => n.textContent),
      ),
    );
    assert.deepEqual(split, [], 'numbers split across lines');
    // its link back to the table works from anywhere
    await page.evaluate(() => {
      const s = document.querySelector('#gradient-check .summary');
      scrollTo(0, s.getBoundingClientRect().top + scrollY - innerHeight + 30);
    });
    await summary.getByRole('button', { name: 'see the table' }).click();
    await until(
      page,
      async () => {
        const box = await table.boundingBox();
        return box.y >= 0 && box.y + box.height <= height;
      },
      'the table in view again',
    );
    assert.deepEqual(problems, []);
    await context.close();
  });
}
