// @ts-check
// "Try this": a short guided path from "it cannot add" to "it adds", one experiment per step.
// Each step is a preset plus a few settings, an action, how long to wait, where to look and what
// to see there; choosing one sets the state and runs it, and its number is in the link (#try=N),
// so a teacher can send one step to a class. The page (app/tour.js) applies a step; this module
// only declares and shows them.
//
// What a step says about its run is written from the run's own settings and the core's
// description of its layout, and every figure in it is one of the step's `figures`, which
// tests/node/tour.mjs checks against a real run of the step.

import { grouped } from '../numbers.js';

/** @typedef {import('../shapes.js').LayoutInfo} LayoutInfo */

/**
 * What a step's text is written from: the layout of the step's model (`Playground.layout()`), its
 * settings, and its preset's own settings.
 * @typedef {{ layout: LayoutInfo, values: Record<string, any>, preset: Record<string, any> }} Run
 */

/**
 * @typedef {object} Experiment
 * @property {string} title
 * @property {string} preset
 * @property {Record<string, any>} settings what the step changes in its preset
 * @property {'train' | 'check' | 'look' | 'walk'} action `walk` opens the step-through of BPTT at its first step
 * @property {number} [select] the step of the sum selected
 * @property {string} panel the selector of the panel to look at, brought into view
 * @property {string} look that panel, as the text names it
 * @property {Record<string, number>} figures every figure the text quotes, checked by tests/node/tour.mjs
 * @property {(f: Record<string, number>) => string} wait how long to wait, from the figures
 * @property {(run: Run, f: Record<string, number>) => string} watch what the run does
 */

/** A rate or loss as the text writes it. @param {number} v */
const num = (v) => String(+v.toPrecision(3));

/** What the Memory comparison reaches, measured by tests/node/tour.mjs (and bench/memory.mjs over seeds and time). */
const MEMORY = { epochs: 90, firstBy: 50, vanillaSumsBelow: 0.05 };

