// @ts-check
// The text put before the student's code in its worker (see sandbox.html): it runs first, so it
// takes what it needs before the student's code can change anything. It keeps bound copies of
// postMessage, addEventListener and the event accessors, removes every way out it can find from
// the worker's global and its prototypes (the sandbox's origin and policy refuse them anyway),
// and answers each problem with bptt's return value or its error, signed with the worker's
// secret (the sandbox writes it over __SECRET__), which no function the student's code can reach
// has in its source. Its listener comes first and stops the event, so the student's listeners and
// onmessage never see a problem; whatever the student's code posts itself lacks the secret and is
// dropped. Every text it posts is cut to LIMIT characters.

/** The runner, the first lines of the worker's script; the student's code follows on a new line. */
export const RUNNER = `(() => {
  'use strict';
  const SECRET = '__SECRET__';
  const LIMIT = 2000;
  const post = self.postMessage.bind(self);
  const listen = self.addEventListener.bind(self);
  const call = Function.prototype.call;
  const getter = (proto, name) => call.bind(Object.getOwnPropertyDescriptor(proto, name).get);
  const dataOf = getter(MessageEvent.prototype, 'data');
  const stop = call.bind(Event.prototype.stopImmediatePropagation);
  const toText = String;
  const slice = call.bind(String.prototype.slice);
  // at most LIMIT characters, saying how many there were; a cut text is not cut again
  const cut = (s) => { const t = toText(s); return t.length > LIMIT ? slice(t, 0, LIMIT - 50) + '… (' + t.length + ' characters, cut)' : t; };
  for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'WebTransport', 'EventSource', 'importScripts', 'indexedDB', 'caches',
    'BroadcastChannel', 'Worker', 'SharedWorker', 'cookieStore', 'FileSystemHandle']) {
    for (let o = self; o; o = Object.getPrototypeOf(o)) try { delete o[name]; } catch {}
  }
  for (let o = navigator; o; o = Object.getPrototypeOf(o)) try { delete o.storage; } catch {}
  const OWN = __OWN__;
  const LINES = __LINES__;
  const rows = (m) => { const out = []; for (let i = 0; i < m.rows; i++) out.push(Array.from(m.values.subarray(i * m.cols, (i + 1) * m.cols))); return out; };
  // the first frame in the student's lines (after these), from a stack such as
  // "at bptt (blob:null/id:35:13)", as a line of the editor
  const lineOf = (e) => {
    try {
      for (const l of toText(e && e.stack).split('\\n')) {
        const m = /blob:.*:(\\d+):(\\d+)\\)?\\s*$/.exec(l);
        if (m && Number(m[1]) > OWN && Number(m[1]) <= OWN + LINES) return Number(m[1]) - OWN;
      }
    } catch {}
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
  const solve = (data) => {
    if (typeof bptt !== 'function') return { kind: 'missing', message: 'no function named bptt was found: keep the line “function bptt(model, x, y) {”' };
    const own = { U: rows(data.U), V: rows(data.V), W: rows(data.W) };
    const columns = new Map(data.x.map((sym, t) => [sym, data.hot[t].slice()]));
    // explain mode (data.only: one output t): every other output is given o = y, so its error
    // delta_o is zero and the gradients returned are output t's alone
    const only = data.only, targets = data.y.slice();
    let calls = 0;
    const forwardOf = (x) => {
      calls++;
      const r = forward(own.U, own.V, own.W, x, columns);
      if (Number.isInteger(only)) r[0] = r[0].map((row, t) => (t === only || t >= targets.length ? row : row.map((_, d) => (d === targets[t] ? 1 : 0))));
      return r;
    };
    const model = { U: rows(data.U), V: rows(data.V), W: rows(data.W), hot: data.hot.map((h) => h.slice()), bpttTruncate: data.bpttTruncate, forward: forwardOf };
    try {
      const result = bptt(model, data.x.slice(), data.y.slice());
      return { kind: 'ok', result, forwardCalls: calls };
    } catch (e) {
      let message = 'threw something';
      try { message = cut(e instanceof Error ? e.name + ': ' + e.message : 'threw ' + toText(e)); } catch {}
      return { kind: 'exception', message, line: lineOf(e) };
    }
  };
  listen('message', (event) => {
    stop(event);
    const { id, problem } = dataOf(event);
    let outcome;
    try {
      outcome = solve(problem);
    } catch (e) {
      outcome = { kind: 'exception', message: 'the check could not run your code', line: null };
    }
    try {
      post({ secret: SECRET, id, outcome });
    } catch (e) {
      let why = 'it could not be copied';
      try { why = cut(e.message); } catch {}
      post({ secret: SECRET, id, outcome: { kind: 'unsendable', message: 'bptt returned something that is not plain arrays of numbers (' + why + ')' } });
    }
  });
})();
`;

/** How many lines the runner takes: the student's line n is the script's line OWN + n. */
export const OWN = RUNNER.split('\n').length - 1;

/** The worker's whole script: the runner, then the student's code from a line of its own. */
export function script(/** @type {string} */ code) {
  const lines = code.split('\n').length;
  return RUNNER.replace('__OWN__', String(OWN)).replace('__LINES__', String(lines)) + code;
}
