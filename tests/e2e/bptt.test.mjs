// The views of BPTT itself, in Chromium: the gradient-flow heatmap with its truncation cut, the
// error travelling back along the unrolled network, how it fades, W's largest singular value,
// and the weight heatmaps with their read-outs and linked hidden unit; their labels legible at
// both sizes (the flow map's step numbers apart, U's caption on two lines, V's rows 8 px or
// more). Golden figures are from the notebook's numpy code (tests/fixtures/golden_flow.py).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { launch, open, until, untilText, epoch, settle, pngStats } from './browser.mjs';

const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
let browser;
before(async () => {
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});
after(() => browser?.close());

/** The page drew the flow of its 14-step sum (at H 256: the starting loss first, ~2 s here). */
const flowDrawn = (page, timeout = 30000) =>
  until(page, async () => (await page.locator('#flow-panel').getAttribute('data-steps')) === '14', 'the gradient flow to be drawn', timeout);

/** The RGBA of gradient-flow heatmap cells (their centres), [t, k] each, read at once. */
const flowCells = (page, cells) =>
  page.evaluate((cells) => {
    const c = /** @type {HTMLCanvasElement} */ (document.querySelector('#flow-heatmap'));
    const cell = c.width / 14;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    return cells.map(([t, k]) => {
      const i = (Math.floor((t + 0.5) * cell) * c.width + Math.floor((k + 0.5) * cell)) * 4;
      return Array.from(data.slice(i, i + 4));
    });
  }, cells);

/** The point at the centre of cell (row, col) of a rows × cols canvas, for locator.click/hover. */
const at = async (locator, rows, cols, row, col) => {
  const box = await locator.boundingBox();
  return { position: { x: (box.width * (col + 0.5)) / cols, y: (box.height * (row + 0.5)) / rows } };
};

