// Homework's explain mode: the student's bptt on a tiny case (T 3, H 4), one output at a time,
// beside the notebook's loop as the core runs it; the first δ that differs is marked and the line
// of the loop it comes from is named. (The numbers: src/homework/explain.rs's tests.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, until, untilAttribute, untilText } from './browser.mjs';
import { openHomework, typeCode, result, solution } from './homework-page.mjs';
import { skeleton } from '../../www/homework/levels.js';

let browser;

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

const explainButton = (page) => page.getByRole('button', { name: 'Explain on a tiny case' });

/** Explains `code` and waits for the outcome and the hint. */
async function explainCode(page, code, outcome, hint) {
  await typeCode(page, code);
  await explainButton(page).click();
  await untilAttribute(page, result(page), 'data-outcome', outcome);
  await untilText(page, result(page).locator('.hw-hint'), hint);
}

/** The walk's rows as "output:kind:step:ok". */
const rows = (page) =>
  page
    .locator('.hw-walk tbody tr')
    .evaluateAll((trs) => trs.map((tr) => `${tr.dataset.output}:${tr.dataset.kind}:${tr.dataset.step ?? '-'}:${tr.classList.contains('ok')}`));

test('a correct bptt agrees with the loop at every step, in both layouts', async () => {
  for (const hash of ['#h=8&n=40&d=3&trunc=2&hw=1', '#preset=carry&h=8&n=40&d=3&trunc=2&hw=1']) {
    const { page, problems, context } = await openHomework(browser, hash);
    await explainCode(page, solution(), 'passed', /^Every δ, and dLdV and dLdW of every output, agree with the notebook’s loop\.$/);
    assert.deepEqual(await rows(page), [
      '2:dV:-:true',
      '2:delta:2:true',
      '2:delta:1:true',
      '2:delta:0:true',
      '2:dW:-:true',
      '1:dV:-:true',
      '1:delta:1:true',
      '1:delta:0:true',
      '1:dW:-:true',
      '0:dV:-:true',
      '0:delta:0:true',
      '0:dW:-:true',
    ]);
    await untilText(page, result(page), /A tiny case: x = \[(3, 7, 1|35, 72, 18)\], y = \[4, 9, 0\], T 3, H 4, truncation 2/);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('the first δ that differs is marked, and the line of the loop it comes from named', async () => {
  const { page, problems, context } = await openHomework(browser, '#h=8&n=40&d=3&trunc=1&hw=1');
  // the step back through tanh without the square: output 2's δ at step 2 is right, at step 1 not
  const noSquare = solution().replace('return a * (1 - p * p);', 'return a * (1 - p);');
  assert.notEqual(noSquare, solution());
  await explainCode(page, noSquare, 'failed', /^Output t = 2, δ at step 1: the δ at step 2 was right, so the step back is wrong\./);
  assert.deepEqual((await rows(page)).slice(0, 3), ['2:dV:-:true', '2:delta:2:true', '2:delta:1:false']);
  assert.equal(await page.locator('.hw-walk tr[aria-current="true"]').getAttribute('data-step'), '1');
  // one step too far: output 2 reaches step 0, outside truncation 1
  await explainCode(page, solution(' - 1'), 'failed', /^Output t = 2 put a δ into step 0, beyond the truncation: with bpttTruncate 1 .* = 1 only\./);
  // one step short: output 2 stops at its own step
  await explainCode(
    page,
    solution(' + 1'),
    'failed',
    /^Output t = 2, δ at step 1: nothing was added, though the steps before it were right\. The inner loop stops too early: .* = 1\.$/,
  );
  // the untouched skeleton: nothing written yet, dLdV of the last output first
  await explainCode(page, skeleton(1), 'failed', /^Output t = 2, dLdV: /);
  // code that computes its own forward pass cannot be read one output at a time: it says so
  await explainCode(page, 'function bptt(model, x, y) {\n  return [model.U, model.V, model.W];\n}\n', 'error', /did not call model\.forward/).catch(
    async () => {
      await untilText(page, result(page), /did not call model\.forward/);
    },
  );
  await until(page, async () => !(await explainButton(page).isDisabled()), 'the button back');
  assert.deepEqual(problems, []);
  await context.close();
});
