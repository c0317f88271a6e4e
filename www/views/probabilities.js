// @ts-check
// The output o_t of every step as a grid on a canvas: one column per step, one row per digit
// (9 at the top), shaded by probability. The predicted digit (argmax) has a heavy outline, the
// target a dot, each near-black or white, whichever contrasts more with its cell (>= 4.3:1 in
// both colour schemes). Hovering or tapping reads out the value. A canvas, not 10 × T elements:
// it redraws every frame while training without restyling the page.

import { probabilityRgb, markOn, isDark, css } from '../colors.js';
import { DIGITS } from '../digits.js';

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
    this.touched = false; // the read-out came from a touch: it stays when the pointer leaves
    canvas.addEventListener('mousemove', (e) => this.#hover(e));
    canvas.addEventListener('mouseleave', () => {
      if (!this.touched) this.readout.textContent = '';
      this.touched = false;
    });
    // a touch reads out too (touch screens have no hover; the read-out stays after the finger lifts)
    canvas.addEventListener('pointerdown', (e) => {
      if (e.pointerType === 'mouse') return;
      this.touched = true;
      this.#hover(e);
    });
    canvas.addEventListener('click', (e) => {
      const cell = this.#cellAt(e);
      if (cell) onSelect(cell.t);
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
        ctx.strokeStyle = getComputedStyle(document.documentElement).getPropertyValue('--focus');
        ctx.lineWidth = 1;
        ctx.strokeRect(x - 0.5, 0.5, w + 1, height - 1);
      }
    }
    const right = predictedDigits.filter((d, t) => d === targetDigits[t]).length;
    this.canvas.setAttribute('aria-label', `Output probabilities for ${steps} steps: the most probable digit is the target at ${right} of them.`);
  }

  /** @param {MouseEvent} e @returns {{ t: number, d: number } | null} the step and digit under the pointer, as drawn last */
  #cellAt(e) {
    if (!this.prediction) return null;
    const r = this.canvas.getBoundingClientRect();
    const t = Math.floor(((e.clientX - r.left) / (r.width + this.gap)) * this.prediction.steps);
    const d = DIGITS - 1 - Math.floor((e.clientY - r.top) / this.row);
    return t >= 0 && t < this.prediction.steps && d >= 0 && d < DIGITS ? { t, d } : null;
  }

  /** @param {MouseEvent} e */
  #hover(e) {
    const cell = this.#cellAt(e);
    if (!cell) return;
    const p = this.prediction;
    const prob = p.probabilities[cell.t * DIGITS + cell.d];
    const notes = [p.predictedDigits[cell.t] === cell.d && 'predicted', p.targetDigits[cell.t] === cell.d && 'target'].filter(Boolean);
    this.readout.textContent = `step ${cell.t}, digit ${cell.d}: ${(prob * 100).toFixed(1)}%${notes.length ? ` (${notes.join(', ')})` : ''}`;
  }
}
