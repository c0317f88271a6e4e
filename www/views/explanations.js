// @ts-check
// The explanations that depend on the run: under the loss and accuracy charts (the floor, where
// the layout has one), and in "How it works" (what x_t is, the sizes of this run's matrices, why
// this layout can or cannot add). Written from the core's description of the layout
// (`Playground.layout()`: what it reads, when the carry is known, whether it can add, its floor)
// and the run's settings, so nothing said under Carry is the notebook's.

import { EXPERIMENTS } from './tour.js';
import { grouped } from '../numbers.js';

/** @typedef {import('../shapes.js').LayoutInfo} LayoutInfo */

/** @param {number} v a fraction */
const pct = (v) => `${+(v * 100).toFixed(1)} %`;
/** The output's size: one probability per digit. */
const DIGITS = 10;
/** Blocks of H rows in a gated cell's stacked weights (PyTorch's): GRU r, z, n; LSTM i, f, g, o. @type {Record<string, number>} */
const GATES = { gru: 3, lstm: 4 };

/** What carries the error one step back, by cell: what the gradient-flow view shows differs. @type {Record<string, string>} */
const FLOW = {
  vanilla:
    'One step back multiplies the error by diag(1 − s²) W. With σ below 1 it must shrink at every step; above 1 it can grow, but the tanh factor 1 − s² ≤ 1 usually shrinks it still: vanishing gradients.',
  gru: 'A GRU’s step back is not one matrix: besides the paths through the gates, the error reaches h_{t−1} directly, scaled by the update gate z (h_t = (1 − z) n + z h_{t−1}). Where z is near 1 that path passes the error back almost unchanged, so it can reach far-back steps; σ(W) does not bound it, so no σ is drawn.',
  lstm: 'An LSTM’s error also flows back along the cell state: c_t = f c_{t−1} + i g, so one step back along c multiplies it by the forget gate f alone, with no squashing tanh and no W. Where f is near 1 the error reaches far-back steps almost unchanged; σ(W) does not bound it, so no σ is drawn.',
};

export class ExplanationsView {
  /** @param {ParentNode} root the page */
  constructor(root) {
    const $ = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (root.querySelector(sel));
    this.floor = $('[data-explain="floor"]');
    this.accuracy = $('[data-explain="accuracy"]');
    this.inputs = [...root.querySelectorAll('[data-explain="input"]')];
    this.cells = /** @type {HTMLElement[]} */ ([...root.querySelectorAll('[data-cell]')]);
    this.flowCell = $('[data-explain="flow-cell"]');
    // σ(W) over training, and its heading: the vanilla cell's alone
    const sigma = $('#flow-sigma');
    this.sigma = [sigma, /** @type {HTMLElement} */ (sigma.previousElementSibling)];
    this.dims = $('[data-explain="dims"]');
    this.whyTitle = $('[data-explain="why-title"]');
    this.why = $('[data-explain="why"]');
  }

