// Step through BPTT (views/walk.js, app/walk.js): the notebook's forward pass and bptt loop walked
// by keyboard, forward and back, at truncation 2 and with none, each step's numbers checked
// against the notebook's own numpy code (tests/fixtures/golden_walk.json, written by
// golden_walk.py), the end against the core's bptt; the link's walk=, a step out of range, a sum
// that does not fit, a model not ready yet, and training going on while the walk is open.
// The core's side is tests/walk.rs and src/walk.rs; the facade's tests/wasm_api/walk.rs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BASE_URL, launch, open, epoch, until, untilText, untilAttribute, holds, limit } from './browser.mjs';

const golden = JSON.parse(readFileSync(new URL('../fixtures/golden_walk.json', import.meta.url), 'utf8'));
/** The page's way of writing a number (views/walk-notebook.js `fmt`): four significant digits. */
const fmt = (v) => (v === 0 ? '0' : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? String(Number(v.toPrecision(4))) : v.toExponential(3));
const literal = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

const panel = (page) => page.locator('#walk-panel');
const count = (page) => page.locator('#walk-panel .walk-count');
const words = (page) => page.locator('#walk-panel .walk-words');
const captions = (page) => page.locator('#walk-panel figcaption').allTextContents();
const currentLine = (page) => page.locator('#walk-panel [aria-current="step"]').getAttribute('data-key');

/** Waits for step `n` of `total` with its words. */
async function atStep(page, n, total, pattern) {
  await untilText(page, count(page), new RegExp(`^step ${n} of ${total}$`), `step ${n} of ${total}`);
  if (pattern) await untilText(page, words(page), pattern, `the words of step ${n}`);
  await until(page, async () => new URL(page.url()).hash.includes(`walk=${n}`), `walk=${n} in the link`);
}

/** Waits until the grids' captions give numpy's running norms for backward point `i`. */
async function normsAre(page, point) {
  const want = ['dU', 'dV', 'dW'].map((name, i) => new RegExp(`^${name} \\(\\d+×\\d+\\) ‖·‖ = ${literal(fmt(point.norms[i]))}$`));
  let seen;
  await until(
    page,
    async () => (seen = await captions(page)).length === 3 && seen.every((c, i) => want[i].test(c)),
    `running norms ${point.norms.map(fmt)} (seen ${seen})`,
  );
}

