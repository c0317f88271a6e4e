// @ts-check
// The Homework section's small pieces of text: a paragraph with marked-up parts, and what the
// run's layout asks of dLdU (the columns of U each step switches on).

import { el } from '../dom.js';

/**
 * A paragraph of text and marked-up pieces: each `[tag, text]` becomes `<tag>text</tag>`.
 * @param {string} className @param {...(string | [string, string])} parts
 */
export function para(className, ...parts) {
  const p = el('p', className);
  for (const part of parts) p.append(typeof part === 'string' ? part : el(part[0], '', part[1]));
  return p;
}

/**
 * What the run's layout asks of dLdU, from the columns the core named for this example: a
 * paragraph when x_t switches on more than one column of U (the aligned layout), else null (the
 * notebook's one-hot digit needs no word).
 * @param {number[]} x the example's input symbols
 * @param {number[][]} hot the core's `hot`: U's columns at each step
 */
export function columnsNote(x, hot) {
  const t = hot.findIndex((h) => h.length > 1);
  if (t < 0) return null;
  const n = hot[t].length === 2 ? 'two' : String(hot[t].length);
  return para(
    'hw-columns',
    'Here x',
    ['sub', 't'],
    ` switches on ${n} columns of U, a`,
    ['sub', 'i'],
    ' and 10\u00a0+\u00a0b',
    ['sub', 'i'],
    `: at t = ${t} of this example x[${t}] = ${x[t]}, so `,
    ['code', `model.hot[${t}]`],
    ' is ',
    ['code', `[${hot[t].join(', ')}]`],
    ', and δ',
    ['sub', 't'],
    ` goes into each of these columns of dLdU.`,
  );
}

/** Said after a wrong dLdU when x[t] is not itself a column of U. */
export const NOT_A_COLUMN = 'In this layout x[t] is the symbol 10·a_i + b_i, not a column of U: add δ to each column in model.hot[t].';
