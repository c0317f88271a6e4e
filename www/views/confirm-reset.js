// @ts-check
// Reset, a preset, a step of the guided path and a link opened over the page each throw the
// trained model away: once it has trained an epoch, a modal dialog in the page (not
// window.confirm) asks first, naming the epoch and what replaces it. Escape or "Keep the model"
// keeps it; focus returns to what was clicked.

export class ConfirmReset {
  /** @param {HTMLDialogElement} dialog with a `.what` text, a `.reset` and a `.keep` button */
  constructor(dialog) {
    this.dialog = dialog;
    /** @type {((sure: boolean) => void) | null} */
    this.answer = null;
    dialog.querySelector('.reset').addEventListener('click', () => this.#close(true));
    dialog.querySelector('.keep').addEventListener('click', () => this.#close(false));
    dialog.addEventListener('close', () => this.#close(false)); // Escape
  }

  /**
   * Resolves true when the model may go: at once for an untrained one.
   * @param {number} epochs trained so far
   * @param {{ what: string, label: string }} replacement what replaces the model, and the button that agrees
   */
  ask(epochs, replacement = { what: 'Reset draws new weights and starts again from epoch 0', label: 'Reset to a new model' }) {
    if (epochs < 1) return Promise.resolve(true);
    if (this.answer) return Promise.resolve(false); // already asking
    this.dialog.querySelector('.what').textContent =
      `The model has trained for ${epochs} epoch${epochs === 1 ? '' : 's'}. ${replacement.what}; Save model keeps this one in a file.`;
    this.dialog.querySelector('.reset').textContent = replacement.label;
    this.dialog.showModal();
    /** @type {HTMLElement} */ (this.dialog.querySelector('.keep')).focus();
    return new Promise((resolve) => (this.answer = resolve));
  }

  /** @param {boolean} sure */
  #close(sure) {
    const answer = this.answer;
    this.answer = null;
    if (this.dialog.open) this.dialog.close();
    answer?.(sure);
  }
}
