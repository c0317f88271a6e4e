// @ts-check
// The notebook's gradient check, on demand: backpropagation against central differences for a
// sample of every weight matrix, run in slices by the worker with progress shown. With
// truncation below T − 1 the U and W gradients are approximations, and the check says so. It
// says which model it checked: the one at that epoch, not settings still waiting for a reset.

/** @import { ParameterCheck } from '../shapes.js' */

/**
 * @typedef {object} CheckResult
 * @property {ParameterCheck[]} rows
 * @property {number} epoch the model's epoch when it was checked
 * @property {number} hiddenDim
 * @property {number} bpttTruncate
 * @property {boolean} pending whether changed settings wait for a reset
 */

export class GradientCheckView {
  /**
   * @param {Element} root
   * @param {(onProgress: (checked: number, total: number) => void) => Promise<CheckResult | null>} run
   */
  constructor(root, run) {
    this.button = /** @type {HTMLButtonElement} */ (root.querySelector('button'));
    this.output = /** @type {HTMLElement} */ (root.querySelector('.result'));
    this.button.addEventListener('click', async () => {
      this.button.disabled = true;
      this.output.textContent = 'Checking…';
      try {
        const result = await run((checked, total) => {
          this.output.textContent = `Checking… ${checked} of ${total} entries`;
        });
        if (result) this.#show(result);
      } catch (e) {
        this.output.textContent = e.message;
      } finally {
        this.button.disabled = false;
      }
    });
  }

  /** @param {CheckResult} result */
  #show({ rows, epoch, hiddenDim, bpttTruncate, pending }) {
    const table = document.createElement('table');
    table.innerHTML = '<thead><tr><th scope="col">weights</th><th scope="col">entries checked</th><th scope="col">largest relative error</th><th scope="col">result</th></tr></thead>';
    const body = table.createTBody();
    for (const r of rows) {
      const tr = body.insertRow();
      tr.innerHTML = `<th scope="row">${r.parameter}</th><td>${r.checked} of ${r.size}</td><td>${r.maxRelativeError.toExponential(2)}</td><td class="${r.passed ? 'ok' : 'bad'}">${r.passed ? '✓ passed' : '✗ failed'}</td>`;
    }
    const which = document.createElement('p');
    which.className = 'which';
    which.textContent = `Checked the current model at epoch ${epoch} (H ${hiddenDim}, truncation ${bpttTruncate}).${pending ? ' Settings changed since then apply only after “Reset with new settings”.' : ''}`;
    this.output.replaceChildren(table, which);
  }
}
