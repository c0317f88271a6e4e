// @ts-check
// The unrolled network: one column per time step t, bottom to top the input digit x_t, the
// hidden state s_t (a strip coloured by its H values), and the output o_t (the predicted digit,
// marked right or wrong against the target). Clicking a column selects that step everywhere;
// the selected output's error reaches back `bpttTruncate` steps, which the strip row shows.

import { signedRgb, css } from '../colors.js';
import { DIGITS } from '../digits.js';

/** @import { SumView, LayoutInfo } from '../shapes.js' */

/**
 * An element with attributes (`class`, `style`, `on…` listeners, the rest as attributes) and children.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag @param {Record<string, any>} attrs @param {...(Node | string)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
const h = (tag, attrs = {}, ...children) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') el.className = v;
    else if (k === 'style')
      el.style.cssText = v; // through the CSSOM: the CSP forbids style attributes
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  el.append(...children);
  return el;
};

/** How many hidden units each strip draws: few enough to read one by one. */
const STRIP_UNITS = 12;
const BAR_POSITIVE = css(signedRgb(0.65));
const BAR_NEGATIVE = css(signedRgb(-0.65));

/**
 * The `k` units whose values vary most over the steps, in unit order.
 * @param {Float64Array} values steps × H @param {number} H @param {number} k
 */
function mostVarying(values, H, k) {
  const steps = values.length / H;
  const spread = Array.from({ length: H }, (_, i) => {
    let [sum, sq] = [0, 0];
    for (let t = 0; t < steps; t++) [sum, sq] = [sum + values[t * H + i], sq + values[t * H + i] ** 2];
    return sq / steps - (sum / steps) ** 2;
  });
  return Array.from({ length: H }, (_, i) => i)
    .sort((a, b) => spread[b] - spread[a] || a - b)
    .slice(0, k)
    .sort((a, b) => a - b);
}

export class NetworkView {
  /**
   * @param {HTMLElement} el the grid @param {(t: number) => void} onSelect a step was clicked
   * @param {(unit: number) => void} [onUnit] and, on a strip, the unit of the bar clicked
   */
  constructor(el, onSelect, onUnit) {
    this.el = el;
    this.onSelect = onSelect;
    this.steps = 0;
    el.addEventListener('click', (e) => {
      const target = /** @type {Element} */ (e.target);
      const col = /** @type {HTMLElement | null} */ (target.closest('[data-step]'));
      if (col) onSelect(Number(col.dataset.step));
      const units = this.#chosen.units;
      if (onUnit && target instanceof HTMLCanvasElement && target.classList.contains('strip') && units.length) {
        const r = target.getBoundingClientRect();
        const i = Math.floor(((e.clientY - r.top) / r.height) * units.length);
        if (i >= 0 && i < units.length) onUnit(units[i]);
      }
    });
  }

