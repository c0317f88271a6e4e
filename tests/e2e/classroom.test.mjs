// For the classroom (#26): a link that hides parts of the page (`#hide=settings,homework`), kept
// by the link, an unknown part named with the valid ones while the valid ones still apply, no
// hole in the grid at 1280 or 390 px, and the keyboard never in a hidden part; the charts'
// downloads, the real files read back: the CSV's rows are the page's evaluations, as recorded,
// and the PNG is the chart's canvas (its width, a band for the title and legend above, the
// theme's background, not blank), with no CSP violation. (The settings table: node/state.mjs;
// the link's other keys: links.test.mjs; the charts themselves: loss-chart.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, open, epoch, points, until, untilText, pngStats, untilUrl } from './browser.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

const PARTS = ['presets', 'try', 'settings', 'sum', 'network', 'charts', 'heatmap', 'flow', 'weights', 'how', 'homework'];

/** The parts shown and the parts hidden, by their `data-part`. */
async function shownParts(page) {
  return page.evaluate(() => [...document.querySelectorAll('[data-part]')].filter((el) => el.getClientRects().length > 0).map((el) => el.dataset.part));
}

/** The visible panels' boxes in the grid, in page order. */
async function panelBoxes(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('main.layout > *')]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => {
        const r = el.getBoundingClientRect();
        return { part: el.dataset.part, left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY };
      }),
  );
}

/** Tabs through the page from its top; the parts focus passes through, in order (up to `presses`). */
async function tabParts(page, presses) {
  await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  const parts = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    const part = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      // a focused element must be drawn: never inside a hidden part
      if (el.getClientRects().length === 0) return `invisible ${el.tagName}`;
      return el.closest('[data-part]')?.getAttribute('data-part') ?? 'page';
    });
    if (part && parts.at(-1) !== part) parts.push(part);
  }
  return parts;
}

