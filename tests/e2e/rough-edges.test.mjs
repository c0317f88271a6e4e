// What a new user tripped over (issue 11, section 5), in real headless Chromium: the probability
// marks' contrast in both colour schemes, the views always showing the current model and saying
// which sum, the loss chart's marks and log scale, no layout shift while training, Reset asking
// first, the first screen at 1280 × 800, the phone layout, the heatmap's axes and an axe-core scan.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, open, epoch, points, until, untilAttribute, untilText, BASE_URL } from './browser.mjs';

const SMALL = '#h=16&n=100'; // epochs of milliseconds
/** axe-core from node_modules, served from the page's own origin (the CSP allows only 'self'). */
const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** The step buttons' read-outs: predicted and target digit of each step. */
async function outputs(page) {
  const labels = await page.locator('#network .step').evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label') ?? ''));
  return labels.map((l) => {
    const m = /predicted (\d), target (\d)/.exec(l);
    return m && { predicted: Number(m[1]), target: Number(m[2]) };
  });
}

/**
 * WCAG contrast of each predicted-digit outline and target dot against its cell, from the
 * probability canvas's pixels (the cells' geometry as views/probabilities.js draws them).
 */
async function markContrasts(page, marks) {
  return page.locator('#probabilities').evaluate((canvas, marks) => {
    const style = getComputedStyle(canvas);
    const row = parseFloat(style.getPropertyValue('--prob-row'));
    const gap = parseFloat(style.getPropertyValue('--step-gap'));
    const dpr = devicePixelRatio;
    const width = canvas.width / dpr;
    const colW = (width + gap) / marks.length;
    // read a copy, so the page's own canvas is never read back (Chromium warns when it is, often)
    const copy = Object.assign(document.createElement('canvas'), { width: canvas.width, height: canvas.height });
    const copyCtx = copy.getContext('2d', { willReadFrequently: true });
    copyCtx.drawImage(canvas, 0, 0);
    const all = copyCtx.getImageData(0, 0, canvas.width, canvas.height).data;
    const px = (x, y) => {
      const i = (Math.floor(y * dpr) * canvas.width + Math.floor(x * dpr)) * 4;
      return [all[i], all[i + 1], all[i + 2]];
    };
    const lum = (rgb) => {
      const [r, g, b] = rgb.map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a, b) => {
      const [hi, lo] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (hi + 0.05) / (lo + 0.05);
    };
    const out = [];
    marks.forEach(({ predicted, target }, t) => {
      const x = Math.round(t * colW);
      const w = Math.round((t + 1) * colW) - gap - x;
      const top = (d) => (9 - d) * row;
      // the outline's left edge, and the cell inside it (clear of the outline and the dot)
      out.push({ t, mark: 'outline', ratio: contrast(px(x + 0.5, top(predicted) + row / 2), px(x + 3.5, top(predicted) + 3.5)) });
      out.push({ t, mark: 'dot', ratio: contrast(px(x + w / 2, top(target) + (row - 1) / 2), px(x + 3.5, top(target) + 3.5)) });
    });
    // the mean luminance of the whole grid: near-white or not
    let sum = 0;
    for (let i = 0; i < all.length; i += 4) sum += lum([all[i], all[i + 1], all[i + 2]]);
    return { marks: out, meanLuminance: sum / (all.length / 4) };
  }, marks);
}