/** The path, in order; step N is EXPERIMENTS[N − 1]. @type {Experiment[]} */
export const EXPERIMENTS = [
  {
    title: 'It cannot add',
    preset: 'notebook',
    settings: {},
    action: 'train',
    panel: '.panel.charts',
    look: 'the Loss chart',
    figures: { epochs: 70, seconds: 60, lowest: 1.0, lowestEpoch: 45, risenBy: 0.1, trainBelow: 0.7 },
    wait: (f) => `about ${f.epochs} epochs (under a minute)`,
    watch: ({ layout, values }, f) =>
      `The Notebook preset, the notebook’s setup, trains on ${grouped(values.nSamples)} sums (the notebook used 100). The solid training loss keeps falling (below ${f.trainBelow} by epoch ${f.epochs}); the dashed test loss, on sums it never trains on, falls only to about ${f.lowest.toFixed(1)} (near epoch ${f.lowestEpoch}), then rises: the network memorises its training sums instead of learning to add.` +
      (layout.floor
        ? ` The green line (${layout.floor.loss}) is a floor, not a target: reading ${layout.reads}, most significant first, it must say each digit of the sum before it has read the digits that decide its carry.`
        : ''),
  },
  {
    title: 'The gradient vanishes',
    preset: 'notebook',
    settings: {},
    action: 'look',
    select: 13,
    panel: '#flow-panel',
    look: '“How the error flows back”',
    figures: { smaller: 340, sigma: 1.1, epochs: 10, sigmaAbove: 3, fewTimes: 5 },
    wait: (f) => `none at first; then press Train for ${f.epochs} epochs (a few seconds)`,
    watch: ({ layout }, f) =>
      `Untrained weights: an error is on average about ${f.smaller} times smaller ${Math.min(10, layout.steps - 1)} steps back than at its own step (the fade chart falls by orders of magnitude), and W’s largest singular value σ is ${f.sigma}. The last step’s error rings the network’s strips it reaches. Then press Train: within ${f.epochs} epochs σ rises above ${f.sigmaAbove} and the error ${Math.min(10, layout.steps - 1)} steps back is less than ${f.fewTimes} times smaller: the fade flattens.`,
  },
  {
    title: 'Truncation cuts it',
    preset: 'notebook',
    settings: { bpttTruncate: 2 },
    action: 'check',
    select: 13,
    panel: '#gradient-check',
    look: 'the gradient check in “How it works”',
    figures: {},
    wait: () => 'a few seconds, while the check runs',
    watch: ({ values }) =>
      `BPTT truncation ${values.bpttTruncate}: each error flows back only ${values.bpttTruncate} steps (the dashed cut in “How the error flows back”; the rings in the network stop there). The gradient check runs on the untrained model: V passes, but U and W fail, since their true gradients include what the cut leaves out.`,
  },
  {
    title: 'Too high a learning rate',
    preset: 'notebook',
    settings: { learningRate: 100 },
    action: 'train',
    panel: '.toolbar',
    look: 'the status line and the message at the foot of the window',
    figures: { tenth: 10, hundredth: 1 },
    wait: () => 'a second',
    watch: ({ values, preset }, f) =>
      `Learning rate ${num(values.learningRate)}: the first epoch blows up, its loss infinite. The page catches it, undoes the epoch (the status line stays at epoch 0, so the model is not lost) and offers the preset’s own rate, ${num(preset.learningRate)}, which trains, and a tenth, ${num(f.tenth)}, which diverges here too (so does ${num(f.hundredth)}).`,
  },
  {
    title: 'Too little memory',
    preset: 'carry',
    settings: { hiddenDim: 4 },
    action: 'train',
    panel: '.panel.charts',
    look: 'the Accuracy chart',
    figures: { epochs: 300, seconds: 30, sumsBelow: 0.35, chainsBelow: 0.15 },
    wait: (f) => `about ${f.epochs} epochs (under half a minute)`,
    watch: ({ values, preset }, f) =>
      `The carry preset with ${values.hiddenDim} hidden units instead of its ${preset.hiddenDim}: even in a layout that can carry, ${values.hiddenDim} numbers are too little memory to hold the digits and the carry. The test accuracy stalls well below 100 %: after ${f.epochs} epochs fewer than ${Math.round(f.sumsBelow * 100)} % of test sums and ${Math.round(f.chainsBelow * 100)} % of carry chains are right.`,
  },
  {
    title: 'It adds',
    preset: 'carry',
    settings: {},
    action: 'train',
    panel: '.panel.charts',
    look: 'the Accuracy chart',
    figures: { epochs: 10, seconds: 10 },
    wait: (f) => `about ${f.epochs} epochs (a few seconds)`,
    watch: ({ layout, values }, f) =>
      `The carry preset reads ${layout.reads}, so the carry into each digit is known when it is needed. Within ${f.epochs} epochs every held-out test sum and every carry chain (${'9'.repeat(values.nDigits)} + 1) is right: the dashed and dotted lines reach 100 %.`,
  },
  {
    title: 'Step through BPTT',
    preset: 'notebook',
    settings: { bpttTruncate: 2 },
    action: 'walk',
    panel: '#walk-panel',
    look: '“Step through BPTT”, under Your sum',
    figures: { forward: 14, loop: 53 },
    wait: () => 'none: step at your own pace (→ or Space on, ← back, Esc leaves)',
    watch: ({ values }, f) =>
      `The notebook’s code on your sum, one step at a time, with its numbers: ${f.forward} forward steps, each U x_t + W s_t−1 and its tanh, then the ${f.loop} points of bptt at truncation ${values.bpttTruncate}. Each output’s δ flows back at most ${values.bpttTruncate} steps (the shaded window on the steps) while dU, dV and dW grow. At the end they are the core’s gradients for your sum, bit for bit.`,
  },
  {
    title: 'Why gates?',
    preset: 'memory',
    settings: { cell: 'vanilla', 'b.cell': 'lstm' },
    action: 'train',
    panel: '.panel.charts',
    look: 'the Accuracy chart (run B’s lines are the LSTM’s) and the two status lines',
    figures: MEMORY,
    wait: (f) => `about ${f.epochs} epochs (about two minutes; each run trains half the time)`,
    watch: ({ layout, values }, f) =>
      `Two runs on the same sums, from one Train: A with the notebook’s vanilla cell, B with an LSTM; nothing else differs. The Memory preset reads ${layout.reads}, and outputs digit i of the sum while reading b_i, so it needs a_i, read ${values.nDigits + values.gap} steps before. By epoch ${f.firstBy} the LSTM gets every held-out sum and every carry chain right, every digit of them; a sum or two may slip until the rate’s halvings (every ${values.halveEvery} epochs) settle it, and at epoch ${f.epochs} it has them all. The vanilla cell gets fewer than ${Math.round(f.vanillaSumsBelow * 100)} % of the sums right at any epoch, however many digits it guesses. Its error fades on the way back to the digit it needs; the LSTM’s passes along its cell state, scaled only by the forget gate (“How the error flows back” shows both runs).`,
  },
];

