// @ts-check
// How BPTT's error flows back, for the typed sum: a T × T heatmap of ‖∂E_t/∂s_k‖ (row t the
// output step whose error it is, column k the hidden state it reaches) on a log colour scale,
// with the truncation drawn as a cut (what lies left of it BPTT leaves out); a chart of how the
// size falls j steps back; and W's largest singular value over training, the bound on how much
// one step back through W can grow the error.

import uPlot from '../vendor/uPlot.esm.js';
import { magnitudeRgb, isDark, css, gradient, cssVar } from '../colors.js';
import { MatrixCanvas } from './matrix-canvas.js';

/** @import { GradientFlow, LayoutInfo } from '../shapes.js' */

/** Canvas pixels per entry: room for the cut and the selected row's outline. */
const CELL = 12;
/** The colour scale spans this many decades below the largest entry. */
const DECADES = 5;
/** Points of the σ(W) series kept: beyond, every other one is dropped. */
const MOST_POINTS = 2000;

/** @param {number} v */
const sci = (v) => {
  if (v === 0 || !Number.isFinite(v)) return String(v); // NaN while an epoch blows up
  const [m, e] = v.toExponential(2).split('e');
  return `${m}×10${e.replace('+', '').replace(/[-\d]/g, (c) => '⁻⁰¹²³⁴⁵⁶⁷⁸⁹'['-0123456789'.indexOf(c)])}`;
};

/** A log axis's tick: 1, 0.01, 1e-4. @param {number} v */
const short = (v) => (v >= 0.001 ? String(+v.toPrecision(1)) : v.toExponential(0));

/** The colour range of a flow: the largest entry and DECADES below it. @param {Float64Array} values */
export function flowRange(values) {
  const hi = values.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, v) : m), 0);
  return { lo: hi * 10 ** -DECADES, hi };
}