test('at the notebook’s initial weights the flow vanishes as numpy says, and is zero above the diagonal', async () => {
  const { page, problems, context } = await open(browser);
  await flowDrawn(page);
  // numpy: decay[0] / decay[10] = 0.546011 / 0.0015956 = 342.2 for 9401901 + 8908643; σ(W) = 1.10687
  await untilText(page, page.locator('#flow-panel .flow-summary'), /on average 3\.42×10² times smaller 10 steps back/);
  await until(page, async () => (await page.locator('#flow-panel').getAttribute('data-sigma')) === '1.1069', 'σ(W) of the initial weights');
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--grid').trim());
  const [above, direct, far] = await flowCells(page, [
    [0, 13],
    [13, 13],
    [13, 0],
  ]);
  // above the diagonal (zero: E_0 never reaches s_13) is the plain grid colour, not a size
  const hex = background.match(/^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i);
  assert.ok(hex, `--grid is a hex colour: ${background}`);
  assert.deepEqual(above, [...hex.slice(1).map((h) => parseInt(h, 16)), 255]);
  assert.notDeepEqual(direct.slice(0, 3), above.slice(0, 3));
  // larger is darker in the light scheme: the direct term outweighs 13 steps back
  const ink = ([r, g, b]) => 765 - r - g - b;
  assert.ok(ink(direct) > ink(far), `direct ${direct} vs 13 steps back ${far}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('selecting an output sends its error back along the network, and truncation cuts it', async () => {
  const { page, problems, context } = await open(browser, { hash: '#trunc=2', reducedMotion: 'no-preference' });
  await flowDrawn(page);
  await page.locator('#network button.step[data-step="13"]').click();
  await until(page, async () => (await page.locator('#network').getAttribute('data-flow-step')) === '13', 'the rings of step 13');
  await until(page, async () => (await page.locator('#network .strip-cell.flow-ring').count()) === 3, 'three strips reached (truncation 2)');
  assert.equal(await page.locator('#network .strip-cell.cut').count(), 11);
  assert.equal(await page.locator('#network .strip-cell.flow-ring.flowing').count(), 3, 'animated');
  assert.match(await page.locator('#network .strip-cell[data-step="11"]').getAttribute('title'), /‖∂E_13\/∂s_11‖ = .*2 steps back/);
  // a click on a row of the heatmap selects that step everywhere
  const map = page.locator('#flow-heatmap');
  await map.click(await at(map, 14, 14, 5, 2));
  await until(page, async () => (await page.locator('#network button.step[data-step="5"]').getAttribute('aria-pressed')) === 'true', 'step 5 selected');
  await until(page, async () => (await page.locator('#network').getAttribute('data-flow-step')) === '5', 'the rings of step 5');
  await map.hover(await at(map, 14, 14, 13, 0));
  await untilText(page, page.locator('#flow-panel .flow-readout'), /‖∂E_13\/∂s_0‖ = .*13 steps back at s_0\. BPTT with truncation 2 leaves this out\./);
  // the cut veils the cells beyond it: lighter than the same cell with nothing truncated
  const [veiled] = await flowCells(page, [[13, 0]]);
  const exact = await open(browser);
  await flowDrawn(exact.page);
  const [plain] = await flowCells(exact.page, [[13, 0]]);
  assert.ok(veiled[0] + veiled[1] + veiled[2] > plain[0] + plain[1] + plain[2], `${veiled} vs ${plain}`);
  await exact.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the weights are drawn with their sizes, read out on hover, follow training, and link a hidden unit', async () => {
  const { page, problems, context } = await open(browser, { hash: '#h=16&n=50' });
  const weights = page.locator('#weights-panel');
  await until(page, async () => (await weights.getAttribute('data-hidden')) === '16', 'the weights of H 16');
  assert.equal(
    await weights
      .locator('[data-matrix="U"] .size')
      .textContent()
      .then((t) => t.split(',')[0]),
    '16 × 10',
  );
  assert.equal(
    await weights
      .locator('[data-matrix="W"] .size')
      .textContent()
      .then((t) => t.split(',')[0]),
    '16 × 16',
  );
  assert.equal(
    await weights
      .locator('[data-matrix="V"] .size')
      .textContent()
      .then((t) => t.split(',')[0]),
    '10 × 16',
  );
  const wCanvas = weights.locator('[data-matrix="W"] canvas');
  await wCanvas.hover(await at(wCanvas, 16, 16, 7, 3));
  await untilText(page, weights.locator('.weights-readout'), /^W\[7, 3\] = -?\d\.\d{3}: unit 3's state at step t−1 into unit 7 at step t\.$/);
  await wCanvas.click(await at(wCanvas, 16, 16, 7, 3));
  const w = await wCanvas.boundingBox();
  await until(page, async () => (await weights.getAttribute('data-unit')) === '7', 'unit 7 selected');
  await untilText(page, weights.locator('.weights-unit'), /^Unit 7: row 7 of U/);
  const row = await weights.locator('[data-matrix="W"] .hl-row').boundingBox();
  assert.ok(Math.abs(row.y - (w.y + (w.height * 7) / 16)) < 3, `the highlighted row sits at unit 7: ${row.y} vs ${w.y + (w.height * 7) / 16}`);
  // a hidden-state heatmap column selects its unit too
  const hm = page.locator('#heatmap');
  await hm.click(await at(hm, 14, 16, 0, 2));
  await until(
    page,
    async () => /^\d+$/.test(await weights.getAttribute('data-unit')) && (await weights.getAttribute('data-unit')) !== '7',
    'the heatmap column’s unit selected',
  );
  // and so does a bar of a strip in the unrolled network: the units its bars show are in its title
  const strip = page.locator('#network canvas.strip').nth(4);
  const shown = (await strip.getAttribute('title'))
    .match(/units ([\d, ]+) \(/)[1]
    .split(', ')
    .map(Number);
  await strip.click(await at(strip, shown.length, 1, 2, 0));
  await until(page, async () => (await weights.getAttribute('data-unit')) === String(shown[2]), `unit ${shown[2]}, the strip's third bar, selected`);
  // training changes W, and σ(W) is plotted over the epochs
  const before = await page.locator('#flow-panel').getAttribute('data-sigma');
  const scale = await weights.locator('[data-matrix="W"] .size').textContent();
  await page.locator('#train').click();
  await until(page, async () => (await epoch(page)) >= 5, 'epoch 5', 60000);
  await page.locator('#train').click();
  await until(page, async () => (await page.locator('#flow-panel').getAttribute('data-sigma')) !== before, 'σ(W) to change');
  await until(page, async () => (await weights.locator('[data-matrix="W"] .size').textContent()) !== scale, 'W to change');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a large model’s flow waits for a pause, so training stays responsive', async () => {
  // H 256 on 50 sums: the starting loss (50 + 1000 held-out + 400 carry-chain sums) ~2 s here,
  // an epoch under a second; limits for a machine several times slower
  const { page, problems, context } = await open(browser, { hash: '#h=256&n=50', ready: 120000 });
  await flowDrawn(page, 120000);
  const summary = page.locator('#flow-panel .flow-summary');
  await untilText(page, summary, /times smaller 10 steps back/, 'the flow at the initial weights', 120000);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await untilText(page, summary, /drawn when training pauses/, 'the flow put off while training', 120000);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await untilText(page, summary, /times (smaller|larger) 10 steps back/, 'the flow drawn again once paused', 120000);
  assert.deepEqual(problems, []);
  await context.close();
});

test('screenshots of the BPTT panels, light and dark, show the drawn panels within the page', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, problems, context } = await open(browser, { colorScheme });
    await flowDrawn(page);
    await page.locator('#network button.step[data-step="13"]').click();
    await until(page, async () => (await page.locator('#network').getAttribute('data-flow-step')) === '13', 'the rings of step 13');
    await until(page, async () => (await page.locator('#weights-panel').getAttribute('data-hidden')) === '100', 'the weights of H 100');
    await settle(page);
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    for (const [panel, file] of [
      ['#flow-panel', 'flow'],
      ['#weights-panel', 'weights'],
    ]) {
      const locator = page.locator(panel);
      await locator.scrollIntoViewIfNeeded();
      assert.ok(await locator.isVisible(), `${panel} visible`);
      const box = await locator.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= width && box.height > 100, `${panel} within the page's ${width} px: ${JSON.stringify(box)}`);
      const path = `${SHOTS}${file}-${colorScheme}.png`;
      await locator.screenshot({ path });
      // the picture is the panel, drawn: its size, many colours (the heatmaps' scales), and a good
      // share of pixels off the background
      const shot = pngStats(readFileSync(path));
      assert.ok(
        Math.abs(shot.width - box.width) <= 2 && Math.abs(shot.height - box.height) <= 2,
        `${path}: ${shot.width} × ${shot.height} for a box of ${box.width} × ${box.height}`,
      );
      assert.ok(shot.colours >= 100 && shot.ink > 0.05, `${path}: ${shot.colours} colours, ${(100 * shot.ink).toFixed(1)}% off the background`);
    }
    assert.deepEqual(problems, [], colorScheme);
    await context.close();
  }
});

