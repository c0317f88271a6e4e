// @ts-check
// The two colour scales of the page, the same in every view: a diverging one for signed values
// (hidden states: blue for −1, white for 0, red for +1) and a sequential one for probabilities,
// which in the dark scheme runs from the panel's dark to bright blue (not from white).

import { interpolateRdBu, interpolateBlues, interpolateYlOrRd, interpolateInferno } from './vendor/d3-scale-chromatic.min.mjs';
import { interpolateLab, piecewise } from './vendor/d3-interpolate.min.mjs';
import { rgb } from './vendor/d3-color.min.mjs';

/** @typedef {[number, number, number]} Rgb 0–255 each */

const STEPS = 256;

/**
 * A d3 scale on [0, 1] as 256 colours, made the first time it is drawn with: the five tables
 * took about 25 ms of the page's start, before anything was drawn (docs/speed.md).
 * @param {(t: number) => string} interpolate @returns {() => Rgb[]}
 */
function lut(interpolate) {
  /** @type {Rgb[] | null} */
  let table = null;
  return () =>
    (table ??= Array.from({ length: STEPS }, (_, i) => {
      const c = rgb(interpolate(i / (STEPS - 1)));
      return /** @type {Rgb} */ ([c.r, c.g, c.b]);
    }));
}

// RdBu runs red → blue; reversed so that positive is red.
const signedLut = lut((t) => interpolateRdBu(1 - t));
const probabilityLut = lut(interpolateBlues);
// 0 just lighter than the dark panel (#171d24), 1 a bright blue: more probable is brighter
const darkProbabilityLut = lut(piecewise(interpolateLab, ['#1e2835', '#17477f', '#2f7fd6', '#a9d4ff']));

// gradient sizes: in the light scheme pale yellow to dark red, in the dark one from near the panel's
// dark to bright yellow; larger is more ink either way
const magnitudeLut = lut((t) => interpolateYlOrRd(0.08 + 0.92 * t));
const darkMagnitudeLut = lut((t) => interpolateInferno(0.12 + 0.86 * t));

/**
 * [r, g, b] for a positive size on a log scale from `lo` (and below) to `hi`.
 * @param {number} v @param {number} lo @param {number} hi @param {boolean} dark @returns {Rgb}
 */
export function magnitudeRgb(v, lo, hi, dark = false) {
  const t = v > 0 && hi > lo ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : 0;
  return (dark ? darkMagnitudeLut : magnitudeLut)()[Math.max(0, Math.min(STEPS - 1, Math.round(t * (STEPS - 1))))];
}

/** A colour (or any custom property) style.css sets on the page, e.g. `cssVar('--accent')`. @param {string} name */
export const cssVar = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** The page is in the dark colour scheme. */
export const isDark = () => matchMedia('(prefers-color-scheme: dark)').matches;

/** @param {number} t */
const index = (t) => Math.max(0, Math.min(STEPS - 1, Math.round(t * (STEPS - 1))));

/**
 * The |value| the diverging scale's ends stand for, for values drawn with `signedRgb(v / scale)`:
 * the largest |value|, or 1 when every value is 0.
 * @param {ArrayLike<number>} values
 */
export function signedScale(values) {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]));
  return largest || 1;
}

/** [r, g, b] for a value in [−1, 1] (clamped). @param {number} v @returns {Rgb} */
export function signedRgb(v) {
  return signedLut()[index((v + 1) / 2)];
}

/** [r, g, b] for a probability in [0, 1], in the light or the dark scheme. @param {number} p @param {boolean} dark @returns {Rgb} */
export function probabilityRgb(p, dark = false) {
  return (dark ? darkProbabilityLut : probabilityLut)()[index(p)];
}

/** @param {Rgb} rgb */
export const css = ([r, g, b]) => `rgb(${r} ${g} ${b})`;

/** WCAG's relative luminance. @param {Rgb} rgb */
function luminance(rgb) {
  const [r, g, b] = rgb.map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG's contrast ratio of two colours, 1 to 21. @param {Rgb} a @param {Rgb} b */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** @type {Rgb} */ const NEAR_BLACK = [17, 17, 17];
/** @type {Rgb} */ const WHITE = [255, 255, 255];

/**
 * Near-black or white, whichever contrasts more with `background`: at least 4.3:1 on any
 * colour, so a mark drawn on a shaded cell stays visible whatever the cell's shade.
 * @param {Rgb} background @returns {Rgb}
 */
export function markOn(background) {
  return contrast(NEAR_BLACK, background) >= contrast(WHITE, background) ? NEAR_BLACK : WHITE;
}

/** A CSS gradient of a scale, for legends. @param {(v: number) => Rgb} scale @param {number} from @param {number} to */
export function gradient(scale, from, to, stops = 9) {
  const cs = Array.from({ length: stops }, (_, i) => css(scale(from + ((to - from) * i) / (stops - 1))));
  return `linear-gradient(to right, ${cs.join(', ')})`;
}
