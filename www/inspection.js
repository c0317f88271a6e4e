// @ts-check
// The BPTT views' data: the gradient flow of the watched sum, the weights and W's largest
// singular value, asked of the worker (`inspect`) at most once at a time, and while training no
// more often than it can afford (its cost times COST_FACTOR, and at least every MIN_GAP_MS);
// then drawn into the flow heatmap and charts, the weight heatmaps and the network's rings.

import { Command } from './protocol.js';
import { GradientFlowView, flowRange } from './views/gradient-flow.js';
import { WeightsView } from './views/weights.js';
import { magnitudeRgb, isDark } from './colors.js';

/** @import { Inspection, LayoutInfo } from './shapes.js' */
/** @import { NetworkView } from './views/network.js' */

/** Fewest ms between two inspections while training. */
const MIN_GAP_MS = 250;
/** An inspection costs the worker at most 1 / COST_FACTOR of its time while training. */
const COST_FACTOR = 10;

export class Inspector {
  /**
   * A second run's (compare) has no weights or network: its flow map and charts only.
   * @param {{ request: (type: string) => Promise<any>, flowRoot: Element, weightsRoot?: Element,
   *   network?: NetworkView, onSelect: (t: number) => void, onRedraw: () => void }} deps
   */
  constructor({ request, flowRoot, weightsRoot, network, onSelect, onRedraw }) {
    this.request = request;
    this.network = network;
    this.onRedraw = onRedraw;
    this.flow = new GradientFlowView(flowRoot, onSelect);
    this.weights = weightsRoot ? new WeightsView(weightsRoot, (unit) => this.weights?.select(unit === this.weights.unit ? null : unit)) : null;
    this.weights?.select(null);
    /** @type {Inspection | null} */
    this.latest = null;
    this.pending = false;
    this.again = false; // asked while one was under way: ask once more when it is back
    this.lastAt = -Infinity;
    this.model = 0; // bumped by each new model
    this.undrawn = false; // the latest reply is not drawn yet
    this.cost = 0;
    this.animate = false;
    flowRoot.querySelector('.flow-map button')?.addEventListener('click', () => {
      this.animate = true;
      onRedraw();
    });
  }

  /** A new model: the σ(W) series starts again. */
  reset() {
    this.latest = null;
    this.flow.reset();
    // a request about the old model may never be answered (the worker drops stale ones)
    this.pending = false;
    this.again = false;
    this.model += 1;
  }

  /** Asks for fresh data; with `throttled`, only if enough time has passed (while training). */
  ask(throttled = false) {
    const now = performance.now();
    if (throttled && now - this.lastAt < Math.max(MIN_GAP_MS, this.cost * COST_FACTOR)) return;
    if (this.pending) {
      this.again = !throttled || this.again;
      return;
    }
    this.pending = true;
    this.lastAt = now;
    const model = this.model;
    this.request(Command.inspect)
      .then((reply) => {
        if (!reply || model !== this.model) return;
        this.latest = reply;
        this.undrawn = true;
        this.cost = reply.millis;
        this.flow.addSigma(reply.at, reply.sigma);
        this.onRedraw();
      })
      .catch(() => {}) // refused while a new model is being prepared: its `ready` asks again
      .finally(() => {
        if (model !== this.model) return;
        this.pending = false;
        if (this.again) {
          this.again = false;
          this.ask();
        }
      });
  }

  /** A step was clicked: its error is sent back along the network once more. */
  selected() {
    this.animate = true;
  }

  /**
   * @param {number | null} selected @param {number} bpttTruncate the model's truncation
   * @param {LayoutInfo} layout the model's (`Playground.layout()`) @param {boolean} motion animations are welcome
   */
  render(selected, bpttTruncate, layout, motion) {
    const r = this.latest;
    if (!r) return;
    const flow = r.flow && !('error' in r.flow) ? r.flow : null;
    // the heatmaps and charts only when the data is new: the page redraws far more often
    if (this.undrawn) {
      this.undrawn = false;
      this.weights?.render(r.weights, layout);
      if (r.flow && 'error' in r.flow) this.flow.unavailable(r.flow.error);
      if (flow) this.flow.render(flow, bpttTruncate, layout, selected);
    }
    if (!flow) return;
    this.flow.select(selected);
    if (!this.network) return;
    const T = flow.steps;
    if (this.network.steps !== T) return; // the network still shows another sum's steps
    const { lo, hi } = flowRange(flow.values);
    const dark = isDark();
    const row = selected != null && selected < T ? flow.values.subarray(selected * T, selected * T + T) : null;
    this.network.showFlow(selected, row, bpttTruncate, (v) => magnitudeRgb(v, lo, hi, dark), this.animate && motion);
    this.animate = false;
  }
}
