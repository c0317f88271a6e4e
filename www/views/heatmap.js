// @ts-check
// The hidden states as a heatmap: one row per step, one column per hidden unit, blue for −1,
// white for 0, red for +1. Units can be put in the order of their variance over the steps, so
// that the units that change most sit together; hovering reads out step, unit and value.

import { signedRgb, gradient, css } from '../colors.js';
import { stepName } from './network.js';

/** @import { HiddenStates } from '../shapes.js' */

/**
 * How units can be ordered: `key` sorts a unit by its column of values (one per step) and the
 * selected step; null keeps the unit numbers.
 * @type {Record<string, { label: string, key: ((col: number[], t: number) => number) | null }>}
 */
const ORDERS = {
  index: { label: 'unit number', key: null },
  variance: { label: 'variance over the steps', key: (col) => -variance(col) },
  selected: { label: 'value at the selected step', key: (col, t) => -col[t] },
};

/** @param {number[]} xs */
function variance(xs) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
}

export class HeatmapView {
  /** @param {Element} root the panel @param {(t: number) => void} onSelect a step was clicked */
  constructor(root, onSelect) {
    this.canvas = /** @type {HTMLCanvasElement} */ (root.querySelector('canvas'));
    this.readout = /** @type {HTMLElement} */ (root.querySelector('.readout'));
    this.orderSelect = /** @type {HTMLSelectElement} */ (root.querySelector('select'));
    this.onSelect = onSelect;
    this.order = 'index';
    for (const [value, { label }] of Object.entries(ORDERS)) this.orderSelect.add(new Option(`Order units by ${label}`, value));
    this.orderSelect.addEventListener('change', () => {
      this.order = this.orderSelect.value;
      if (this.last) this.render(...this.last);
    });
    /** @type {HTMLElement} */ (root.querySelector('.legend-bar')).style.background = gradient((v) => signedRgb(v), -1, 1);
    this.canvas.addEventListener('mousemove', (e) => {
      this.hovered = this.#cellAt(e);
      this.#readout();
    });
    this.canvas.addEventListener('mouseleave', () => {
      this.hovered = null;
      this.#readout();
    });
    this.canvas.addEventListener('click', (e) => {
      const cell = this.#cellAt(e);
      if (cell) onSelect(cell.t);
    });
  }

  /** @param {HiddenStates} hidden @param {number} nDigits @param {number | null} selected @param {string} layout */
  render(hidden, nDigits, selected, layout = 'notebook') {
    this.layout = layout;
    /** @type {[HiddenStates, number, number | null]} */
    this.last = [hidden, nDigits, selected];
    const { steps, hiddenDim: H, values } = hidden;
    /** @param {number} i */
    const column = (i) => Array.from({ length: steps }, (_, t) => values[t * H + i]);
    const order = Array.from({ length: H }, (_, i) => i);
    const key = ORDERS[this.order].key;
    if (key) {
      const keys = order.map((i) => key(column(i), selected ?? 0));
      order.sort((a, b) => keys[a] - keys[b] || a - b);
    }
    this.unitOrder = order;
    this.hidden = hidden;
    this.nDigits = nDigits;
    // one pixel per cell, scaled up by CSS with crisp edges
    if (this.canvas.width !== H || this.canvas.height !== steps) {
      this.canvas.width = H;
      this.canvas.height = steps;
    }
    const ctx = this.canvas.getContext('2d');
    const img = ctx.createImageData(H, steps);
    for (let t = 0; t < steps; t++) {
      for (let x = 0; x < H; x++) {
        const [r, g, b] = signedRgb(values[t * H + order[x]]);
        img.data.set([r, g, b, 255], (t * H + x) * 4);
      }
    }
    ctx.putImageData(img, 0, 0);
    this.canvas.parentElement.style.setProperty('--rows', String(steps));
    this.canvas.parentElement.style.setProperty('--selected-row', String(selected ?? -1));
    this.idle = `${steps} steps × ${H} units${selected != null ? `; step ${selected} (${stepName(selected, nDigits, layout)}) is selected` : ''}. Hover for values.`;
    this.#readout();
    this.canvas.setAttribute('aria-label', `Hidden-state heatmap, ${steps} steps by ${H} units, ordered by ${ORDERS[this.order].label}`);
  }

  /** @param {MouseEvent} e @returns {{ t: number, unit: number } | null} the step and unit under the pointer */
  #cellAt(e) {
    if (!this.hidden) return null;
    const r = this.canvas.getBoundingClientRect();
    const x = Math.floor(((e.clientX - r.left) / r.width) * this.hidden.hiddenDim);
    const t = Math.floor(((e.clientY - r.top) / r.height) * this.hidden.steps);
    if (x < 0 || t < 0 || x >= this.hidden.hiddenDim || t >= this.hidden.steps) return null;
    return { t, unit: this.unitOrder[x] };
  }

  /** The value under the pointer, kept up to date as training changes it; or a summary. */
  #readout() {
    const cell = this.hovered;
    if (!cell || !this.hidden || cell.t >= this.hidden.steps || cell.unit >= this.hidden.hiddenDim) {
      this.readout.textContent = this.idle ?? '';
      return;
    }
    const v = this.hidden.values[cell.t * this.hidden.hiddenDim + cell.unit];
    this.readout.innerHTML = `step <b>${cell.t}</b> (${stepName(cell.t, this.nDigits, this.layout)}), unit <b>${cell.unit}</b>: <b class="swatch-value">■</b> ${v.toFixed(4)}`;
    /** @type {HTMLElement} */ (this.readout.querySelector('.swatch-value')).style.color = css(signedRgb(v)); // the CSP forbids style attributes
  }
}
