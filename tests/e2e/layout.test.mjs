// The page's layout at 1280 × 800 and 390 × 844: the first screen holds Train, the loss chart, the
// whole network and the sum's inputs; nothing shifts while training (CLS) nor when the status line
// fills in; screenshots in both schemes show the panels, with no horizontal scrolling.
// (Phone-only behaviour: phone.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { launch, open, epoch, points, until, untilText, settle, pngStats, BASE_URL } from './browser.mjs';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
let browser;

before(async () => {
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
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

/** Until what the page fills in as it starts is on screen: the starting loss, the presets and the path's steps. */
async function started(page) {
  await until(page, async () => (await points(page)) === 1, 'the starting loss');
  await until(
    page,
    async () => (await page.locator('#preset-switch button').count()) >= 2 && (await page.locator('#tour .tour-steps button').count()) === 8,
    'the presets and the path',
  );
  await settle(page);
}

for (const [name, width, height] of [
  ['desktop', 1280, 800],
  ['phone', 390, 844],
]) {
  test(`${name}: training, with the rate halved and said under the rate, shifts the layout by less than 0.1 (CLS)`, async () => {
    const { page, problems, context } = await open(browser, { width, height });
    // shifts while the page starts are not training's (see the status line test below)
    await started(page);
    await page.evaluate(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries())
          if (!e.hadRecentInput) window.__shifts.push({ value: e.value, sources: e.sources.map((s) => s.node?.id || s.node?.className || s.node?.nodeName) });
      }).observe({ type: 'layout-shift' });
    });
    const mainTop = () => page.evaluate(() => document.querySelector('main').getBoundingClientRect().top + scrollY);
    const top = await mainTop();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    // the notebook's rule halves the rate within a few epochs at its default settings (H 100,
    // 1000 sums: an epoch of ~0.5 s here, several seconds on a slow machine)
    await untilText(page, page.locator('#setting-learningRate-halved'), /^Halved/, 'the halving said under the rate', 240000);
    assert.equal(await mainTop(), top, 'the note pushed nothing down');
    await until(page, async () => (await epoch(page)) >= 12, 'training on past it', 300000);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await settle(page);
    const shifts = await page.evaluate(() => window.__shifts);
    const cls = shifts.reduce((s, e) => s + e.value, 0);
    console.log(`# ${name}: layout shift ${cls.toFixed(4)} while training${cls ? `: ${JSON.stringify(shifts)}` : ''}`);
    assert.ok(cls < 0.1, `layout shift ${cls.toFixed(3)} while training: ${JSON.stringify(shifts)}`);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('the status line keeps its height as "loading the model…" becomes the report: nothing below it moves', async () => {
  // what the page shows before the worker answers, as served
  const loading = /<p id="status"[^>]*>([^<]*)<\/p>/.exec(await (await fetch(BASE_URL)).text())?.[1];
  assert.ok(loading, 'index.html has a status line with its text');
  for (const [width, height] of [
    [1280, 800],
    [1000, 800],
    [390, 844],
  ]) {
    const { page, problems, context } = await open(browser, { width, height });
    await started(page);
    const measure = () =>
      page.evaluate(() => ({
        status: document.querySelector('#status').getBoundingClientRect().height,
        main: document.querySelector('main').getBoundingClientRect().top,
      }));
    const report = await measure();
    const html = await page.locator('#status').innerHTML();
    // the same element with the text it starts with, then the report back
    await page.locator('#status').evaluate((el, text) => (el.textContent = text), loading);
    const before = await measure();
    await page.locator('#status').evaluate((el, html) => (el.innerHTML = html), html);
    assert.deepEqual(before, report, `${width} × ${height}: "${loading}" and the report take the same room`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

for (const colorScheme of ['light', 'dark']) {
  test(`1280 × 800, ${colorScheme}: Train, the loss chart, the whole network and the sum's inputs are on the first screen, nothing clipped`, async () => {
    const { page, problems, context } = await open(browser, { colorScheme });
    await until(page, async () => (await page.locator('#network .strip').count()) === 14, 'the network drawn');
    const want = ['#train', '#loss-chart', '#network', '#first-number', '#second-number'];
    let seen;
    await until(
      page,
      async () => {
        seen = await boxes(page, want);
        return Object.values(seen).every((b) => b.left >= 0 && b.top >= 0 && b.right <= 1280 && b.bottom <= 800);
      },
      `every box inside 1280 × 800 (last seen ${JSON.stringify(seen)})`,
    );
    const clipped = await page.locator('.network .scroll').evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.equal(clipped, 0, `the network's box scrolls by ${clipped} px`);
    assert.equal(await page.locator('#network-scroll-hint').isVisible(), false, 'no scroll hint when everything fits');
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('screenshots at desktop and phone size, light and dark, show the panels, with no horizontal scrolling', async () => {
  // the network's own box scrolls sideways on a phone: its scroller is what must fit
  const panels = ['#train', '#status', '#loss-chart', '.network .scroll', '#first-number', '#heatmap'];
  for (const [name, width, height, colorScheme] of [
    ['desktop', 1280, 800, 'light'],
    ['phone', 390, 844, 'light'],
    ['desktop-dark', 1280, 800, 'dark'],
    ['phone-dark', 390, 844, 'dark'],
  ]) {
    const { page, problems, context } = await open(browser, { width, height, colorScheme, hash: '#n=300' });
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    await until(page, async () => (await epoch(page)) >= 3, 'three epochs', 60000);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
    await until(page, async () => (await page.locator('#network .strip').count()) === 14, 'the network drawn');
    await settle(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `${name}: the page scrolls sideways by ${overflow}px`);
    // every key panel is there, drawn, and as wide as the page at most
    for (const sel of panels) {
      assert.ok(await page.locator(sel).isVisible(), `${name}: ${sel} visible`);
      const b = (await boxes(page, [sel]))[sel];
      assert.ok(b.left >= 0 && b.right <= width && b.bottom > b.top, `${name}: ${sel} within the ${width} px width: ${JSON.stringify(b)}`);
    }
    if (width > 900) {
      // the settings scroll in their own panel, a screen tall at most: the hidden state follows the
      // network and the charts, with no empty column beside thirty settings pushing it down
      const b = await boxes(page, ['.settings', '.network', '.charts', '#heatmap-panel']);
      assert.ok(b['.settings'].bottom - b['.settings'].top <= height, `${name}: the settings panel ${JSON.stringify(b['.settings'])}`);
      const above = Math.max(b['.network'].bottom, b['.charts'].bottom, b['.settings'].bottom);
      assert.ok(b['#heatmap-panel'].top - above < 40, `${name}: the hidden state starts ${b['#heatmap-panel'].top - above} px below the panels above it`);
    }
    await page.screenshot({ path: `${SHOTS}${name}.png` });
    await page.screenshot({ path: `${SHOTS}${name}-full.png`, fullPage: true });
    // the pictures show a page, not a blank: many colours, a good share of pixels off the background
    const shot = pngStats(readFileSync(`${SHOTS}${name}.png`));
    const full = pngStats(readFileSync(`${SHOTS}${name}-full.png`));
    assert.deepEqual([shot.width, shot.height], [width, height], `${name}: the viewport's size`);
    assert.ok(full.width === width && full.height > height, `${name}: the full page is ${full.width} × ${full.height}`);
    for (const [which, s] of [
      ['viewport', shot],
      ['full page', full],
    ]) {
      assert.ok(s.colours >= 100 && s.ink > 0.05, `${name} ${which}: ${s.colours} colours, ${(100 * s.ink).toFixed(1)}% off the background`);
    }
    assert.deepEqual(problems, [], name);
    await context.close();
  }
});
