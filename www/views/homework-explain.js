// @ts-check
// The Homework section's "Explain on a tiny case": runs the student's bptt on the core's tiny case
// once per output (../homework/tiny-case.js says how the δs are read) and draws the walk: for each
// output, from the last, its dLdV, its δ at each step and its dLdW, the student's beside the
// loop's, with the first that differs marked and what that line of the loop does.

import { Command } from '../protocol.js';
import { readGradients, relativeError, THRESHOLD } from '../homework/compare.js';
import { explain } from '../homework/student.js';
import { walk, firstMistake } from '../homework/tiny-case.js';
import { el } from '../dom.js';

/** @typedef {import('../homework/tiny-case.js').Explanation} Explanation */
/** @typedef {import('../homework/tiny-case.js').Row} Row */

/** An outcome that explains nothing, with why. @param {string} why */
const failure = (why) => ({ outcome: /** @type {const} */ ('error'), nodes: [el('p', 'error', why)] });

const numbers = (/** @type {number[]} */ v) => `[${v.map((x) => (x === 0 ? '0' : x.toPrecision(3))).join(', ')}]`;

/**
 * Runs `student` on the tiny case and says where it parts from the loop.
 * @param {(type: string, payload?: object) => Promise<any>} request a command to the model's worker
 * @param {import('../homework/student.js').Student} student
 * @returns {Promise<{ outcome: 'passed' | 'failed' | 'error', nodes: Node[] }>}
 */
export async function explainOnTinyCase(request, student) {
  const reply = await request(Command.homeworkExplain);
  if (!reply) return failure('The model was replaced meanwhile: explain again.');
  /** @type {Explanation} */
  const e = reply.explanation;
  const results = [];
  for (const o of e.outputs) {
    const outcome = await student.run({ U: e.U, V: e.V, W: e.W, bpttTruncate: e.bpttTruncate, x: e.x, hot: e.hot, y: e.y, only: o.output });
    if (outcome.kind !== 'ok') return failure(explain(outcome));
    if (outcome.forwardCalls === 0)
      return failure(
        'Explain reads one output at a time by changing what model.forward returns, and your bptt did not call model.forward: call it for o and s, as the notebook does.',
      );
    const read = readGradients(outcome.result, [e.U, e.V, e.W]);
    if (read.error) return failure(`Wrong shape or value: ${read.error}.`);
    results.push(read.matrices);
  }
  const rows = walk(e, results);
  const mistake = firstMistake(rows, e.bpttTruncate);
  const about = el(
    'p',
    'hw-note',
    `A tiny case: x = [${e.x.join(', ')}], y = [${e.y.join(', ')}], T ${e.x.length}, H ${e.W.rows}, truncation ${e.bpttTruncate}, made-up weights (not the run’s). Your bptt ran once per output with the other outputs’ errors set to zero; your δ at a step is what it added to dLdU’s columns for that step (model.hot[step]).`,
  );
  const hint = el('p', 'hw-hint', mistake ?? 'Every δ, and dLdV and dLdW of every output, agree with the notebook’s loop.');
  hint.dataset.pattern = mistake ? 'walk-differs' : 'walk-agrees';
  return { outcome: mistake ? 'failed' : 'passed', nodes: [hint, table(rows), about] };
}

/** The walk as a table, the loop's order. @param {Row[]} rows */
function table(rows) {
  const t = el('table', 'hw-walk');
  t.append(el('caption', '', 'The loop on the tiny case, the last output first'));
  const head = el('tr');
  for (const h of ['Output', 'Quantity', 'Yours', 'The loop’s', '']) head.append(el('th', '', h));
  head.querySelectorAll('th').forEach((th) => th.setAttribute('scope', 'col'));
  const body = el('tbody');
  const thead = el('thead');
  thead.append(head);
  t.append(thead, body);
  let marked = false;
  for (const r of rows) {
    const tr = el('tr', r.ok ? 'ok' : 'bad');
    tr.dataset.kind = r.kind;
    if (r.step !== null) tr.dataset.step = String(r.step);
    tr.dataset.output = String(r.output);
    if (!r.ok && !marked) {
      tr.classList.add('first');
      tr.setAttribute('aria-current', 'true');
      marked = true;
    }
    const what = r.kind === 'delta' ? `δ at step ${r.step}` : r.kind === 'outside' ? `δ at step ${r.step} (outside the window)` : `dLd${r.kind.slice(1)}`;
    const matrix = r.kind === 'dV' || r.kind === 'dW';
    const differ = r.yours.filter((v, i) => relativeError(v, r.loop[i]) > THRESHOLD).length;
    tr.append(
      el('td', '', `t = ${r.output}`),
      el('td', '', what),
      el('td', 'num', matrix ? (differ ? `${differ} of ${r.loop.length} entries differ` : 'every entry agrees') : numbers(r.yours)),
      el('td', 'num', matrix ? `${r.loop.length} entries` : numbers(r.loop)),
      el('td', 'mark', r.ok ? '✓ agrees' : '✗ differs'),
    );
    body.append(tr);
  }
  return t;
}
