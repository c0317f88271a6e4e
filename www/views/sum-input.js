// @ts-check
// "Your own sum": two numbers typed by the user, and the network's answer digit by digit beside
// the true sum, wrong digits marked. Bad input gets a message tied to its field and no
// prediction.

/** @import { Prediction, LayoutInfo } from '../shapes.js' */

/** @typedef {{ a: string, b: string }} Typed the two numbers, trimmed */

export class SumInput {
  /**
   * @param {Element} root
   * @param {(ok: Typed | null, raw: Typed) => void} onChange on every edit: the valid numbers (or null) and what was typed
   */
  constructor(root, onChange) {
    this.a = /** @type {HTMLInputElement} */ (root.querySelector('#first-number'));
    this.b = /** @type {HTMLInputElement} */ (root.querySelector('#second-number'));
    this.errors = {
      a: /** @type {HTMLElement} */ (root.querySelector('#first-number-error')),
      b: /** @type {HTMLElement} */ (root.querySelector('#second-number-error')),
    };
    this.predicted = /** @type {HTMLElement} */ (root.querySelector('.predicted-digits'));
    this.truth = /** @type {HTMLElement} */ (root.querySelector('.true-digits'));
    this.summary = /** @type {HTMLElement} */ (root.querySelector('.sum-summary'));
    // a second run's prediction (compare), under the first's, in the page only while comparing
    this.resultRow = /** @type {HTMLElement} */ (root.querySelector('.sum-result'));
    this.second = document.createElement('div');
    this.second.className = 'sum-result sum-result-second';
    this.second.innerHTML =
      '<span class="tag predicted-tag"></span><span class="predicted-digits digits" role="group" aria-label="run B’s predicted sum digits"></span>';
    this.tags = /** @type {HTMLElement[]} */ ([this.resultRow.querySelector('.predicted-tag'), this.second.querySelector('.predicted-tag')]);
    /** @type {boolean} two runs: the summary names each run's verdict */
    this.comparing = false;
    /** @type {{ a: Verdict | null, b: Verdict | null }} each run's verdict on the sum on screen */
    this.verdicts = { a: null, b: null };
    this.onChange = onChange;
    for (const input of [this.a, this.b]) input.addEventListener('input', () => this.#changed());
  }

  /**
   * Shows the typed values (e.g. from the URL) and the digit limit.
   * @param {string} a @param {string} b @param {number} nDigits
   * @returns {Typed | null} the numbers if both are valid
   */
  set(a, b, nDigits) {
    this.nDigits = nDigits;
    this.a.value = a;
    this.b.value = b;
    for (const input of [this.a, this.b]) {
      input.placeholder = `up to ${nDigits} digits`;
    }
    return this.#validate();
  }

  /** @param {HTMLInputElement} input @param {HTMLElement} error @param {string} name @returns {string | null} */
  #check(input, error, name) {
    const t = input.value.trim();
    let message = '';
    if (t === '') message = `Type the ${name} number.`;
    else if (!/^\d+$/.test(t)) message = `Only digits 0–9, please: “${t}” is not a whole number.`;
    else if (t.length > this.nDigits) message = `At most ${this.nDigits} digits: this model adds ${this.nDigits}-digit numbers.`;
    input.setAttribute('aria-invalid', String(message !== ''));
    error.textContent = message;
    error.hidden = message === '';
    return message === '' ? t : null;
  }

