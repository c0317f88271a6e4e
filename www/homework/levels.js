// @ts-check
// The three levels of guidance, each the starting text of the editor. Level 1 is the notebook's
// own exercise cell in JavaScript: the forward pass, the loops and a hint per line, with the
// lines to write left out. Nothing here is the answer.

export const LEVELS = [
  { level: 1, label: '1 · The notebook’s skeleton', help: 'The forward pass, the loops and a hint for every line to write.' },
  { level: 2, label: '2 · The loops only', help: 'The loop structure; the rest is yours.' },
  { level: 3, label: '3 · A blank function', help: 'Just the signature and the contract.' },
];

const CONTRACT = `// x, y: the T input symbols and T target digits of one example.
// model.U (H × C_in), model.V (C_out × H), model.W (H × H): arrays of rows (copies).
// model.hot[t]: the columns of U that x[t] switches on (U·x_t is their sum). In the notebook's
//   layout it is [x[t]], so the notebook's dLdU[:, x[t]] is its one hot column; under the Carry
//   preset x_t is two one-hot blocks and model.hot[t] is [a_i, 10 + b_i].
// model.bpttTruncate: how many steps back each output's error flows.
// model.forward(x) returns [o, s]: o has T rows of output probabilities, s has T + 1 rows,
//   the last one the zero state, so s.at(t - 1) is the notebook's s[t-1].
// Return [dLdU, dLdV, dLdW]: arrays of rows shaped like U, V and W.
`;

/** @type {Record<number, string>} */
const SKELETONS = {
  1: `${CONTRACT}function bptt(model, x, y) {
  const T = y.length;
  // Perform forward propagation
  const [o, s] = model.forward(x);
  // We accumulate the gradients in these variables
  const dLdU = zerosLike(model.U);
  const dLdV = zerosLike(model.V);
  const dLdW = zerosLike(model.W);
  // delta_o = o, then delta_o[t][y[t]] -= 1 (softmax and cross-entropy together)
  const delta_o = o.map((row) => row.slice());
  for (let t = 0; t < T; t++) delta_o[t][y[t]] -= 1;
  // For each output backwards...
  for (let t = T - 1; t >= 0; t--) {
    // update dLdV (the error at output t, against the state that produced it)
    // ...

    // Initial delta calculation (back through V, then through the tanh of step t)
    // let delta_t = ...

    // Backpropagation through time (for at most model.bpttTruncate steps)
    for (let bptt_step = t; bptt_step >= Math.max(0, t - model.bpttTruncate); bptt_step--) {
      // update dLdW (delta_t against the state before bptt_step: s.at(bptt_step - 1))
      // ...

      // update dLdU: the notebook's dLdU[:, x[bptt_step]] += delta_t, for each column
      // x[bptt_step] switched on (in the notebook's layout, just column x[bptt_step])
      for (const j of model.hot[bptt_step]) {
        // ...
      }

      // Update delta for next step (back through W, then through that step's tanh)
      // ...
    }
  }
  return [dLdU, dLdV, dLdW];
}

// A matrix of zeros shaped like m (an array of rows).
function zerosLike(m) {
  return m.map((row) => row.map(() => 0));
}
`,
  2: `${CONTRACT}function bptt(model, x, y) {
  const T = y.length;
  const [o, s] = model.forward(x);

  for (let t = T - 1; t >= 0; t--) {

    for (let bptt_step = t; bptt_step >= Math.max(0, t - model.bpttTruncate); bptt_step--) {

      for (const j of model.hot[bptt_step]) {

      }

    }
  }
  return [dLdU, dLdV, dLdW];
}
`,
  3: `${CONTRACT}function bptt(model, x, y) {

}
`,
};

/** The editor's starting text at `level` (1-3). @param {number} level */
export function skeleton(level) {
  return SKELETONS[level] ?? SKELETONS[1];
}
