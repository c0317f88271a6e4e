// The guided path ("Try this"), in Chromium: every step sets its state from one click and from
// its link (#try=N), says what it does, how long to wait and where to look, brings that panel
// into view and runs its experiment; Next walks the whole path from the keyboard with no CSP
// violation. The figures each step quotes are checked against real runs in tests/node/tour.mjs;
// here, what the page shows of them. (A reload during a step: tabs.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, until, untilAttribute, untilText, epoch, untilUrl } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** Whether the element `selector` shows at least partly in the window. */
const inView = (page, selector) =>
  page.evaluate((sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return Boolean(r && r.height > 0 && r.bottom > 0 && r.top < innerHeight);
  }, selector);

/** Whether the element `selector`'s top is on screen, in the upper half of the window. */
const onScreen = (page, selector) =>
  page.evaluate((sel) => {
    const r = document.querySelector(sel)?.getBoundingClientRect();
    return Boolean(r && r.top >= -1 && r.top < innerHeight / 2 && r.height > 0);
  }, selector);

test('each step of the path is one click that sets the state, says what to watch and is in the link', async () => {
  const { page, problems, context } = await open(browser);
  await until(page, async () => (await page.locator('#tour .tour-steps button').count()) === 8, 'eight steps');
  await page.locator('#tour button[data-step="3"]').click();
  await untilText(page, page.locator('#tour .tour-text'), /^3\. Truncation cuts it: BPTT truncation 2: /);
  await untilText(page, page.locator('#tour .tour-guide'), /^Wait: a few seconds, while the check runs\. Look at: the gradient check in “How it works”\.$/);
  await until(
    page,
    async () => /(^#|&)try=3(&|$)/.test(await page.evaluate(() => location.hash)) && /(^#|&)trunc=2(&|$)/.test(await page.evaluate(() => location.hash)),
    'the link holds the step and its setting',
  );
  await untilAttribute(page, page.locator('#tour button[data-step="3"]'), 'aria-pressed', 'true', 'step 3 pressed');
  // the panel, then its result once the check has run (the check brings its result into view)
  await until(
    page,
    async () => (await onScreen(page, '#gradient-check')) || (await inView(page, '#gradient-check .result')),
    'the gradient check brought into view',
  );
  // its action: the gradient check runs on the truncated model, and the rings stop at the cut
  await until(page, async () => (await page.locator('#network .strip-cell.flow-ring').count()) === 3, 'the error of step 13 cut after 2 steps');
  await untilText(page, page.locator('#gradient-check .result tbody'), /^U✗ failed[\s\S]*V✓ passed[\s\S]*W✗ failed/, 'U and W failing, V passing');
  // a setting changed by hand leaves the path
  await page.locator('#preset-switch button', { hasText: /^Carry/ }).click();
  await until(page, async () => (await page.locator('#tour').getAttribute('data-step')) === '0', 'no step chosen');
  // the link is written once the preset's model is made, which a busy machine does later
  await untilUrl(page, /try=/, 'no step in the link', false);
  assert.deepEqual(problems, []);
  await context.close();
});

test('step 4 from its link: the divergence is caught and undone, and the preset’s rate it offers trains', async () => {
  const { page, problems, context } = await open(browser, { hash: '#try=4' });
  await untilText(
    page,
    page.locator('#tour .tour-text'),
    /^4\. Too high a learning rate: Learning rate 100: .* offers the preset’s own rate, 0\.005, which trains, and a tenth, 10, which diverges here too \(so does 1\)\.$/,
  );
  await untilText(page, page.locator('#message'), /Epoch 1 diverged at learning rate 100: .*undone/, 'the divergence message', 60000);
  assert.equal(await epoch(page), 0, 'the diverged epoch was undone');
  await page.getByRole('button', { name: 'Use learning rate 0.005 (the Notebook preset’s)' }).click();
  await untilText(page, page.locator('#status'), /lr 0\.005 ·/, 'the rate in force in the status line');
  assert.equal(await page.getByLabel('Learning rate', { exact: true }).inputValue(), '0.005');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await until(page, async () => (await epoch(page)) >= 2, 'two epochs at the offered rate', 60000);
  assert.doesNotMatch((await page.locator('#message').textContent()) ?? '', /diverged/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('step 6 from its link gets every held-out sum and carry chain right; step 5 has 4 hidden units and stalls', async () => {
  const six = await open(browser, { hash: '#try=6' });
  await untilText(
    six.page,
    six.page.locator('#tour .tour-text'),
    /^6\. It adds: The carry preset reads digit i of a and of b together, least significant first/,
  );
  await untilText(six.page, six.page.locator('#tour .tour-guide'), /^Wait: about 10 epochs \(a few seconds\)\. Look at: the Accuracy chart\.$/);
  await until(
    six.page,
    async () =>
      (await six.page.locator('#accuracy-chart').getAttribute('data-last-test-exact')) === '1' &&
      (await six.page.locator('#accuracy-chart').getAttribute('data-last-chain-exact')) === '1',
    'every test sum and carry chain right',
    60000,
  );
  assert.deepEqual(six.problems, []);
  await six.context.close();
  const five = await open(browser, { hash: '#try=5' });
  await untilUrl(five.page, /[#&]h=4(&|$)/, 'H 4 in the link');
  await untilText(five.page, five.page.locator('#tour .tour-text'), /^5\. Too little memory: The carry preset with 4 hidden units instead of its 32/);
  await until(five.page, async () => (await epoch(five.page)) >= 20, 'training', 60000);
  assert.ok(Number(await five.page.locator('#accuracy-chart').getAttribute('data-last-test-exact')) < 0.35, 'the test sums well below 100 %');
  assert.deepEqual(five.problems, []);
  await five.context.close();
});

test('steps 1 and 2: the notebook trains toward a floor it cannot reach; the untrained flow is shown for the last step', async () => {
  const one = await open(browser, { hash: '#try=1' });
  await untilText(
    one.page,
    one.page.locator('#tour .tour-text'),
    /trains on 1,000 sums \(the notebook used 100\)\. .* The green line \(0\.2494\) is a floor, not a target/,
  );
  await until(one.page, async () => (await epoch(one.page)) >= 1, 'training', 60000);
  assert.deepEqual(one.problems, []);
  await one.context.close();
  const two = await open(browser, { hash: '#try=2' });
  await untilText(
    two.page,
    two.page.locator('#tour .tour-text'),
    /^2\. The gradient vanishes: Untrained weights: an error is on average about 340 times smaller 10 steps back/,
  );
  await until(two.page, async () => (await two.page.locator('#network').getAttribute('data-flow-step')) === '13', 'the last step selected');
  await untilText(two.page, two.page.locator('#flow-panel .flow-summary'), /times smaller 10 steps back/);
  assert.equal(await epoch(two.page), 0, 'nothing trained: the initial weights');
  assert.deepEqual(two.problems, []);
  await two.context.close();
});

test('Next walks the whole path from the keyboard, each step’s panel in view, with no CSP violation', async () => {
  const { page, problems, context } = await open(browser);
  const violations = [];
  page.on('console', (m) => /Content.Security.Policy|Refused to/i.test(m.text()) && violations.push(`console: ${m.text()}`));
  await page.exposeFunction('reportViolation', (v) => violations.push(`event: ${v}`));
  await page.evaluate(() =>
    document.addEventListener('securitypolicyviolation', (e) => /** @type {any} */ (window).reportViolation(`${e.violatedDirective} ${e.blockedURI}`)),
  );
  const panels = ['.panel.charts', '#flow-panel', '#gradient-check', '.toolbar', '.panel.charts', '.panel.charts', '#walk-panel', '.panel.charts'];
  const next = page.locator('#tour .tour-next');
  await page.locator('#tour button[data-step="1"]').click();
  for (let step = 1; step <= 8; step++) {
    await until(page, async () => (await page.locator('#tour').getAttribute('data-step')) === String(step), `step ${step}`);
    await untilText(page, page.locator('#tour .tour-text'), new RegExp(`^${step}\\. .+: (?!preparing)`), `step ${step}’s text, written from its model`);
    await untilText(page, page.locator('#tour .tour-guide'), /^Wait: .+\. Look at: .+\.$/, `step ${step}’s wait and where to look`);
    // step 3's check brings its own result into view once it has run
    await until(
      page,
      async () => (await onScreen(page, panels[step - 1])) || (step === 3 && (await inView(page, '#gradient-check .result'))),
      `step ${step}’s panel ${panels[step - 1]} in view`,
    );
    await untilUrl(page, new RegExp(`[#&]try=${step}(&|$)`), `step ${step} in the link`);
    if (step === 7) {
      // the step-through opens at its first step, at the step's truncation
      await untilText(page, page.locator('#walk-panel .walk-count'), /^step 1 of 67$/, 'step 7 opens the walk');
      await untilUrl(page, /[#&]walk=1(&|$)/, 'the walk in the link');
    }
    if (step === 8) break;
    await untilText(page, next, new RegExp(`^Next: ${step + 1}\\. `), `Next names step ${step + 1}`);
    await next.focus();
    await page.keyboard.press('Enter');
    // a trained model is thrown away only when the reader agrees, in the dialog
    const go = page.locator('#confirm-reset').getByRole('button', { name: `Go to step ${step + 1}` });
    await until(
      page,
      async () => (await page.locator('#tour').getAttribute('data-step')) === String(step + 1) || (await go.isVisible()),
      `step ${step + 1}, or the question before it`,
    );
    if (await go.isVisible()) await go.press('Enter');
  }
  await until(page, () => next.isHidden(), 'no Next after the last step');
  // the last step compares the Memory preset's vanilla cell with an LSTM, both training
  await untilText(page, page.locator('#status'), /A: Cell vanilla\b/, 'run A, the vanilla cell');
  await untilText(page, page.locator('#status-b'), /B: Cell lstm\b/, 'run B, the LSTM');
  await untilUrl(page, /[#&]b\.cell=lstm(&|$)/, 'run B’s cell in the link');
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a phone the chosen step is shown in the sideways strip of steps', async () => {
  const { page, problems, context } = await open(browser, { hash: '#try=5', width: 390, height: 844 });
  await untilText(page, page.locator('#tour .tour-text'), /^5\. Too little memory: The carry preset/);
  const inStrip = () =>
    page.evaluate(() => {
      const strip = document.querySelector('#tour .tour-steps').getBoundingClientRect();
      const chosen = document.querySelector('#tour button[aria-pressed="true"]').getBoundingClientRect();
      return chosen.left >= strip.left - 1 && chosen.right <= strip.right + 1;
    });
  await until(page, inStrip, 'step 5’s button within the strip');
  await page.locator('#tour .tour-next').click();
  await until(
    page,
    async () => (await page.locator('#tour').getAttribute('data-step')) === '6' || (await page.locator('#confirm-reset').isVisible()),
    'step 6 or its question',
  );
  if (await page.locator('#confirm-reset').isVisible()) await page.getByRole('button', { name: 'Go to step 6' }).click();
  await until(page, async () => (await page.locator('#tour').getAttribute('data-step')) === '6', 'step 6');
  await until(page, inStrip, 'step 6’s button within the strip');
  assert.deepEqual(problems, []);
  await context.close();
});

test('when a step brings a panel lower down into view, its Next follows in the corner of the window', async () => {
  const { page, problems, context } = await open(browser);
  const float = page.locator('#tour .tour-float');
  await page.locator('#tour button[data-step="2"]').click();
  await until(page, () => onScreen(page, '#flow-panel'), 'the flow panel brought into view');
  // the step's own text and Next are above the window now; the corner's copy is in it
  await until(
    page,
    async () =>
      (await float.isVisible()) &&
      (await float.evaluate((b) => {
        const r = b.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.height >= 24;
      })),
    'Next in the corner of the window',
  );
  assert.match((await float.textContent()) ?? '', /^Next: 3\. Truncation cuts it$/);
  assert.ok(!(await page.locator('#tour .tour-next').evaluate((b) => b.getBoundingClientRect().bottom > 0)), 'the step’s own Next is out of sight');
  await float.click();
  const go = page.locator('#confirm-reset').getByRole('button', { name: 'Go to step 3' });
  await until(page, async () => (await page.locator('#tour').getAttribute('data-step')) === '3' || (await go.isVisible()), 'step 3, or the question before it');
  if (await go.isVisible()) await go.click();
  await until(page, async () => (await page.locator('#tour').getAttribute('data-step')) === '3', 'step 3');
  // back at the top, the step's own Next is in sight and the corner's goes
  await page.evaluate(() => window.scrollTo(0, 0));
  await until(page, async () => !(await float.isVisible()), 'no copy while the step’s own Next shows');
  assert.deepEqual(problems, []);
  await context.close();
});
