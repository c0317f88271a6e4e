// Compare: a second run beside the first, from the link's `b.` keys: both status lines and names,
// one Train trains both in lockstep, the loss chart's legend names both, the typed sum's two
// predictions, a reload bringing both back at their epochs, a bad `b.` key reported, and Stop
// comparing dropping run B and its keys. (Files: the worker's two runs, www/app/compare.js.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, until, untilText, untilUrl } from './browser.mjs';

// truncation 2 against 20, the notebook's own question, on a small data set to be quick
const LINK = '#n=50&trunc=2&b.trunc=20';
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** The epoch a status line states. */
const epochOf = async (page, id) => Number(await page.locator(`#${id} [data-epoch]`).getAttribute('data-epoch'));

/** Pauses, and waits for both runs to stand at whole epochs at most one apart (lockstep). */
async function pauseInLockstep(page) {
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await until(page, async () => (await page.locator('#train').getAttribute('aria-pressed')) === 'false', 'paused');
  await until(page, async () => Math.abs((await epochOf(page, 'status')) - (await epochOf(page, 'status-b'))) <= 1, 'the runs in lockstep');
}

/** Waits for the runs to be saved, reloads, and waits for both to be back at their epochs. */
async function reloadKeepsBoth(page) {
  const [ea, eb] = [await epochOf(page, 'status'), await epochOf(page, 'status-b')];
  await until(page, async () => (await page.locator('html').getAttribute('data-saved-epoch')) === String(ea), 'the runs saved');
  await page.reload();
  await page.waitForSelector('#status [data-epoch]');
  await until(page, async () => (await epochOf(page, 'status')) === ea, `run A back at epoch ${ea}`);
  await until(page, async () => (await epochOf(page, 'status-b')) === eb, `run B back at epoch ${eb}`);
}

