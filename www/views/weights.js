// @ts-check
// The weights U, V and W as heatmaps on the diverging scale, each scaled to its own largest |entry|,
// laid out as they meet: U (H × C) and W (H × H) side by side share the hidden units as rows,
// V (C × H) under W shares them as columns. Hovering or tapping reads an entry out; clicking one
// selects a hidden unit, whose row and column are then highlighted in all three. A gated cell's
// weight_ih and weight_hh (PyTorch's stacking: one block of H rows per gate) take U's and W's
// places; its unit is then a row in every block, so only its columns are highlighted.

import { signedRgb, signedScale } from '../colors.js';
import { MatrixCanvas } from './matrix-canvas.js';

/** @import { Matrix, LayoutInfo } from '../shapes.js' */

/** The CSS size of a W entry is about this many px wide (W is at most this square's size). */
const W_SIZE = 260;
/** Largest px per entry. */
const MAX_CELL = 24;
/** Smallest px per row of V (ten rows: 80 px), whatever H makes of its columns. */
const MIN_V_ROW = 8;

/** @param {number} v */
const fmt = (v) => (Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(3) : v.toExponential(2));

/** The gates' blocks of rows, in PyTorch's order, by how many there are. @type {Record<number, string[]>} */
const GATES = { 3: ['r (reset)', 'z (update)', 'n (candidate)'], 4: ['i (input)', 'f (forget)', 'g (candidate)', 'o (output)'] };

/** What a panel shows for the vanilla cell and for a gated one. */
const NAMES = { U: ['U', 'weight_ih'], W: ['W', 'weight_hh'], V: ['V', 'V'] };

/**
 * @typedef {{ name: 'U' | 'V' | 'W', canvas: MatrixCanvas, el: HTMLElement, matrix: Matrix | null, scale: number }} Panel
 */

export class WeightsView {
  /** @param {Element} root the panel @param {(unit: number | null) => void} onUnit a hidden unit was clicked */
  constructor(root, onUnit) {
    this.root = root;
    this.readout = /** @type {HTMLElement} */ (root.querySelector('.weights-readout'));
    /** @type {number | null} */
    this.unit = null;
    /** blocks of H rows in U's and W's places (1: the vanilla cell) */
    this.gates = 1;
    /** @type {number | undefined} H */
    this.hidden = undefined;
    /** @type {string[]} what each column of U stands for */
    this.columnLabels = [];
    /** @type {Panel[]} */
    this.panels = /** @type {const} */ (['U', 'W', 'V']).map((name) => {
      const el = /** @type {HTMLElement} */ (root.querySelector(`[data-matrix="${name}"]`));
      const canvasEl = /** @type {HTMLCanvasElement} */ (el.querySelector('canvas'));
      /** @type {Panel} */
      const panel = { name, el, matrix: null, scale: 1, canvas: /** @type {any} */ (null) };
      panel.canvas = new MatrixCanvas(canvasEl, {
        onHover: (cell) => this.#readout(panel, cell),
        onClick: ({ row, col }) => onUnit(name === 'V' ? col : row),
      });
      return panel;
    });
  }

