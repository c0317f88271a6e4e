// The two presets and the held-out sums they are measured on: the notebook's layout (its test
// curves stay behind the limits of fresh sums, and memorising is told) and the carry preset, which
// learns to add: 9999999 + 1 = 10000000; the status line's speed with batches. (The carry
// preset's gradient check: gradient-check.test.mjs; its core: tests/carry.rs.) The explanations
// under the charts and in "How it works" are the run's own, never the notebook's under Carry.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, points, until, untilAttribute, untilText } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

const testExact = (page) => page.locator('#accuracy-chart').getAttribute('data-last-test-exact');
const chainExact = (page) => page.locator('#accuracy-chart').getAttribute('data-last-chain-exact');

test('the notebook preset measures held-out sums too, and its test loss stays above the floor', async () => {
  const { page, problems, context } = await open(browser, { hash: '#h=16&n=100' });
  assert.equal(await page.getByRole('radio', { name: /Notebook/ }).getAttribute('aria-checked'), 'true');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await until(page, async () => (await points(page)) >= 4, 'three trained epochs');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const testLoss = Number(await page.locator('#loss-chart').getAttribute('data-last-test-loss'));
  assert.ok(testLoss > 0.2494 && testLoss < 3, `test loss ${testLoss}`);
  await until(
    page,
    async () => (await page.locator('#by-place .place').count()) === 14,
    'accuracy at each of the 14 places of the sum (zero-padded to 2n digits)',
  );
  assert.deepEqual(problems, []);
  await context.close();
});

test('a network that memorises its training sums is told so: the training curves pass the limits, the test curves do not', async () => {
  const { page, problems, context } = await open(browser, { hash: '#n=30&h=100&lr=0.01' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const note = page.locator('#memorised');
  await until(page, async () => !(await note.isHidden()), 'the memorisation note', 300000);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  assert.match(await note.textContent(), /memorising its 30 training sums/);
  const testLoss = Number(await page.locator('#loss-chart').getAttribute('data-last-test-loss'));
  assert.ok(testLoss > 0.2494, `the test loss ${testLoss} stays above the floor`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Carry: switching keeps the typed sum, and training reaches every held-out sum and carry chain', async () => {
  const { page, problems, context } = await open(browser);
  await page.getByLabel('First number').fill('9999999');
  await page.getByLabel('Second number').fill('1');
  await page.getByRole('radio', { name: /Carry/ }).click();
  await untilAttribute(page, page.getByRole('radio', { name: /Carry/ }), 'aria-checked', 'true');
  await until(page, async () => (await epoch(page)) === 0 && (await page.locator('.unrolled .step').count()) === 8, 'the aligned layout: 8 steps');
  assert.equal(await page.getByLabel('First number').inputValue(), '9999999', 'the typed sum is kept');
  assert.equal(await page.locator('.unrolled .step .reads').first().textContent(), 'a₀b₀');
  await until(page, () => location(page).then((h) => h.includes('preset=carry')), 'the link names the preset');
  const started = Date.now();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await until(page, async () => (await testExact(page)) === '1' && (await chainExact(page)) === '1', 'every test sum and carry chain right', 300000);
  const seconds = (Date.now() - started) / 1000;
  await untilAttribute(page, page.locator('.predicted-digits'), 'data-sum', '10000000');
  console.log(`carry preset: 100 % of held-out sums and carry chains ${seconds.toFixed(1)} s after Train (epoch ${await epoch(page)})`);
  assert.deepEqual(problems, []);
  await context.close();
});

const location = (page) => page.evaluate(() => window.location.hash);

test("the status line's seq/s is the sequences trained per wall-clock second, batches counted by their sums", async () => {
  const { page, problems, context } = await open(browser, { hash: '#preset=carry' });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const read = () =>
    page.evaluate(() => {
      const text = document.querySelector('#status').textContent;
      const number = (re) => Number((text.match(re)?.[1] ?? '').replace(/[^0-9]/g, '') || NaN);
      return { now: performance.now(), seen: number(/([\d,. ]+) seen/), rate: number(/([\d,. ]+) seq\/s/) };
    });
  await until(page, async () => (await read()).rate > 0, 'a seq/s figure');
  const first = await read();
  await until(page, async () => (await read()).now - first.now > 3000, 'three seconds of training');
  const last = await read();
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  // examplesSeen moves a whole epoch (3200 sums) at a time, and seq/s spans the last 2 s: a wide band
  const measured = ((last.seen - first.seen) * 1000) / (last.now - first.now);
  assert.ok(measured > 3200, `trained ${last.seen - first.seen} sums in ${(last.now - first.now).toFixed(0)} ms`);
  assert.ok(last.rate > 0.5 * measured && last.rate < 1.6 * measured, `status says ${last.rate} seq/s, the examples seen grew ${measured.toFixed(0)} a second`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the explanations are the run’s: the notebook’s floor and sizes, and under Carry no green line, a pair read, its own sizes', async () => {
  const { page, problems, context } = await open(browser);
  // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered (table cells apart, hidden parts left out) is what the page shows
  const text = (sel) => page.locator(sel).innerText();
  await untilText(
    page,
    page.locator('[data-explain="floor"]'),
    /^The green line is a floor for the test curve, not a target: .* as it does the test curve rises\.$/,
  );
  assert.match(await text('[data-explain="accuracy"]'), /carry chains such as 9999999 \+ 1\. The ceilings .*: 87\.5 % of digits, 15\.3 % of whole sums\.$/);
  // the vanilla cell's model, the one shown (each cell's equations have their own copy)
  assert.equal(await text('[data-cell="vanilla"] [data-explain="input"]'), 'the one-hot digit read at step t (10 entries)');
  assert.equal(await text('[data-explain="why-title"]'), 'Why it cannot learn exact sums');
  assert.match(await text('[data-explain="why"]'), /about 0\.249 nats per digit, 87\.5 % of digits and 15\.3 % of whole sums right/);
  assert.match(await text('[data-explain="dims"]'), /U\tH × I\t1,000\nV\tC × H\t1,000\nW\tH × H\t10,000/);
  assert.match(await text('#notebook-numbers'), /on the notebook’s 100 training samples, the same losses 2\.302904, .* starting loss is 2\.306736/);
  await untilText(page, page.locator('#status'), /loss 2\.3067$/, 'the starting loss the paragraph names');
  await page.locator('#preset-switch button', { hasText: /^Carry/ }).click();
  await untilText(
    page,
    page.locator('[data-cell="vanilla"] [data-explain="input"]'),
    /^two one-hot blocks, the digits a_i and b_i read at step t \(20 entries\)$/,
  );
  assert.equal(await text('[data-explain="why-title"]'), 'Why it can learn exact sums');
  assert.match(await text('[data-explain="dims"]'), /x\s*t\tI\t20\n[\s\S]*U\tH × I\t640\nV\tC × H\t320\nW\tH × H\t1,024/);
  assert.match(
    await text('[data-explain="floor"]'),
    /^Nothing in this layout keeps the curves from 0: the carry into place i comes from the digits read at step i − 1/,
  );
  // biome-ignore lint/performance/useDomNodeTextContent: only what is shown counts (a hidden note may name the floor)
  assert.doesNotMatch(await page.locator('main').innerText(), /green line|one-hot digit,|ceilings/, 'nothing said of the notebook’s layout under Carry');
  assert.deepEqual(problems, []);
  await context.close();
});
