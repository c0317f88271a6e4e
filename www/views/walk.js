// @ts-check
// Step through BPTT: one sum through the notebook's forward pass and `bptt` loop, one point at a
// time, with the core's numbers (src/walk.rs): the unrolled steps with the truncation window, the
// equation and the notebook's line being executed side by side, the point's vectors, and the
// running dU, dV, dW as heat grids. → or Space steps on, ← back, the slider scrubs, Esc leaves.
// What each point says is walk-notebook.js; asking the worker is ../app/walk.js.

import { signedRgb, signedScale } from '../colors.js';
import { el } from '../dom.js';
import { MatrixCanvas } from './matrix-canvas.js';
import { at, CODE, equationOf, fmt, linesOf, pointsOf, wordsOf } from './walk-notebook.js';

/** @import { Walk, WalkGradients, Matrix } from '../shapes.js' */
/** @typedef {import('./walk-notebook.js').Point} Point */

/** Values of a vector written out in full up to this many; beyond, the first few and the strip. */
const WRITTEN = 8;
/** The CSS size of the largest grid (dW), px. */
const GRID = 200;

export class WalkView {
  /**
   * @param {HTMLElement} root the section, empty
   * @param {{ go: (step: number) => void, close: () => void, retake: () => void }} on step from 1
   */
  constructor(root, on) {
    this.root = root;
    this.on = on;
    /** @type {Walk | null} */
    this.walk = null;
    /** @type {Point[]} */
    this.points = [];
    this.index = 0;
    /** @type {Record<string, [number, number]>} */
    this.cellPx = {};
    root.tabIndex = -1;
    const head = el('div', 'walk-head');
    const h = el('h2', '', 'Step through BPTT');
    h.id = 'walk-h';
    this.about = el('p', 'walk-about');
    this.retakeButton = /** @type {HTMLButtonElement} */ (el('button', 'walk-retake', 'Take again: the sum and weights now'));
    this.closeButton = /** @type {HTMLButtonElement} */ (el('button', 'walk-close', 'Close'));
    this.closeButton.setAttribute('aria-keyshortcuts', 'Escape');
    head.append(h, this.about, this.retakeButton, this.closeButton);
    this.notice = el('p', 'message walk-notice');
    this.notice.setAttribute('role', 'status');
    this.notice.hidden = true;
    const controls = el('div', 'walk-controls');
    this.back = /** @type {HTMLButtonElement} */ (el('button', 'walk-back', '← Back'));
    this.back.setAttribute('aria-keyshortcuts', 'ArrowLeft');
    this.next = /** @type {HTMLButtonElement} */ (el('button', 'walk-next primary', 'Next →'));
    this.next.setAttribute('aria-keyshortcuts', 'ArrowRight Space');
    this.slider = /** @type {HTMLInputElement} */ (el('input', 'walk-slider'));
    Object.assign(this.slider, { type: 'range', min: '1', max: '1', value: '1' });
    this.slider.setAttribute('aria-label', 'Step of the walk');
    this.count = el('span', 'walk-count');
    controls.append(this.back, this.next, this.slider, this.count);
    this.words = el('p', 'walk-words');
    this.words.setAttribute('aria-live', 'polite');
    this.strip = el('div', 'walk-strip');
    this.strip.setAttribute('role', 'img');
    // long sums scroll sideways: focusable so a keyboard reaches it; the step shown is scrolled into it
    this.strip.tabIndex = 0;
    const body = el('div', 'walk-body');
    const mathSide = el('div', 'walk-math');
    this.equation = el('div', 'walk-equation');
    this.numbers = el('div', 'walk-numbers');
    mathSide.append(this.equation, this.numbers);
    this.code = el('pre', 'walk-code');
    this.code.setAttribute('aria-label', 'The notebook’s forward_propagation and bptt');
    this.lines = CODE.map(([key, text]) => {
      const line = el('span', 'line', text || ' ');
      line.dataset.key = key;
      this.code.append(line, '\n');
      return line;
    });
    body.append(mathSide, this.code);
    const grads = el('div', 'walk-grads');
    this.gradNote = el('p', 'walk-grad-note');
    this.grids = /** @type {const} */ (['dU', 'dV', 'dW']).map((name) => {
      const figure = el('figure', 'walk-grid');
      const canvas = /** @type {HTMLCanvasElement} */ (el('canvas'));
      canvas.setAttribute('role', 'img');
      const caption = el('figcaption');
      figure.append(canvas, caption);
      grads.append(figure);
      const grid = { name, caption, canvas: /** @type {MatrixCanvas} */ (/** @type {any} */ (null)), matrix: /** @type {Matrix | null} */ (null), scale: 1 };
      grid.canvas = new MatrixCanvas(canvas, {
        onHover: (cell) => {
          const m = grid.matrix;
          this.readout.textContent = cell && m ? `${name}[${cell.row}, ${cell.col}] = ${fmt(m.values[cell.row * m.cols + cell.col])}` : '';
        },
      });
      return grid;
    });
    this.readout = el('p', 'walk-readout');
    this.agreement = el('p', 'walk-agreement');
    this.agreement.hidden = true;
    root.append(head, this.notice, controls, this.words, this.strip, body, this.gradNote, grads, this.readout, this.agreement);
    root.setAttribute('aria-labelledby', 'walk-h');

    this.back.addEventListener('click', () => this.step(-1));
    this.next.addEventListener('click', () => this.step(1));
    this.slider.addEventListener('input', () => this.on.go(Number(this.slider.value)));
    this.closeButton.addEventListener('click', () => this.on.close());
    this.retakeButton.addEventListener('click', () => this.on.retake());
    root.addEventListener('keydown', (e) => this.#key(e));
  }

  /** @param {KeyboardEvent} e */
  #key(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const onControl = e.target instanceof Element && e.target.closest('button, input');
    const onSlider = e.target === this.slider;
    if (e.key === 'Escape') this.on.close();
    else if (e.key === 'ArrowRight' && !onSlider) this.step(1);
    else if (e.key === 'ArrowLeft' && !onSlider) this.step(-1);
    else if (e.key === ' ' && !onControl) this.step(1);
    else if (e.key === 'Home' && !onSlider) this.on.go(1);
    else if (e.key === 'End' && !onSlider) this.on.go(this.points.length);
    else return;
    e.preventDefault();
  }