test('#hide=settings,homework hides those two, keeps the rest and the link, leaves no hole, and Tab skips them', async () => {
  for (const width of [1280, 390]) {
    const { page, problems, context } = await open(browser, { hash: '#hide=settings,homework', width, height: 900 });
    await until(
      page,
      async () => (await shownParts(page)).join() === PARTS.filter((p) => p !== 'settings' && p !== 'homework').join(),
      'every part but the two shown',
    );
    await untilUrl(page, /[#&]hide=settings,homework(&|$)/, 'hide= kept in the address');
    assert.ok(await page.locator('#link-problems').isHidden(), 'a good link has no problems');
    // no hole: the panels that are left tile the grid, one gap (12 px) apart
    await until(
      page,
      async () => {
        const boxes = await panelBoxes(page);
        const main = await page.locator('main.layout').evaluate((el) => {
          const r = el.getBoundingClientRect();
          const s = getComputedStyle(el);
          return { left: r.left + parseFloat(s.paddingLeft), right: r.right - parseFloat(s.paddingRight) };
        });
        const byPart = Object.fromEntries(boxes.map((b) => [b.part, b]));
        if (width === 1280) {
          // the sum and the network take the settings' column; the charts keep theirs at the right
          return (
            Math.abs(byPart.sum.left - main.left) < 1 &&
            Math.abs(byPart.network.left - main.left) < 1 &&
            Math.abs(byPart.charts.right - main.right) < 1 &&
            Math.abs(byPart.charts.top - byPart.sum.top) < 1
          );
        }
        // one column (the grid's order, not the page's): each panel 12 px under the one above
        const column = boxes.sort((x, y) => x.top - y.top);
        return column.every((b, i) => i === 0 || Math.abs(b.top - column[i - 1].bottom - 12) < 1.5);
      },
      `no hole in the grid at ${width} px`,
    );
    // the keyboard goes from the top through the parts shown, never into a hidden one
    const visited = await tabParts(page, width === 1280 ? 70 : 60);
    assert.ok(!visited.some((p) => p === 'settings' || p === 'homework' || p.startsWith('invisible')), `focus went through ${visited.join(' → ')}`);
    for (const part of ['presets', 'try', 'sum', 'network', 'charts']) assert.ok(visited.includes(part), `focus reaches ${part}: ${visited.join(' → ')}`);
    await page.screenshot({ path: `tests/e2e/screenshots/classroom-hide-${width}.png`, fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('Copy link keeps hide=, and a link opened with it hides the same parts', async () => {
  const one = await open(browser, { hash: '#hide=weights,homework&h=16&n=100' });
  await one.page.getByRole('button', { name: 'Copy link' }).click();
  await untilText(one.page, one.page.locator('#message'), /Link copied|Copy this link/);
  await untilUrl(one.page, /[#&]hide=weights,homework(&|$)/, 'hide= in the copied link');
  const url = one.page.url();
  // the flow panel takes the weights' column: the whole row
  const [flow, heatmap] = await Promise.all(['#flow-panel', '#heatmap-panel'].map((s) => one.page.locator(s).boundingBox()));
  assert.ok(Math.abs(flow.width - heatmap.width) < 1, `the flow panel spans the row (${flow.width} px, the heatmap ${heatmap.width} px)`);
  assert.deepEqual(one.problems, []);
  await one.context.close();
  const two = await open(browser, { hash: new URL(url).hash });
  await until(two.page, async () => !(await shownParts(two.page)).some((p) => p === 'weights' || p === 'homework'), 'the same parts hidden');
  assert.equal((await shownParts(two.page)).length, PARTS.length - 2);
  assert.deepEqual(two.problems, []);
  await two.context.close();
});

test('an unknown part is named with the valid ones, and the valid names still apply', async () => {
  const { page, problems, context } = await open(browser, { hash: '#hide=settings,sidebar' });
  const notice = page.locator('#link-problems');
  await untilText(
    page,
    notice,
    /“sidebar” is not a part of the page that a link can hide; the parts are presets, try, settings, sum, network, charts, heatmap, flow, weights, how, homework/,
  );
  await until(page, async () => (await shownParts(page)).join() === PARTS.filter((p) => p !== 'settings').join(), 'settings hidden, every other part shown');
  // the link now holds only what was used
  await until(page, async () => new URL(page.url()).hash === '#hide=settings', 'the address keeps the valid name alone');
  assert.deepEqual(problems, []);
  await context.close();
});

/** Every CSP violation in `page`, from the console and from `securitypolicyviolation` events. */
async function watchCsp(page) {
  const violations = [];
  page.on('console', (m) => /Content.Security.Policy|Refused to/i.test(m.text()) && violations.push(`console: ${m.text()}`));
  await page.exposeFunction('reportViolation', (v) => violations.push(`event: ${v}`));
  await page.evaluate(() =>
    document.addEventListener('securitypolicyviolation', (e) => /** @type {any} */ (window).reportViolation(`${e.violatedDirective} ${e.blockedURI}`)),
  );
  return violations;
}

/** Clicks `button` and returns the file it downloads: its suggested name and its bytes. */
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

test('the CSV holds every evaluation as recorded, and the PNGs are the charts as drawn, with no CSP violation', async () => {
  const { page, problems, context } = await open(browser);
  const violations = await watchCsp(page);
  const step = page.getByRole('button', { name: 'Step', exact: true });
  for (const e of [1, 2, 3]) {
    await step.click();
    await until(page, async () => (await epoch(page)) === e, `epoch ${e}`, 60000);
  }
  await until(page, async () => (await points(page)) === 4, 'evaluations at epochs 0 to 3', 60000);
  const last = {
    loss: await page.locator('#loss-chart').getAttribute('data-last-loss'),
    test: await page.locator('#loss-chart').getAttribute('data-last-test-loss'),
  };

  const csvButton = page.getByRole('button', { name: 'Download every evaluation’s loss and accuracy as CSV' });
  await until(page, () => csvButton.isEnabled(), 'the CSV button enabled');
  const csv = await download(page, csvButton);
  assert.equal(csv.name, 'rnn-playground-loss-epoch-3.csv');
  const [header, ...rows] = csv.bytes.toString('utf8').trimEnd().split('\n');
  assert.equal(
    header,
    'epoch,examples seen,training loss (nats per digit),test loss (nats per digit),training digits right (fraction),training sums right (fraction),test digits right (fraction),test sums right (fraction),carry chains right (fraction),learning rate after,rate halved',
  );
  assert.equal(rows.length, 4, 'one row per evaluation the chart shows');
  const cells = rows.map((r) => r.split(','));
  assert.deepEqual(
    cells.map((c) => Number(c[0])),
    [0, 1, 2, 3],
  );
  // numpy's starting loss on the notebook's 1,000 samples, as the page shows it, written in full
  assert.equal(Number(cells[0][2]).toFixed(6), '2.306736');
  assert.equal(cells[0][2], '2.3067355311509568');
  const shown = Number(cells[3][2]).toFixed(4);
  await untilText(page, page.locator('#status'), new RegExp(`loss ${shown.replace('.', '\\.')}`), `the status line’s loss, ${shown}`);
  // the last row is the page's latest evaluation, to the last digit
  assert.equal(cells[3][2], last.loss);
  assert.equal(cells[3][3], last.test);
  for (const c of cells) for (const v of c.slice(4, 9)) assert.ok(Number(v) >= 0 && Number(v) <= 1, `an accuracy is a fraction: ${v}`);

  for (const [name, chart, file] of [
    ['Download the loss chart as PNG', '#loss-chart', 'rnn-playground-loss-epoch-3.png'],
    ['Download the accuracy chart as PNG', '#accuracy-chart', 'rnn-playground-accuracy-epoch-3.png'],
  ]) {
    const png = await download(page, page.getByRole('button', { name }));
    assert.equal(png.name, file);
    assert.equal(png.bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'the PNG signature');
    const canvas = await page.locator(`${chart} canvas`).evaluate((c) => ({ width: c.width, height: c.height }));
    const stats = pngStats(png.bytes);
    assert.equal(stats.width, canvas.width, 'as wide as the chart’s canvas');
    assert.ok(stats.height > canvas.height && stats.height < canvas.height + 100, `the canvas (${canvas.height} px) under a title band: ${stats.height} px`);
    assert.ok(stats.colours > 20 && stats.ink > 0.01, `drawn, not blank: ${stats.colours} colours, ${stats.ink} ink`);
  }
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('in the dark scheme at 390 px the PNG is on the dark panel colour, not transparent, and the buttons are reachable by keyboard', async () => {
  const { page, problems, context } = await open(browser, { width: 390, height: 844, colorScheme: 'dark' });
  const violations = await watchCsp(page);
  await until(page, async () => (await points(page)) === 1, 'the starting loss plotted');
  const button = page.getByRole('button', { name: 'Download the loss chart as PNG' });
  await until(page, () => button.isEnabled(), 'the PNG button enabled');
  // from the log-scale switch, Tab reaches PNG, then CSV
  await page.locator('#loss-log').focus();
  await page.keyboard.press('Tab');
  await until(page, () => button.evaluate((b) => b === document.activeElement), 'PNG focused after the log-scale switch');
  const [file] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const bytes = await readFile(await file.path());
  // the corners' pixels, decoded by the browser itself: opaque, the dark panel's #171d24
  const corners = await page.evaluate(async (base64) => {
    const blob = new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/png' });
    const image = await createImageBitmap(blob);
    const canvas = new OffscreenCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(image, 0, 0);
    return [
      [0, 0],
      [image.width - 1, image.height - 1],
    ].map(([x, y]) => [...ctx.getImageData(x, y, 1, 1).data]);
  }, bytes.toString('base64'));
  assert.deepEqual(corners, [
    [0x17, 0x1d, 0x24, 255],
    [0x17, 0x1d, 0x24, 255],
  ]);
  await page.keyboard.press('Tab');
  await until(page, async () => (await page.evaluate(() => document.activeElement?.textContent)) === 'CSV', 'CSV focused after PNG');
  await page.locator('.panel.charts').screenshot({ path: 'tests/e2e/screenshots/classroom-charts-390-dark.png' });
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});
