// @ts-check
// The training curves: mean loss per epoch, and digit / whole-sum accuracy, drawn live with
// uPlot: solid on the training sums, dashed on the held-out test sums (and, for whole sums, the
// carry chains). Labelled lines mark chance (ln 10) and the best the notebook's layout allows on
// fresh sums, a limit of the test curves; dotted verticals mark where the rate was halved.
// Hovering shows the epoch and the values in the legend.

import uPlot from '../vendor/uPlot.esm.js';
import { CHANCE_LOSS } from '../reference.js';
import { DIGITS } from '../digits.js';

/** @import { LossRecord } from '../shapes.js' */
/** @import { Ceilings } from '../reference.js' */

/** @typedef {{ value: number | null | undefined, label: string, color: string, scale: string }} ReferenceLine a dashed line, where `value` is known */

/** Held-out curves are dashed, the carry chains dotted: the same colours as the training ones. */
const TEST_DASH = [6, 4];
const CHAIN_DASH = [2, 3];

/** @param {string} name */
const cssVar = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/**
 * A draw hook for the reference lines and the halvings.
 * @param {() => ReferenceLine[]} lines @param {() => number[]} halvings epochs
 * @returns {(u: uPlot) => void}
 */
function referenceLines(lines, halvings) {
  return (u) => {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
    ctx.lineWidth = devicePixelRatio;
    for (const { value, label, color, scale } of lines()) {
      if (value == null) continue;
      const y = u.valToPos(value, scale, true);
      if (y < bbox.top || y > bbox.top + bbox.height) continue;
      ctx.strokeStyle = ctx.fillStyle = color;
      ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
      ctx.beginPath();
      ctx.moveTo(bbox.left, y);
      ctx.lineTo(bbox.left + bbox.width, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.textAlign = 'right';
      ctx.fillText(label, bbox.left + bbox.width - 4, y - 4 * devicePixelRatio);
    }
    ctx.strokeStyle = ctx.fillStyle = cssVar('--warn');
    ctx.setLineDash([2 * devicePixelRatio, 3 * devicePixelRatio]);
    for (const epoch of halvings()) {
      const x = u.valToPos(epoch, 'x', true);
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
      // label on whichever side of the line has room
      const right = x + 50 * devicePixelRatio < bbox.left + bbox.width;
      ctx.textAlign = right ? 'left' : 'right';
      ctx.fillText('lr ÷ 2', x + (right ? 3 : -3) * devicePixelRatio, bbox.top + 12 * devicePixelRatio);
    }
    ctx.restore();
  };
}

/**
 * @typedef {object} ChartSpec
 * @property {uPlot.Series[]} series the y series
 * @property {uPlot.Scale.Range} yRange
 * @property {() => ReferenceLine[]} lines
 * @property {() => number[]} halvings
 * @property {(v: number) => string} yFormat the y axis' tick labels
 */

/** @param {HTMLElement} el @param {ChartSpec} spec @returns {uPlot} */
function chart(el, { series, yRange, lines, halvings, yFormat }) {
  /** @type {uPlot.Options} */
  const opts = {
    width: Math.max(200, el.clientWidth),
    height: 180,
    scales: { x: { time: false }, y: { range: yRange } },
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
    series: [{ label: 'epoch', value: (u, v) => (v == null ? '–' : String(v)) }, ...series],
    axes: [
      { stroke: cssVar('--muted'), grid: { stroke: cssVar('--grid') }, ticks: { stroke: cssVar('--grid') }, label: 'epoch', labelSize: 18, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] },
      { stroke: cssVar('--muted'), grid: { stroke: cssVar('--grid') }, ticks: { stroke: cssVar('--grid') }, size: 52, values: (u, vs) => vs.map(yFormat) },
    ],
    hooks: { draw: [referenceLines(lines, halvings)] },
  };
  const plot = new uPlot(opts, [[], ...series.map(() => /** @type {number[]} */ ([]))], el);
  new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height: 180 })).observe(el);
  return plot;
}