  /** @param {number} by */
  step(by) {
    if (!this.points.length) return;
    const to = Math.min(this.points.length, Math.max(1, this.index + 1 + by));
    if (to !== this.index + 1) this.on.go(to);
  }

  /** Opens the section (its content follows) and brings it into view. */
  open() {
    const opening = this.root.hidden;
    this.root.hidden = false;
    if (opening) {
      this.root.scrollIntoView({ block: 'start', behavior: 'smooth' });
      this.root.focus({ preventScroll: true });
    }
  }

  close() {
    this.root.hidden = true;
  }

  get isOpen() {
    return !this.root.hidden;
  }

  /** A notice over the walk (a step out of range, a model not ready), or none. @param {string} [text] @param {'error'} [kind] */
  say(text, kind) {
    this.notice.textContent = text ?? '';
    this.notice.hidden = !text;
    if (kind) this.notice.dataset.kind = kind;
    else delete this.notice.dataset.kind;
  }

  /** While the walk is asked for: nothing to step through yet. @param {string} text */
  waiting(text) {
    this.walk = null;
    this.points = [];
    this.root.classList.add('empty');
    this.say(text);
  }

  /**
   * A new walk to step through.
   * @param {Walk} walk @param {{ a: string, b: string, at: number }} taken the sum, and the epoch of the weights
   */
  show(walk, { a, b, at }) {
    this.walk = walk;
    this.points = pointsOf(walk);
    this.root.classList.remove('empty');
    const epoch = Number.isInteger(at) ? `epoch ${at}` : `epoch ${at.toFixed(2)} (mid-epoch)`;
    this.about.textContent = `${a} + ${b}, the weights of ${epoch}, truncation ${walk.bpttTruncate}: ${walk.forward.length} forward steps, then ${walk.backward.length} points of the loop.`;
    this.slider.max = String(this.points.length);
    const legend = el('span', 'walk-cell walk-legend');
    legend.append(el('span', 'walk-x', 'reads'), el('span', 'walk-t', 'step t'), el('span', 'walk-y', 'target'));
    this.strip.replaceChildren(
      legend,
      ...walk.x.map((_, t) => {
        const cell = el('span', 'walk-cell');
        cell.append(el('span', 'walk-x', walk.inputLabels[t]), el('span', 'walk-t', String(t)), el('span', 'walk-y', String(walk.y[t])));
        return cell;
      }),
    );
    this.strip.style.setProperty('--steps', String(walk.x.length));
    const cell = Math.max(1, Math.min(16, Math.floor(GRID / walk.hiddenDim)));
    // the CSS px of an entry, across and down: dU's few columns and dV's ten rows wide enough to see
    this.cellPx = { dU: [Math.max(cell, 12), cell], dV: [cell, Math.max(cell, 10)], dW: [cell, cell] };
  }

