// @ts-check
// The output o_t of every step as a grid on a canvas: one column per step, one row per digit
// (9 at the top), shaded by probability. The predicted digit (argmax) has a heavy outline, the
// target a dot, each near-black or white, whichever contrasts more with its cell (>= 4.3:1 in
// both colour schemes). Hovering or tapping reads out the value. A canvas, not 10 × T elements:
// it redraws every frame while training without restyling the page.

import { probabilityRgb, markOn, isDark, css, cssVar } from '../colors.js';
import { DIGITS } from '../digits.js';
import { MatrixCanvas } from './matrix-canvas.js';

/** @import { Prediction } from '../shapes.js' */

/** A length style.css gives in px (a custom property), as a number. @param {CSSStyleDeclaration} style @param {string} name */
function px(style, name) {
  const value = parseFloat(style.getPropertyValue(name));
  if (!Number.isFinite(value)) throw new Error(`style.css must set ${name} in px for the probability grid`);
  return value;
}

export class ProbabilityView {
  /**
   * @param {HTMLCanvasElement} canvas @param {HTMLElement} readout where hovering reads out
   * @param {(t: number) => void} onSelect a step was clicked
   */
  constructor(canvas, readout, onSelect) {
    this.canvas = canvas;
    this.readout = readout;
    // row 0 is digit 9 (the top), column t step t
    this.matrix = new MatrixCanvas(canvas, {
      onHover: (cell) => this.#readout(cell),
      onClick: (cell) => onSelect(cell.col),
      locate: (x, y, rect) => this.#cellAt(x, y, rect),
    });
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.prediction && this.render(this.prediction, this.selected));
  }

  /** @param {Prediction} prediction @param {number | null} selected the selected step */
  render(prediction, selected) {
    this.prediction = prediction;
    this.selected = selected;
    const { steps, probabilities, predictedDigits, targetDigits } = prediction;
    const style = getComputedStyle(this.canvas);
    // the row height and the network grid's column gap, from style.css: the canvas's rows line up
    // with the digit labels and its columns with the network's steps above it (kept for hovering)
    const row = px(style, '--prob-row');
    const gap = px(style, '--step-gap');
    this.row = row;
    this.gap = gap;
    const dpr = devicePixelRatio || 1;
    const width = this.canvas.clientWidth;
    const height = row * DIGITS;
    if (this.canvas.width !== Math.round(width * dpr) || this.canvas.height !== Math.round(height * dpr)) {
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
    }
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const colW = (width + gap) / steps;
    const dark = isDark();
    // whole pixels, so that the marks' edges are crisp and sit inside their cells
    /** @param {number} t */
    const left = (t) => Math.round(t * colW);
    for (let t = 0; t < steps; t++) {
      const x = left(t);
      const w = left(t + 1) - gap - x;
      for (let d = 0; d < DIGITS; d++) {
        const y = (DIGITS - 1 - d) * row;
        const fill = probabilityRgb(probabilities[t * DIGITS + d], dark);
        ctx.fillStyle = css(fill);
        ctx.fillRect(x, y, w, row - 1);
        const mark = css(markOn(fill));
        if (predictedDigits[t] === d) {
          ctx.strokeStyle = mark;
          ctx.lineWidth = 2;
          ctx.strokeRect(x + 1, y + 1, w - 2, row - 3);
        }
        if (targetDigits[t] === d) {
          ctx.fillStyle = mark;
          ctx.beginPath();
          ctx.arc(x + w / 2, y + (row - 1) / 2, 2.5, 0, 2 * Math.PI);
          ctx.fill();
        }
      }
      if (t === selected) {
        ctx.strokeStyle = cssVar('--focus');
        ctx.lineWidth = 1;
        ctx.strokeRect(x - 0.5, 0.5, w + 1, height - 1);
      }
    }
    const right = predictedDigits.filter((d, t) => d === targetDigits[t]).length;
    this.canvas.setAttribute('aria-label', `Output probabilities for ${steps} steps: the most probable digit is the target at ${right} of them.`);
  }

  /**
   * The step (column) and digit (row, 9 at the top) at (x, y) px in the canvas, as drawn last: its
   * columns share the network's gaps, which belong to the column on their left.
   * @param {number} x @param {number} y @param {DOMRect} rect @returns {import('./matrix-canvas.js').Cell | null}
   */
  #cellAt(x, y, rect) {
    if (!this.prediction) return null;
    const t = Math.floor((x / (rect.width + this.gap)) * this.prediction.steps);
    const row = Math.floor(y / this.row);
    return t >= 0 && t < this.prediction.steps && row >= 0 && row < DIGITS ? { row, col: t } : null;
  }

  /** Reads out the cell under the pointer, or nothing. @param {import('./matrix-canvas.js').Cell | null} cell */
  #readout(cell) {
    if (!cell) {
      this.readout.textContent = '';
      return;
    }
    const p = this.prediction;
    const [t, d] = [cell.col, DIGITS - 1 - cell.row];
    const prob = p.probabilities[t * DIGITS + d];
    const notes = [p.predictedDigits[t] === d && 'predicted', p.targetDigits[t] === d && 'target'].filter(Boolean);
    this.readout.textContent = `step ${t}, digit ${d}: ${(prob * 100).toFixed(1)}%${notes.length ? ` (${notes.join(', ')})` : ''}`;
  }
}
