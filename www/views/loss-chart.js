// @ts-check
// The training curves: mean loss per epoch, and digit / whole-sum accuracy, drawn live with
// uPlot: solid on the training sums, dashed on the held-out test sums (and, for whole sums, the
// carry chains). Labelled lines mark chance (ln 10) and the best the notebook's layout allows on
// fresh sums, a limit of the test curves; short ticks along the top mark where the rate was
// halved (thinned where they crowd, one label). The loss can be drawn on a log scale, which
// spreads out the range where training ends (0.2-0.4). Hovering shows the values in the legend.

import uPlot from '../vendor/uPlot.esm.js';
import { cssVar } from '../colors.js';
import { DIGITS } from '../digits.js';

/** @import { LossRecord, Evaluation } from '../shapes.js' */

/** @typedef {{ value: number | null | undefined, label: string, color: string, scale: string }} ReferenceLine a dashed line, where `value` is known */

/** Held-out curves are dashed, the carry chains dotted: the same colours as the training ones. */
const TEST_DASH = [6, 4];
const CHAIN_DASH = [2, 3];

/** A uniform guess over the 10 digits, in nats. */
const CHANCE_LOSS = Math.log(DIGITS);

/** Halving ticks closer than this (px) are drawn as one. */
const TICK_GAP = 4;
/** The lane above the plot where the halvings are marked (px). */
const HALVING_LANE = 14;

/**
 * A draw hook for the reference lines and the halvings.
 * @param {() => ReferenceLine[]} lines @param {() => number[]} halvings epochs
 * @returns {(u: uPlot) => void}
 */
