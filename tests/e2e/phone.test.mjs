// On a phone (390 × 844): the loss chart right after the sum on the first screen, the network
// saying it scrolls sideways with "want" inside its cells, taps reading out the probability
// grid and the heatmap, the settings right after the network, targets of at least 24 px (the
// step buttons, the log-scale switch) and preset cards of one width. (Layout shift and
// screenshots at this size: layout.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, newContext, until, untilAttribute, untilText, BASE_URL } from './browser.mjs';

const SMALL = '#h=16&n=100';
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** Each selector's box, in viewport coordinates. */
async function boxes(page, selectors) {
  return page.evaluate(
    (sels) =>
      Object.fromEntries(
        sels.map((s) => {
          const r = document.querySelector(s).getBoundingClientRect();
          return [s, { left: r.left, top: r.top, right: r.right, bottom: r.bottom }];
        }),
      ),
    selectors,
  );
}

test('390 × 844: the loss chart comes right after the sum, on the first screen; the network says it scrolls sideways; "want" fits its cells', async () => {
  const { page, problems, context } = await open(browser, { width: 390, height: 844, hash: SMALL });
  await until(page, async () => (await page.locator('#network .out').count()) === 14, 'the network drawn');
  const { '#loss-chart': chart, '#train': train } = await boxes(page, ['#loss-chart', '#train']);
  assert.ok(chart.top < 844 && chart.top > train.bottom, `the loss chart starts at ${chart.top}px, on the first screen`);
  const scroller = page.locator('.network .scroll');
  const hint = page.locator('#network-scroll-hint');
  await until(page, () => hint.isVisible(), 'the scroll hint shown');
  assert.match(await hint.textContent(), /scroll sideways/);
  await untilAttribute(page, scroller, 'data-more', 'right', 'the right edge faded');
  await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await untilAttribute(page, scroller, 'data-more', 'left', 'at the end, the left edge faded');
  await untilText(page, hint, /Scroll back/);
  // every "want d" inside its output cell
  const overflowing = await page.locator('#network .out .want').evaluateAll(
    (ws) =>
      ws.filter((w) => {
        const cell = w.parentElement.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(w);
        const text = range.getBoundingClientRect();
        return text.left < cell.left + 1 || text.right > cell.right - 1;
      }).length,
  );
  assert.equal(overflowing, 0, `${overflowing} "want" labels overflow their cells`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'the page itself does not scroll sideways');
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a touch screen, tapping the probability grid and the heatmap reads out their values', async () => {
  const context = await newContext(browser, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(new URL(SMALL, BASE_URL).href);
  await page.waitForSelector('[data-epoch]');
  await until(page, async () => (await page.locator('#network .out').count()) === 14, 'the network drawn');
  const grid = page.locator('#probabilities');
  await grid.scrollIntoViewIfNeeded();
  const g = await grid.boundingBox();
  await page.touchscreen.tap(g.x + 20, g.y + 13 * 9 + 6);
  await untilText(page, page.locator('#probability-readout'), /^step 0, digit 0: \d+\.\d%/, 'the probability read-out after a tap');
  const heat = page.locator('#heatmap');
  await heat.scrollIntoViewIfNeeded();
  const h = await heat.boundingBox();
  await page.touchscreen.tap(h.x + 5, h.y + 5);
  await untilText(page, page.locator('#heatmap-panel .readout'), /step 0 \(a₁\), unit \d+: ■ -?\d\.\d{4}/, 'the heatmap read-out after a tap');
  assert.deepEqual(problems, []);
  await context.close();
});

test('390 × 844: the settings come right after the network, before the heatmap, not after the weights', async () => {
  const { page, problems, context } = await open(browser, { width: 390, height: 844, hash: SMALL });
  await until(page, async () => (await page.locator('#network .out').count()) === 14, 'the network drawn');
  const top = (sel) => page.evaluate((s) => document.querySelector(s).getBoundingClientRect().top + scrollY, sel);
  const bottom = (sel) => page.evaluate((s) => document.querySelector(s).getBoundingClientRect().bottom + scrollY, sel);
  const [settings, network, heatmap, weights] = [
    await top('.panel.settings'),
    await bottom('.panel.network'),
    await top('#heatmap-panel'),
    await top('#weights-panel'),
  ];
  assert.ok(settings > network && settings < heatmap, `the settings (${settings}px) between the network (ends ${network}px) and the heatmap (${heatmap}px)`);
  assert.ok(settings < weights, `the settings (${settings}px) before the weights (${weights}px)`);
  assert.ok(settings < 3200, `the settings ${settings}px down, not 4,800`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('390 × 844: the step buttons and the log-scale switch are targets of at least 24 × 24 px; the preset cards are one width', async () => {
  const { page, problems, context } = await open(browser, { width: 390, height: 844, hash: SMALL });
  await until(page, async () => (await page.locator('#network .step').count()) === 14, 'the step buttons');
  await until(page, async () => (await page.locator('#preset-switch button').count()) === 3, 'the presets');
  const sizes = await page.locator('#network .step, #loss-log').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { what: e.id || e.getAttribute('aria-label'), width: r.width, height: r.height };
    }),
  );
  assert.equal(sizes.length, 15);
  // every shortfall at once, so that a failure names them all
  const small = sizes.filter((s) => s.width < 24 || s.height < 24).map((s) => `${s.what}: ${s.width.toFixed(1)} × ${s.height.toFixed(1)} px`);
  const widths = await page.locator('#preset-switch button').evaluateAll((bs) => bs.map((b) => Math.round(b.getBoundingClientRect().width)));
  assert.deepEqual(
    { small, presetWidthsDiffer: widths.some((w) => w !== widths[0]) },
    { small: [], presetWidthsDiffer: false },
    `preset cards ${widths.join(', ')} px wide`,
  );
  assert.deepEqual(problems, []);
  await context.close();
});
