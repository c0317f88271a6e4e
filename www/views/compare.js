// @ts-check
// The Compare controls, in the settings panel: run B's setting (any setting of the model, from
// the table in state.js) and its value, Compare, the two runs' names while comparing, and Stop
// comparing. A value run B cannot take is said beside the field, and nothing changes.

import { COMPARABLE, parse } from '../state.js';

export class CompareView {
  /**
   * @param {Element} root
   * @param {{ start: (key: string, value: any) => void, stop: () => void, current: (key: string) => any }} actions
   *   `current`: run A's value of a setting, offered as the starting point
   */
  constructor(root, actions) {
    const $ = (/** @type {string} */ sel) => /** @type {HTMLElement} */ (root.querySelector(sel));
    this.key = /** @type {HTMLSelectElement} */ ($('#compare-key'));
    this.value = /** @type {HTMLInputElement} */ ($('#compare-value'));
    this.error = $('#compare-error');
    this.names = $('.compare-names');
    this.stop = $('#compare-stop');
    for (const s of COMPARABLE) if (s.form) this.key.add(new Option(s.label, s.key));
    const offer = () => {
      const v = actions.current(this.key.value);
      this.value.value = v === null ? 'none' : String(v);
      this.showError('');
    };
    this.key.addEventListener('change', offer);
    this.offer = offer;
    const start = () => {
      const setting = COMPARABLE.find((s) => s.key === this.key.value);
      if (!setting) return;
      const r = parse(setting, this.value.value);
      if (r.error !== undefined) return this.showError(`${r.error}. Nothing was changed.`);
      this.showError('');
      actions.start(setting.key, r.value);
    };
    $('#compare-start').addEventListener('click', start);
    this.value.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') start();
    });
    this.stop.addEventListener('click', () => actions.stop());
  }

  /** Why run B's value was not taken ('' clears it). @param {string} message */
  showError(message) {
    this.error.textContent = message;
    this.error.hidden = !message;
    this.value.setAttribute('aria-invalid', String(Boolean(message)));
  }

  /** The runs' names while comparing, or null for one run. @param {{ a: string, b: string } | null} names */
  show(names) {
    this.names.hidden = !names;
    this.names.textContent = names ? `Comparing ${names.a} with ${names.b}.` : '';
    this.stop.hidden = !names;
    if (!this.value.value) this.offer();
  }
}
