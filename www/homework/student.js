// @ts-check
// The student's code runs here and only here: in a classic Web Worker made for it from a blob:
// URL (the page's CSP allows `worker-src blob:`; the worker inherits the page's policy, so no
// eval, no foreign request). It gets only what it is given: copies of the weights, the example,
// the columns of U each step switches on (the core's `hot`), the truncation and a forward pass;
// never the core's gradients. A call that does not answer
// within the time limit has its worker terminated.
//
// The student's code is the blob's first line on, so an error's line number is the editor's.

/** How long the student's bptt may take on one example. */
export const TIME_LIMIT_MS = 5000;

/**
 * `hot[t]` is the list of U's columns step t switches on, as the core sent it: `[x[t]]` in the
 * notebook's layout, `[a_i, 10 + b_i]` in the aligned one (x_t two one-hot blocks). Nothing here
 * works them out from x.
 * @typedef {{ rows: number, cols: number, values: Float64Array }} Matrix
 * @typedef {{ U: Matrix, V: Matrix, W: Matrix, bpttTruncate: number, x: number[], hot: number[][], y: number[] }} Problem
 * @typedef {{ kind: 'ok', result: unknown }
 *   | { kind: 'syntax' | 'exception', message: string, line: number | null }
 *   | { kind: 'missing' | 'unsendable', message: string }
 *   | { kind: 'timeout', ms: number }} Outcome
 */

// Put before the student's code on its first line: no network from here, whatever the CSP.
const PRELUDE = 'self.fetch = self.XMLHttpRequest = self.WebSocket = self.EventSource = self.importScripts = undefined; ';

// After the student's code: answers each problem with bptt's return value, or its error.
const RUNNER = `
;(() => {
  const post = self.postMessage.bind(self);
  const LINES = __LINES__;
  const rows = (m) => { const out = []; for (let i = 0; i < m.rows; i++) out.push(Array.from(m.values.subarray(i * m.cols, (i + 1) * m.cols))); return out; };
  // the first frame in the student's lines, from a stack such as "at bptt (blob:http://…/id:5:13)"
  const lineOf = (e) => {
    for (const l of String(e && e.stack).split('\\n')) {
      const m = /blob:.*:(\\d+):(\\d+)\\)?\\s*$/.exec(l);
      if (m && Number(m[1]) <= LINES) return Number(m[1]);
    }
    return null;
  };
  // the notebook's forward_propagation: s has T + 1 rows, the last the zero state. U·x_t is the
  // sum of U's hot columns (the notebook's U[:, x[t]] when x_t is one one-hot digit); a symbol's
  // columns are the ones the core named for it in this example.
  const forward = (U, V, W, x, columns) => {
    const T = x.length, H = W.length;
    const hot = x.map((sym) => {
      const c = columns.get(sym);
      if (!c) throw new RangeError('model.forward(x) knows the columns of this example’s input symbols only, and ' + sym + ' is not one of them');
      return c;
    });
    const s = []; for (let t = 0; t <= T; t++) s.push(new Array(H).fill(0));
    const o = [];
    for (let t = 0; t < T; t++) {
      const prev = s.at(t - 1), cur = s[t], on = hot[t];
      for (let i = 0; i < H; i++) { let a = 0; for (const c of on) a += U[i][c]; const w = W[i]; for (let j = 0; j < H; j++) a += w[j] * prev[j]; cur[i] = Math.tanh(a); }
      const z = V.map((v) => { let a = 0; for (let j = 0; j < H; j++) a += v[j] * cur[j]; return a; });
      const top = Math.max(...z), e = z.map((zi) => Math.exp(zi - top)), sum = e.reduce((a, b) => a + b, 0);
      o.push(e.map((ei) => ei / sum));
    }
    return [o, s];
  };
  self.onmessage = ({ data }) => {
    if (typeof bptt !== 'function') { post({ kind: 'missing', message: 'no function named bptt was found: keep the line “function bptt(model, x, y) {”' }); return; }
    const own = { U: rows(data.U), V: rows(data.V), W: rows(data.W) };
    const columns = new Map(data.x.map((sym, t) => [sym, data.hot[t].slice()]));
    const model = { U: rows(data.U), V: rows(data.V), W: rows(data.W), hot: data.hot.map((h) => h.slice()), bpttTruncate: data.bpttTruncate, forward: (x) => forward(own.U, own.V, own.W, x, columns) };
    let result;
    try {
      result = bptt(model, data.x.slice(), data.y.slice());
    } catch (e) {
      post({ kind: 'exception', message: e instanceof Error ? e.name + ': ' + e.message : 'threw ' + String(e), line: lineOf(e) });
      return;
    }
    try {
      post({ kind: 'ok', result });
    } catch (e) {
      post({ kind: 'unsendable', message: 'bptt returned something that is not plain arrays of numbers (' + e.message + ')' });
    }
  };
})();
`;

/** One student's code in its own worker, asked one problem at a time. */
export class Student {
  /** @param {string} code */
  constructor(code) {
    this.code = code;
    /** @type {Worker | null} */
    this.worker = null;
    /** @type {((o: Outcome) => void) | null} */
    this.waiting = null;
  }

  #spawn() {
    const lines = this.code.split('\n').length;
    const text = PRELUDE + this.code + '\n' + RUNNER.replace('__LINES__', String(lines));
    const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    const worker = new Worker(url, { name: 'your bptt' });
    URL.revokeObjectURL(url);
    worker.onmessage = ({ data }) => this.#answer(data);
    worker.onerror = (e) => {
      e.preventDefault();
      const message = (e.message || 'the code failed').replace(/^Uncaught /, '');
      const kind = /SyntaxError/.test(message) ? 'syntax' : 'exception';
      this.#answer({ kind, message, line: e.lineno || null });
      this.close(); // a worker whose script failed cannot answer again
    };
    worker.onmessageerror = () => this.#answer({ kind: 'unsendable', message: 'bptt’s return value could not be read back' });
    this.worker = worker;
  }

  /** @param {Outcome} outcome */
  #answer(outcome) {
    const w = this.waiting;
    this.waiting = null;
    w?.(outcome);
  }

  /**
   * Runs bptt on one problem: its outcome, never a rejection.
   * @param {Problem} problem
   * @returns {Promise<Outcome>}
   */
  run(problem, limit = TIME_LIMIT_MS) {
    if (!this.worker) this.#spawn();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.close();
        this.#answer({ kind: 'timeout', ms: limit });
      }, limit);
      this.waiting = (o) => {
        clearTimeout(timer);
        resolve(o);
      };
      this.worker.postMessage(problem);
    });
  }

  /** Ends the worker (a call waiting gets no answer from it). */
  close() {
    this.worker?.terminate();
    this.worker = null;
  }
}

/**
 * An outcome that is not a result, as one sentence for the student.
 * @param {Exclude<Outcome, { kind: 'ok' }>} o
 */
export function explain(o) {
  switch (o.kind) {
    case 'syntax':
      return `Syntax error${o.line ? ` on line ${o.line}` : ''}: ${o.message.replace(/^SyntaxError: /, '')}. The code did not run.`;
    case 'exception':
      return `Your code threw an error${o.line ? ` on line ${o.line}` : ''}: ${o.message}`;
    case 'timeout':
      return `Your bptt did not return within ${o.ms / 1000} s (an endless loop?), so it was stopped.`;
    case 'missing':
    case 'unsendable':
      return o.message.charAt(0).toUpperCase() + o.message.slice(1) + '.';
    default:
      return 'Your code failed.';
  }
}
