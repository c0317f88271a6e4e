// Shared links: Copy link gives a URL that restores every setting and trains the same run to the
// same epoch, number for number; a bad link says what it ignored until dismissed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, points, until, untilText, holds, limit, untilUrl } from './browser.mjs';

let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('a copied link restores every setting and reproduces the run, trained to the same epoch', async () => {
  const hash = '#lr=0.01&h=12&trunc=3&n=50&d=5&ev=2&ds=3&ms=none&speed=5&a=12&b=345';
  const fields = async (page) => {
    const out = {};
    for (const label of [
      'Learning rate',
      'Hidden size H',
      'BPTT truncation',
      'Training samples',
      'Digits per number',
      'Evaluate every',
      'Data seed',
      'Model seed',
    ]) {
      out[label] = await page.getByLabel(label, { exact: true }).inputValue();
    }
    out.speed = await page.getByLabel('Speed').inputValue();
    out.first = await page.getByRole('textbox', { name: 'First number' }).inputValue();
    return out;
  };
  const one = await open(browser, { hash });
  const want = {
    'Learning rate': '0.01',
    'Hidden size H': '12',
    'BPTT truncation': '3',
    'Training samples': '50',
    'Digits per number': '5',
    'Evaluate every': '2',
    'Data seed': '3',
    'Model seed': 'none',
    speed: '5',
    first: '12',
  };
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
  await untilUrl(one.page, /[#&]e=4(&|$)/, 'the epoch in the link');
  const url = one.page.url();
  assert.deepEqual(one.problems, []);
  await one.context.close();

  const two = await open(browser, { hash: new URL(url).hash });
  await until(two.page, async () => (await epoch(two.page)) === 4, 'the link trained to epoch 4');
  await untilText(two.page, two.page.locator('#message'), /Trained to epoch 4, where the link was shared/);
  assert.equal(await two.page.locator('#loss-chart').getAttribute('data-last-loss'), loss, 'the same loss, to the last digit');
  await until(
    two.page,
    async () => JSON.stringify(await fields(two.page)) === JSON.stringify(trained),
    `the same fields, rate in force included, as ${JSON.stringify(trained)}`,
  );
  await holds(two.page, async () => (await epoch(two.page)) === 4, 'it stops at epoch 4', 300);
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

test('a link key named after an Object property keeps the rest of the link; thousands of unknown keys are counted, not listed', async () => {
  const junk = Array.from({ length: 2000 }, (_, i) => `junk${i}=1`).join('&');
  const { page, problems, context } = await open(browser, { hash: `#preset=toString&h=12&n=50&constructor=1&${junk}` });
  const notice = page.locator('#link-problems');
  await untilText(page, notice, /preset=toString: Preset must be one of notebook, carry/);
  await until(page, async () => (await page.getByLabel('Hidden size H', { exact: true }).inputValue()) === '12', 'H 12 from the link');
  assert.equal(await page.getByLabel('Training samples', { exact: true }).inputValue(), '50');
  assert.equal(await notice.locator('li').count(), 6);
  assert.match(await notice.textContent(), /and 1997 more entries that were not used/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('paused mid-epoch, the page shows the prediction its link and a reload give', async () => {
  // epochs of seconds, so Pause lands within one (its progress bar shows how far)
  const one = await open(browser, { hash: '#h=200&n=3000&a=1234567&b=7654321' });
  const outputs = (page) =>
    page.evaluate(() => [...document.querySelectorAll('#network .out')].map((o) => o.querySelector('title')?.textContent ?? o.getAttribute('title')));
  await one.page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(one.page, async () => (await epoch(one.page)) === 1, 'epoch 1', 120000);
  const atEpoch = await outputs(one.page);
  assert.equal(atEpoch.length, 14);
  assert.ok(
    atEpoch.every((t) => /^step \d+: predicted \d with probability [\d.]+%, target \d$/.test(t ?? '')),
    atEpoch.join(' | '),
  );
  await one.page.getByRole('button', { name: 'Train', exact: true }).click();
  const bar = one.page.locator('#epoch-progress');
  await untilText(one.page, bar, /This epoch ([1-9]\d?)%/, 'epoch 2 under way', 120000);
  await one.page.getByRole('button', { name: 'Pause', exact: true }).click();
  await one.page.getByRole('button', { name: 'Train', exact: true }).waitFor({ timeout: limit(10000) });
  // the part of epoch 2 is set aside: the outputs are epoch 1's again, and a sum typed now is
  // predicted by epoch 1's weights, as the link and a reload will predict it
  await until(one.page, async () => JSON.stringify(await outputs(one.page)) === JSON.stringify(atEpoch), "epoch 1's outputs after Pause");
  assert.equal(await epoch(one.page), 1);
  await untilText(
    one.page,
    one.page.locator('#message'),
    /^Paused at epoch 1: \d+ % of epoch 2 was set aside, so the model is the one its link and a reload give\./,
  );
  await one.page.getByRole('textbox', { name: 'Second number' }).fill('7654329');
  await untilUrl(one.page, /b=7654329/, 'the new sum in the link');
  let seen;
  await until(one.page, async () => (seen = await outputs(one.page)).join().includes('target 9'), "the new sum's outputs (a target 9)");
  const paused = await outputs(one.page);
  assert.notDeepEqual(paused, atEpoch);
  await one.page.getByRole('button', { name: 'Copy link' }).click();
  await untilUrl(one.page, /[#&]e=1(&|$)/, 'the epoch in the link');
  const url = one.page.url();
  await one.page.reload();
  await until(
    one.page,
    async () => (await epoch(one.page)) === 1 && JSON.stringify(await outputs(one.page)) === JSON.stringify(paused),
    'the same outputs after a reload',
    60000,
  );
  assert.deepEqual(one.problems, []);
  await one.context.close();

  const two = await open(browser, { hash: new URL(url).hash });
  await until(two.page, async () => (await epoch(two.page)) === 1, 'the link trained to epoch 1', 120000);
  await until(two.page, async () => JSON.stringify(await outputs(two.page)) === JSON.stringify(paused), 'the same outputs from the link');
  assert.deepEqual(two.problems, []);
  await two.context.close();
});