/** The boxes of the text of each element `selector` matches that has text (a Range's, not the element's). */
const textBoxes = (page, selector) =>
  page.locator(selector).evaluateAll((els) =>
    els
      .filter((e) => e.textContent.trim())
      .map((e) => {
        const range = document.createRange();
        range.selectNodeContents(e);
        const r = range.getBoundingClientRect();
        return { text: e.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }),
  );

for (const [name, width, height] of [
  ['desktop', 1280, 800],
  ['phone', 390, 844],
]) {
  test(`${name}: the flow map's step numbers never run together; U's caption is two lines; V's ten rows are at least 8 px each`, async () => {
    const { page, problems, context } = await open(browser, { width, height, hash: '#h=100&n=50' });
    await flowDrawn(page);
    // every pair of neighbouring labels that run together (closer than 2 px), under the columns and beside the rows
    const cols = await textBoxes(page, '#flow-panel .flow-cols span');
    const rows = await textBoxes(page, '#flow-panel .flow-rows span');
    const together = [
      ...cols.slice(1).flatMap((c, i) => (c.left < cols[i].right + 2 ? [`${cols[i].text}|${c.text}`] : [])),
      ...rows.slice(1).flatMap((r, i) => (r.top < rows[i].bottom - 0.5 ? [`${rows[i].text}/${r.text}`] : [])),
    ];
    assert.equal(rows.length, 14);
    const weights = page.locator('#weights-panel');
    await until(page, async () => (await weights.getAttribute('data-hidden')) === '100', 'the weights of H 100');
    // the caption's lines: its text's boxes, those that overlap vertically on one line
    const lines = await weights.locator('[data-matrix="U"] figcaption').evaluate((c) => {
      const range = document.createRange();
      range.selectNodeContents(c);
      const boxes = Array.from(range.getClientRects())
        .filter((r) => r.width > 0)
        .sort((a, b) => a.top - b.top);
      let [count, bottom] = [0, Number.NEGATIVE_INFINITY];
      for (const r of boxes) {
        if (r.top >= bottom - 1) count++;
        bottom = Math.max(bottom, r.bottom);
      }
      return count;
    });
    const v = await weights.locator('[data-matrix="V"] canvas').boundingBox();
    // the grid still fits its panel: nothing overflows sideways
    const overflow = await weights.evaluate((p) => p.scrollWidth - p.clientWidth);
    // every point at once, so that a failure names them all
    assert.deepEqual(
      { together, columnLabels: cols.map((c) => c.text), captionLines: lines, vTallEnough: v.height >= 80, overflow },
      { together: [], columnLabels: ['0', '2', '4', '6', '8', '10', '12'], captionLines: 2, vTallEnough: true, overflow: 0 },
      `U's caption: its size, then what it maps; V drawn ${v.height} px tall`,
    );
    assert.deepEqual(problems, []);
    await context.close();
  });
}
