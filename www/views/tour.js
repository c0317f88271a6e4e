// @ts-check
// "Try this": a short guided path from "it cannot add" to "it adds", one experiment per step.
// Each step is a preset plus a few settings, an action, and what to watch; choosing one sets the
// state and runs it, and its number is in the link (#try=N), so a teacher can send one step to
// a class. The page (app/tour.js) applies a step; this module only declares and shows them.

/**
 * @typedef {{ title: string, preset: string, settings: Record<string, any>, action: 'train' | 'check' | 'look',
 *   select?: number, watch: string }} Experiment
 */

/** The path, in order; step N is EXPERIMENTS[N − 1]. @type {Experiment[]} */
export const EXPERIMENTS = [
  {
    title: 'It cannot add',
    preset: 'notebook',
    settings: {},
    action: 'train',
    watch:
      'The notebook’s setup trains. Watch the dashed test loss level off at the green line (about 0.25): reading a’s digits, then b’s, most significant first, it must say each digit of the sum before it has read the digits that decide its carry. The training loss can go lower only by memorising.',
  },
  {
    title: 'The gradient vanishes',
    preset: 'notebook',
    settings: {},
    action: 'look',
    select: 13,
    watch:
      'Untrained weights: in “How the error flows back”, the last step’s error is hundreds of times smaller ten steps back (the fade chart falls by orders of magnitude). Watch it ring the network’s strips, then press Train and see σ(W) rise and the fade flatten.',
  },
  {
    title: 'Truncation cuts it',
    preset: 'notebook',
    settings: { bpttTruncate: 2 },
    action: 'check',
    select: 13,
    watch:
      'BPTT truncation 2: each error flows back only 2 steps (the dashed cut in the heatmap; the rings stop there). The gradient check runs: V still passes, but U and W fail, since their true gradients include what the cut leaves out.',
  },
  {
    title: 'Too high a learning rate',
    preset: 'notebook',
    settings: { learningRate: 100 },
    action: 'train',
    watch: 'Learning rate 100: the first epoch blows up. The page catches the divergence, undoes the epoch so the model is not lost, and offers a lower rate.',
  },
  {
    title: 'Too little memory',
    preset: 'carry',
    settings: { hiddenDim: 4 },
    action: 'train',
    watch:
      'The carry preset with only 4 hidden units: even in a layout that can carry, 4 numbers are too little memory to hold the digits and the carry. Watch the test accuracy stall well below 100 %.',
  },
  {
    title: 'It adds',
    preset: 'carry',
    settings: {},
    action: 'train',
    watch:
      'The carry preset reads a_i and b_i together, least significant first, so the carry is known when it is needed. Watch the test sums and the carry chains (9999999 + 1) reach 100 % within seconds.',
  },
];

export class TourView {
  /** @param {HTMLElement} el @param {(step: number) => void} onPick a step was chosen (1-based) */
  constructor(el, onPick) {
    this.el = el;
    const list = /** @type {HTMLElement} */ (el.querySelector('.tour-steps'));
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
  }

  /** Shows step `step` as chosen (0: none). @param {number} step */
  show(step) {
    this.buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(i + 1 === step)));
    const e = EXPERIMENTS[step - 1];
    this.watch.hidden = !e;
    this.watch.textContent = e ? `${step}. ${e.title}: ${e.watch}` : '';
    this.el.dataset.step = String(step);
  }
}