test('two runs from a link: named, trained together, overlaid, predicting, kept across a reload', async () => {
  const { page, problems, context } = await open(browser, { hash: LINK });
  const a = page.locator('#status');
  const b = page.locator('#status-b');
  await untilText(page, a, /A: BPTT truncation 2\b.*epoch/, 'run A named in its status line');
  await untilText(page, b, /B: BPTT truncation 20\b.*epoch/, 'run B named in its status line');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await until(page, async () => (await epochOf(page, 'status')) >= 2 && (await epochOf(page, 'status-b')) >= 2, 'both runs at epoch 2 or more', 60000);
  await pauseInLockstep(page);
  for (const id of ['compare-legend-loss', 'compare-legend-accuracy']) {
    const legend = await page.locator(`#${id}`).textContent();
    assert.match(legend, /A: BPTT truncation 2\b/, id);
    assert.match(legend, /B: BPTT truncation 20\b/, id);
  }
  // the accuracy chart overlays both runs' held-out figures; each legend shows an epoch both reached
  const accuracyLegend = (await page.locator('#accuracy-chart .u-legend').textContent()) ?? '';
  for (const label of ['digits (test), A', 'sums (test), A', 'carry chains, A', 'digits (test), B', 'sums (test), B', 'carry chains, B'])
    assert.ok(accuracyLegend.includes(label), `${label} in ${accuracyLegend}`);
  assert.doesNotMatch(accuracyLegend, /–/, 'a value for every series');
  assert.doesNotMatch((await page.locator('#loss-chart .u-legend').textContent()) ?? '', /–/, 'a loss for both runs');
  // the test digits right by place: a bar per run at each place, the runs named in its title
  const places = page.locator('#by-place .place');
  await until(
    page,
    async () => (await places.count()) > 0 && (await page.locator('#by-place .pair .fill').count()) === 2 * (await places.count()),
    'a pair of bars at each place',
  );
  assert.match(
    (await places.first().getAttribute('title')) ?? '',
    /^digit worth 10\S+ on the test sums: A: BPTT truncation 2, \d+\.\d% right; B: BPTT truncation 20, \d+\.\d% right$/,
  );
  // every bar as tall as its value says, run B's as run A's (48 px for 100 %)
  const heights = await page
    .locator('#by-place .fill')
    .evaluateAll((fills) => fills.map((f) => ({ value: Number(f.style.getPropertyValue('--value')), height: f.getBoundingClientRect().height })));
  for (const { value, height } of heights) assert.ok(Math.abs(height - 48 * value) < 1, `a bar ${height} px tall for ${value}`);
  for (const legend of ['#compare-legend-loss', '#compare-legend-accuracy']) {
    const [a, b] = await page.locator(`${legend} :is(.run-a, .run-b)`).evaluateAll((names) => names.map((n) => n.getBoundingClientRect().height));
    assert.ok(Math.abs(a - b) < 1, `${legend}: the runs' names the same height (${a}, ${b})`);
  }
  // the typed sum's prediction, once per run
  await until(page, async () => (await page.locator('.sum-result-second .predicted-digits').getAttribute('data-sum')) !== null, 'run B’s prediction');
  assert.equal(await page.locator('.sum-result-second').isVisible(), true);
  assert.match(await page.locator('.predicted-digits').first().getAttribute('data-sum'), /^\d+$/);
  // the sentence under the digits gives each run's verdict, not one unnamed network's
  const verdict = String.raw`(right, all \d+ digits|\d+ of \d+ digits right, it says \d+)`;
  await untilText(page, page.locator('.sum-summary'), new RegExp(`^A: ${verdict}\\. B: ${verdict}\\. The sum is \\d+\\.$`), 'both runs’ verdicts');
  // run B's hidden states and gradient flow drawn
  await until(page, async () => (await page.locator('#flow-panel .run-b').getAttribute('data-sigma')) !== null, 'run B’s σ(W)', 30000);
  await untilUrl(page, /[#&]b\.trunc=20(&|$)/, 'the link carries run B');
  // a rate set by hand applies to both runs (B has no rate of its own), from the next step
  const field = page.getByLabel('Learning rate', { exact: true });
  await field.fill('0.002');
  await field.press('Enter');
  await untilText(page, page.locator('#message'), /Learning rate set to 0\.002 for both runs/, 'the rate said for both runs');
  await untilText(page, b, /lr 0\.002 ·/, 'run B’s status line at the new rate');
  // Step takes run A an epoch on, and run B with it unless B was the one ahead: then once more
  const stepped = await epochOf(page, 'status-b');
  for (let tries = 0; (await epochOf(page, 'status-b')) <= stepped && tries < 2; tries++) {
    const a0 = await epochOf(page, 'status');
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await until(page, async () => (await epochOf(page, 'status')) > a0, 'run A a step on');
    await until(page, async () => (await page.locator('#train').getAttribute('aria-pressed')) === 'false', 'the step done');
  }
  await until(page, async () => (await epochOf(page, 'status-b')) > stepped, 'run B a step on');
  // the worker's own report of run B: the new rate (or its half, had the notebook's rule halved it)
  await untilText(page, b, /lr 0\.00[12] ·/, 'run B trained at the new rate');
  await until(page, async () => Math.abs((await epochOf(page, 'status')) - (await epochOf(page, 'status-b'))) <= 1, 'the runs in lockstep');
  await reloadKeepsBoth(page);
  await untilText(page, b, /B: BPTT truncation 20\b/, 'run B named after the reload');
  assert.deepEqual(problems, []);
  await context.close();
});

test('run B with a rate of its own keeps it when run A’s rate is set by hand; the gradient check says it is run A’s', async () => {
  const { page, problems, context } = await open(browser, { hash: '#n=50&b.lr=0.01' });
  await untilText(page, page.locator('#status-b'), /B: Learning rate 0\.01\b.*lr 0\.01 ·/, 'run B at its own rate');
  const field = page.getByLabel('Learning rate', { exact: true });
  await field.fill('0.002');
  await field.press('Enter');
  await untilText(page, page.locator('#message'), /Learning rate set to 0\.002 for run A \(run B keeps its own, 0\.01\)/, 'which run said');
  await untilText(page, page.locator('#status'), /lr 0\.002 ·/, 'run A at the new rate');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epochOf(page, 'status-b')) >= 1, 'run B a step on');
  await untilText(page, page.locator('#status-b'), /lr 0\.01 ·/, 'run B still at its own rate');
  await untilUrl(page, /[#&]b\.lr=0\.01(&|$)/, 'run B’s own rate in the link');
  // the gradient check is run A's, and says so
  await page.getByRole('button', { name: 'Check the gradients' }).click();
  await until(page, async () => (await page.locator('#gradient-check tbody tr').count()) === 3, 'U, V and W checked', 60000);
  await untilText(page, page.locator('#gradient-check .result'), /This is run A; run B is not checked\./, 'which run was checked');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a b. key that is not a setting, or out of range, is reported; Stop comparing drops run B and its keys', async () => {
  const { page, context } = await open(browser, { hash: '#n=50&b.foo=1&b.trunc=99999&b.h=8' });
  const notice = page.locator('#link-problems');
  await untilText(page, notice, /“b\.foo” is not a setting/, 'the unknown b. key reported');
  await untilText(page, notice, /b\.trunc=99999: BPTT truncation must be from 0 to 1000/, 'the b. value out of range reported');
  // the good b. key still applies
  await untilText(page, page.locator('#status-b'), /B: Hidden size H 8\b.*epoch/, 'run B from the good key');
  await untilUrl(page, /b\.foo|b\.trunc/, 'the bad b. keys left out of the link', false);
  await page.getByRole('button', { name: 'Stop comparing' }).click();
  await until(page, async () => !(await page.locator('#status-b').isVisible()), 'run B’s status line gone');
  await untilUrl(page, /b\./, 'the b. keys gone from the link', false);
  assert.equal(await page.locator('.compare-legend').count(), 0, 'both legends gone');
  assert.equal(await page.locator('.sum-result-second').isVisible(), false);
  // and a reload of the run saved since does not bring it back
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await page.locator('html').getAttribute('data-saved-epoch')) === '1', 'the run saved at epoch 1');
  await until(page, async () => (await page.locator('#by-place .place').count()) > 0, 'run A’s bars by place');
  assert.equal(await page.locator('#by-place .fill').count(), await page.locator('#by-place .place').count(), 'one bar a place');
  assert.equal(await page.locator('#by-place .pair').count(), 0, 'no pairs of bars without run B');
  await page.reload();
  await page.waitForSelector('#status [data-epoch]');
  await untilText(page, page.locator('#message'), /Welcome back/, 'the run restored');
  assert.equal(await page.locator('#status-b').isVisible(), false);
  assert.doesNotMatch(page.url(), /b\./);
  // comparing again from the controls, by keyboard: a setting, a value, Compare
  await page.locator('#compare-key').selectOption({ label: 'BPTT truncation' });
  await page.locator('#compare-value').fill('abc');
  await page.locator('#compare-value').press('Enter');
  await untilText(page, page.locator('#compare-error'), /whole number.*Nothing was changed/, 'a bad value said');
  assert.equal(await page.locator('#status-b').isVisible(), false);
  await page.locator('#compare-value').fill('5');
  await page.locator('#compare-value').press('Enter');
  await untilText(page, page.locator('#status-b'), /B: BPTT truncation 5\b.*epoch/, 'run B from the controls');
  await untilUrl(page, /[#&]b\.trunc=5(&|$)/, 'b.trunc=5 in the link');
  await context.close();
});

test('the Memory preset compares the vanilla cell with an LSTM: one Train trains both, the link and a reload keep both', async () => {
  // the Memory preset at 3 digits and 200 sums an epoch, to be quick; the cells are what differ
  const { page, problems, context } = await open(browser, { hash: '#preset=memory&cell=vanilla&b.cell=lstm&d=3&n=200' });
  await untilText(page, page.locator('#status'), /A: Cell vanilla\b.*epoch/, 'run A named by its cell');
  await untilText(page, page.locator('#status-b'), /B: Cell lstm\b.*epoch/, 'run B named by its cell');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await until(page, async () => (await epochOf(page, 'status')) >= 3 && (await epochOf(page, 'status-b')) >= 3, 'both runs at epoch 3 or more', 120000);
  await pauseInLockstep(page);
  await untilUrl(page, /[#&]preset=memory(&|$)/, 'the preset in the link');
  await untilUrl(page, /[#&]b\.cell=lstm(&|$)/, 'the link carries run B’s cell');
  // run B's gradient flow is an LSTM's: drawn, with no σ(W) (the vanilla cell's bound)
  await until(page, async () => (await page.locator('#flow-panel .run-b canvas').count()) > 0, 'run B’s flow drawn', 30000);
  await reloadKeepsBoth(page);
  await untilText(page, page.locator('#status-b'), /B: Cell lstm\b/, 'run B still the LSTM after the reload');
  assert.deepEqual(problems, []);
  await context.close();
});
