// The two presets and the held-out sums they are measured on: the notebook's layout (its test
// curves stay behind the limits of fresh sums, and memorising is told) and the carry preset, which
// learns to add: 9999999 + 1 = 10000000; the status line's speed with batches. (The carry
// preset's gradient check: gradient-check.test.mjs; its core: tests/carry.rs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, points, until, untilAttribute } from './browser.mjs';

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
