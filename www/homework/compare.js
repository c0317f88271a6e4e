// @ts-check
// The homework's gradient check: the student's gradients against the core's, compared the way the
// notebook's gradient_check compares (relative error |a − b| / (|a| + |b|), threshold 0.01, per
// parameter). Runs in the page; the expected values never reach the student's worker, and what is
// shown is only passed / failed, the relative error and the first failing index.

/** The notebook's error_threshold. */
export const THRESHOLD = 0.01;

export const NAMES = /** @type {const} */ (['dLdU', 'dLdV', 'dLdW']);
export const PARAMETERS = /** @type {const} */ (['U', 'V', 'W']);

/** @typedef {{ rows: number, cols: number, values: Float64Array }} Matrix */
/** @typedef {{ parameter: string, size: number, maxRelativeError: number, firstFailing: [number, number] | null, firstFailingError: number | null, passed: boolean }} Comparison */

/** A value in a few words, for a message. @param {unknown} v */
function describe(v) {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a typed array of ${/** @type {Float64Array} */ (v).length}`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `the string "${v.length > 20 ? `${v.slice(0, 20)}…` : v}"`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * The student's return value as three matrices shaped like U, V and W, or the first thing wrong
 * with it (a wrong shape, a value that is not a finite number).
 * @param {unknown} result
 * @param {{ rows: number, cols: number }[]} shapes U's, V's and W's
 * @returns {{ matrices: Matrix[], error?: undefined, parameter?: undefined } | { error: string, parameter?: string, matrices?: undefined }}
 *   `parameter` names the matrix at fault (U, V or W), when it is one of them
 */
export function readGradients(result, shapes) {
  if (!Array.isArray(result) || result.length !== 3) {
    return { error: `bptt must return [dLdU, dLdV, dLdW], three arrays of rows; it returned ${describe(result)}` };
  }
  /** @type {Matrix[]} */
  const matrices = [];
  for (let p = 0; p < 3; p++) {
    const { rows, cols } = shapes[p];
    const name = NAMES[p];
    const m = result[p];
    const shape = `${PARAMETERS[p]} is ${rows} × ${cols}`;
    const wrong = (/** @type {string} */ error) => ({ error, parameter: PARAMETERS[p] });
    if (!Array.isArray(m)) return wrong(`${name} must be an array of ${rows} rows (${shape}); it is ${describe(m)}`);
    if (m.length !== rows) return wrong(`${name} must have ${rows} rows (${shape}); it has ${m.length}`);
    const values = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = m[i];
      if (!Array.isArray(row) && !(row instanceof Float64Array))
        return wrong(`${name}[${i}] must be an array of ${cols} numbers (${shape}); it is ${describe(row)}`);
      if (row.length !== cols) return wrong(`${name}[${i}] must have ${cols} numbers (${shape}); it has ${row.length}`);
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number') return wrong(`${name}[${i}][${j}] is ${describe(v)}: every entry must be a number`);
        if (!Number.isFinite(v)) return wrong(`${name}[${i}][${j}] is ${v}: every entry must be a finite number`);
        values[i * cols + j] = v;
      }
    }
    matrices.push({ rows, cols, values });
  }
  return { matrices };
}

/** The notebook's relative error; 0 where both are 0 (numpy's 0/0 is NaN, which never fails). */
export function relativeError(/** @type {number} */ a, /** @type {number} */ b) {
  const scale = Math.abs(a) + Math.abs(b);
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

/**
 * Each parameter's result: the largest relative error and the first index above the threshold.
 * @param {Matrix[]} given the student's
 * @param {Matrix[]} expected the core's
 * @returns {Comparison[]}
 */
export function compare(given, expected, threshold = THRESHOLD) {
  return expected.map((want, p) => {
    const got = given[p];
    let maxRelativeError = 0;
    /** @type {[number, number] | null} */
    let firstFailing = null;
    let firstFailingError = null;
    for (let k = 0; k < want.values.length; k++) {
      const e = relativeError(got.values[k], want.values[k]);
      if (e > maxRelativeError) maxRelativeError = e;
      if (e > threshold && !firstFailing) {
        firstFailing = [Math.floor(k / want.cols), k % want.cols];
        firstFailingError = e;
      }
    }
    return { parameter: PARAMETERS[p], size: want.values.length, maxRelativeError, firstFailing, firstFailingError, passed: !firstFailing };
  });
}

/**
 * The likely mistake, from which gradients failed and which are all zero: one sentence for the
 * student, or null when all passed or the pattern names nothing. It never says what a value
 * should be. (A wrong shape is named by readGradients before any comparison.)
 * @param {Comparison[]} rows compare's result, in U, V, W order
 * @param {Matrix[]} given the student's matrices, in the same order
 * @returns {{ pattern: string, hint: string } | null}
 */
export function diagnose(rows, given) {
  const failed = rows.map((r) => !r.passed);
  const zero = given.map((m) => m.values.every((v) => v === 0));
  const [u, v, w] = failed;
  if (!u && !v && !w) return null;
  if (zero.every(Boolean))
    return {
      pattern: 'all-zero',
      hint: 'All three gradients are exactly zero: nothing has been written into dLdU, dLdV and dLdW yet. Fill in the lines marked “...”, starting with dLdV.',
    };
  if (v && zero[1]) return { pattern: 'v-zero', hint: 'dLdV is all zero: add each step’s output error (delta_o[t]) times that step’s state s[t] into it.' };
  if (v)
    return {
      pattern: 'v-wrong',
      hint: 'dLdV is wrong, so the output’s error is: dLdV sums delta_o[t] ⊗ s[t] over every step t, where delta_o[t] is o[t] with 1 taken from its y[t] entry.',
    };
  if (u && w)
    return {
      pattern: 'step-back',
      hint: `dLdV is right but dLdU and dLdW are ${zero[0] && zero[2] ? 'all zero' : 'wrong'}: the error reaches the output, so look at the step back. delta_t is Vᵀ·delta_o[t] times tanh’s derivative, 1 − s[t]², and each step further back is Wᵀ·delta_t times 1 − s[step − 1]².`,
    };
  if (w)
    return {
      pattern: 'w-only',
      hint: 'Only dLdW is wrong: dLdW sums delta_t ⊗ s[step − 1], the state before each step (s.at(step − 1), the zero state before the first), over every step the truncation reaches.',
    };
  return {
    pattern: 'u-only',
    hint: 'Only dLdU is wrong: at each step δ goes into the columns of U that x[step] switched on, model.hot[step], and nowhere else.',
  };
}