  /** @param {number} steps @param {LayoutInfo} layout @param {string} key what was built */
  #build(steps, layout, key) {
    this.steps = steps;
    this.built = key;
    /** @type {number | null | undefined} the step drawn as selected (none yet) */
    this.selected = undefined;
    this.el.replaceChildren();
    this.el.parentElement.style.setProperty('--steps', String(steps)); // the probability grid shares the columns
    /** @param {string} html @param {string} title */
    const label = (html, title) => {
      const l = h('div', { class: 'row-label', title });
      l.innerHTML = html;
      return l;
    };
    /** @type {HTMLElement[]} */
    this.outputs = [];
    /** @type {HTMLCanvasElement[]} */
    this.strips = [];
    /** @type {HTMLElement[]} */
    this.inputs = [];
    /** @type {HTMLButtonElement[]} */
    this.buttons = [];
    this.el.append(label('o<sub>t</sub>', 'output: the predicted digit (target below it)'));
    for (let t = 0; t < steps; t++) {
      const cell = h('div', { class: 'out', 'data-step': t, style: `--i:${t}` });
      this.outputs.push(cell);
      this.el.append(cell);
    }
    this.el.append(label('V ↑', 'o_t = softmax(V s_t)'));
    for (let t = 0; t < steps; t++) this.el.append(h('div', { class: 'arrow', 'data-step': t, 'aria-hidden': 'true' }, '↑'));
    this.el.append(label('s<sub>t</sub> <span class="w">W →</span>', 's_t = tanh(U x_t + W s_{t−1})'));
    for (let t = 0; t < steps; t++) {
      const canvas = h('canvas', { class: 'strip', width: 1, height: 1, 'data-step': t, style: `--i:${t}` });
      this.strips.push(canvas);
      this.el.append(h('div', { class: 'strip-cell', 'data-step': t }, canvas));
    }
    this.el.append(label('U ↑', 'U x_t adds column x_t of U'));
    for (let t = 0; t < steps; t++) this.el.append(h('div', { class: 'arrow', 'data-step': t, 'aria-hidden': 'true' }, '↑'));
    this.el.append(label('x<sub>t</sub>', `input: ${layout.reads}`));
    for (let t = 0; t < steps; t++) {
      const cell = h('div', { class: `in is-${layout.stepKinds[t]}`, 'data-step': t });
      this.inputs.push(cell);
      this.el.append(cell);
    }
    this.el.append(label('t', 'time step, counted from 0 as in s_t (click one to select it), over what it reads'));
    for (let t = 0; t < steps; t++) {
      // the number every read-out uses, over the core's name for what the step reads
      const b = h(
        'button',
        { type: 'button', class: 'step', 'data-step': t },
        h('span', { class: 't' }, String(t)),
        ' ', // "0 a₁", as the button's name says it ("step 0, a₁, …")
        // a blank step is marked, not named: seven "blank"s side by side would not fit the columns
        layout.stepKinds[t] === 'blank'
          ? h('span', { class: 'reads', title: 'blank: this step reads nothing' }, '·')
          : h('span', { class: 'reads' }, layout.stepLabels[t] ?? ''),
      );
      this.buttons.push(b);
      this.el.append(b);
    }
  }

  /**
   * @param {SumView} view the prediction and hidden states from the worker
   * @param {LayoutInfo} layout how the model lays a sum out in time (`Playground.layout()`)
   * @param {number | null} selected the selected step
   * @param {number} truncate BPTT truncation
   * @param {boolean} sweep animate
   */
  render(view, layout, selected, truncate, sweep) {
    const p = view.prediction;
    const built = `${p.steps} ${layout.name} ${layout.nDigits} ${layout.gap}`;
    if (built !== this.built) this.#build(p.steps, layout, built);
    const H = view.hidden.hiddenDim;
    // every layout and style read first, then only writes: a read after a write (a canvas
    // resized, a title set) would make the browser lay the page out again for each strip
    const boxes = this.strips.map((c) => [c.clientWidth, c.clientHeight]);
    const zeroLine = this.strips.length ? getComputedStyle(this.strips[0]).borderTopColor : '';
    for (let t = 0; t < p.steps; t++) {
      const got = p.predictedDigits[t];
      const want = p.targetDigits[t];
      const ok = got === want;
      const prob = p.probabilities[t * DIGITS + got];
      const out = this.outputs[t];
      // touch the DOM only where something changed: this runs every frame while training
      const key = `${got}${want}${p.inputDigits[t]}`;
      if (out.dataset.key !== key) {
        out.dataset.key = key;
        const blank = layout.stepKinds[t] === 'blank';
        this.inputs[t].textContent = blank ? '·' : p.inputLabels[t];
        if (blank) this.inputs[t].title = 'blank: this step reads nothing (its own input column of U)';
        if (want == null) {
          // a step with no target (the delayed layout reading a): its output counts for nothing
          out.className = 'out untargeted';
          out.innerHTML = `<span class="digit">${got}</span><span class="want" title="no target">–</span>`;
          this.buttons[t].setAttribute('aria-label', `step ${t}, ${layout.stepLabels[t]}, input ${p.inputLabels[t]}, no target: its output is not counted`);
        } else {
          out.className = `out ${ok ? 'right' : 'wrong'}`;
          out.innerHTML = `<span class="digit">${got}</span><span class="mark" aria-hidden="true">${ok ? '✓' : '✗'}</span><span class="want">want ${want}</span>`;
          this.buttons[t].setAttribute(
            'aria-label',
            `step ${t}, ${layout.stepLabels[t]}, input ${p.inputLabels[t]}, predicted ${got}, target ${want}, ${ok ? 'right' : 'wrong'}`,
          );
        }
      }
      setTitle(out, `step ${t}: predicted ${got} with probability ${(prob * 100).toFixed(1)}%, ${want == null ? 'no target' : `target ${want}`}`);
      this.#drawStrip(this.strips[t], boxes[t], zeroLine, view.hidden.values, t, H);
    }
    if (selected !== this.selected || truncate !== this.truncate) {
      this.selected = selected;
      this.truncate = truncate;
      for (let t = 0; t < p.steps; t++) {
        const inWindow = selected != null && t <= selected && t >= selected - truncate;
        this.strips[t].parentElement.classList.toggle('reached', inWindow);
        this.buttons[t].setAttribute('aria-pressed', String(t === selected));
      }
      /** @type {NodeListOf<HTMLElement>} */ (this.el.querySelectorAll('[data-step]')).forEach((c) =>
        c.classList.toggle('selected', Number(c.dataset.step) === selected),
      );
    }
    if (sweep) {
      this.el.classList.remove('sweep');
      void this.el.offsetWidth; // restart the animation
      this.el.classList.add('sweep');
    }
  }

  /**
   * The selected output's error on its way back: each strip it reaches (up to the truncation) is
   * ringed in the colour of ‖∂E_t/∂s_k‖, and with `animate` the rings appear one step at a time,
   * right to left; the strips beyond the cut are dimmed.
   * @param {number | null} selected @param {ArrayLike<number> | null} sizes ‖∂E_selected/∂s_k‖ for every k
   * @param {number} truncate @param {(v: number) => [number, number, number]} color @param {boolean} animate
   */
  showFlow(selected, sizes, truncate, color, animate) {
    for (let k = 0; k < this.strips.length; k++) {
      const cell = /** @type {HTMLElement} */ (this.strips[k].parentElement);
      const back = selected == null ? -1 : selected - k;
      const reached = sizes != null && back >= 0 && back <= truncate;
      cell.classList.toggle('flow-ring', reached);
      cell.classList.toggle('cut', sizes != null && back > truncate);
      if (reached) {
        const [r, g, b] = color(sizes[k]);
        cell.style.setProperty('--flow', `rgb(${r} ${g} ${b})`);
        cell.style.setProperty('--back', String(back));
        cell.title = `‖∂E_${selected}/∂s_${k}‖ = ${sizes[k].toExponential(2)}, ${back} step${back === 1 ? '' : 's'} back`;
      } else {
        cell.title = back > truncate && sizes ? `beyond the truncation (${truncate} steps): BPTT stops before step ${k}` : '';
      }
      if (animate) cell.classList.remove('flowing');
    }
    this.el.dataset.flowStep = String(selected); // for tests: whose error the rings show
    if (!animate) return;
    void this.el.offsetWidth; // restart the animation
    for (const s of this.strips) {
      const cell = /** @type {HTMLElement} */ (s.parentElement);
      if (cell.classList.contains('flow-ring')) cell.classList.add('flowing');
    }
  }

  /** The units a strip shows, chosen once per forward pass (`values`). */
  #chosen = { values: /** @type {Float64Array | null} */ (null), units: /** @type {number[]} */ ([]) };

  /**
   * The hidden state s_t as a small bar chart a student can read, not an H-value barcode: the
   * STRIP_UNITS units that vary most over this sum's steps (the same units, in unit order, in
   * every column, so one can be followed along the row), each a bar left (−1) or right (+1).
   * @param {HTMLCanvasElement} canvas @param {number[]} box its CSS width and height
   * @param {string} zeroLine the zero line's colour @param {Float64Array} values steps × H @param {number} t @param {number} H
   */
  #drawStrip(canvas, [w, h], zeroLine, values, t, H) {
    if (this.#chosen.values !== values) this.#chosen = { values, units: mostVarying(values, H, STRIP_UNITS) };
    const units = this.#chosen.units;
    const dpr = devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr))
      [canvas.width, canvas.height] = [Math.round(w * dpr), Math.round(h * dpr)];
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const rowH = h / units.length;
    const mid = w / 2;
    units.forEach((unit, i) => {
      const v = Math.max(-1, Math.min(1, values[t * H + unit]));
      ctx.fillStyle = v >= 0 ? BAR_POSITIVE : BAR_NEGATIVE;
      ctx.fillRect(v >= 0 ? mid : mid + v * mid, i * rowH + 1, Math.abs(v) * mid, Math.max(1, rowH - 2));
    });
    ctx.fillStyle = zeroLine;
    ctx.fillRect(mid - 0.5, 0, 1, h);
    setTitle(canvas, `s_${t}: units ${units.join(', ')} (the ${units.length} that vary most over these steps)`);
  }
}

/** Sets an element's title only when it changes: a set restyles the element even to the same text.
 * @param {HTMLElement} el @param {string} title */
function setTitle(el, title) {
  if (el.title !== title) el.title = title;
}
