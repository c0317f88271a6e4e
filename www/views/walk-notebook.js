// @ts-check
// What the step-through of BPTT (walk.js) says beside each point: the notebook's code with the
// lines that point executes, its equation in MathML, and the point in words for the live region.
// The numbers all come from the core's walk (src/walk.rs); this file only words and places them.

/** @import { Walk, WalkForwardStep, WalkPoint } from '../shapes.js' */

/** A point of the walk: a forward step, or a point of the backward loop. */
/** @typedef {({ kind: 'forward' } & WalkForwardStep) | WalkPoint} Point */

/**
 * The notebook's `forward_propagation` and `bptt`, as the notebook has them (comments left out),
 * each line with the key the points below name it by.
 * @type {[key: string, text: string][]}
 */
export const CODE = [
  ['', 'def forward_propagation(self, x):'],
  ['', '    T = len(x)'],
  ['', '    s = np.zeros((T + 1, self.hidden_dim))'],
  ['', '    s[-1] = np.zeros(self.hidden_dim)'],
  ['', '    o = np.zeros((T, self.input_dim))'],
  ['forward-loop', '    for t in np.arange(T):'],
  ['forward-s', '        s[t] = np.tanh(self.U[:,x[t]] + self.W.dot(s[t-1]))'],
  ['forward-o', '        o[t] = softmax(self.V.dot(s[t]))'],
  ['', '    return [o, s]'],
  ['', ''],
  ['', 'def bptt(self, x, y):'],
  ['', '    T = len(y)'],
  ['', '    o, s = self.forward_propagation(x)'],
  ['', '    dLdU = np.zeros(self.U.shape)'],
  ['', '    dLdV = np.zeros(self.V.shape)'],
  ['', '    dLdW = np.zeros(self.W.shape)'],
  ['delta-o', '    delta_o = o'],
  ['delta-o', '    delta_o[np.arange(len(y)), y] -= 1.'],
  ['output-loop', '    for t in np.arange(T)[::-1]:'],
  ['dV', '        dLdV += np.outer(delta_o[t], s[t].T)'],
  ['delta-V', '        delta_t = self.V.T.dot(delta_o[t]) * (1 - (s[t] ** 2))'],
  ['window', '        for bptt_step in np.arange(max(0, t-self.bptt_truncate), t+1)[::-1]:'],
  ['dW', '            dLdW += np.outer(delta_t, s[bptt_step-1])'],
  ['dU', '            dLdU[:,x[bptt_step]] += delta_t'],
  ['delta-W', '            delta_t = self.W.T.dot(delta_t) * (1 - s[bptt_step-1] ** 2)'],
  ['', '    return [dLdU, dLdV, dLdW]'],
];

/**
 * The code a point executes: the line being executed (`current`), the lines it also runs, and
 * the line its δ came from.
 * @param {Point} p @returns {{ current: string, also: string[], from?: string }}
 */
export function linesOf(p) {
  if (p.kind === 'forward') return { current: 'forward-s', also: ['forward-loop', 'forward-o'] };
  if (p.kind === 'output') return { current: 'dV', also: ['output-loop', 'delta-V'], from: 'delta-o' };
  return { current: 'dW', also: ['window', 'dU'], from: p.step === p.t ? 'delta-V' : 'delta-W' };
}

/** @param {string} name @param {number | string} index */
const sub = (name, index) =>
  `<msub><mi>${name}</mi>${typeof index === 'number' && index < 0 ? `<mrow><mo>−</mo><mn>${-index}</mn></mrow>` : `<mn>${index}</mn>`}</msub>`;
/** ∂L/∂X */
const dL = (/** @type {string} */ x) => `<mfrac><mrow><mo>∂</mo><mi>L</mi></mrow><mrow><mo>∂</mo><mi>${x}</mi></mrow></mfrac>`;
/** s_kᵀ */
const transposed = (/** @type {string} */ name, /** @type {number} */ index) => `<msup>${sub(name, index)}<mo>⊤</mo></msup>`;
/** (1 − s_k²) */
const tanhSlope = (/** @type {number} */ k) => `<mo>∘</mo><mo>(</mo><mn>1</mn><mo>−</mo><msubsup><mi>s</mi><mn>${k}</mn><mn>2</mn></msubsup><mo>)</mo>`;
const math = (/** @type {string} */ rows, /** @type {string} */ label) =>
  `<math display="block" aria-label="${label}"><mtable columnalign="left">${rows}</mtable></math>`;
const row = (/** @type {string} */ content) => `<mtr><mtd>${content}</mtd></mtr>`;

/**
 * The point's equations, with its own step numbers, as MathML.
 * @param {Point} p @returns {string}
 */