export class LossChart {
  /** @param {HTMLElement} lossEl @param {HTMLElement} accuracyEl */
  constructor(lossEl, accuracyEl) {
    this.lossEl = lossEl;
    this.accuracyEl = accuracyEl;
    /** @type {Ceilings | null} */
    this.ceilings = null;
    /** @type {number[]} the epochs that halved the learning rate */
    this.halvings = [];
    /** @param {number | null | undefined} v */
    const pct = (v) => (v == null ? '–' : `${(v * 100).toFixed(1)}%`);
    this.loss = chart(lossEl, {
      series: [
        { label: 'training loss', stroke: cssVar('--loss'), width: 2, points: { show: false }, value: (u, v) => (v == null ? '–' : v.toFixed(4)) },
        { label: 'test loss', stroke: cssVar('--loss'), width: 2, dash: TEST_DASH, points: { show: false }, value: (u, v) => (v == null ? '–' : v.toFixed(4)) },
      ],
      yRange: (u, min, max) => [0, Math.max(2.5, max ?? 0)],
      yFormat: (v) => v.toFixed(1),
      halvings: () => this.halvings,
      lines: () => [
        { value: CHANCE_LOSS, label: `chance: ln ${DIGITS} = ${CHANCE_LOSS.toFixed(3)}`, color: cssVar('--muted'), scale: 'y' },
        { value: this.ceilings?.loss, label: `best possible on test sums: ${this.ceilings?.loss}`, color: cssVar('--good'), scale: 'y' },
      ],
    });
    this.accuracy = chart(accuracyEl, {
      series: [
        { label: 'digits (training)', stroke: cssVar('--accent'), width: 2, points: { show: false }, value: (u, v) => pct(v) },
        { label: 'sums (training)', stroke: cssVar('--exact'), width: 2, points: { show: false }, value: (u, v) => pct(v) },
        { label: 'digits (test)', stroke: cssVar('--accent'), width: 2, dash: TEST_DASH, points: { show: false }, value: (u, v) => pct(v) },
        { label: 'sums (test)', stroke: cssVar('--exact'), width: 2, dash: TEST_DASH, points: { show: false }, value: (u, v) => pct(v) },
        { label: 'carry chains', stroke: cssVar('--good'), width: 2, dash: CHAIN_DASH, points: { show: false }, value: (u, v) => pct(v) },
      ],
      yRange: [0, 1],
      yFormat: (v) => `${Math.round(v * 100)}%`,
      halvings: () => [],
      lines: () => [
        { value: this.ceilings?.digitAccuracy, label: `test digits ceiling ${pct(this.ceilings?.digitAccuracy)}`, color: cssVar('--accent'), scale: 'y' },
        { value: this.ceilings?.exactAccuracy, label: `test sums ceiling ${pct(this.ceilings?.exactAccuracy)}`, color: cssVar('--exact'), scale: 'y' },
      ],
    });
  }

  /** @param {LossRecord[]} history the starting one first @param {Ceilings | null} ceilings the layout's best, if measured */
  render(history, ceilings) {
    this.ceilings = ceilings;
    this.halvings = history.filter((r) => r.halved).map((r) => r.epoch);
    const x = history.map((r) => r.epoch);
    // a diverged run's loss is Infinity or NaN: leave a gap rather than break the scale
    /** @param {number} v */
    const finite = (v) => (Number.isFinite(v) ? v : null);
    this.loss.setData([x, history.map((r) => finite(r.loss)), history.map((r) => finite(r.test.loss))]);
    this.accuracy.setData([
      x,
      history.map((r) => r.digitAccuracy),
      history.map((r) => r.exactAccuracy),
      history.map((r) => r.test.digitAccuracy),
      history.map((r) => r.test.exactAccuracy),
      history.map((r) => r.carryChainAccuracy),
    ]);
    // the legends show the latest values until the pointer picks another epoch
    for (const plot of [this.loss, this.accuracy]) if (plot.cursor.idx == null && x.length) plot.setLegend({ idx: x.length - 1 });
    // for tests and screen readers: how many points, and the latest loss
    const last = history.at(-1);
    this.lossEl.dataset.points = String(history.length);
    this.lossEl.dataset.lastLoss = last ? String(last.loss) : '';
    this.lossEl.dataset.lastTestLoss = last ? String(last.test.loss) : '';
    this.accuracyEl.dataset.lastTestExact = last ? String(last.test.exactAccuracy) : '';
    this.accuracyEl.dataset.lastChainExact = last ? String(last.carryChainAccuracy) : '';
    this.lossEl.setAttribute('aria-label', last ? `Loss chart: ${history.length} evaluations, latest loss ${last.loss.toFixed(4)} at epoch ${last.epoch}` : 'Loss chart: no data yet');
  }
}
