// @ts-check
// The charts' downloads: each chart as a PNG (its canvas as drawn, axes and reference lines
// included, on the theme's panel colour rather than transparent, under a band with its title and
// legend), and every recorded evaluation as a CSV, its numbers as the core recorded them. Both are
// saved through an `<a download>` on a Blob URL, which the page's Content-Security-Policy allows
// (no request, no inline code).

import { cssVar } from '../colors.js';

/** @import uPlot from '../vendor/uPlot.esm.js' */
/** @import { LossRecord } from '../shapes.js' */

/**
 * The CSV's columns: each a header naming the figure and its unit, and the figure read from a
 * record exactly as recorded (accuracies are fractions of 1: the charts show them as %).
 * @type {[string, (r: LossRecord) => number | boolean][]}
 */
export const CSV_COLUMNS = [
  ['epoch', (r) => r.epoch],
  ['examples seen', (r) => r.examplesSeen],
  ['training loss (nats per digit)', (r) => r.loss],
  ['test loss (nats per digit)', (r) => r.test.loss],
  ['training digits right (fraction)', (r) => r.digitAccuracy],
  ['training sums right (fraction)', (r) => r.exactAccuracy],
  ['test digits right (fraction)', (r) => r.test.digitAccuracy],
  ['test sums right (fraction)', (r) => r.test.exactAccuracy],
  ['carry chains right (fraction)', (r) => r.carryChainAccuracy],
  ['learning rate after', (r) => r.learningRate],
  ['rate halved', (r) => r.halved],
];

/**
 * One row per evaluation under a header. String(number) is the shortest text that reads back as
 * the same double: nothing is rounded (a diverged loss is written Infinity or NaN).
 * @param {LossRecord[]} history
 */
export function historyCsv(history) {
  const quote = (/** @type {string} */ t) => (/[",\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t);
  const lines = [CSV_COLUMNS.map(([name]) => quote(name)).join(',')];
  for (const r of history) lines.push(CSV_COLUMNS.map(([, value]) => String(value(r))).join(','));
  return `${lines.join('\n')}\n`;
}

/** Saves `blob` as the file `name`. @param {Blob} blob @param {string} name */
function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a); // Firefox follows only an anchor in the document
  a.click();
  a.remove();
  // revoked once the browser has taken the file (at once can cancel it in some browsers)
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Room around the band's text, and its line height (CSS px). */
const PAD = 8;
const LINE = 18;
/** A legend entry's line sample (CSS px). */
const SAMPLE = 22;

/**
 * A chart's canvas over the panel's colour, under a band with `title` and a legend of its shown
 * series drawn as the chart draws them (colour, dash). The image is as wide as the canvas.
 * @param {uPlot} u @param {string} title
 * @returns {HTMLCanvasElement}
 */
export function chartImage(u, title) {
  const chart = u.ctx.canvas;
  const px = chart.width / Math.max(1, u.width); // the canvas' pixels per CSS px
  const out = document.createElement('canvas');
  const ctx = /** @type {CanvasRenderingContext2D} */ (out.getContext('2d'));
  const font = (/** @type {string} */ weight) => `${weight} ${12 * px}px system-ui, sans-serif`;
  const entries = u.series.slice(1).flatMap((s, i) => {
    if (!s.show) return [];
    const stroke = typeof s.stroke === 'function' ? s.stroke(u, i + 1) : s.stroke;
    return [{ label: String(s.label ?? ''), stroke: String(stroke ?? cssVar('--text')), dash: s.dash ?? [], width: s.width ?? 1 }];
  });
  // the title, then the entries, wrapped at the canvas' width
  ctx.font = font('600');
  /** @type {{ x: number, line: number }[]} */
  const at = [];
  let x = PAD * px + ctx.measureText(title).width + 2 * PAD * px;
  let line = 0;
  ctx.font = font('400');
  for (const e of entries) {
    const w = (SAMPLE + 6) * px + ctx.measureText(e.label).width;
    if (x + w > chart.width - PAD * px && x > PAD * px) {
      x = PAD * px;
      line++;
    }
    at.push({ x, line });
    x += w + 2 * PAD * px;
  }
  const band = Math.round((2 * PAD + (line + 1) * LINE) * px);
  out.width = chart.width;
  out.height = band + chart.height;
  ctx.fillStyle = cssVar('--panel');
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.textBaseline = 'middle';
  const y = (/** @type {number} */ l) => (PAD + LINE / 2 + l * LINE) * px;
  ctx.fillStyle = cssVar('--text');
  ctx.font = font('600');
  ctx.fillText(title, PAD * px, y(0));
  ctx.font = font('400');
  entries.forEach((e, i) => {
    const { x, line } = at[i];
    ctx.strokeStyle = e.stroke;
    ctx.lineWidth = e.width * px;
    ctx.setLineDash(e.dash.map((d) => d * px));
    ctx.beginPath();
    ctx.moveTo(x, y(line));
    ctx.lineTo(x + SAMPLE * px, y(line));
    ctx.stroke();
    ctx.fillStyle = cssVar('--text');
    ctx.fillText(e.label, x + (SAMPLE + 6) * px, y(line));
  });
  ctx.drawImage(chart, 0, band);
  return out;
}

/**
 * @typedef {object} Source what the downloads are made from: what the page already holds
 * @property {() => LossRecord[]} history every recorded evaluation, the starting one first
 * @property {() => uPlot} loss the loss chart
 * @property {() => uPlot} accuracy the accuracy chart
 */

export class ChartDownload {
  /**
   * @param {ParentNode} root the buttons' panel: `[data-download="loss-png" | "accuracy-png" | "csv"]`
   * @param {Source} source
   */
  constructor(root, source) {
    this.source = source;
    /** @type {HTMLButtonElement[]} */
    this.buttons = [...root.querySelectorAll('button[data-download]')].map((b) => /** @type {HTMLButtonElement} */ (b));
    for (const b of this.buttons) b.addEventListener('click', () => this.#download(/** @type {string} */ (b.dataset.download)));
    this.enable(false);
  }

  /** The buttons work once there is an evaluation to save. @param {boolean} data */
  enable(data) {
    for (const b of this.buttons) b.disabled = !data;
  }

  /** @param {string} what `loss-png`, `accuracy-png` or `csv` */
  #download(what) {
    const history = this.source.history();
    const last = history.at(-1);
    if (!last) return; // the buttons are disabled until there is one
    const name = (/** @type {string} */ chart, /** @type {string} */ ext) => `rnn-playground-${chart}-epoch-${last.epoch}.${ext}`;
    if (what === 'csv') return save(new Blob([historyCsv(history)], { type: 'text/csv' }), name('loss', 'csv'));
    const [chart, title] = what === 'loss-png' ? [this.source.loss(), 'Loss'] : [this.source.accuracy(), 'Accuracy'];
    const image = chartImage(chart, `${title}, epoch ${last.epoch}`);
    image.toBlob((blob) => blob && save(blob, name(what === 'loss-png' ? 'loss' : 'accuracy', 'png')), 'image/png');
  }
}
