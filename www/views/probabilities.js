// The output o_t of every step as a grid: one column per step, one row per digit 0–9, shaded by
// probability. The predicted digit (argmax) has a heavy outline; the target has a dot.

import { probabilityRgb, css, textOn } from '../colors.js';

export class ProbabilityView {
  constructor(el) {
    this.el = el;
    this.steps = 0;
  }

  #build(steps) {
    this.steps = steps;
    this.el.replaceChildren();
    this.el.style.setProperty('--steps', steps);
    this.cells = [];
    for (let d = 9; d >= 0; d--) {
      const label = document.createElement('div');
      label.className = 'row-label';
      label.textContent = String(d);
      this.el.append(label);
      for (let t = 0; t < steps; t++) {
        const c = document.createElement('div');
        c.className = 'p';
        c.dataset.step = String(t);
        this.cells[t * 10 + d] = c;
        this.el.append(c);
      }
    }
  }

  render(prediction, selected) {
    const { steps, probabilities, predictedDigits, targetDigits } = prediction;
    if (steps !== this.steps) this.#build(steps);
    for (let t = 0; t < steps; t++) {
      for (let d = 0; d < 10; d++) {
        const p = probabilities[t * 10 + d];
        const c = this.cells[t * 10 + d];
        const bg = probabilityRgb(p);
        c.style.background = css(bg);
        c.style.color = textOn(bg);
        const isArgmax = predictedDigits[t] === d;
        const isTarget = targetDigits[t] === d;
        c.className = `p${isArgmax ? ' argmax' : ''}${isTarget ? ' target' : ''}${t === selected ? ' selected' : ''}`;
        c.textContent = isTarget ? '•' : '';
        c.title = `step ${t}, digit ${d}: ${(p * 100).toFixed(1)}%${isArgmax ? ' (predicted)' : ''}${isTarget ? ' (target)' : ''}`;
      }
    }
    this.el.dataset.selected = selected == null ? '' : String(selected);
  }
}
