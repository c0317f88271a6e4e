// @ts-check
// The student's code runs here and only here: in a Web Worker made inside a sandboxed frame
// (www/homework/sandbox.html, sandbox="allow-scripts" without allow-same-origin), so it has an
// opaque origin: none of the page's storage, no request to the page's server (the frame's policy
// allows no connection and no script by URL), no way to post into the page. It gets only what it
// is given: copies of the weights, the example, the columns of U each step switches on (the core's
// `hot`), the truncation and a forward pass; never the core's gradients. The page takes only the
// frame's messages (checked by `event.source`) carrying the nonce of the run it waits for; the
// frame takes only the answers the runner signs (runner.js). A call that does not answer within
// the time limit has its frame removed, and its worker with it. Every text is cut to LIMIT
// characters in the worker, in the frame and here.

import { script, OWN } from './runner.js';

/** How long the student's bptt may take on one example. */
export const TIME_LIMIT_MS = 5000;
/** How long the sandbox's frame may take to load (a slow machine, a busy page). */
export const LOAD_LIMIT_MS = 20000;
/** The most characters of any text from the student's code shown. */
export const LIMIT = 2000;

/** `text` cut to LIMIT characters, saying so. @param {unknown} text */
export function cut(text) {
  const s = String(text);
  return s.length > LIMIT ? `${s.slice(0, LIMIT - 50)}… (${s.length} characters, cut)` : s;
}

/**
 * `hot[t]` is the list of U's columns step t switches on, as the core sent it: `[x[t]]` in the
 * notebook's layout, `[a_i, 10 + b_i]` in the aligned one (x_t two one-hot blocks). Nothing here
 * works them out from x.
 * @typedef {{ rows: number, cols: number, values: Float64Array }} Matrix
 * `only` (explain mode): the one output whose error counts; model.forward gives the others o = y.
 * @typedef {{ U: Matrix, V: Matrix, W: Matrix, bpttTruncate: number, x: number[], hot: number[][], y: number[], only?: number }} Problem
 * @typedef {{ kind: 'ok', result: unknown, forwardCalls: number }
 *   | { kind: 'syntax' | 'exception', message: string, line: number | null }
 *   | { kind: 'missing' | 'unsendable' | 'sandbox', message: string }
 *   | { kind: 'timeout', ms: number }} Outcome
 */

const nonce = () => Array.from(crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(16)).join('');

/** An answer from the frame as an Outcome, or null when it is not one. @returns {Outcome | null} */
function outcomeOf(/** @type {any} */ o) {
  if (!o || typeof o !== 'object') return null;
  // the worker's own error events count the runner's lines; the runner's answers do not
  const raw = Number.isInteger(o.line) ? (o.fatal ? o.line - OWN : o.line) : null;
  const line = raw !== null && raw > 0 ? raw : null;
  switch (o.kind) {
    case 'ok':
      return { kind: 'ok', result: o.result, forwardCalls: Number.isInteger(o.forwardCalls) ? o.forwardCalls : 0 };
    case 'syntax':
    case 'exception':
      return { kind: o.kind, message: cut(o.message), line };
    case 'missing':
    case 'unsendable':
      return { kind: o.kind, message: cut(o.message) };
    default:
      return null;
  }
}

/** One student's code in its own sandboxed frame and worker, asked one problem at a time. */
export class Student {
  /** @param {string} code */
  constructor(code) {
    this.code = code;
    /** @type {HTMLIFrameElement | null} */
    this.frame = null;
    /** @type {Promise<boolean> | null} the frame is ready (false: it did not load) */
    this.ready = null;
    /** @type {{ nonce: string, done: (o: Outcome) => void } | null} */
    this.waiting = null;
    /** @type {((e: MessageEvent) => void) | null} */
    this.listener = null;
  }

  /** Makes the frame and waits for its word that it is ready. @returns {Promise<boolean>} */
  #spawn() {
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-scripts');
    frame.title = 'the sandbox your code runs in';
    frame.hidden = true;
    // from the page's address, not this module's: `cargo xtask dist` bundles the page's modules
    frame.src = new URL('www/homework/sandbox.html', document.baseURI).href;
    this.frame = frame;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), LOAD_LIMIT_MS);
      this.listener = (e) => {
        if (!this.frame || e.source !== this.frame.contentWindow) return;
        const d = e.data;
        if (d?.type === 'ready') {
          clearTimeout(timer);
          this.frame.contentWindow?.postMessage({ type: 'start', text: script(this.code) }, '*');
          resolve(true);
        } else if (d?.type === 'answer' && this.waiting && d.nonce === this.waiting.nonce) {
          const outcome = outcomeOf(d.outcome);
          if (!outcome) return;
          const w = this.waiting;
          this.waiting = null;
          w.done(outcome);
          // a worker whose script failed cannot answer again
          if (d.outcome.fatal) this.close();
        }
      };
      window.addEventListener('message', this.listener);
      document.body.append(frame);
    });
  }

  /**
   * Runs bptt on one problem: its outcome, never a rejection.
   * @param {Problem} problem
   * @returns {Promise<Outcome>}
   */
  async run(problem, limit = TIME_LIMIT_MS) {
    if (!this.frame) this.ready = this.#spawn();
    if (!(await this.ready) || !this.frame?.contentWindow) {
      this.close();
      return { kind: 'sandbox', message: 'the sandbox your code runs in did not start: reload the page and check again' };
    }
    const window = this.frame.contentWindow;
    return new Promise((resolve) => {
      const id = nonce();
      const timer = setTimeout(() => {
        this.waiting = null;
        this.close();
        resolve({ kind: 'timeout', ms: limit });
      }, limit);
      this.waiting = {
        nonce: id,
        done: (o) => {
          clearTimeout(timer);
          resolve(o);
        },
      };
      window.postMessage({ type: 'run', nonce: id, problem }, '*');
    });
  }

  /** Removes the frame, which ends its worker (a call waiting gets no answer from it). */
  close() {
    if (this.listener) window.removeEventListener('message', this.listener);
    this.listener = null;
    this.frame?.remove();
    this.frame = null;
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
    case 'sandbox':
      return o.message.charAt(0).toUpperCase() + o.message.slice(1) + '.';
    default:
      return 'Your code failed.';
  }
}
