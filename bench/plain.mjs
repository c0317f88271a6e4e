// The training step as a web developer would write it without wasm: Float64Array loops over the
// notebook's algorithm (one backward sweep; the notebook's nested loops when truncation cuts),
// dL/dU, dL/dV, dL/dW materialised, one-hot input read as a column of U.

/** mulberry32: a small seeded generator, so every run trains on the same data. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` sums of two `digits`-digit numbers, laid out as the notebook does. */
export function additionData(n, digits, seed = 10) {
  const rnd = random(seed);
  const examples = [];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: 2 * digits }, () => Math.floor(rnd() * 10));
    const a = Number(x.slice(0, digits).join('')),
      b = Number(x.slice(digits).join(''));
    const y = String(a + b)
      .padStart(2 * digits, '0')
      .split('')
      .map(Number);
    examples.push({ x, y });
  }
  return examples;
}

export class PlainRnn {
  constructor(hidden = 100, classes = 10, seed = 10) {
    const rnd = random(seed);
    const uniform = (len, bound) => Float64Array.from({ length: len }, () => (2 * rnd() - 1) * bound);
    this.H = hidden;
    this.C = classes;
    this.U = uniform(hidden * classes, Math.sqrt(1 / classes));
    this.V = uniform(classes * hidden, Math.sqrt(1 / hidden));
    this.W = uniform(hidden * hidden, Math.sqrt(1 / hidden));
    this.dU = new Float64Array(this.U.length);
    this.dV = new Float64Array(this.V.length);
    this.dW = new Float64Array(this.W.length);
  }

  /** s: (T+1) x H with row 0 the zero state; o: T x C probabilities. */
  forward(x) {
    const { H, C, U, V, W } = this;
    const T = x.length;
    const s = new Float64Array((T + 1) * H);
    const o = new Float64Array(T * C);
    for (let t = 0; t < T; t++) {
      const prev = t * H,
        cur = (t + 1) * H;
      for (let i = 0; i < H; i++) {
        let z = U[i * C + x[t]];
        for (let j = 0; j < H; j++) z += W[i * H + j] * s[prev + j];
        s[cur + i] = Math.tanh(z);
      }
      let max = -Infinity;
      for (let k = 0; k < C; k++) {
        let z = 0;
        for (let j = 0; j < H; j++) z += V[k * H + j] * s[cur + j];
        o[t * C + k] = z;
        if (z > max) max = z;
      }
      let sum = 0;
      for (let k = 0; k < C; k++) sum += o[t * C + k] = Math.exp(o[t * C + k] - max);
      for (let k = 0; k < C; k++) o[t * C + k] /= sum;
    }
    return { s, o };
  }

  /** Mean cross-entropy per digit over the examples. */
  loss(examples) {
    let total = 0,
      digits = 0;
    for (const { x, y } of examples) {
      const { o } = this.forward(x);
      for (let t = 0; t < y.length; t++) total -= Math.log(o[t * this.C + y[t]]);
      digits += y.length;
    }
    return total / digits;
  }

  sgdStep(x, y, lr, truncate) {
    const { H, C, U, V, W, dU, dV, dW } = this;
    const T = x.length;
    const { s, o } = this.forward(x);
    dU.fill(0);
    dV.fill(0);
    dW.fill(0);
    for (let t = 0; t < T; t++) o[t * C + y[t]] -= 1; // delta_o
    let delta = new Float64Array(H),
      next = new Float64Array(H);
    const single = truncate + 1 >= T;
    if (single) next.fill(0); // W^T delta_{t+1}
    for (let t = T - 1; t >= 0; t--) {
      const st = (t + 1) * H;
      for (let k = 0; k < C; k++) for (let j = 0; j < H; j++) dV[k * H + j] += o[t * C + k] * s[st + j];
      for (let i = 0; i < H; i++) {
        let z = single ? next[i] : 0;
        for (let k = 0; k < C; k++) z += V[k * H + i] * o[t * C + k];
        delta[i] = z * (1 - s[st + i] * s[st + i]);
      }
      const first = single ? t : Math.max(0, t - truncate);
      for (let step = t; step >= first; step--) {
        const sp = step * H; // s_{step-1}
        for (let i = 0; i < H; i++) {
          const d = delta[i];
          for (let j = 0; j < H; j++) dW[i * H + j] += d * s[sp + j];
          dU[i * C + x[step]] += d;
        }
        if (step === 0 || (!single && step === first)) break;
        next.fill(0);
        for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) next[j] += W[i * H + j] * delta[i];
        if (single) break; // `next` carries into step t - 1
        for (let j = 0; j < H; j++) next[j] *= 1 - s[sp + j] * s[sp + j];
        [delta, next] = [next, delta];
      }
    }
    for (let i = 0; i < U.length; i++) U[i] -= lr * dU[i];
    for (let i = 0; i < V.length; i++) V[i] -= lr * dV[i];
    for (let i = 0; i < W.length; i++) W[i] -= lr * dW[i];
  }
}
