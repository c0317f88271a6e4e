// @ts-check
// The gradient check, on demand: backpropagation against central differences for a sample of
// every weight matrix, run in slices by the worker with a progress bar. A matrix passes when its
// largest |backprop − numeric| is at most 1% of its largest gradient (src/gradcheck.rs says why
// not the notebook's per-entry relative error, which is still shown). With truncation below
// T − 1 the U and W gradients are approximations, and the check says so. It says which model it
// checked: the one at that epoch, not settings still waiting for a reset.

import { settingOf } from '../state.js';

/** @import { ParameterCheck } from '../shapes.js' */

/**
 * @typedef {object} CheckResult
 * @property {ParameterCheck[]} rows
 * @property {number} epoch the model's epoch when it was checked
 * @property {number} hiddenDim the checked model's
 * @property {number} bpttTruncate the checked model's
 * @property {{ key: string, value: unknown }[]} pending settings typed but waiting for a reset
 * @property {boolean} [compared] a run B is beside the checked run (run A)
 */

/** @param {number} x */
const fmt = (x) => (x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e3 ? x.toPrecision(4) : x.toExponential(3));

/** @param {{ key: string, value: unknown }} p */
const typed = ({ key, value }) => `${settingOf(key)?.label ?? key} ${value}`;

export class GradientCheckView {
  /**
   * @param {Element} root
   * @param {(onProgress: (checked: number, total: number) => void) => Promise<CheckResult | null>} run
   */
  constructor(root, run) {
    this.button = /** @type {HTMLButtonElement} */ (root.querySelector('.check-run button'));
    this.summary = /** @type {HTMLElement} */ (root.querySelector('.check-run .summary'));
    this.output = /** @type {HTMLElement} */ (root.querySelector('.result'));
    this.runCheck = run;
    this.button.addEventListener('click', () => this.run(true));
  }

  /**
   * Runs a check (nothing while one runs: the button is disabled then). Pressed by hand, its
   * result is brought into view when it comes; started by the guided path, the page stays put.
   * @param {boolean} [reveal]
   */
  async run(reveal = false) {
    if (this.button.disabled) return;
    this.button.disabled = true;
    this.summary.replaceChildren();
    const bar = document.createElement('progress');
    bar.setAttribute('aria-label', 'gradient check progress');
    const label = document.createElement('span');
    label.className = 'progress-text';
    label.textContent = ' Checking…';
    const line = document.createElement('p');
    line.className = 'progress';
    line.append(bar, label);
    this.output.replaceChildren(line);
    try {
      const result = await this.runCheck((checked, total) => {
        bar.max = total;
        bar.value = checked;
        label.textContent = ` checked ${checked} of ${total} entries`;
      });
      if (result) {
        this.#show(result);
        if (reveal) this.#reveal();
      }
    } catch (e) {
      this.output.textContent = e.message;
    } finally {
      this.button.disabled = false;
    }
  }

  /** @param {CheckResult} result */
  #show({ rows, epoch, hiddenDim, bpttTruncate, pending, compared }) {
    // five narrow columns, no number split across lines, so the table fits a phone's width: the
    // entries checked under the verdict, the worst entry's index and two values on three lines
    const table = document.createElement('table');
    table.innerHTML =
      '<thead><tr><th scope="col">weights</th><th scope="col">result, entries checked</th><th scope="col">error ÷ scale</th>' +
      '<th scope="col">worst entry: backprop, numeric</th><th scope="col">notebook’s rel. error</th></tr></thead>';
    const body = table.createTBody();
    for (const r of rows) {
      const tr = body.insertRow();
      tr.innerHTML =
        `<th scope="row">${r.parameter}</th><td class="${r.passed ? 'ok' : 'bad'}">${r.passed ? '✓ passed' : '✗ failed'}<br><small>${r.checked} of ${r.size}</small></td>` +
        `<td class="criterion">${r.maxError.toExponential(2)}</td><td class="worst"></td><td>${r.maxRelativeError.toExponential(2)}</td>`;
      const worst = /** @type {HTMLElement} */ (tr.querySelector('.worst'));
      if (r.worstIndex) {
        const br = () => document.createElement('br');
        worst.append(`${r.parameter}[${r.worstIndex.join(', ')}]: `, br(), `${fmt(r.worstAnalytic)}, `, br(), fmt(r.worstNumeric));
      } else worst.textContent = '—';
    }
    // beside the button: the verdicts, and a way to the table below
    const verdicts = rows.map((r) => `${r.parameter} ${r.passed ? '✓ passed' : '✗ failed'}`).join(', ');
    const see = document.createElement('button');
    see.type = 'button';
    see.className = 'link';
    see.textContent = 'see the table';
    see.addEventListener('click', () => this.#reveal());
    this.summary.replaceChildren(`${verdicts}: `, see);
    const wrap = document.createElement('div');
    wrap.className = 'table-wrap';
    wrap.append(table);
    const which = document.createElement('p');
    which.className = 'which';
    const model = `H ${hiddenDim}, truncation ${bpttTruncate}, epoch ${epoch}`;
    which.textContent = pending.length
      ? `This checked the current model (${model}), not the settings you typed (${pending.map(typed).join(', ')}): they apply only after “Reset with new settings”.`
      : `Checked the current model: ${model}.`;
    if (compared) which.textContent += ' This is run A; run B is not checked.';
    const rule = document.createElement('p');
    rule.className = 'which';
    rule.textContent = 'Error ÷ scale: the largest |backprop − numeric| over the matrix’s largest gradient; a matrix passes at 0.01 or less.';
    this.output.replaceChildren(wrap, which, rule);
  }

  /** Scrolls the result into view, as little as needed (smoothly unless motion is reduced). */
  #reveal() {
    const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.output.scrollIntoView({ block: 'nearest', behavior: smooth ? 'smooth' : 'auto' });
  }
}