  /**
   * Shows point `index` (from 0): its words, lines, equation, numbers and place on the steps.
   * @param {number} index
   */
  point(index) {
    const walk = /** @type {Walk} */ (this.walk);
    const p = this.points[index];
    this.index = index;
    const total = this.points.length;
    const words = wordsOf(p, walk);
    this.words.textContent = words;
    this.slider.value = String(index + 1);
    this.slider.setAttribute('aria-valuetext', `step ${index + 1} of ${total}: ${words}`);
    this.count.textContent = `step ${index + 1} of ${total}`;
    this.back.disabled = index === 0;
    this.next.disabled = index === total - 1;
    this.equation.innerHTML = equationOf(p);
    const { current, also, from } = linesOf(p);
    for (const line of this.lines) {
      const key = line.dataset.key ?? '';
      if (key === current) line.setAttribute('aria-current', 'step');
      else line.removeAttribute('aria-current');
      line.classList.toggle('also', also.includes(key));
      line.classList.toggle('from', key === from);
    }
    this.#place(p);
    this.numbers.replaceChildren(...this.#numbers(p, walk));
  }

  /** The steps strip: what is computed, the output whose error flows, its window, the step. @param {Point} p */
  #place(p) {
    const walk = /** @type {Walk} */ (this.walk);
    const cells = /** @type {HTMLElement[]} */ ([...this.strip.children].slice(1));
    const backward = p.kind !== 'forward';
    cells.forEach((c, t) => {
      c.classList.toggle('computed', backward || t <= p.t);
      c.classList.toggle('output', backward && t === p.t);
      c.classList.toggle('window', backward && t >= /** @type {any} */ (p).first && t <= p.t);
      c.classList.toggle('current', p.kind === 'forward' ? t === p.t : p.kind === 'step' ? t === p.step : false);
    });
    const now = cells.find((c) => c.classList.contains('current')) ?? cells[p.t];
    if (now && this.strip.scrollWidth > this.strip.clientWidth) {
      const [c, s] = [now.getBoundingClientRect(), this.strip.getBoundingClientRect()];
      if (c.left < s.left || c.right > s.right) this.strip.scrollLeft += c.left - s.left - s.width / 2 + c.width / 2;
    }
    const T = walk.x.length;
    this.strip.setAttribute(
      'aria-label',
      p.kind === 'forward'
        ? `The ${T} steps unrolled: forward through step ${p.t}.`
        : `The ${T} steps unrolled: output ${p.t}'s error flows back through steps ${p.t} to ${/** @type {any} */ (p).first} (the truncation window); the steps before ${/** @type {any} */ (p).first} get none of it${p.kind === 'step' ? `; now at step ${p.step}` : ''}.`,
    );
  }

