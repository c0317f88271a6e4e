// @ts-check
// The output o_t of every step as a grid on a canvas: one column per step, one row per digit
// (9 at the top), shaded by probability. The predicted digit (argmax) has a heavy outline, the
// target a dot. Hovering reads out the value. A canvas, not 10 × T elements: it redraws every
// frame while training without restyling the page.

import { probabilityRgb, css } from '../colors.js';
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
    canvas.addEventListener('mousemove', (e) => this.#hover(e));
    canvas.addEventListener('mouseleave', () => (this.readout.textContent = ''));
    canvas.addEventListener('click', (e) => {
      const cell = this.#cellAt(e);
      if (cell) onSelect(cell.t);
    });
  }

  /** @param {Prediction} prediction @param {number | null} selected the selected step */
  render(prediction, selected) {
    this.prediction = prediction;
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
    const text = style.color;
    for (let t = 0; t < steps; t++) {
      const x = t * colW;
      for (let d = 0; d < DIGITS; d++) {
        const y = (DIGITS - 1 - d) * row;
        ctx.fillStyle = css(probabilityRgb(probabilities[t * DIGITS + d]));
        ctx.fillRect(x, y + 0.5, colW - gap, row - 1);
        if (predictedDigits[t] === d) {
          ctx.strokeStyle = text;
          ctx.lineWidth = 2;
          ctx.strokeRect(x + 1, y + 1.5, colW - gap - 2, row - 3);
        }
        if (targetDigits[t] === d) {
          ctx.fillStyle = probabilities[t * DIGITS + d] > 0.5 ? '#fff' : text;
          ctx.beginPath();
          ctx.arc(x + (colW - gap) / 2, y + row / 2, 2.2, 0, 2 * Math.PI);
          ctx.fill();
        }
      }
      if (t === selected) {
        ctx.strokeStyle = getComputedStyle(document.documentElement).getPropertyValue('--focus');
        ctx.lineWidth = 1;
        ctx.strokeRect(x - 1, 0.5, colW - gap + 2, height - 1);
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
