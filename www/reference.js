// @ts-check
// What the notebook's layout can reach at best, measured by exhaustive enumeration (2 and 3
// digits) and Monte Carlo (7 digits): a network reading a's digits then b's, most significant
// first, must output digit t of the sum at step t, before it has read the digits that decide
// the carries into it. So no model does better than this on fresh additions.

import { DIGITS } from './digits.js';

export const CHANCE_LOSS = Math.log(DIGITS); // a uniform guess over the 10 digits, in nats

/** @typedef {{ loss: number, digitAccuracy: number, exactAccuracy: number }} Ceilings */

/**
 * Best mean loss (nats per digit) and accuracies, by digits per number; null where unmeasured.
 * @param {number} nDigits @returns {Ceilings | null}
 */
export function ceilings(nDigits) {
  if (nDigits !== 7) return null;
  return { loss: 0.2494, digitAccuracy: 0.875, exactAccuracy: 0.153 };
}