  #validate() {
    const a = this.#check(this.a, this.errors.a, 'first');
    const b = this.#check(this.b, this.errors.b, 'second');
    /** @type {Typed | null} the numbers typed, while both are valid */
    this.typed = a !== null && b !== null ? { a, b } : null;
    return this.typed;
  }

  #changed() {
    const ok = this.#validate();
    if (!ok) this.clear();
    this.onChange(ok, { a: this.a.value.trim(), b: this.b.value.trim() });
  }

  clear() {
    /** @type {string | null} the prediction on screen, as a key */
    this.shown = null;
    this.predicted.replaceChildren();
    this.truth.replaceChildren();
    this.second.querySelector('.predicted-digits')?.replaceChildren();
    this.secondShown = null;
    this.verdicts = { a: null, b: null };
    this.summary.textContent = 'No prediction until both numbers are valid.';
  }

  /** An error from the model itself (e.g. it was reset with fewer digits). @param {string} message */
  showError(message) {
    this.clear();
    this.summary.textContent = message;
  }

  /**
   * Shows a second run's prediction under the first's, each named (null: one run).
   * @param {{ a: string, b: string } | null} names
   */
  showSecond(names) {
    if (names) this.resultRow.after(this.second);
    else this.second.remove();
    /** @type {string | null} the second run's prediction on screen, as a key */
    this.secondShown = null;
    this.comparing = names !== null;
    this.verdicts.b = null;
    const [a, b] = this.tags;
    // short tags: the runs' full names are in their status lines and the chart's legend
    a.textContent = names ? 'predicted, A' : 'predicted';
    b.textContent = names ? 'predicted, B' : '';
    a.title = names?.a ?? '';
    b.title = names?.b ?? '';
  }

  /** The second run's prediction. @param {Prediction} prediction @param {LayoutInfo} layout */
  renderSecond(prediction, layout) {
    const key = `${prediction.predictedSum}=${prediction.a}+${prediction.b}`;
    if (key === this.secondShown) return;
    this.secondShown = key;
    const el = /** @type {HTMLElement} */ (this.second.querySelector('.predicted-digits'));
    const { predicted, truth } = ordered(prediction, layout);
    el.replaceChildren(...digitSpans(predicted, truth));
    el.dataset.sum = prediction.predictedSum;
    this.verdicts.b = verdict(prediction, predicted, truth);
    this.#summarise();
  }

  /** @param {Prediction} prediction @param {LayoutInfo} layout its `places`: the power of ten of each step's digit */
  render(prediction, layout) {
    const key = `${prediction.predictedSum}=${prediction.a}+${prediction.b}`;
    if (key === this.shown) return; // unchanged: leave the DOM alone
    this.shown = key;
    const { predicted: p, truth: y } = ordered(prediction, layout);
    this.predicted.replaceChildren(...digitSpans(p, y));
    this.truth.replaceChildren(...digitSpans(y, null));
    this.verdicts.a = verdict(prediction, p, y);
    this.#summarise();
    this.predicted.dataset.sum = prediction.predictedSum;
  }

  /** The sentence under the digits: one run's verdict, or each run's when two are compared. */
  #summarise() {
    const { a, b } = this.verdicts;
    if (!a) return;
    if (!this.comparing) {
      this.summary.textContent = a.correct
        ? `Right: ${a.sum}, all ${a.digits} digits.`
        : `${a.right} of ${a.digits} digits right: the network says ${a.said}, the sum is ${a.trueSum}.`;
      return;
    }
    // each run's own verdict, B's only once it answered this same sum
    const of = (/** @type {Verdict} */ v) => (v.correct ? `right, all ${v.digits} digits` : `${v.right} of ${v.digits} digits right, it says ${v.said}`);
    const second = b && b.sum === a.sum ? ` B: ${of(b)}.` : '';
    this.summary.textContent = `A: ${of(a)}.${second} The sum is ${a.trueSum}.`;
  }
}

/**
 * @typedef {{ correct: boolean, right: number, digits: number, said: string, trueSum: string, sum: string }} Verdict
 * how many digits a run got right of the sum `sum` ("a + b = true sum")
 */

/** @param {Prediction} prediction @param {number[]} predicted @param {number[]} truth most significant first @returns {Verdict} */
function verdict(prediction, predicted, truth) {
  return {
    correct: prediction.correct,
    right: predicted.filter((d, t) => d === truth[t]).length,
    digits: predicted.length,
    said: prediction.predictedSum,
    trueSum: prediction.trueSum,
    sum: `${BigInt(prediction.a)} + ${BigInt(prediction.b)} = ${prediction.trueSum}`,
  };
}

/**
 * The predicted and true digits, most significant first, whatever order the steps produced them in.
 * @param {Prediction} prediction @param {LayoutInfo} layout
 */
function ordered(prediction, layout) {
  // only the steps with a target: the delayed layout's steps reading a output nothing
  const steps = [...prediction.predictedDigits.keys()]
    .filter((t) => layout.places[t] != null)
    .sort((s, t) => (layout.places[t] ?? 0) - (layout.places[s] ?? 0));
  const order = (/** @type {(number | null)[]} */ list) => steps.map((t) => /** @type {number} */ (list[t]));
  return { predicted: order(prediction.predictedDigits), truth: order(prediction.targetDigits) };
}

/** One span per digit, a wrong one marked. @param {number[]} list @param {number[] | null} other the right digits */
function digitSpans(list, other) {
  return list.map((d, t) => {
    const s = document.createElement('span');
    const wrong = other && d !== other[t];
    s.className = `d${wrong ? ' wrong' : ''}`;
    s.textContent = String(d);
    if (wrong) s.title = `predicted ${d}, should be ${other[t]}`;
    return s;
  });
}