export function equationOf(p) {
  if (p.kind === 'forward') {
    const t = p.t;
    return math(
      row(`${sub('s', t)}<mo>=</mo><mi>tanh</mi><mo>(</mo><mi>U</mi>${sub('x', t)}<mo>+</mo><mi>W</mi>${sub('s', t - 1)}<mo>)</mo>`) +
        row(`${sub('o', t)}<mo>=</mo><mi>softmax</mi><mo>(</mo><mi>V</mi>${sub('s', t)}<mo>)</mo>`) +
        row(`${sub('E', t)}<mo>=</mo><mo>−</mo><mi>ln</mi>${sub('o', t)}<mo>[</mo>${sub('y', t)}<mo>]</mo>`),
      `s ${t} equals tanh of U x ${t} plus W s ${t - 1}; o ${t} equals softmax of V s ${t}; E ${t} equals minus log of o ${t} at the target`,
    );
  }
  if (p.kind === 'output') {
    const t = p.t;
    return math(
      row(`${sub('δ', 'o')}<mo>=</mo>${sub('o', t)}<mo>−</mo>${sub('y', t)}`) +
        row(`${dL('V')}<mo>+=</mo>${sub('δ', 'o')}${transposed('s', t)}`) +
        row(`${sub('δ', t)}<mo>=</mo><msup><mi>V</mi><mo>⊤</mo></msup>${sub('δ', 'o')}${tanhSlope(t)}`),
      `delta o equals o ${t} minus y ${t} one-hot; dL by dV plus-equals delta o times s ${t} transposed; delta ${t} equals V transposed delta o times one minus s ${t} squared`,
    );
  }
  const k = /** @type {number} */ (p.step);
  const from = k < p.t ? row(`${sub('δ', k)}<mo>=</mo><msup><mi>W</mi><mo>⊤</mo></msup>${sub('δ', k + 1)}${tanhSlope(k)}`) : '';
  return math(
    from +
      row(`${dL('W')}<mo>+=</mo>${sub('δ', k)}${transposed('s', k - 1)}`) +
      row(`${dL('U')}<mo>[</mo><mo>:</mo><mo>,</mo>${sub('x', k)}<mo>]</mo><mo>+=</mo>${sub('δ', k)}`),
    `${k < p.t ? `delta ${k} equals W transposed delta ${k + 1} times one minus s ${k} squared; ` : ''}dL by dW plus-equals delta ${k} times s ${k - 1} transposed; dL by dU at the columns of x ${k} plus-equals delta ${k}`,
  );
}

/** A step's index in text: s_−1 for the zero state. @param {number} n */
export const at = (n) => (n < 0 ? `−${-n}` : String(n));

/** A number as the walk shows it: four significant digits. @param {number} v */
export const fmt = (v) => (v === 0 ? '0' : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? String(Number(v.toPrecision(4))) : v.toExponential(3));

/**
 * The point in words, for the live region and the slider.
 * @param {Point} p @param {Walk} walk
 */
export function wordsOf(p, walk) {
  const last = walk.x.length - 1;
  if (p.kind === 'forward') {
    return `Forward, step t = ${p.t} of 0 to ${last}: reads ${walk.inputLabels[p.t]}; s_${p.t} = tanh(U x_${p.t} + W s_${at(p.t - 1)}); o_${p.t} gives the target ${p.target} probability ${fmt(p.output[p.target])}; E_${p.t} = ${fmt(p.loss)}.`;
  }
  if (p.kind === 'output') {
    return `Backward, output t = ${p.t}: δ_o = o_${p.t} − y_${p.t}, added to dV; δ_${p.t} = Vᵀ δ_o ∘ (1 − s_${p.t}²), norm ${fmt(p.deltaNorm)}. Its window: steps ${p.t} down to ${p.first}.`;
  }
  const k = /** @type {number} */ (p.step);
  const came = k < p.t ? `δ_${k} = Wᵀ δ_${k + 1} ∘ (1 − s_${k}²)` : `δ_${k}`;
  const cols = /** @type {number[]} */ (p.columns);
  return `Backward, output t = ${p.t}, step ${k} (window ${p.first} to ${p.t}): ${came}, norm ${fmt(p.deltaNorm)}; added to dW with s_${at(k - 1)} and to dU's column${cols.length > 1 ? 's' : ''} ${cols.join(' and ')}.`;
}

/**
 * Every point of a walk in order: the forward steps, then the loop's points.
 * @param {Walk} walk @returns {Point[]}
 */
export function pointsOf(walk) {
  return [...walk.forward.map((f) => /** @type {Point} */ ({ kind: 'forward', ...f })), ...walk.backward];
}
