// @ts-check
// The hidden states as a heatmap: one row per step, one column per hidden unit, blue for −1,
// white for 0, red for +1. Units can be put in the order of their variance over the steps, so
// that the units that change most sit together; hovering or tapping reads out step, unit and
// value. The rows are labelled with their steps' names, the columns with unit numbers.

import { signedRgb, gradient, css } from '../colors.js';
import { MatrixCanvas } from './matrix-canvas.js';

/** @import { HiddenStates, LayoutInfo } from '../shapes.js' */

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
/** What the column axis says under each order. @type {Record<string, string>} */
const AXIS_TITLES = {
  index: 'hidden unit',
  variance: 'hidden unit, the most varying at the left',
  selected: 'hidden unit, the highest at the selected step at the left',
};
/** Unit-axis labels at least this far apart (px), every 1, 2, 5, 10, … units. */
const TICK_SPACING = 44;

/** @param {number[]} xs */
function variance(xs) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
}

export class HeatmapView {
  /**
   * @param {Element} root the panel @param {(t: number) => void} onSelect a step was clicked
   * @param {(unit: number) => void} [onUnit] and the unit of its column
   */
  constructor(root, onSelect, onUnit) {
    this.canvas = /** @type {HTMLCanvasElement} */ (root.querySelector('canvas'));
    this.readout = /** @type {HTMLElement} */ (root.querySelector('.readout'));
    this.orderSelect = /** @type {HTMLSelectElement} */ (root.querySelector('select'));
    this.stepLabels = /** @type {HTMLElement} */ (root.querySelector('.heatmap-steps'));
    this.unitTicks = /** @type {HTMLElement} */ (root.querySelector('.heatmap-units .ticks'));
    this.axisTitle = /** @type {HTMLElement} */ (root.querySelector('.heatmap-units .axis-title'));
    this.onSelect = onSelect;
    /** @type {{ t: number, unit: number } | null} the cell the pointer is on (a touch's stays after the finger lifts) */
    this.hovered = null;
    /** @type {number[]} the unit drawn in each column */
    this.unitOrder = [];
    // rows are steps, columns units in `unitOrder`
    this.matrix = new MatrixCanvas(this.canvas, {
      onHover: (cell) => {
        this.hovered = cell && { t: cell.row, unit: this.unitOrder[cell.col] };
        this.#readout();
      },
      onClick: ({ row, col }) => {
        onSelect(row);
        onUnit?.(this.unitOrder[col]);
      },
    });
    this.order = 'index';
    for (const [value, { label }] of Object.entries(ORDERS)) this.orderSelect.add(new Option(`Order units by ${label}`, value));
    this.orderSelect.addEventListener('change', () => {
      this.order = this.orderSelect.value;
      if (this.last) this.render(...this.last);
    });
    /** @type {HTMLElement} */ (root.querySelector('.legend-bar')).style.background = gradient((v) => signedRgb(v), -1, 1);
    new ResizeObserver(() => this.hidden && this.#labelUnits()).observe(this.canvas);
  }

  /** @param {HiddenStates} hidden @param {LayoutInfo} layout the model's (`Playground.layout()`) @param {number | null} selected */
  render(hidden, layout, selected) {
    this.layout = layout;
    /** @type {[HiddenStates, LayoutInfo, number | null]} */
    this.last = [hidden, layout, selected];
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
    // one pixel per cell, scaled up by CSS with crisp edges
    this.matrix.draw(steps, H, (t, x) => [...signedRgb(values[t * H + order[x]]), 255]);
    this.#labelSteps(layout.stepLabels);
    this.#labelUnits();
    this.canvas.parentElement.parentElement.style.setProperty('--rows', String(steps));
    this.canvas.parentElement.style.setProperty('--selected-row', String(selected ?? -1));
    this.idle = `${steps} steps × ${H} units${selected != null ? `; step ${selected} (${layout.stepLabels[selected]}) is selected` : ''}. Hover or tap for values.`;
    this.#readout();
    this.canvas.setAttribute('aria-label', `Hidden-state heatmap, ${steps} steps by ${H} units, ordered by ${ORDERS[this.order].label}`);
  }

  /** One label per row: its step's number t (as the network and every read-out count) and the digits it reads. @param {string[]} labels */
  #labelSteps(labels) {
    const key = labels.join(' ');
    if (this.stepLabels.dataset.key === key) return;
    this.stepLabels.dataset.key = key;
    const width = String(labels.length - 1).length;
    this.stepLabels.replaceChildren(
      ...labels.map((label, t) => Object.assign(document.createElement('span'), { textContent: `${String(t).padStart(width)} ${label}` })),
    );
  }

  /** Unit numbers under their columns, as far apart as the width allows, and the axis' title. */
  #labelUnits() {
    const H = this.hidden.hiddenDim;
    const width = this.canvas.clientWidth || 1;
    const every = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500].find((n) => (n * width) / H >= TICK_SPACING) ?? H;
    const ticks = [];
    for (let x = 0; x < H; x += every) ticks.push(x);
    const key = `${this.order} ${width} ${ticks.map((x) => this.unitOrder[x]).join(',')}`;
    if (this.unitTicks.dataset.key === key) return;
    this.unitTicks.dataset.key = key;
    this.unitTicks.replaceChildren(
      ...ticks.map((x) => {
        const tick = Object.assign(document.createElement('span'), { textContent: String(this.unitOrder[x]) });
        tick.style.left = `${((x + 0.5) / H) * 100}%`; // through the CSSOM: the CSP forbids style attributes
        return tick;
      }),
    );
    this.axisTitle.textContent = AXIS_TITLES[this.order];
  }

  /** The value under the pointer, kept up to date as training changes it; or a summary. */
  #readout() {
    const cell = this.hovered;
    if (!cell || !this.hidden || cell.t >= this.hidden.steps || cell.unit >= this.hidden.hiddenDim) {
      this.readout.textContent = this.idle ?? '';
      return;
    }
    const v = this.hidden.values[cell.t * this.hidden.hiddenDim + cell.unit];
    this.readout.innerHTML = `step <b>${cell.t}</b> (${this.layout.stepLabels[cell.t]}), unit <b>${cell.unit}</b>: <b class="swatch-value">■</b> ${v.toFixed(4)}`;
    /** @type {HTMLElement} */ (this.readout.querySelector('.swatch-value')).style.color = css(signedRgb(v)); // the CSP forbids style attributes
  }
}
