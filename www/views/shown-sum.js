// @ts-check
// Says which sum the network, probability and heatmap views show: the typed one, or, while the
// typed one is not valid, the last valid one (or, for a model with fewer digits, the default
// sum cut to its digits), so that the views never show a sum without saying which.

/** @typedef {{ a: string, b: string }} Sum */

export class ShownSumView {
  /** @param {Iterable<HTMLElement>} elements one line near each view */
  constructor(elements) {
    this.elements = [...elements];
  }

  /**
   * @param {Sum} shown the sum the views show
   * @param {string | null} why why it is not the typed sum, or null when it is
   */
  show(shown, why) {
    const text = why ? `${why} The views show ${shown.a} + ${shown.b}.` : `The views show your sum, ${shown.a} + ${shown.b}.`;
    for (const el of this.elements) {
      el.textContent = text;
      el.dataset.kind = why ? 'stale' : 'typed';
    }
  }
}