for (const colorScheme of ['light', 'dark']) {
  test(`${colorScheme} scheme: every predicted-digit outline and target dot has at least 3:1 contrast with its cell`, async () => {
    const { page, problems, context } = await open(browser, { colorScheme, hash: '#n=300' });
    // untrained (faint cells) and after a few epochs (some cells saturated)
    for (const epochs of [0, 3]) {
      if (epochs) {
        for (let e = 1; e <= epochs; e++) {
          await page.getByRole('button', { name: 'Step', exact: true }).click();
          await until(page, async () => (await epoch(page)) === e, `epoch ${e}`);
        }
      }
      let result;
      await until(page, async () => {
        const marks = await outputs(page);
        if (marks.length !== 14 || marks.some((m) => !m)) return false;
        await page.waitForTimeout(100); // the frame that drew them
        result = await markContrasts(page, marks);
        return result.marks.every((m) => m.ratio >= 3);
      }, `every mark at 3:1 after ${epochs} epochs (last seen ${JSON.stringify(result?.marks.filter((m) => m.ratio < 3))})`);
      if (colorScheme === 'dark') assert.ok(result.meanLuminance < 0.2, `the grid is dark in the dark scheme, mean luminance ${result.meanLuminance}`);
      else assert.ok(result.meanLuminance > 0.5, `the grid is light in the light scheme, mean luminance ${result.meanLuminance}`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('#d=3 shows the default sum cut to 3 digits, with a prediction in every view', async () => {
  const { page, problems, context } = await open(browser, { hash: '#d=3&h=16&n=100' });
  await until(page, async () => (await page.getByRole('textbox', { name: 'First number' }).inputValue()) === '940', 'the first number cut to 940');
  assert.equal(await page.getByRole('textbox', { name: 'Second number' }).inputValue(), '890');
  await untilText(page, page.locator('.true-digits'), /^001830$/, 'the true sum of 940 + 890');
  await until(page, async () => (await page.locator('#network .out').count()) === 6, 'six output steps');
  await untilText(page, page.locator('#network-h + .shown-sum'), /your sum, 940 \+ 890/);
  await untilText(page, page.locator('#heatmap-panel .readout'), /^6 steps × 16 units/);
  assert.equal(await page.getByRole('textbox', { name: 'First number' }).getAttribute('aria-invalid'), 'false');
  assert.deepEqual(problems, []);
  await context.close();
});

test('changing digits per number to 3 keeps the views on the current model, and says which sum they show', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  const first = page.getByRole('textbox', { name: 'First number' });
  await first.fill('1234567');
  await untilText(page, page.locator('.true-digits'), /^0*10143210$/);
  const digits = page.getByLabel('Digits per number', { exact: true });
  await digits.fill('3');
  await digits.press('Enter');
  await page.getByRole('button', { name: 'Reset with new settings' }).click();
  // the typed 7-digit number no longer fits: it stays, with its message, and the views show the default cut to 3 digits
  await untilText(page, page.locator('#first-number-error'), /At most 3 digits/);
  await until(page, async () => (await page.locator('#network .out').count()) === 6, 'the 3-digit model in the network view');
  await untilText(page, page.locator('#heatmap-panel .readout'), /^6 steps × 16 units/);
  for (const where of ['#network-h + .shown-sum', '#heatmap-h + .shown-sum']) {
    await untilText(page, page.locator(where), /does not fit this model \(at most 3 digits a number\)\. The views show 940 \+ 890\./, where);
    assert.ok(await page.locator(where).isVisible(), `${where} visible`);
  }
  // a valid sum is shown again; then an invalid edit keeps it, saying so
  await first.fill('12');
  await page.getByRole('textbox', { name: 'Second number' }).fill('34');
  await untilText(page, page.locator('#network-h + .shown-sum'), /your sum, 12 \+ 34/);
  await untilText(page, page.locator('.true-digits'), /^000046$/);
  await first.fill('1x');
  await untilText(page, page.locator('#network-h + .shown-sum'), /Your sum is not valid yet\. The views show 12 \+ 34\./);
  await untilText(page, page.locator('#heatmap-h + .shown-sum'), /not valid yet\. The views show 12 \+ 34\./);
  await until(page, async () => (await page.locator('.predicted-digits .d').count()) === 0, 'no prediction beside the invalid sum');
  // training goes on without putting the old sum's prediction beside the invalid one
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'epoch 1');
  await page.waitForTimeout(300);
  assert.equal(await page.locator('.predicted-digits .d').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Reset asks before throwing away a trained model, in an accessible dialog; an untrained one resets at once', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  const reset = page.getByRole('button', { name: 'Reset', exact: true });
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'epoch 1');
  await reset.click();
  const dialog = page.getByRole('dialog', { name: 'Throw the trained model away?' });
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /trained for 1 epoch\. Reset draws new weights/);
  await until(page, async () => page.evaluate(() => document.activeElement?.textContent === 'Keep the model'), 'focus on Keep the model');
  // Escape keeps the model
  await page.keyboard.press('Escape');
  await until(page, async () => !(await dialog.isVisible()), 'the dialog closed');
  await page.waitForTimeout(200);
  assert.equal(await epoch(page), 1, 'Escape kept the model');
  await until(page, async () => page.evaluate(() => document.activeElement?.id === 'reset'), 'focus back on Reset');
  // Keep the model keeps it
  await reset.click();
  await dialog.getByRole('button', { name: 'Keep the model' }).click();
  await until(page, async () => !(await dialog.isVisible()), 'the dialog closed');
  assert.equal(await epoch(page), 1, 'kept');
  // and the reset button resets
  await reset.click();
  await dialog.getByRole('button', { name: 'Reset to a new model' }).click();
  await until(page, async () => (await epoch(page)) === 0 && (await points(page)) === 1, 'a fresh model');
  // at epoch 0 there is nothing to lose: no question
  await reset.click();
  await page.waitForTimeout(300);
  assert.equal(await dialog.isVisible(), false, 'no dialog for an untrained model');
  assert.deepEqual(problems, []);
  await context.close();
});

for (const [name, width, height] of [['desktop', 1280, 800], ['phone', 390, 844]]) {
  test(`${name}: training, with the rate halved and its message shown, shifts the layout by less than 0.1 (CLS)`, async () => {
    const { page, problems, context } = await open(browser, { width, height });
    await until(page, async () => (await points(page)) === 1, 'the starting loss');
    await page.evaluate(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push({ value: e.value, sources: e.sources.map((s) => s.node?.id || s.node?.className || s.node?.nodeName) });
      }).observe({ type: 'layout-shift' });
    });
    const mainTop = () => page.evaluate(() => document.querySelector('main').getBoundingClientRect().top + scrollY);
    const top = await mainTop();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    // the notebook's rule halves the rate within a few epochs at its default settings
    await untilText(page, page.locator('#message'), /learning rate was halved/, 'the halving message', 90000);
    assert.equal(await mainTop(), top, 'the message pushed nothing down');
    await until(page, async () => (await epoch(page)) >= 12, 'training on past it', 90000);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const shifts = await page.evaluate(() => window.__shifts);
    const cls = shifts.reduce((s, e) => s + e.value, 0);
    console.log(`# ${name}: layout shift ${cls.toFixed(4)} while training`);
    assert.ok(cls < 0.1, `layout shift ${cls.toFixed(3)} while training: ${JSON.stringify(shifts)}`);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

/** Each selector's box, in viewport coordinates. */
async function boxes(page, selectors) {
  return page.evaluate((sels) => Object.fromEntries(sels.map((s) => {
    const r = document.querySelector(s).getBoundingClientRect();
    return [s, { left: r.left, top: r.top, right: r.right, bottom: r.bottom }];
  })), selectors);
}

for (const colorScheme of ['light', 'dark']) {
  test(`1280 × 800, ${colorScheme}: Train, the loss chart, the whole network and the sum's inputs are on the first screen, nothing clipped`, async () => {
    const { page, problems, context } = await open(browser, { colorScheme });
    await until(page, async () => (await page.locator('#network .strip').count()) === 14, 'the network drawn');
    const want = ['#train', '#loss-chart', '#network', '#first-number', '#second-number'];
    let seen;
    await until(page, async () => {
      seen = await boxes(page, want);
      return Object.values(seen).every((b) => b.left >= 0 && b.top >= 0 && b.right <= 1280 && b.bottom <= 800);
    }, `every box inside 1280 × 800 (last seen ${JSON.stringify(seen)})`);
    const clipped = await page.locator('.network .scroll').evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.equal(clipped, 0, `the network's box scrolls by ${clipped} px`);
    assert.equal(await page.locator('#network-scroll-hint').isVisible(), false, 'no scroll hint when everything fits');
    assert.deepEqual(problems, []);
    await context.close();
  });
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
  const overflowing = await page.locator('#network .out .want').evaluateAll((ws) => ws.filter((w) => {
    const cell = w.parentElement.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(w);
    const text = range.getBoundingClientRect();
    return text.left < cell.left + 1 || text.right > cell.right - 1;
  }).length);
  assert.equal(overflowing, 0, `${overflowing} "want" labels overflow their cells`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0, 'the page itself does not scroll sideways');
  assert.deepEqual(problems, []);
  await context.close();
});

test('on a touch screen, tapping the probability grid and the heatmap reads out their values', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, reducedMotion: 'reduce' });
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