  /** The matrix a panel shows. @param {Record<string, Matrix>} weights @param {Panel} p */
  #matrix(weights, p) {
    return weights[NAMES[p.name][this.gates > 1 ? 1 : 0]];
  }

  /** @param {Record<string, Matrix>} weights by name (`Playground.weights()`) @param {LayoutInfo} layout the model's (`Playground.layout()`) */
  render(weights, layout) {
    this.columnLabels = layout.columnLabels;
    const H = weights.V.cols;
    /** blocks of H rows in U's and W's places: 1, or the gates of a GRU (3) or an LSTM (4) */
    this.gates = weights.weight_hh ? weights.weight_hh.rows / H : 1;
    this.hidden = H;
    const grid = /** @type {HTMLElement} */ (this.root.querySelector('.weights-grid'));
    grid.classList.toggle('gated', this.gates > 1);
    const layoutNote = this.root.querySelector('[data-explain="weights-layout"]');
    if (layoutNote)
      layoutNote.textContent =
        this.gates > 1
          ? `weight_ih and weight_hh stack one block of H rows per gate (${GATES[this.gates]?.join(', ')}); V’s columns are the hidden units, as are weight_hh’s.`
          : 'U and W share their rows, the hidden units; V’s columns are the same units.';
    if (this.unit == null) this.select(null); // its note names this cell's weights
    for (const p of this.panels) {
      const m = this.#matrix(weights, p);
      /** @type {HTMLElement} */ (p.el.querySelector('figcaption b')).textContent = NAMES[p.name][this.gates > 1 ? 1 : 0];
      const role = /** @type {HTMLElement} */ (p.el.querySelector('figcaption small'));
      role.textContent = {
        U: this.gates > 1 ? 'input → gate row' : 'input → unit',
        W: this.gates > 1 ? 'unit at t−1 (column) → gate row at t' : 'unit at t−1 (column) → unit at t (row)',
        V: 'unit → output digit',
      }[p.name];
      p.scale = signedScale(m.values);
      const size = /** @type {HTMLElement} */ (p.el.querySelector('.size'));
      size.textContent = `${m.rows} × ${m.cols}, ±${fmt(p.scale)}`;
    }
    // U's caption keeps to two lines (its size, then what it maps), however narrow U's columns:
    // U's column is as wide as that caption, and W as large as fits beside it, up to W_SIZE
    const caption = /** @type {HTMLElement} */ (this.panels[0].el.querySelector('figcaption')).offsetWidth;
    const width = grid.clientWidth > 0 ? grid.clientWidth : W_SIZE + 84;
    const beside = Math.max(84, caption + 12);
    const cell = Math.min(MAX_CELL, Math.min(W_SIZE, width - beside) / H);
    grid.style.setProperty('--w-size', `${H * cell}px`);
    // a gated cell's blocks of rows stack, in at most twice W's height
    grid.style.setProperty('--w-height', `${Math.min(this.gates, 2) * H * cell}px`);
    // U's columns need not match W's: it is as wide as fits beside W on a phone
    const input = this.#matrix(weights, this.panels[0]);
    grid.style.setProperty('--u-width', `${Math.max(72, Math.min(input.cols * cell, width - H * cell - 12))}px`);
    // V's ten rows at least 8 px each, so that each output digit's row can be read and hovered
    grid.style.setProperty('--v-height', `${weights.V.rows * Math.max(MIN_V_ROW, cell)}px`);
    grid.style.setProperty('--units', String(H));
    for (const p of this.panels) {
      const m = this.#matrix(weights, p);
      p.matrix = m;
      p.canvas.draw(m.rows, m.cols, (i, j) => [...signedRgb(m.values[i * m.cols + j] / p.scale), 255]);
    }
    if (this.unit != null && this.unit >= H) this.select(null);
    this.root.setAttribute('data-hidden', String(H)); // for tests
  }

  /** Highlights a hidden unit's row and column in U, V and W, or none. @param {number | null} unit */
  select(unit) {
    this.unit = unit;
    const grid = /** @type {HTMLElement} */ (this.root.querySelector('.weights-grid'));
    grid.classList.toggle('has-unit', unit != null);
    grid.style.setProperty('--unit', String(unit ?? 0));
    this.root.setAttribute('data-unit', unit == null ? '' : String(unit));
    const note = /** @type {HTMLElement} */ (this.root.querySelector('.weights-unit'));
    const H = this.hidden ?? 0;
    const rows = Array.from({ length: this.gates ?? 1 }, (_, g) => g * H + (unit ?? 0)).join(', ');
    note.textContent =
      unit == null
        ? `Click an entry to follow a hidden unit through ${this.gates > 1 ? 'weight_ih, weight_hh' : 'U, W'} and V.`
        : this.gates > 1
          ? `Unit ${unit}: rows ${rows} of weight_ih and weight_hh (its gates’ inputs, one row per gate), column ${unit} of weight_hh (what its state sends every gate) and column ${unit} of V (its vote for each output digit).`
          : `Unit ${unit}: row ${unit} of U (what each input adds to it), row ${unit} of W (what the other units send it), column ${unit} of W (what it sends them) and column ${unit} of V (its vote for each output digit).`;
  }

  /** @param {Panel} p @param {import('./matrix-canvas.js').Cell | null} cell */
  #readout(p, cell) {
    const m = p.matrix;
    if (!cell || !m) {
      this.readout.textContent = 'Hover or tap an entry for its value.';
      return;
    }
    const { row: i, col: j } = cell;
    const v = fmt(m.values[i * m.cols + j]);
    const H = this.hidden ?? 1;
    const into = this.gates > 1 ? `gate ${GATES[this.gates]?.[Math.floor(i / H)] ?? ''} of unit ${i % H}` : `unit ${i}`;
    const what = {
      U: `input ${this.columnLabels[j]} into ${into}`,
      W: `unit ${j}'s state at step t−1 into ${into} at step t`,
      V: `unit ${j} into output digit ${i}`,
    }[p.name];
    this.readout.textContent = `${NAMES[p.name][this.gates > 1 ? 1 : 0]}[${i}, ${j}] = ${v}: ${what}.`;
  }
}
