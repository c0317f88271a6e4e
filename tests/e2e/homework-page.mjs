// The Homework section's pieces shared by its e2e files: the small settings, the test's own
// correct bptt, the editor typed into, a check and its outcome waited for.

import assert from 'node:assert/strict';
import { open, until, untilText, untilAttribute } from './browser.mjs';
import { skeleton } from '../../www/homework/levels.js';

export const SMALL = '#h=8&n=40&d=3&trunc=2&lr=0.05';
// The notebook's answer in JavaScript (the test's own: the page never shows one), written against
// the contract: δ goes into each column of U that x[step] switched on, model.hot[step], so it is
// right in every layout. `extra` widens the truncation window, for the off-by-one version;
// `dU` replaces the dLdU line, for the notebook-only version.
export const HOT = 'for (const j of model.hot[step]) dLdU[i][j] += delta[i];';
export const solution = (extra = '', dU = HOT) => `function bptt(model, x, y) {
  const T = y.length;
  const [o, s] = model.forward(x);
  const H = model.W.length;
  const dLdU = model.U.map((r) => r.map(() => 0));
  const dLdV = model.V.map((r) => r.map(() => 0));
  const dLdW = model.W.map((r) => r.map(() => 0));
  const d = o.map((r) => r.slice());
  for (let t = 0; t < T; t++) d[t][y[t]] -= 1;
  for (let t = T - 1; t >= 0; t--) {
    for (let k = 0; k < d[t].length; k++) for (let j = 0; j < H; j++) dLdV[k][j] += d[t][k] * s[t][j];
    let delta = s[t].map((sj, j) => { let a = 0; for (let k = 0; k < d[t].length; k++) a += model.V[k][j] * d[t][k]; return a * (1 - sj * sj); });
    for (let step = t; step >= Math.max(0, t - model.bpttTruncate${extra}); step--) {
      const prev = s.at(step - 1);
      for (let i = 0; i < H; i++) { for (let j = 0; j < H; j++) dLdW[i][j] += delta[i] * prev[j]; ${dU} }
      delta = prev.map((p, j) => { let a = 0; for (let i = 0; i < H; i++) a += model.W[i][j] * delta[i]; return a * (1 - p * p); });
    }
  }
  return [dLdU, dLdV, dLdW];
}
`;

// Level 1's skeleton with its lines written in, in its own names: the page's starting code must
// lead to a right answer in every layout, its dLdU loop over model.hot included.
const FILLED = [
  'for (let k = 0; k < delta_o[t].length; k++) for (let j = 0; j < s[t].length; j++) dLdV[k][j] += delta_o[t][k] * s[t][j];',
  'let delta_t = s[t].map((sj, j) => { let a = 0; for (let k = 0; k < delta_o[t].length; k++) a += model.V[k][j] * delta_o[t][k]; return a * (1 - sj * sj); });',
  'for (let i = 0; i < delta_t.length; i++) for (let j = 0; j < delta_t.length; j++) dLdW[i][j] += delta_t[i] * s.at(bptt_step - 1)[j];',
  'for (let i = 0; i < delta_t.length; i++) dLdU[i][j] += delta_t[i];',
  'delta_t = s.at(bptt_step - 1).map((p, j) => { let a = 0; for (let i = 0; i < delta_t.length; i++) a += model.W[i][j] * delta_t[i]; return a * (1 - p * p); });',
];
export function levelOneFilled() {
  const lines = FILLED.slice();
  const code = skeleton(1)
    .split('\n')
    .map((l) => (/^\s*\/\/ (\.\.\.|let delta_t = \.\.\.)$/.test(l) ? l.replace(/\/\/.*/, lines.shift()) : l))
    .join('\n');
  assert.equal(lines.length, 0, 'level 1 has a place for each line written in');
  assert.match(code, /for \(const j of model\.hot\[bptt_step\]\) \{\n\s*for \(let i = 0; i < delta_t\.length; i\+\+\) dLdU\[i\]\[j\] \+= delta_t\[i\];/);
  return code;
}

export async function openHomework(browser, hash = `${SMALL}&hw=1`, options = {}) {
  const opened = await open(browser, { hash, ...options });
  await untilAttribute(opened.page, opened.page.locator('#homework'), 'data-editor', 'ready', 'the editor loaded');
  return opened;
}

/** Select all, then insert: replaces the editor's text. */
export async function typeCode(page, code) {
  const box = page.getByRole('textbox', { name: 'Your code' });
  await box.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(code);
  await until(page, async () => (await box.textContent()).replace(/\s/g, '') === code.replace(/\s/g, ''), 'the code in the editor');
}

export const result = (page) => page.getByRole('status', { name: 'homework result' });
export const check = (page) => page.getByRole('button', { name: 'Check my gradients' }).click();

/** Checks `code` and waits for the outcome (a name, or a pattern of names), then for its text
 * matching `pattern`. */
export async function checkCode(page, code, outcome, pattern) {
  await typeCode(page, code);
  await check(page);
  if (outcome instanceof RegExp) {
    let seen;
    await until(
      page,
      async () => outcome.test((seen = await result(page).getAttribute('data-outcome', { timeout: 1000 })) ?? ''),
      `an outcome matching ${outcome} (last seen ${seen})`,
    );
  } else {
    await untilAttribute(page, result(page), 'data-outcome', outcome);
  }
  await untilText(page, result(page), pattern);
  return result(page).textContent();
}

/** The page still works: Step trains an epoch. */
export async function stillWorks(page) {
  const status = page.locator('#status [data-epoch]');
  const before = Number(await status.getAttribute('data-epoch'));
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await until(page, async () => Number(await status.getAttribute('data-epoch')) === before + 1, 'an epoch after Step');
}
