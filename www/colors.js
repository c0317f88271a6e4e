// @ts-check
// The two colour scales of the page, the same in every view: a diverging one for signed values
// (hidden states: blue for −1, white for 0, red for +1) and a sequential one for probabilities.

import { interpolateRdBu, interpolateBlues } from './vendor/d3-scale-chromatic.min.mjs';
import { rgb } from './vendor/d3-color.min.mjs';

/** @typedef {[number, number, number]} Rgb 0–255 each */

const STEPS = 256;

/** @param {(t: number) => string} interpolate a d3 scale on [0, 1] @returns {Rgb[]} */
function lut(interpolate) {
  return Array.from({ length: STEPS }, (_, i) => {
    const c = rgb(interpolate(i / (STEPS - 1)));
    return [c.r, c.g, c.b];
  });
}

// RdBu runs red → blue; reversed so that positive is red.
const signedLut = lut((t) => interpolateRdBu(1 - t));
const probabilityLut = lut(interpolateBlues);

/** @param {number} t */
const index = (t) => Math.max(0, Math.min(STEPS - 1, Math.round(t * (STEPS - 1))));

/** [r, g, b] for a value in [−1, 1] (clamped). @param {number} v @returns {Rgb} */
export function signedRgb(v) {
  return signedLut[index((v + 1) / 2)];
}

/** [r, g, b] for a probability in [0, 1]. @param {number} p @returns {Rgb} */
export function probabilityRgb(p) {
  return probabilityLut[index(p)];
}

/** @param {Rgb} rgb */
export const css = ([r, g, b]) => `rgb(${r} ${g} ${b})`;

/** Black or white text, whichever reads better on this background. @param {Rgb} background */
export function textOn([r, g, b]) {
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#111' : '#fff';
}

/** A CSS gradient of a scale, for legends. @param {(v: number) => Rgb} scale @param {number} from @param {number} to */
export function gradient(scale, from, to, stops = 9) {
  const cs = Array.from({ length: stops }, (_, i) => css(scale(from + ((to - from) * i) / (stops - 1))));
  return `linear-gradient(to right, ${cs.join(', ')})`;
}