test('the heatmap labels its rows with the steps and its columns with unit numbers, in the chosen order', async () => {
  const { page, problems, context } = await open(browser, { hash: SMALL });
  const rows = page.locator('#heatmap-panel .heatmap-steps span');
  await until(page, async () => (await rows.count()) === 14, '14 row labels');
  assert.deepEqual(await rows.allTextContents(), ['a₁', 'a₂', 'a₃', 'a₄', 'a₅', 'a₆', 'a₇', 'b₁', 'b₂', 'b₃', 'b₄', 'b₅', 'b₆', 'b₇']);
  // each label beside its row
  const canvas = await page.locator('#heatmap').boundingBox();
  const last = await rows.nth(13).boundingBox();
  assert.ok(Math.abs(last.y + last.height / 2 - (canvas.y + canvas.height * (13.5 / 14))) < 4, 'the last label beside the last row');
  const ticks = page.locator('#heatmap-panel .heatmap-units .ticks span');
  await until(page, async () => (await ticks.count()) >= 2, 'unit labels');
  const units = (await ticks.allTextContents()).map(Number);
  assert.equal(units[0], 0, 'unit 0 first in unit order');
  assert.ok(units.every((u, i) => u === i * units[1]), `evenly spaced unit numbers, got ${units}`);
  await untilText(page, page.locator('#heatmap-panel .axis-title'), /^hidden unit$/);
  await page.getByLabel('Unit order').selectOption('variance');
  await untilText(page, page.locator('#heatmap-panel .axis-title'), /most varying at the left/);
  assert.deepEqual(problems, []);
  await context.close();
});