function referenceLines(lines, halvings) {
  return (u) => {
    const { ctx, bbox } = u;
    const px = devicePixelRatio;
    ctx.save();
    ctx.font = `${11 * px}px system-ui, sans-serif`;
    ctx.lineWidth = px;
    ctx.textBaseline = 'middle';
    for (const { value, label, color, scale } of lines()) {
      if (value == null) continue;
      const y = u.valToPos(value, scale, true);
      if (y < bbox.top || y > bbox.top + bbox.height) continue;
      // the label sits on the line at its right end, the line stopping short of it
      const right = bbox.left + bbox.width - 4 * px;
      const textLeft = right - ctx.measureText(label).width;
      ctx.strokeStyle = ctx.fillStyle = color;
      ctx.setLineDash([6 * px, 4 * px]);
      ctx.beginPath();
      ctx.moveTo(bbox.left, y);
      ctx.lineTo(Math.max(bbox.left, textLeft - 6 * px), y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.textAlign = 'left';
      ctx.fillText(label, textLeft, y);
    }
    // each halving a short tick in a lane above the plot, crowded ones drawn once, and one label
    // after the last (the lane is the chart's top padding: nothing else is drawn there)
    const epochs = halvings();
    ctx.strokeStyle = ctx.fillStyle = cssVar('--warn');
    ctx.lineWidth = 2 * px;
    let last = -Infinity;
    let end = null;
    let drawn = 0;
    for (const epoch of epochs) {
      const x = Math.round(u.valToPos(epoch, 'x', true));
      if (x - last < TICK_GAP * px) continue;
      last = x;
      end = x;
      drawn++;
      ctx.beginPath();
      ctx.moveTo(x, bbox.top - HALVING_LANE * px + 3 * px);
      ctx.lineTo(x, bbox.top - 2 * px);
      ctx.stroke();
    }
    u.root.dataset.halvingTicks = String(drawn); // for tests: the ticks drawn, after thinning
    if (end != null) {
      const label = epochs.length === 1 ? 'lr ÷ 2' : `lr ÷ 2, ${epochs.length} times`;
      const room = end + 90 * px < bbox.left + bbox.width;
      ctx.textAlign = room ? 'left' : 'right';
      ctx.fillText(label, end + (room ? 5 : -5) * px, bbox.top - (HALVING_LANE / 2) * px);
    }
    ctx.restore();
  };
}

/** Where the loss axis is labelled on a log scale. */
const LOG_TICKS = [0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6, 1, 1.5, 2, 3, 5, 10, 20, 50, 100];

/**
 * @typedef {object} ChartSpec
 * @property {uPlot.Series[]} series the y series
 * @property {uPlot.Scale.Range} yRange
 * @property {() => ReferenceLine[]} lines
 * @property {() => number[]} halvings
 * @property {(v: number) => string} yFormat the y axis' tick labels
 * @property {boolean} [log] a log scale for y
 */

/** @param {HTMLElement} el @param {ChartSpec} spec @returns {uPlot} */
function chart(el, { series, yRange, lines, halvings, yFormat, log = false }) {
  /** @type {uPlot.Options} */
  const opts = {
    width: Math.max(200, el.clientWidth),
    height: 180,
    padding: [HALVING_LANE, null, null, null],
    scales: { x: { time: false }, y: log ? { distr: 3, log: 10, range: yRange } : { range: yRange } },
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
    series: [{ label: 'epoch', value: (u, v) => (v == null ? '–' : String(v)) }, ...series],
    axes: [
      {
        stroke: cssVar('--muted'),
        grid: { stroke: cssVar('--grid') },
        ticks: { stroke: cssVar('--grid') },
        label: 'epoch',
        labelSize: 18,
        incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      },
      {
        stroke: cssVar('--muted'),
        grid: { stroke: cssVar('--grid') },
        ticks: { stroke: cssVar('--grid') },
        size: 52,
        values: (u, vs) => vs.map(yFormat),
        ...(log
          ? {
              filter: (/** @type {uPlot} */ u, /** @type {number[]} */ splits) => splits,
              splits: (/** @type {uPlot} */ u, /** @type {number} */ i, /** @type {number} */ min, /** @type {number} */ max) =>
                LOG_TICKS.filter((v) => v >= min && v <= max),
            }
          : {}),
      },
    ],
    hooks: {
      draw: [
        referenceLines(lines, halvings),
        // for tests: how many pixels tall the range where training ends, 0.2-0.4, is drawn
        (u) => (el.dataset.band = String(Math.round(u.valToPos(0.2, 'y') - u.valToPos(0.4, 'y')))),
      ],
    },
  };
  return new uPlot(opts, [[], ...series.map(() => /** @type {number[]} */ ([]))], el);
}

export class LossChart {
  /**
   * @param {HTMLElement} lossEl @param {HTMLElement} accuracyEl @param {HTMLInputElement} logToggle the loss chart's "log scale" checkbox
   * @param {HTMLElement} memorised the note shown when the training curves pass the layout's best on fresh sums
   */
  constructor(lossEl, accuracyEl, logToggle, memorised) {
    this.lossEl = lossEl;
    this.accuracyEl = accuracyEl;
    this.memorised = memorised;
    /** @type {Evaluation | null} */
    this.ceilings = null;
    /** @type {number[]} the epochs that halved the learning rate */
    this.halvings = [];
    /** @param {number | null | undefined} v */
    const pct = (v) => (v == null ? '–' : `${(v * 100).toFixed(1)}%`);
    /** @param {number | null | undefined} v */
    const loss4 = (v) => (v == null ? '–' : v.toFixed(4));
    /** @param {boolean} log @returns {ChartSpec} */
    this.lossSpec = (log) => ({
      log,
      series: [
        {
          label: `training loss${this.second ? ', A' : ''}`,
          stroke: cssVar('--loss'),
          width: 2,
          points: { show: false },
          spanGaps: true,
          value: (u, v) => loss4(v),
        },
        {
          label: `test loss${this.second ? ', A' : ''}`,
          stroke: cssVar('--loss'),
          width: 2,
          dash: TEST_DASH,
          points: { show: false },
          spanGaps: true,
          value: (u, v) => loss4(v),
        },
        ...(this.second
          ? /** @type {uPlot.Series[]} */ ([
              { label: 'training loss, B', stroke: cssVar('--accent'), width: 2, points: { show: false }, spanGaps: true, value: (u, v) => loss4(v) },
              {
                label: 'test loss, B',
                stroke: cssVar('--accent'),
                width: 2,
                dash: TEST_DASH,
                points: { show: false },
                spanGaps: true,
                value: (u, v) => loss4(v),
              },
            ])
          : []),
      ],
      // on the log scale, from just below the lowest curve or limit, so the end of training is spread out
      yRange: log
        ? (u, min, max) => [0.9 * Math.min(min ?? 1, this.ceilings?.loss ?? Infinity, 0.2), Math.max(2.5, max ?? 0)]
        : (u, min, max) => [0, Math.max(2.5, max ?? 0)],
      yFormat: (v) => (v == null ? '' : log ? String(+v.toPrecision(2)) : v.toFixed(1)),
      halvings: () => this.halvings,
      lines: () => [
        { value: CHANCE_LOSS, label: `chance: ln ${DIGITS} = ${CHANCE_LOSS.toFixed(3)}`, color: cssVar('--muted'), scale: 'y' },
        { value: this.ceilings?.loss, label: `best possible on test sums: ${this.ceilings?.loss}`, color: cssVar('--good'), scale: 'y' },
      ],
    });
    /** @type {{ history: LossRecord[], names: { a: string, b: string } } | null} a second run overlaid (compare) */
    this.second = null;
    // the runs' names while comparing, above the chart (only then): which colour is which run
    this.legend = Object.assign(document.createElement('p'), { className: 'compare-legend', id: 'compare-legend-loss' });
    this.accuracyLegend = Object.assign(document.createElement('p'), { className: 'compare-legend', id: 'compare-legend-accuracy' });
    this.logToggle = logToggle;
    this.loss = chart(lossEl, this.lossSpec(logToggle.checked));
    // uPlot fixes a scale's distribution when it is made: a new chart for the other scale
    logToggle.addEventListener('change', () => {
      this.loss.destroy();
      this.loss = chart(lossEl, this.lossSpec(logToggle.checked));
      lossEl.dataset.scale = logToggle.checked ? 'log' : 'linear';
      requestAnimationFrame(() => this.last && this.render(...this.last)); // once the new chart has its size
    });
    lossEl.dataset.scale = logToggle.checked ? 'log' : 'linear';
    for (const [el, plot] of /** @type {[HTMLElement, () => uPlot][]} */ ([
      [lossEl, () => this.loss],
      [accuracyEl, () => this.accuracy],
    ])) {
      new ResizeObserver(() => plot()?.setSize({ width: Math.max(200, el.clientWidth), height: 180 })).observe(el);
    }
    /** @param {string} label @param {string} color @param {number[]} [dash] @returns {uPlot.Series} */
    const rate = (label, color, dash) => ({ label, stroke: cssVar(color), width: 2, dash, points: { show: false }, spanGaps: true, value: (u, v) => pct(v) });
    /** One run: its training and held-out figures; two (compare): each run's held-out figures in its colour. @returns {ChartSpec} */
    this.accuracySpec = () => ({
      series: this.second
        ? ['A', 'B'].flatMap((run) => {
            const color = run === 'A' ? '--loss' : '--accent';
            return [rate(`digits (test), ${run}`, color), rate(`sums (test), ${run}`, color, TEST_DASH), rate(`carry chains, ${run}`, color, CHAIN_DASH)];
          })
        : [
            rate('digits (training)', '--accent'),
            rate('sums (training)', '--exact'),
            rate('digits (test)', '--accent', TEST_DASH),
            rate('sums (test)', '--exact', TEST_DASH),
            rate('carry chains', '--good', CHAIN_DASH),
          ],
      yRange: [0, 1],
      yFormat: (v) => `${Math.round(v * 100)}%`,
      halvings: () => [],
      log: false,
      lines: () => [
        { value: this.ceilings?.digitAccuracy, label: `test digits ceiling ${pct(this.ceilings?.digitAccuracy)}`, color: cssVar('--accent'), scale: 'y' },
        { value: this.ceilings?.exactAccuracy, label: `test sums ceiling ${pct(this.ceilings?.exactAccuracy)}`, color: cssVar('--exact'), scale: 'y' },
      ],
    });
    this.accuracy = chart(accuracyEl, this.accuracySpec());
  }

  /**
   * @param {LossRecord[]} history the starting one first @param {Evaluation | null} ceilings the layout's best on fresh sums (`LayoutInfo.floor`), if measured
   * @param {{ history: LossRecord[], names: { a: string, b: string } } | null} [second] a second run to overlay, and both runs' names
   */
  render(history, ceilings, second = null) {
    /** @type {[LossRecord[], Evaluation | null, typeof second]} */
    this.last = [history, ceilings, second];
    this.ceilings = ceilings;
    if (Boolean(second) !== Boolean(this.second)) {
      // a run more or less: the chart is made again with its series
      this.second = second;
      this.loss.destroy();
      this.loss = chart(this.lossEl, this.lossSpec(this.logToggle.checked));
      this.accuracy.destroy();
      this.accuracy = chart(this.accuracyEl, this.accuracySpec());
    }
    this.second = second;
    if (second) {
      this.lossEl.before(this.legend);
      this.accuracyEl.before(this.accuracyLegend);
    } else {
      this.legend.remove();
      this.accuracyLegend.remove();
    }
    const names = second ? `<span class="run-a">${escapeHtml(second.names.a)}</span> <span class="run-b">${escapeHtml(second.names.b)}</span> ` : '';
    this.legend.innerHTML = second ? `${names}<span class="muted">solid: training sums, dashed: test sums</span>` : '';
    this.accuracyLegend.innerHTML = second ? `${names}<span class="muted">held-out sums: solid digits, dashed whole sums, dotted carry chains</span>` : '';
    this.halvings = history.filter((r) => r.halved).map((r) => r.epoch);
    const x = history.map((r) => r.epoch);
    // a diverged run's loss is Infinity or NaN: leave a gap rather than break the scale
    /** @param {number} v */
    const finite = (v) => (Number.isFinite(v) ? v : null);
    if (second) {
      // both runs on the epochs either evaluated at
      const xs = [...new Set([...x, ...second.history.map((r) => r.epoch)])].sort((p, q) => p - q);
      const at = (/** @type {LossRecord[]} */ h) => new Map(h.map((r) => [r.epoch, r]));
      const [ra, rb] = [at(history), at(second.history)];
      /** @param {Map<number, LossRecord>} m @param {(r: LossRecord) => number} f */
      const column = (m, f) => xs.map((e) => (m.has(e) ? finite(f(/** @type {LossRecord} */ (m.get(e)))) : null));
      const train = (/** @type {LossRecord} */ r) => r.loss;
      const test = (/** @type {LossRecord} */ r) => r.test.loss;
      this.loss.setData([xs, column(ra, train), column(ra, test), column(rb, train), column(rb, test)]);
      /** @type {((r: LossRecord) => number)[]} */
      const rates = [(r) => r.test.digitAccuracy, (r) => r.test.exactAccuracy, (r) => r.carryChainAccuracy];
      this.accuracy.setData([xs, ...[ra, rb].flatMap((m) => rates.map((f) => column(m, f)))]);
    } else {
      this.loss.setData([x, history.map((r) => finite(r.loss)), history.map((r) => finite(r.test.loss))]);
      this.accuracy.setData([
        x,
        history.map((r) => r.digitAccuracy),
        history.map((r) => r.exactAccuracy),
        history.map((r) => r.test.digitAccuracy),
        history.map((r) => r.test.exactAccuracy),
        history.map((r) => r.carryChainAccuracy),
      ]);
    }
    // the legends show the latest epoch both runs have reached until the pointer picks another
    for (const plot of [this.loss, this.accuracy])
      if (plot.cursor.idx == null && plot.data[0].length) plot.setLegend({ idx: second ? latestComplete(plot.data) : plot.data[0].length - 1 });
    // for tests and screen readers: how many points, and the latest loss
    const last = history.at(-1);
    this.lossEl.dataset.points = String(history.length);
    this.lossEl.dataset.lastLoss = last ? String(last.loss) : '';
    this.lossEl.dataset.lastTestLoss = last ? String(last.test.loss) : '';
    this.accuracyEl.dataset.lastTestExact = last ? String(last.test.exactAccuracy) : '';
    this.accuracyEl.dataset.lastChainExact = last ? String(last.carryChainAccuracy) : '';
    this.lossEl.dataset.halvings = String(this.halvings.length);
    this.lossEl.setAttribute(
      'aria-label',
      last ? `Loss chart: ${history.length} evaluations, latest loss ${last.loss.toFixed(4)} at epoch ${last.epoch}` : 'Loss chart: no data yet',
    );
  }

  /**
   * When the training curve passes a limit that holds for fresh sums, that is memorisation: say so.
   * @param {LossRecord | undefined} last @param {Evaluation | null} limits @param {number} nSamples the training sums
   */
  showMemorised(last, limits, nSamples) {
    const el = this.memorised;
    const below = last && limits && last.epoch > 0 && (last.loss < limits.loss || last.digitAccuracy > limits.digitAccuracy);
    el.hidden = !below;
    if (below) {
      el.textContent = `The training curves have passed the best any network can do on fresh sums in this layout: it is memorising its ${nSamples} training sums. The dashed test curves show what it has learnt about adding, and they stay behind the limits. The Carry preset reads the digits in an order that lets it learn to carry.`;
    }
  }
}

/**
 * The last index at which every series has a value (when two runs are compared, one may be an
 * epoch ahead of the other), else the last index.
 * @param {uPlot.AlignedData} data
 */
function latestComplete(data) {
  const n = data[0].length;
  for (let i = n - 1; i >= 0; i--) if (data.slice(1).every((s) => s[i] != null)) return i;
  return n - 1;
}

/** Text made safe for innerHTML. @param {string} text */
function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
