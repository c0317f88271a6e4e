// @ts-check
// "Explain on a tiny case": where the student's bptt first parts from the notebook's loop. The
// core (Playground.homework_explanation()) puts a tiny case (T 3, H 4) through the loop one
// output at a time and keeps every δ. The student's code runs once per output, with the other
// outputs' errors made zero (the runner gives them o = y), so its dLdU holds only that output's
// δs, each in the columns of its own step (the case's steps switch on different columns). This
// module only compares numbers: the core computed them all.

import { relativeError, THRESHOLD } from './compare.js';

/** @typedef {import('./student.js').Matrix} Matrix */
/**
 * @typedef {{ output: number, deltas: { step: number, delta: number[] }[], dU: Matrix, dV: Matrix, dW: Matrix }} OutputTrace
 * @typedef {{ x: number[], hot: number[][], y: number[], bpttTruncate: number, U: Matrix, V: Matrix, W: Matrix, outputs: OutputTrace[] }} Explanation
 * @typedef {{ output: number, kind: 'dV' | 'delta' | 'outside' | 'dW', step: number | null, yours: number[], loop: number[], ok: boolean }} Row
 */

/** Whether two lists agree entry by entry, as the gradient check decides. @param {ArrayLike<number>} a @param {ArrayLike<number>} b */
function agree(a, b) {
  for (let i = 0; i < b.length; i++) if (relativeError(a[i], b[i]) > THRESHOLD) return false;
  return true;
}

/** Column `j` of `m`. @param {Matrix} m @param {number} j */
function column(m, j) {
  return Array.from({ length: m.rows }, (_, i) => m.values[i * m.cols + j]);
}

/**
 * The rows of the walk, in the loop's order: for each output (the last first) its dLdV, its δ at
 * each step the truncation lets it reach (from its own step back), any step outside that window
 * the student's code reached, and its dLdW.
 * @param {Explanation} e
 * @param {Matrix[][]} results the student's [dLdU, dLdV, dLdW] for each of `e.outputs`, in order
 * @returns {Row[]}
 */
export function walk(e, results) {
  /** @type {Row[]} */
  const rows = [];
  e.outputs.forEach((o, i) => {
    const [dU, dV, dW] = results[i];
    rows.push({ output: o.output, kind: 'dV', step: null, yours: Array.from(dV.values), loop: Array.from(o.dV.values), ok: agree(dV.values, o.dV.values) });
    const reached = new Set(o.deltas.map((d) => d.step));
    for (const d of o.deltas) {
      // every column the step switches on must hold its δ: show the first that does not
      const columns = e.hot[d.step].map((j) => column(dU, j));
      const wrong = columns.find((c) => !agree(c, d.delta));
      rows.push({ output: o.output, kind: 'delta', step: d.step, yours: wrong ?? columns[0], loop: d.delta, ok: !wrong });
    }
    for (let step = 0; step < e.hot.length; step++) {
      if (reached.has(step)) continue;
      const stray = e.hot[step].map((j) => column(dU, j)).find((c) => c.some((v) => v !== 0));
      if (stray) rows.push({ output: o.output, kind: 'outside', step, yours: stray, loop: stray.map(() => 0), ok: false });
    }
    rows.push({ output: o.output, kind: 'dW', step: null, yours: Array.from(dW.values), loop: Array.from(o.dW.values), ok: agree(dW.values, o.dW.values) });
  });
  return rows;
}

/**
 * What the first row that parts from the loop says about the code, in one or two sentences
 * (null when every row agrees). It names the line of the loop, never the value it should give.
 * @param {Row[]} rows walk's
 * @param {number} truncate the truncation the case ran at
 */
export function firstMistake(rows, truncate) {
  const i = rows.findIndex((r) => !r.ok);
  if (i < 0) return null;
  const r = rows[i];
  const t = r.output;
  const nothing = r.yours.every((v) => v === 0);
  switch (r.kind) {
    case 'dV':
      return `Output t = ${t}, dLdV: the error at the output against the state that produced it, delta_o[${t}] ⊗ s[${t}], where delta_o[${t}] is o[${t}] with 1 taken from its y[${t}] entry.`;
    case 'delta': {
      const where = `Output t = ${t}, δ at step ${r.step}`;
      // the steps before were right: the loop reached them, and stopped
      if (nothing && r.step !== t)
        return `${where}: nothing was added, though the steps before it were right. The inner loop stops too early: with bpttTruncate ${truncate} it runs from bptt_step ${t} down to max(0, t − ${truncate}) = ${Math.max(0, t - truncate)}.`;
      if (nothing)
        return `${where}: nothing was added to dLdU’s columns for this step (model.hot[${r.step}]). Is dLdU updated inside the inner loop, at bptt_step?`;
      if (r.step === t)
        return `${where}, the first δ of this output: Vᵀ·delta_o[${t}], times 1 − s[${t}]² entry by entry (the derivative of the tanh of step ${t}).`;
      return `${where}: the δ at step ${(r.step ?? 0) + 1} was right, so the step back is wrong. From bptt_step ${(r.step ?? 0) + 1} to ${r.step}: δ ← Wᵀ·δ, times 1 − s[${r.step}]² entry by entry (s.at(bptt_step − 1), the tanh of the step arrived at).`;
    }
    case 'outside':
      return (r.step ?? 0) > t
        ? `Output t = ${t} put a δ into step ${r.step}, after t: its error flows back only, from step ${t} down.`
        : `Output t = ${t} put a δ into step ${r.step}, beyond the truncation: with bpttTruncate ${truncate} its error reaches back to step max(0, t − ${truncate}) = ${Math.max(0, t - truncate)} only.`;
    default:
      return `Output t = ${t}, dLdW: every δ is right, so look at dLdW’s update: at each bptt_step it adds δ ⊗ s[bptt_step − 1], the state before that step (s.at(bptt_step − 1), the zero state before step 0).`;
  }
}
