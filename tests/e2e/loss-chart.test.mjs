// The loss chart: many halvings of the learning rate are thinned ticks, and a log scale spreads
// out the low losses; the test digits by place have a % scale. (Its first point, the notebook's starting loss: notebook.test.mjs; the
// held-out curves: presets.test.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, epoch, until, untilAttribute } from './browser.mjs';

let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

test('the loss chart: many halvings are thinned ticks with one label, and a log scale spreads out 0.2-0.4', async () => {
  // a high rate on few sums: the notebook's rule halves it again and again, early in the run
  const { page, problems, context } = await open(browser, { hash: '#h=16&n=20&lr=0.05' });
  const chart = page.locator('#loss-chart');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  // 300 epochs of 20 sums at H 16: a few seconds here
  await until(page, async () => Number(await chart.getAttribute('data-halvings')) >= 8 && (await epoch(page)) >= 300, 'eight halvings and 300 epochs', 120000);
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
  await until(
    page,
    async () => Number(await chart.getAttribute('data-band')) >= 2 * linear,
    `0.2-0.4 at least twice as tall as on the linear scale (${linear}px)`,
  );
  await page.getByLabel('log scale').uncheck();
  await untilAttribute(page, chart, 'data-scale', 'linear');
  await untilAttribute(page, chart, 'data-band', String(linear), 'the linear scale back');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the test digits by place have a scale: 0 %, 50 % and 100 % beside the heights the bars draw them at', async () => {
  const { page, problems, context } = await open(browser, { hash: '#h=16&n=100' });
  const places = page.locator('#by-place .place');
  await until(page, async () => (await places.count()) === 14, 'a bar per place of the sum');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => (await epoch(page)) === 1, 'epoch 1');
  const axis = page.locator('#by-place .axis span');
  assert.deepEqual(await axis.allTextContents(), ['100%', '50%', '0%']);
  // the bar scale: a bar of value v is v × 100 % tall, its foot at 0 %
  const measured = await page.locator('#by-place').evaluate((el) => {
    const centre = (e) => {
      const r = e.getBoundingClientRect();
      return (r.top + r.bottom) / 2;
    };
    const [top, mid, zero] = Array.from(el.querySelectorAll('.axis span'), centre);
    const bars = Array.from(el.querySelectorAll('.fill'), (f) => ({ value: Number(f.style.getPropertyValue('--value')), box: f.getBoundingClientRect() }));
    return { top, mid, zero, bars: bars.map((b) => ({ value: b.value, top: b.box.top, bottom: b.box.bottom })) };
  });
  for (const b of measured.bars) {
    assert.ok(Math.abs(b.bottom - measured.zero) <= 1.5, `a bar's foot at ${b.bottom}, 0 % at ${measured.zero}`);
    const at = measured.zero - b.value * (measured.zero - measured.top);
    assert.ok(Math.abs(b.top - at) <= 1.5, `a bar of ${b.value} reaches ${b.top}, the scale puts it at ${at}`);
  }
  assert.ok(Math.abs(measured.mid - (measured.top + measured.zero) / 2) <= 1, '50 % halfway');
  assert.ok(measured.zero - measured.top >= 40, `100 % is ${measured.zero - measured.top} px above 0 %`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('390 × 844: the places of the sum under the bars are named without running together', async () => {
  const { page, problems, context } = await open(browser, { width: 390, height: 844, hash: '#h=16&n=100' });
  await until(page, async () => (await page.locator('#by-place .place').count()) === 14, 'a bar per place of the sum');
  const names = await page.locator('#by-place .place small').evaluateAll((smalls) =>
    smalls
      .filter((s) => s.textContent)
      .map((s) => {
        const range = document.createRange();
        range.selectNodeContents(s);
        const r = range.getBoundingClientRect();
        return { text: s.textContent, left: r.left, right: r.right };
      }),
  );
  const together = names.slice(1).flatMap((n, i) => (n.left < names[i].right + 4 ? [`${names[i].text}|${n.text}`] : []));
  assert.deepEqual(together, [], 'names running together');
  assert.ok(names.length >= 7, `${names.length} places named`);
  assert.equal(names.at(-1).text, '10⁰', 'the units named');
  assert.deepEqual(problems, []);
  await context.close();
});