  /** @param {Point} p @param {Walk} walk @returns {Node[]} */
  #numbers(p, walk) {
    if (p.kind === 'forward') {
      const t = p.t;
      return [
        vector(`U x_${t} (column${p.columns.length > 1 ? 's' : ''} ${p.columns.join(' and ')} of U: reads ${walk.inputLabels[t]})`, p.uX),
        vector(`W s_${at(t - 1)}`, p.wS),
        vector(`U x_${t} + W s_${at(t - 1)}`, p.sum),
        vector(`s_${t} = tanh(…)`, p.state, 1),
        digits(`o_${t}`, p.output, p.target),
        el('p', 'walk-loss', `E_${t} = −ln o_${t}[${p.target}] = ${fmt(p.loss)}`),
      ];
    }
    if (p.kind === 'output') {
      return [
        digits(`δ_o = o_${p.t} − y_${p.t}`, /** @type {number[]} */ (p.deltaO), /** @type {number} */ (p.target)),
        vector(`s_${p.t} (dV += δ_o s_${p.t}ᵀ)`, walk.forward[p.t].state, 1),
        vector(`δ_${p.t} = Vᵀ δ_o ∘ (1 − s_${p.t}²), norm ${fmt(p.deltaNorm)}`, p.delta),
      ];
    }
    const k = /** @type {number} */ (p.step);
    return [
      vector(`δ_${k}, norm ${fmt(p.deltaNorm)}`, p.delta),
      k > 0
        ? vector(`s_${k - 1} (dW += δ_${k} s_${k - 1}ᵀ)`, walk.forward[k - 1].state, 1)
        : el('p', 'walk-note', `s_−1 is the zero state: this step adds nothing to dW.`),
      el(
        'p',
        'walk-note',
        `dU's column${/** @type {number[]} */ (p.columns).length > 1 ? 's' : ''} ${/** @type {number[]} */ (p.columns).join(' and ')} (x_${k} reads ${walk.inputLabels[k]}) += δ_${k}`,
      ),
    ];
  }

  /**
   * The running gradients once the point shown is done, each grid on the scale of its final value.
   * @param {WalkGradients} g @param {number[]} scales dU, dV, dW's `signedScale` at the walk's end
   */
  gradients(g, scales) {
    const forward = g.point < (this.walk?.forward.length ?? 0);
    this.gradNote.textContent = forward
      ? 'The running gradients: nothing yet, the forward pass only fills s and o.'
      : 'The running gradients dU, dV, dW, each coloured on the scale of its value at the end of the walk:';
    this.grids.forEach((grid, i) => {
      const m = /** @type {Matrix} */ (g[grid.name]);
      grid.matrix = m;
      grid.scale = scales[i];
      const [across, down] = this.cellPx[grid.name];
      Object.assign(grid.canvas.canvas.style, { width: `${m.cols * across}px`, height: `${m.rows * down}px` });
      grid.canvas.draw(m.rows, m.cols, (r, c) => [...signedRgb(m.values[r * m.cols + c] / grid.scale), 255]);
      grid.canvas.canvas.setAttribute('aria-label', `${grid.name}, ${m.rows} × ${m.cols}, norm ${fmt(g.norms[i])}`);
      grid.caption.textContent = `${grid.name} (${m.rows}×${m.cols}) ‖·‖ = ${fmt(g.norms[i])}`;
    });
    const a = g.agreement;
    this.agreement.hidden = !a;
    if (a) {
      this.agreement.dataset.kind = a.bitForBit ? 'equal' : 'differs';
      this.agreement.textContent = a.bitForBit
        ? `The end of the loop: these dU, dV, dW are the core’s bptt for this sum, bit for bit (largest difference 0; norms ${a.bpttNorms.map(fmt).join(', ')}).`
        : `The end of the loop: these differ from the core’s bptt for this sum by at most ${fmt(a.maxDifference)}.`;
    }
  }
}

/**
 * A vector as a strip of coloured cells (hover reads an entry), with its first values written.
 * @param {string} label @param {number[]} values @param {number} [scale] the |value| of the strongest colour (default: the largest)
 */
function vector(label, values, scale = signedScale(values)) {
  const row = el('div', 'walk-vector');
  const name = el('span', 'walk-vector-name', label);
  const canvas = /** @type {HTMLCanvasElement} */ (el('canvas'));
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${label}: ${values.length} values`);
  const written = el('span', 'walk-values', `[${values.slice(0, WRITTEN).map(fmt).join(', ')}${values.length > WRITTEN ? `, … ${values.length} values` : ''}]`);
  const readout = el('span', 'walk-vector-readout');
  const strip = new MatrixCanvas(canvas, { onHover: (cell) => (readout.textContent = cell ? `[${cell.col}] = ${fmt(values[cell.col])}` : '') });
  strip.draw(1, values.length, (_, c) => [...signedRgb(values[c] / scale), 255]);
  row.append(name, canvas, written, readout);
  return row;
}

/** Ten numbers, one per digit, the target marked. @param {string} label @param {number[]} values @param {number} target */
function digits(label, values, target) {
  const table = el('table', 'walk-digits');
  table.append(el('caption', '', label));
  const head = el('tr');
  const body = el('tr');
  values.forEach((v, d) => {
    const th = el('th', d === target ? 'target' : '', String(d));
    th.setAttribute('scope', 'col');
    head.append(th);
    body.append(el('td', d === target ? 'target' : '', fmt(v)));
  });
  table.append(head, body);
  return table;
}
