// Training from the toolbar: Train is ready the moment the model is, Train and Pause, Step, an
// epoch that blows up is caught, undone and explained, a rate the notebook's rule halved is said
// under the rate (never in a message over the page), and a rate it starved is shown as it is and
// offered back. (The largest and smallest models: model-sizes.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, newContext, epoch, points, until, untilText, holds, limit, BASE_URL } from './browser.mjs';

const SMALL = '#h=16&n=100'; // a small model so epochs take milliseconds
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

async function steps(page, n) {
  const start = await epoch(page);
  for (let i = 1; i <= n; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await until(page, async () => (await epoch(page)) === start + i, `epoch ${start + i}`);
  }
}

test('Train is disabled until the first model is in the worker, and a click the moment it is enabled trains', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  // what Train is once the page's scripts have run: on a loaded machine the polling below may
  // first get to run only after the model is ready
  await page.addInitScript(() =>
    document.addEventListener('DOMContentLoaded', () => {
      window.__trainDisabledAtStart = document.querySelector('#train')?.disabled;
    }),
  );
  await page.goto(new URL(SMALL, BASE_URL).href, { waitUntil: 'commit' });
  // poll the button itself (no locator: its actionability waits would click later than a user)
  const states = new Set();
  let spot = null;
  for (const started = Date.now(); !spot; await page.waitForTimeout(5)) {
    assert.ok(Date.now() - started < limit(60000), 'Train became enabled');
    spot = await page
      .evaluate(() => {
        const b = document.querySelector('#train');
        if (!b) return null;
        if (b.disabled) return 'disabled';
        const r = b.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      })
      .catch(() => null);
    if (spot === 'disabled') {
      states.add(spot);
      spot = null;
    }
  }
  await page.mouse.click(spot.x, spot.y);
  await until(page, async () => (await epoch(page)) >= 1, 'an epoch trained by that first click');
  assert.ok(states.has('disabled') || (await page.evaluate(() => window.__trainDisabledAtStart)) === true, 'Train was disabled while the page started');
  // no refusal: the only message a first click may bring is training's own (a slow machine may draw
  // a later epoch's "the loss rose, so the learning rate was halved" before this reads it)
  const message = page.locator('#message');
  if (await message.isVisible()) {
    assert.notEqual(await message.getAttribute('data-kind'), 'error', `no refusal shown: ${await message.textContent()}`);
    assert.match(await message.textContent(), /^The loss rose, so the learning rate was halved/);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('Train adds points and the loss falls; Pause stops it', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await until(page, async () => (await points(page)) === 1, 'the starting loss');
  const first = Number(await page.locator('#loss-chart').getAttribute('data-last-loss'));
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await until(page, async () => (await points(page)) >= 6, 'five trained epochs');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
  // the epoch shown settles (a loaded machine may draw the last progress a frame late)
  let stopped = await epoch(page);
  await until(
    page,
    async () => {
      await page.waitForTimeout(250);
      const now = await epoch(page);
      const settled = now === stopped;
      stopped = now;
      return settled;
    },
    'the epoch to settle',
  );
  const last = Number(await page.locator('#loss-chart').getAttribute('data-last-loss'));
  assert.ok(last < first - 0.3, `loss fell from ${first} to ${last}`);
  await holds(page, async () => (await epoch(page)) === stopped, `no epoch after Pause (stopped at ${stopped})`, 600);
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
  await holds(page, async () => (await epoch(page)) === 2 && (await points(page)) === 3, 'no epoch beyond the two steps', 300);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a learning rate that blows the weights up is caught, undone and explained, with a lower rate one click away', async () => {
  const { page, problems, context } = await open(browser, { hash: `${SMALL}&lr=100` });
  assert.equal(await page.getByLabel('Learning rate', { exact: true }).inputValue(), '100', 'any finite rate is accepted');
  await until(page, async () => (await points(page)) === 1, 'the starting loss');
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
  // that such a run saves to a file that loads: saved-runs.test.mjs
  assert.deepEqual(problems, []);
  await context.close();
});

test('the rate in force is shown everywhere, and a divergence offers the preset’s rate and never one known to diverge', async () => {
  const { page, problems, context } = await open(browser, { hash: `${SMALL}&lr=100` });
  const message = page.locator('#message');
  const field = page.getByLabel('Learning rate', { exact: true });
  const status = page.locator('#status');
  /** the rate in the field, the status line and the link, all at once */
  const showsRate = (rate) =>
    until(
      page,
      async () =>
        (await field.inputValue()) === String(rate) &&
        new RegExp(`lr ${String(rate).replace('.', '\\.')} ·`).test((await status.textContent()) ?? '') &&
        // the link lists what differs from the preset: its own 0.005 is left out
        (new URLSearchParams((await page.evaluate(() => location.hash)).slice(1)).get('lr') ?? '0.005') === String(rate),
      `lr ${rate} in the field, the status line and the link`,
    );
  const train = page.getByRole('button', { name: 'Train', exact: true });
  await train.click();
  await untilText(page, message, /diverged at learning rate 100: .* A tenth, 10, may still be too high\./, 'the explanation');
  await page.getByRole('button', { name: 'Use learning rate 10', exact: true }).click();
  await showsRate(10);
  await train.click();
  await untilText(page, message, /diverged at learning rate 10:/, 'the second explanation');
  // 100 typed again diverges from the same weights: the offer is a tenth of 10, the lowest rate known to diverge
  await field.fill('100');
  await field.press('Enter');
  await showsRate(100);
  await train.click();
  await untilText(page, message, /diverged at learning rate 100:/, 'the third explanation');
  assert.equal(await page.getByRole('button', { name: 'Use learning rate 10', exact: true }).count(), 0, 'no offer of 10, which diverged');
  await page.getByRole('button', { name: 'Use learning rate 1', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Use learning rate 0.005 (the Notebook preset’s)' }).click();
  await showsRate(0.005);
  await steps(page, 1);
  assert.ok(Number.isFinite(Number(await page.locator('#loss-chart').getAttribute('data-last-loss'))), 'a finite loss at the preset’s rate');
  // changed during training: shown at once, and the link starts a new run at it
  await field.fill('0.002');
  await field.press('Enter');
  await showsRate(0.002);
  assert.ok(!/(^#|&)e=/.test(await page.evaluate(() => location.hash)), 'no epoch in the link: it cannot replay a changed rate');
  assert.deepEqual(problems, []);
  await context.close();
});

test('after a halving the field and the status line show the halved rate, and the link the starting one that replays it', async () => {
  const { page, problems, context } = await open(browser, { hash: `${SMALL}&lr=0.5` });
  await steps(page, 1); // the loss rises from the start at 0.5: halved at once
  await untilText(page, page.locator('small.halved'), /^Halved by the notebook’s rule \(the loss rose\) at epoch 1, to 0\.25\.$/);
  await untilText(page, page.locator('#status'), /lr 0\.25 ·/);
  assert.equal(await page.getByLabel('Learning rate', { exact: true }).inputValue(), '0.25');
  const link = new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));
  assert.deepEqual([link.get('lr'), link.get('e')], ['0.5', '1'], 'the starting rate and the epoch: opening it replays the halving');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a halving by the step decay says so, not the notebook’s rule', async () => {
  const { page, problems, context } = await open(browser, { hash: `${SMALL}&rule=stepDecay&halve=2` });
  await steps(page, 2);
  await untilText(page, page.locator('small.halved'), /^Halved by the step decay \(every 2 epochs\) at epoch 2, to 0\.0025\.$/);
  await untilText(page, page.locator('#status'), /lr 0\.0025 ·/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a starved learning rate is shown as it is and offered back', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  await steps(page, 1);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save model' }).click()]);
  const saved = JSON.parse(await (await import('node:fs/promises')).readFile(await download.path(), 'utf8'));
  saved.training.learningRate = 7.1e-17; // where the notebook's rule had taken one run
  await page.locator('#load-file').setInputFiles({ name: 'starved.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(saved)) });
  const lr = page.getByLabel('Learning rate', { exact: true });
  await until(page, async () => (await lr.inputValue()) === '7.1e-17', 'the rate in force in the field');
  await untilText(page, page.locator('#message'), /halved about 46 times, to 7\.1e-17: steps this small no longer move the loss/);
  await page.getByRole('button', { name: 'Restore the starting rate 0.005' }).click();
  await until(page, async () => (await lr.inputValue()) === '0.005', 'the starting rate back');
  await steps(page, 1);
  await untilText(page, page.locator('#status'), /lr 0\.005/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a halved rate is said once under the rate, in the page’s flow, and stays there; no message floats over the page', async () => {
  // a high rate on few sums: the notebook's rule halves it again and again, early in the run
  const { page, problems, context } = await open(browser, { hash: '#h=16&n=20&lr=0.05' });
  const note = page.locator('#setting-learningRate-halved');
  const message = page.locator('#message');
  // watch for any message while training: none may appear over the page
  await page.evaluate(() => {
    /** @type {any} */ (window).messagesSeen = [];
    const m = document.querySelector('#message');
    new MutationObserver(() => !m.hidden && /** @type {any} */ (window).messagesSeen.push(m.textContent)).observe(m, {
      attributes: true,
      childList: true,
      subtree: true,
    });
  });
  // epoch by epoch, so that the rate never halves far enough for the page to offer it back
  const halved = async () => Number(await page.locator('#loss-chart').getAttribute('data-halvings'));
  for (let i = 0; i < 200 && (await halved()) < 3; i++) await steps(page, 1);
  const halvings = Number(await page.locator('#loss-chart').getAttribute('data-halvings'));
  const field = page.getByLabel('Learning rate', { exact: true });
  const rate = await field.inputValue();
  await untilText(
    page,
    note,
    new RegExp(`^Halved ${halvings} times by the notebook’s rule \\(the loss rose\\), last at epoch \\d+, to ${rate.replace('.', '\\.')}\\.$`),
    'the note under the rate',
  );
  assert.ok(Number(rate) < 0.05 / 4, `the field shows the rate in force, ${rate}`);
  assert.deepEqual(await page.evaluate(() => /** @type {any} */ (window).messagesSeen), [], 'no message shown');
  assert.equal(await message.isHidden(), true);
  // in the flow of the settings, right under the rate's field, over nothing
  const boxes = await page.evaluate(() => {
    const note = document.querySelector('#setting-learningRate-halved');
    const r = note.getBoundingClientRect();
    const style = getComputedStyle(note);
    const field = note.closest('.field').getBoundingClientRect();
    const next = note.closest('.field').nextElementSibling.getBoundingClientRect();
    return { position: style.position, top: r.top, bottom: r.bottom, field: [field.top, field.bottom], next: next.top };
  });
  assert.equal(boxes.position, 'static');
  assert.ok(boxes.top >= boxes.field[0] && boxes.bottom <= boxes.field[1], 'inside the rate’s field');
  assert.ok(boxes.next >= boxes.bottom, 'the next setting below it, not under it');
  // it stays as the run goes on
  await steps(page, 2);
  await holds(page, async () => /^Halved/.test(await note.textContent()), 'the note stays', 1000);
  assert.deepEqual(problems, []);
  await context.close();
});