  /**
   * @param {LayoutInfo} layout how this run lays a sum out in time
   * @param {Record<string, any>} values this run's settings
   */
  render(layout, values) {
    const { floor, adds, carry, reads } = layout;
    const n = layout.nDigits;
    this.floor.textContent = floor
      ? `The green line is a floor for the test curve, not a target: in this layout no network can go below it on fresh sums, since ${carry}. The training curve can go below it only by memorising the training sums, and as it does the test curve rises.`
      : adds
        ? `Nothing in this layout keeps the curves from 0: ${carry}.`
        : `In this layout no network can get every fresh sum right, since ${carry}. How close it can come is not measured at ${n} digits, so no line is drawn.`;
    this.accuracy.textContent =
      `Digits right and whole sums right: solid on the training sums, dashed on the test sums, dotted on carry chains such as ${'9'.repeat(n)} + 1.` +
      (floor
        ? ` The ceilings are what a perfect reader of this layout could reach on fresh sums: ${pct(floor.digitAccuracy)} of digits, ${pct(floor.exactAccuracy)} of whole sums.`
        : '');
    for (const el of this.inputs) el.textContent = layout.input;
    const cell = values.cell ?? 'vanilla';
    for (const el of this.cells) el.hidden = el.dataset.cell !== cell;
    this.flowCell.textContent = FLOW[cell] ?? FLOW.vanilla;
    for (const el of this.sigma) el.hidden = cell !== 'vanilla';
    const h = values.hiddenDim;
    const inputs = layout.columnLabels.length;
    const gates = GATES[cell] ?? 1;
    const rows =
      gates === 1
        ? [
            ['x', 't', 'I', inputs],
            ['o', 't', 'C', DIGITS],
            ['s', 't', 'H', h],
            ['U', '', 'H × I', h * inputs],
            ['V', '', 'C × H', DIGITS * h],
            ['W', '', 'H × H', h * h],
          ]
        : [
            ['x', 't', 'I', inputs],
            ['ŷ', 't', 'C', DIGITS],
            ['h', 't', 'H', h],
            ...(cell === 'lstm' ? [['c', 't', 'H', h]] : []),
            ['weight_ih', '', `${gates}H × I`, gates * h * inputs],
            ['weight_hh', '', `${gates}H × H`, gates * h * h],
            ['bias_ih, bias_hh', '', `${gates}H each`, 2 * gates * h],
            ['V', '', 'C × H', DIGITS * h],
          ];
    const body = /** @type {HTMLElement} */ (this.dims.querySelector('tbody'));
    body.replaceChildren(
      ...rows.map(([name, sub, shape, size]) => {
        const tr = document.createElement('tr');
        const symbol = document.createElement('td');
        symbol.append(String(name));
        if (sub) symbol.append(Object.assign(document.createElement('sub'), { textContent: sub }));
        tr.append(
          symbol,
          Object.assign(document.createElement('td'), { textContent: shape }),
          Object.assign(document.createElement('td'), { textContent: grouped(Number(size)) }),
        );
        return tr;
      }),
    );
    /** @type {HTMLElement} */ (this.dims.querySelector('.at')).textContent = `this run (H = ${h}, I = ${inputs})`;
    this.whyTitle.textContent = adds ? 'Why it can learn exact sums' : 'Why it cannot learn exact sums';
    const why = [`It reads ${reads}: ${carry}.`];
    // the path's steps that show a network adding: the Carry preset, and the Memory preset's LSTM
    const adding = EXPERIMENTS.findIndex((e) => e.preset === 'carry' && e.action === 'train' && !Object.keys(e.settings).length) + 1;
    const gated = EXPERIMENTS.findIndex((e) => e.preset === 'memory') + 1;
    if (adds && layout.name === 'delayed')
      why.push(
        `Nothing in the layout stops a network from getting every fresh sum right, if it can hold a’s digits until it needs them: the Memory preset’s LSTM learns to, and the vanilla cell with the same settings stays near chance (step ${gated} of “Try this”).`,
      );
    else if (adds)
      why.push(
        `Nothing in the layout stops a network from getting every fresh sum right: the Carry preset does within ${EXPERIMENTS[adding - 1].figures.epochs} epochs (step ${adding} of “Try this”).`,
      );
    else if (floor)
      why.push(
        `So the best any network can do on fresh sums in this layout is about ${floor.loss.toFixed(3)} nats per digit, ${pct(floor.digitAccuracy)} of digits and ${pct(floor.exactAccuracy)} of whole sums right (measured by enumeration and Monte Carlo). That is a floor for the test curves whatever the settings: the limit is in the data layout, not in backpropagation. The training curves pass it only by memorising the training sums, and as they do the test loss rises (step 1 of “Try this”).`,
      );
    else why.push(`So no network can get every fresh sum right; how close it can come is not measured at ${n} digits.`);
    this.why.replaceChildren(...why.map((text) => Object.assign(document.createElement('p'), { textContent: text })));
  }
}
