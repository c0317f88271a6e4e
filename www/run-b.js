// @ts-check
// Run B's settings, when two runs are compared: the settings table (state.js) holds them as
// `b.`-prefixed keys beside run A's; this derives what B differs in, B's settings in full, and the
// two runs' names from what differs.

import { B_PREFIX, COMPARABLE } from './state.js';

/** @typedef {import('./state.js').Setting} Setting */

/**
 * Run B's own settings, `b.`-prefixed in `values`, as { key: value }: empty when not comparing.
 * @param {Record<string, any>} values
 * @returns {Record<string, any>}
 */
export function differences(values) {
  return Object.fromEntries(
    COMPARABLE.filter((s) => values[B_PREFIX + s.key] !== undefined && values[B_PREFIX + s.key] !== values[s.key]).map((s) => [
      s.key,
      values[B_PREFIX + s.key],
    ]),
  );
}

/** `values` without run B's settings. @param {Record<string, any>} values */
export function withoutRunB(values) {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith(B_PREFIX)));
}

/** Run B's settings in full: run A's with B's differences. @param {Record<string, any>} values */
export function runBValues(values) {
  return { ...withoutRunB(values), ...differences(values) };
}

/** A setting's value as the form says it. @param {Setting} s @param {any} v */
function valueText(s, v) {
  if (v === null) return 'none';
  if (s.type !== 'choice' || !s.labels) return String(v);
  const i = s.choices.indexOf(v);
  return i >= 0 ? s.labels[i] : String(v);
}

/**
 * The two runs' names, from what differs ("A: BPTT truncation 2", "B: BPTT truncation 20"), in
 * the table's order; null when not comparing.
 * @param {Record<string, any>} values
 */
export function runNames(values) {
  const diff = differences(values);
  const keys = COMPARABLE.filter((s) => Object.hasOwn(diff, s.key));
  if (!keys.length) return null;
  const name = (/** @type {(s: Setting) => any} */ pick) => keys.map((s) => `${s.label} ${valueText(s, pick(s))}`).join(', ');
  return { a: `A: ${name((s) => values[s.key])}`, b: `B: ${name((s) => diff[s.key])}` };
}