export class TourView {
  /**
   * @param {HTMLElement} el
   * @param {(step: number) => void} onPick a step was chosen (1-based), by its button or Next
   */
  constructor(el, onPick) {
    this.el = el;
    const list = /** @type {HTMLElement} */ (el.querySelector('.tour-steps'));
    this.list = list;
    this.buttons = EXPERIMENTS.map((e, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.step = String(i + 1);
      b.setAttribute('aria-pressed', 'false');
      b.innerHTML = `<span class="n">${i + 1}</span> ${e.title}`;
      b.addEventListener('click', () => onPick(i + 1));
      list.append(b);
      return b;
    });
    this.watch = /** @type {HTMLElement} */ (el.querySelector('.tour-watch'));
    this.text = /** @type {HTMLElement} */ (this.watch.querySelector('.tour-text'));
    this.guide = /** @type {HTMLElement} */ (this.watch.querySelector('.tour-guide'));
    this.next = /** @type {HTMLButtonElement} */ (this.watch.querySelector('.tour-next'));
    this.next.addEventListener('click', () => onPick(Number(this.el.dataset.step) + 1));
    // once a step has brought a panel lower down into view, the step's text and its Next are out of
    // sight: a copy of Next follows in the window's corner until they are back
    this.float = document.createElement('button');
    this.float.type = 'button';
    this.float.className = 'tour-float';
    this.float.hidden = true;
    this.float.addEventListener('click', () => onPick(Number(this.el.dataset.step) + 1));
    el.append(this.float);
    this.watchInView = true;
    new IntersectionObserver(([entry]) => {
      this.watchInView = entry.isIntersecting;
      this.#follow();
    }).observe(this.watch);
  }

  /** The corner's Next: shown while a step with a next one is chosen and its own Next is out of sight. */
  #follow() {
    this.float.textContent = this.next.textContent;
    this.float.hidden = this.watch.hidden || this.next.hidden || this.watchInView;
  }

  /**
   * Shows step `step` as chosen (0: none), its text once its model's run is known.
   * @param {number} step @param {Run | null} run
   */
  show(step, run = null) {
    this.buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(i + 1 === step)));
    const e = EXPERIMENTS[step - 1];
    this.watch.hidden = !e;
    this.el.dataset.step = String(step);
    if (!e) return this.#follow();
    // on a phone the steps scroll sideways: the chosen one is brought into the strip (sideways only,
    // never moving the page away from the panel the step brought into view)
    const chosen = this.buttons[step - 1].getBoundingClientRect();
    const strip = this.list.getBoundingClientRect();
    if (chosen.left < strip.left || chosen.right > strip.right) this.list.scrollLeft += chosen.left - strip.left - 8;
    this.text.textContent = `${step}. ${e.title}: ${run ? e.watch(run, e.figures) : 'preparing its model…'}`;
    this.guide.textContent = `Wait: ${e.wait(e.figures)}. Look at: ${e.look}.`;
    const next = EXPERIMENTS[step];
    this.next.hidden = !next;
    this.next.textContent = next ? `Next: ${step + 1}. ${next.title}` : '';
    this.#follow();
  }

  /**
   * Brings step `step`'s panel into view, its top at the top of the window, unless its top is
   * already in the upper half (then the step's text stays in view too); at once when the reader
   * asks for reduced motion.
   * @param {number} step
   */
  reveal(step) {
    const e = EXPERIMENTS[step - 1];
    const panel = e && document.querySelector(e.panel);
    if (!panel) return;
    const top = panel.getBoundingClientRect().top;
    if (top >= 0 && top < innerHeight / 2) return;
    const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
    panel.scrollIntoView({ behavior: smooth ? 'smooth' : 'instant', block: 'start' });
  }
}