test('truncation 2: the walk by keyboard, forward and back, gives numpy’s numbers at every kind of step and ends at the core’s bptt', async () => {
  const walk = golden.walks['2'];
  const total = walk.forward.length + walk.backward.length;
  const { page, problems } = await open(browser, { hash: '#trunc=2&walk=1' });
  await atStep(page, 1, total, new RegExp(`^Forward, step t = 0 of 0 to 13: reads 9; .*E_0 = ${literal(fmt(walk.forward[0].loss))}\\.$`));
  assert.equal(await currentLine(page), 'forward-s', 's[t] = np.tanh(…) is the line executing');
  assert.match(
    await page.locator('#walk-panel .walk-about').textContent(),
    /^9401901 \+ 8908643, the weights of epoch 0, truncation 2: 14 forward steps, then 53 points of the loop\.$/,
  );
  // keys go to the walk once it has focus (it takes it when it opens)
  for (let t = 1; t <= 13; t++) await page.keyboard.press('ArrowRight');
  await atStep(page, 14, total, new RegExp(`^Forward, step t = 13 .*E_13 = ${literal(fmt(walk.forward[13].loss))}\\.$`));
  await page.keyboard.press('ArrowRight');
  const output = walk.backward[0];
  await atStep(page, 15, total, new RegExp(`^Backward, output t = 13: .*norm ${literal(fmt(output.delta_norm))}\\. Its window: steps 13 down to 11\\.$`));
  assert.equal(await currentLine(page), 'dV');
  await normsAre(page, output);
  const windowed = await page.locator('#walk-panel .walk-cell.window .walk-t').allTextContents();
  assert.deepEqual(windowed, ['11', '12', '13'], 'the truncation window on the unrolled steps');
  await page.keyboard.press(' '); // Space steps on, as → does
  await page.keyboard.press('ArrowRight');
  const inner = walk.backward[2];
  assert.deepEqual([inner.t, inner.step], [13, 12]);
  await atStep(
    page,
    17,
    total,
    new RegExp(`^Backward, output t = 13, step 12 \\(window 11 to 13\\): δ_12 = Wᵀ δ_13 .*norm ${literal(fmt(inner.delta_norm))};`),
  );
  assert.equal(await currentLine(page), 'dW');
  await normsAre(page, inner);
  assert.deepEqual(await page.locator('#walk-panel .walk-cell.current .walk-t').allTextContents(), ['12']);
  await page.keyboard.press('ArrowLeft');
  await atStep(page, 16, total, /^Backward, output t = 13, step 13 \(window 11 to 13\)/);
  await normsAre(page, walk.backward[1]);
  await page.keyboard.press('End');
  await atStep(page, total, total, /^Backward, output t = 0, step 0 \(window 0 to 0\)/);
  await normsAre(page, walk.backward.at(-1));
  await untilText(
    page,
    page.locator('#walk-panel .walk-agreement'),
    /the core’s bptt for this sum, bit for bit \(largest difference 0;/,
    'the end equals the core’s bptt',
  );
  assert.ok(await page.getByRole('button', { name: 'Next →' }).isDisabled(), 'Next stops at the last step');
  await page.keyboard.press('Escape');
  await until(page, async () => (await panel(page).isHidden()) && !new URL(page.url()).hash.includes('walk='), 'Esc closes the walk and the link forgets it');
  await until(page, () => page.evaluate(() => document.activeElement?.id === 'walk-open'), 'focus back on the button that opens the walk');
  assert.deepEqual(problems, []);
});

test('no truncation: the slider and the link scrub to any step, with numpy’s numbers, to the same end', async () => {
  const walk = golden.walks['13'];
  const total = walk.forward.length + walk.backward.length;
  assert.equal(total, 133);
  const { page, problems } = await open(browser, { hash: '#trunc=13&walk=1' });
  await atStep(page, 1, total, /^Forward, step t = 0/);
  const slider = page.getByRole('slider', { name: 'Step of the walk' });
  await slider.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight'); // the slider's own keys
  await atStep(page, 4, total, /^Forward, step t = 3 /);
  // a link moves an open walk: point 80 is output 8's window, numpy's norms there
  const i = 80 - walk.forward.length - 1;
  const point = walk.backward[i];
  await page.evaluate(() => {
    location.hash = '#trunc=13&walk=80';
  });
  const where = point.kind === 'output' ? `output t = ${point.t}:` : `output t = ${point.t}, step ${point.step} `;
  await atStep(page, 80, total, new RegExp(`^Backward, ${literal(where)}.*norm ${literal(fmt(point.delta_norm))}`));
  await normsAre(page, point);
  await page.getByRole('button', { name: 'Step through BPTT on this sum' }).focus();
  await panel(page).focus();
  await page.keyboard.press('End');
  await atStep(page, total, total, /^Backward, output t = 0, step 0 /);
  await normsAre(page, walk.backward.at(-1));
  await untilText(page, page.locator('#walk-panel .walk-agreement'), /bit for bit \(largest difference 0;/, 'the end equals the core’s bptt');
  await page.keyboard.press('ArrowLeft'); // and back: output 0's own point
  await atStep(page, total - 1, total, /^Backward, output t = 0: /);
  await normsAre(page, walk.backward.at(-2));
  assert.ok(await page.locator('#walk-panel .walk-agreement').isHidden(), 'the agreement is said at the end only');
  assert.deepEqual(problems, []);
});

test('a step past the end opens the last with a notice; a sum that does not fit says so and changes nothing', async () => {
  const { page, problems } = await open(browser, { hash: '#trunc=2&walk=999' });
  await atStep(page, 67, 67);
  await untilText(page, page.locator('#walk-panel .walk-notice'), /^Step 999 is past this walk’s last, 67: here is step 67\.$/, 'the notice');
  const first = page.getByRole('textbox', { name: 'First number' });
  await first.fill('123456789');
  await page.getByRole('button', { name: 'Step through BPTT on this sum' }).click();
  await untilText(
    page,
    page.locator('#walk-panel .walk-notice'),
    /^No walk: the first number: "123456789" has 9 digits; this model adds numbers of at most 7$/,
    'the core’s message for a sum that does not fit',
  );
  assert.ok(await count(page).isHidden(), 'nothing to step through');
  await first.fill('12');
  await page.getByRole('button', { name: 'Take again: the sum and weights now' }).click();
  await atStep(page, 1, 67, /^Forward, step t = 0 of 0 to 13: reads 0;/);
  assert.match(await page.locator('#walk-panel .walk-about').textContent(), /^12 \+ 8908643, the weights of epoch 0/);
  assert.equal(await epoch(page), 0, 'the model is untouched');
  assert.deepEqual(problems, []);
});

test('a walk linked before the model is ready waits for it, says so, then opens at its step', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // a large model: its starting loss takes a while after the page has opened the section
  await page.goto(new URL('#h=256&n=4000&trunc=2&walk=3', BASE_URL).href, { waitUntil: 'domcontentloaded' });
  await untilText(
    page,
    page.locator('#walk-panel .walk-notice'),
    /^The model is still being prepared: the walk opens when it is ready\.$/,
    'the waiting notice',
    10000,
  );
  await atStep(page, 3, 67, /^Forward, step t = 2 /);
  assert.ok(await page.locator('#walk-panel .walk-notice').isHidden(), 'the notice goes once the walk is open');
  assert.deepEqual(errors, []);
  await context.close();
});

test('training goes on while the walk is open; the walk keeps its weights until taken again', async () => {
  const { page, problems } = await open(browser, { hash: '#trunc=2&n=200&walk=20' });
  await atStep(page, 20, 67);
  const before = await words(page).textContent();
  await page.getByRole('button', { name: 'Train' }).click();
  await until(page, async () => (await epoch(page)) >= 2, 'two epochs trained with the walk open', 60000);
  await holds(
    page,
    async () => (await words(page).textContent()) === before && (await count(page).textContent()) === 'step 20 of 67',
    'the walk stays as it was',
    500,
  );
  await page.getByRole('button', { name: 'Pause' }).click();
  await untilAttribute(page, page.getByRole('button', { name: 'Train' }), 'aria-pressed', 'false', 'paused');
  const now = await epoch(page);
  await page.getByRole('button', { name: 'Take again: the sum and weights now' }).click();
  await untilText(
    page,
    page.locator('#walk-panel .walk-about'),
    new RegExp(`the weights of epoch ${now}, truncation 2`),
    `the walk at epoch ${now}`,
    limit(30000),
  );
  await atStep(page, 20, 67);
  await until(page, async () => (await words(page).textContent()) !== before, 'new weights, new numbers');
  assert.deepEqual(problems, []);
});
