// Accessibility, in both colour schemes: axe-core finds no serious or critical violation at
// desktop and phone size (with an error message shown), with a step of the guided path shown and
// with the homework's editor open, with parts of the page hidden by a link, with two runs
// compared, and every predicted-digit outline and
// target dot on the probability grid has at least 3:1 contrast with its cell (WCAG, non-text).
// (The Reset dialog's focus and keyboard: reset.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, open, epoch, points, until, untilAttribute, untilText, limit } from './browser.mjs';

const SMALL = '#h=16&n=100'; // epochs of milliseconds
/** axe-core from node_modules, served from the page's own origin (the CSP allows only 'self'). */
const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
/** The page without its service worker: axe is served by a route, which a service worker would bypass. */
const NO_SW = { serviceWorkers: 'block' };
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
    const { page, problems, context } = await open(browser, { ...NO_SW, colorScheme, hash: '#n=300' });
    // untrained (faint cells) and after a few epochs (some cells saturated)
    for (const epochs of [0, 3]) {
      if (epochs) {
        for (let e = 1; e <= epochs; e++) {
          await page.getByRole('button', { name: 'Step', exact: true }).click();
          await until(page, async () => (await epoch(page)) === e, `epoch ${e}`);
        }
      }
      let result;
      await until(
        page,
        async () => {
          const marks = await outputs(page);
          if (marks.length !== 14 || marks.some((m) => !m)) return false;
          await page.waitForTimeout(100); // the frame that drew them
          result = await markContrasts(page, marks);
          return result.marks.every((m) => m.ratio >= 3);
        },
        `every mark at 3:1 after ${epochs} epochs (last seen ${JSON.stringify(result?.marks.filter((m) => m.ratio < 3))})`,
      );
      if (colorScheme === 'dark') assert.ok(result.meanLuminance < 0.2, `the grid is dark in the dark scheme, mean luminance ${result.meanLuminance}`);
      else assert.ok(result.meanLuminance > 0.5, `the grid is light in the light scheme, mean luminance ${result.meanLuminance}`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

for (const colorScheme of ['light', 'dark']) {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ]) {
    test(`axe-core finds no serious or critical accessibility violation, ${colorScheme} scheme, ${width} × ${height}`, async () => {
      const { page, problems, context } = await open(browser, { ...NO_SW, colorScheme, width, height, hash: SMALL });
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await until(page, async () => (await epoch(page)) === 1, 'epoch 1');
      await page.getByRole('textbox', { name: 'First number' }).fill('12x'); // an error message shown too
      await untilAttribute(page, page.getByRole('textbox', { name: 'First number' }), 'aria-invalid', 'true');
      await noSeriousViolation(page);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
  // a step of the guided path shown (its text, its wait, Next) and the divergence it provokes, with its offers
  test(`axe-core finds no serious or critical accessibility violation with a step of the path shown, ${colorScheme} scheme`, async () => {
    const { page, problems, context } = await open(browser, { ...NO_SW, colorScheme, hash: '#try=4' });
    await page.locator('#tour .tour-next').waitFor();
    await page.getByRole('button', { name: /^Use learning rate 0\.005/ }).waitFor({ timeout: limit(60000) });
    await noSeriousViolation(page);
    assert.deepEqual(problems, []);
    await context.close();
  });
  // parts hidden by a link (hide=), one name unknown: the link's problems shown too
  test(`axe-core finds no serious or critical accessibility violation with parts of the page hidden, ${colorScheme} scheme`, async () => {
    const { page, problems, context } = await open(browser, { ...NO_SW, colorScheme, hash: `${SMALL}&hide=settings,flow,homework,sidebar` });
    await untilText(page, page.locator('#link-problems'), /“sidebar” is not a part/);
    await until(
      page,
      async () => (await page.locator('[data-part="settings"]').isHidden()) && (await points(page)) >= 1,
      'the settings hidden, the chart drawn',
    );
    await noSeriousViolation(page);
    assert.deepEqual(problems, []);
    await context.close();
  });
  // two runs compared (run B's status line, legend, prediction, heatmap and flow), at both sizes
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ]) {
    test(`axe-core finds no serious or critical accessibility violation with two runs compared, ${colorScheme} scheme, ${width} × ${height}`, async () => {
      const { page, problems, context } = await open(browser, { ...NO_SW, colorScheme, width, height, hash: `${SMALL}&trunc=2&b.trunc=20` });
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      await until(page, async () => (await page.locator('#status-b [data-epoch]').getAttribute('data-epoch')) === '1', 'run B at epoch 1');
      await until(page, async () => (await page.locator('#flow-panel .run-b').getAttribute('data-sigma')) !== null, 'run B’s flow drawn');
      await noSeriousViolation(page);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
  // the step-through of BPTT open at a backward step (its code, equation, numbers, grids), on a phone too
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ]) {
    test(`axe-core finds no serious or critical accessibility violation with the walk through BPTT open, ${colorScheme} scheme, ${width} × ${height}`, async () => {
      const { page, problems, context } = await open(browser, { ...NO_SW, colorScheme, width, height, hash: `${SMALL}&trunc=2&walk=20` });
      await untilText(page, page.locator('#walk-panel .walk-count'), /^step 20 of \d+$/);
      await until(page, async () => (await page.locator('#walk-panel figcaption').count()) === 3, 'the running gradients drawn');
      await noSeriousViolation(page);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
  // the Homework section open: the code editor (its highlighted comments, its scroll area) and a
  // check's result
  test(`axe-core finds no serious or critical accessibility violation with the homework open, ${colorScheme} scheme`, async () => {
    const { page, problems, context } = await open(browser, { ...NO_SW, colorScheme, hash: `${SMALL}&hw=1` });
    await untilAttribute(page, page.locator('#homework'), 'data-editor', 'ready', 'the editor loaded');
    await page.getByRole('button', { name: 'Check my gradients' }).click();
    await untilAttribute(page, page.getByRole('status', { name: 'homework result' }), 'data-outcome', 'failed');
    // the skeleton's comments are on screen, on the active line too
    await page.getByRole('textbox', { name: 'Your code' }).click();
    await noSeriousViolation(page);
    assert.deepEqual(problems, []);
    await context.close();
  });
}

/** Runs axe-core over the page (open shadow roots included) and asserts no serious or critical violation. */
async function noSeriousViolation(page) {
  // served at a path of the page's own origin, so the CSP (script-src 'self') lets it run
  await page.route('**/www/vendor/axe.min.js', (route) => route.fulfill({ body: AXE, contentType: 'text/javascript' }));
  await page.addScriptTag({ url: '/www/vendor/axe.min.js' });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 3).map((n) => `${JSON.stringify(n.target)}: ${n.failureSummary}`),
    }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], JSON.stringify(bad, null, 1));
  if (violations.length) console.log(`# minor: ${violations.map((v) => `${v.id} (${v.impact})`).join(', ')}`);
}