for (const colorScheme of ['light', 'dark']) {
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    test(`axe-core finds no serious or critical accessibility violation, ${colorScheme} scheme, ${width} × ${height}`, async () => {
      const { page, problems, context } = await open(browser, { colorScheme, width, height, hash: SMALL });
      // served at a path of the page's own origin, so the CSP (script-src 'self') lets it run
      await page.route('**/www/vendor/axe.min.js', (route) => route.fulfill({ body: AXE, contentType: 'text/javascript' }));
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await until(page, async () => (await epoch(page)) === 1, 'epoch 1');
      await page.getByRole('textbox', { name: 'First number' }).fill('12x'); // an error message shown too
      await untilAttribute(page, page.getByRole('textbox', { name: 'First number' }), 'aria-invalid', 'true');
      await page.addScriptTag({ url: '/www/vendor/axe.min.js' });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`) }));
      });
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(bad, [], JSON.stringify(bad, null, 1));
      if (violations.length) console.log(`# minor: ${violations.map((v) => `${v.id} (${v.impact})`).join(', ')}`);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
}

test('the loss chart: many halvings are thinned ticks with one label, and a log scale spreads out 0.2-0.4', async () => {
  // a high rate on few sums: the notebook's rule halves it again and again, early in the run
  const { page, problems, context } = await open(browser, { hash: '#h=16&n=20&lr=0.05' });
  const chart = page.locator('#loss-chart');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await until(page, async () => Number(await chart.getAttribute('data-halvings')) >= 8 && (await epoch(page)) >= 300, 'eight halvings and 300 epochs', 60000);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Train', exact: true }).waitFor();
  const halvings = Number(await chart.getAttribute('data-halvings'));
  const plotWidth = await chart.locator('.u-over').evaluate((el) => el.clientWidth);
  await until(page, async () => Number(await chart.locator('.uplot').getAttribute('data-halving-ticks')) > 0, 'ticks drawn');
  const ticks = Number(await chart.locator('.uplot').getAttribute('data-halving-ticks'));
  assert.ok(ticks <= halvings && ticks <= plotWidth / 4 + 1, `${ticks} ticks for ${halvings} halvings on ${plotWidth}px: at least 4 px apart`);
  const linear = Number(await chart.getAttribute('data-band'));
  await page.getByLabel('log scale').check();
  await untilAttribute(page, chart, 'data-scale', 'log');
  await until(page, async () => Number(await chart.getAttribute('data-band')) >= 2 * linear, `0.2-0.4 at least twice as tall as on the linear scale (${linear}px)`);
  await page.getByLabel('log scale').uncheck();
  await untilAttribute(page, chart, 'data-scale', 'linear');
  await untilAttribute(page, chart, 'data-band', String(linear), 'the linear scale back');
  assert.deepEqual(problems, []);
  await context.close();
});

test('at the largest hidden size a refused 1024 says why, and 512 shows its progress from the start and across epochs', async () => {
  const { page, problems, context } = await open(browser, { hash: '#n=300' });
  const hidden = page.getByLabel('Hidden size H', { exact: true });
  await hidden.fill('1024');
  await hidden.press('Enter');
  await untilText(page, page.locator('#setting-hiddenDim-error'), /Hidden size H must be from 1 to 512/);
  await hidden.fill('512');
  await hidden.press('Enter');
  await page.getByRole('button', { name: 'Reset with new settings' }).click();
  const bar = page.locator('#epoch-progress');
  await untilText(page, bar, /Preparing the model: the starting loss \d+%/, 'the starting loss in progress');
  await page.getByRole('button', { name: 'Train', exact: true }).click({ timeout: 60000 });
  await untilText(page, bar, /This epoch \d+%/, 'the epoch in progress', 60000);
  // from the second epoch on the bar stays up: it never blinks off while the epochs are slow
  await until(page, async () => (await epoch(page)) >= 1, 'epoch 1', 90000);
  let hiddenSeen = 0;
  for (const started = Date.now(); Date.now() - started < 2500; await page.waitForTimeout(100)) if (!(await bar.isVisible())) hiddenSeen++;
  assert.equal(hiddenSeen, 0, 'the progress bar hid between slow epochs');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  assert.deepEqual(problems, []);
  await context.close();
});