export class GradientFlowView {
  /** @param {Element} root the panel @param {(t: number) => void} onSelect an output step was clicked */
  constructor(root, onSelect) {
    this.root = root;
    this.canvas = /** @type {HTMLCanvasElement} */ (root.querySelector('.flow-map canvas'));
    this.readout = /** @type {HTMLElement} */ (root.querySelector('.flow-readout'));
    this.summary = /** @type {HTMLElement} */ (root.querySelector('.flow-summary'));
    this.matrix = new MatrixCanvas(this.canvas, {
      onHover: (cell) => this.#readout(cell),
      onClick: (cell) => onSelect(cell.row),
    });
    /** @type {{ flow: GradientFlow, truncate: number, layout: LayoutInfo, selected: number | null } | null} */
    this.last = null;
    /** @type {[number[], number[]]} epochs, σ(W) */
    this.sigma = [[], []];
    const [decayEl, sigmaEl] = /** @type {HTMLElement[]} */ ([...root.querySelectorAll('.flow-charts .small-chart')]);
    this.decayChart = this.#chart(decayEl, 'steps back, j', 'mean size', true, () => {
      const t = this.last?.truncate;
      return t != null && this.last && t < this.last.flow.steps - 1 ? [{ x: t, label: `truncation ${t}` }] : [];
    });
    this.sigmaChart = this.#chart(sigmaEl, 'epoch', 'σ(W)', false, () => [], 1);
    new ResizeObserver(() => {
      /** @type {[uPlot, HTMLElement][]} */
      const charts = [
        [this.decayChart, decayEl],
        [this.sigmaChart, sigmaEl],
      ];
      for (const [c, el] of charts) c.setSize({ width: Math.max(180, el.clientWidth), height: 150 });
    }).observe(decayEl);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.last && this.#draw());
  }

  /** A new model: its σ(W) series starts again. */
  reset() {
    this.sigma = [[], []];
    this.sigmaChart.setData([[], []]);
  }

  /** @param {number} at epochs into training @param {number} sigma */
  addSigma(at, sigma) {
    if (!Number.isFinite(sigma)) return; // weights mid-way through an epoch that blows up (it is undone)
    const [xs, ys] = this.sigma;
    if (xs.length && at <= xs[xs.length - 1]) {
      // the same weights again (a new sum, a pause): replace, never go back in time
      ys[ys.length - 1] = sigma;
    } else {
      xs.push(at);
      ys.push(sigma);
    }
    if (xs.length > MOST_POINTS)
      this.sigma = [xs.filter((_, i) => i % 2 === 0 || i === xs.length - 1), ys.filter((_, i) => i % 2 === 0 || i === ys.length - 1)];
    this.sigmaChart.setData(this.sigma);
    this.root.setAttribute('data-sigma', sigma.toFixed(4)); // for tests
  }

  /**
   * @param {GradientFlow} flow @param {number} truncate BPTT truncation
   * @param {LayoutInfo} layout the model's (`Playground.layout()`) @param {number | null} selected the selected output step
   */
  render(flow, truncate, layout, selected) {
    if (flow.steps !== this.last?.flow.steps) this.#label(flow.steps);
    this.last = { flow, truncate, layout, selected };
    this.#draw();
    const decay = Array.from(flow.decay);
    this.decayChart.setData([decay.map((_, j) => j), decay.map((v) => (v > 0 ? v : null))]);
    const far = Math.min(10, flow.steps - 1);
    this.summary.textContent = far > 0 ? fadeSentence(decay[0], decay[far], far) : '';
    this.root.setAttribute('data-steps', String(flow.steps));
  }

  /** Why the flow shown is not of the weights now (the last one drawn stays). @param {string} why */
  unavailable(why) {
    this.summary.textContent = why;
  }

  /**
   * Step numbers along both axes. A column is 13 px wide, about two digits' width, so under the
   * columns two-digit numbers go every other step (else "10111213" runs together); the rows,
   * 13 px high, take a number each up to 20 steps.
   * @param {number} T
   */
  #label(T) {
    /** @type {HTMLElement} */ (this.root).style.setProperty('--flow-steps', String(T));
    const axes = /** @type {const} */ ([
      ['.flow-rows', T > 20 ? 2 : 1],
      ['.flow-cols', T > 10 ? 2 : 1],
    ]);
    for (const [sel, every] of axes) {
      const el = /** @type {HTMLElement} */ (this.root.querySelector(sel));
      el.replaceChildren(
        ...Array.from({ length: T }, (_, i) => Object.assign(document.createElement('span'), { textContent: i % every === 0 ? String(i) : '' })),
      );
    }
  }

  /** The selected step changed: outline its row. @param {number | null} selected */
  select(selected) {
    if (!this.last || this.last.selected === selected) return;
    this.last.selected = selected;
    this.#draw();
  }

  #draw() {
    if (!this.last) return;
    const { flow, truncate, selected } = this.last;
    const T = flow.steps;
    const { lo, hi } = flowRange(flow.values);
    const dark = isDark();
    const size = T * CELL;
    if (this.canvas.width !== size) this.canvas.width = this.canvas.height = size;
    this.matrix.rows = this.matrix.cols = T;
    const ctx = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext('2d'));
    ctx.fillStyle = cssVar('--grid');
    ctx.fillRect(0, 0, size, size);
    for (let t = 0; t < T; t++) {
      for (let k = 0; k <= t; k++) {
        ctx.fillStyle = css(magnitudeRgb(flow.values[t * T + k], lo, hi, dark));
        ctx.fillRect(k * CELL, t * CELL, CELL, CELL);
      }
    }
    // left of the cut BPTT leaves the error out: veiled, and the cut drawn as a staircase
    ctx.fillStyle = dark ? 'rgb(0 0 0 / 0.55)' : 'rgb(255 255 255 / 0.6)';
    for (let t = truncate + 1; t < T; t++) ctx.fillRect(0, t * CELL, (t - truncate) * CELL, CELL);
    if (truncate + 1 < T) {
      ctx.strokeStyle = cssVar('--text');
      ctx.lineWidth = 2;
      ctx.setLineDash([4, 2]);
      ctx.beginPath();
      ctx.moveTo(0, (truncate + 1) * CELL);
      for (let t = truncate + 1; t < T; t++) {
        ctx.lineTo((t - truncate) * CELL, t * CELL);
        ctx.lineTo((t - truncate) * CELL, (t + 1) * CELL);
      }
      ctx.stroke();
      ctx.setLineDash([]);
    }
    if (selected != null && selected < T) {
      ctx.strokeStyle = cssVar('--accent');
      ctx.lineWidth = 2;
      ctx.strokeRect(1, selected * CELL + 1, (selected + 1) * CELL - 2, CELL - 2);
    }
    const legend = /** @type {HTMLElement | null} */ (this.root.querySelector('.flow-legend-bar'));
    if (legend) legend.style.background = gradient((v) => magnitudeRgb(10 ** v, lo, hi, dark), Math.log10(lo || 1e-300), Math.log10(hi || 1));
    const ends = this.root.querySelectorAll('.flow-legend span:not(.flow-legend-bar)');
    if (ends.length === 2) {
      ends[0].textContent = `≤ ${sci(lo)}`;
      ends[1].textContent = sci(hi);
    }
    this.canvas.setAttribute('aria-label', `Gradient flow: ${T} output steps by ${T} hidden states; the truncation cuts at ${truncate} steps back`);
    this.#readout(null);
  }

  /** @param {import('./matrix-canvas.js').Cell | null} cell */
  #readout(cell) {
    if (!this.last) return;
    const { flow, truncate, layout } = this.last;
    if (!cell) {
      this.readout.textContent = 'Hover or tap a cell for its value; click a row to select that output step.';
      return;
    }
    const { row: t, col: k } = cell;
    const name = (/** @type {number} */ i) => `${i} (${layout.stepLabels[i]})`;
    if (k > t) {
      this.readout.textContent = `The error at output step ${name(t)} does not reach s at step ${name(k)}: that state comes later.`;
      return;
    }
    const v = flow.values[t * flow.steps + k];
    const back = t - k;
    const cut = back > truncate ? ` BPTT with truncation ${truncate} leaves this out.` : '';
    this.readout.textContent = `‖∂E_${t}/∂s_${k}‖ = ${sci(v)}: the error at output step ${name(t)}, ${back} step${back === 1 ? '' : 's'} back at s_${k}.${cut}`;
  }

  /**
   * @param {HTMLElement} el @param {string} xLabel @param {string} yLabel @param {boolean} log
   * @param {() => { x: number, label: string }[]} marks vertical lines @param {number} [level] a dashed horizontal line
   */
  #chart(el, xLabel, yLabel, log, marks, level) {
    const axis = { stroke: cssVar('--muted'), grid: { stroke: cssVar('--grid') }, ticks: { stroke: cssVar('--grid') } };
    /** @type {uPlot.Options} */
    const opts = {
      width: Math.max(180, el.clientWidth),
      height: 150,
      scales: { x: { time: false }, y: log ? { distr: 3, log: 10 } : { range: (u, min, max) => [Math.min(0, min ?? 0), Math.max(1.5, (max ?? 0) * 1.1)] } },
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      series: [{}, { stroke: cssVar('--loss'), width: 2 }],
      axes: [
        { ...axis, label: xLabel, labelSize: 16 },
        { ...axis, label: yLabel, labelSize: 16, size: 56, values: (u, vs) => vs.map((v) => (v == null ? '' : log ? short(v) : String(+v.toPrecision(3)))) },
      ],
      hooks: {
        draw: [
          (u) => {
            const { ctx, bbox } = u;
            const px = devicePixelRatio;
            ctx.save();
            ctx.strokeStyle = ctx.fillStyle = cssVar('--muted');
            ctx.lineWidth = px;
            ctx.setLineDash([5 * px, 4 * px]);
            ctx.font = `${11 * px}px system-ui, sans-serif`;
            for (const { x, label } of marks()) {
              const X = u.valToPos(x, 'x', true);
              ctx.beginPath();
              ctx.moveTo(X, bbox.top);
              ctx.lineTo(X, bbox.top + bbox.height);
              ctx.stroke();
              ctx.fillText(label, X + 4 * px, bbox.top + 12 * px);
            }
            if (level != null) {
              const Y = u.valToPos(level, 'y', true);
              ctx.beginPath();
              ctx.moveTo(bbox.left, Y);
              ctx.lineTo(bbox.left + bbox.width, Y);
              ctx.stroke();
              ctx.fillText(`${level}`, bbox.left + 4 * px, Y - 5 * px);
            }
            ctx.restore();
          },
        ],
      },
    };
    return new uPlot(opts, [[], []], el);
  }
}

/**
 * How an error's size `far` steps back compares with its size at its own step, in words: any
 * model that loads gets a true sentence, weights so large that every tanh saturates included.
 * @param {number} near @param {number} back @param {number} far
 */
function fadeSentence(near, back, far) {
  if (!Number.isFinite(near) || !Number.isFinite(back) || !(near > 0)) return `At these weights an error’s size cannot be compared ${far} steps back.`;
  if (back === 0) return `At these weights an error fades to exactly 0 before it is ${far} steps back.`;
  const ratio = near / back;
  const how = ratio >= 1 ? `${ratio < 100 ? ratio.toFixed(1) : sci(ratio)} times smaller` : `${(1 / ratio).toFixed(1)} times larger`;
  return `At these weights an error is on average ${how} ${far} steps back than at its own step.`;
}
