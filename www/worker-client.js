// @ts-check
// The page's side of the worker protocol (protocol.js): commands go out tagged with the current
// generation, replies come back with the generation they answer, and anything from an older
// generation (a model that has since been replaced) is dropped. If the worker dies, or stops
// answering a new configuration, `restart()` replaces it with a fresh one. An import is never
// cut short: restarting would destroy the current model, and reading a large file may take long.

import { Command, Event, isCurrent } from './protocol.js';

/** @typedef {import('./protocol.js').Message} Message */

/** How long a new model may take to be accepted (its settings checked, its data drawn). */
const ACCEPT_TIMEOUT_MS = 8000;

export class ModelWorker {
  /** @param {(msg: Message) => void} onEvent called with every current, unsolicited message */
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.generation = 0;
    this.nextId = 1;
    /** @type {Map<number, { resolve: (reply: Message | null) => void, reject: (e: Error) => void }>} */
    this.pending = new Map();
    this.#spawn();
  }

  /**
   * A new worker; the first time, the one boot.js started as the page loaded, if there is one.
   * Its address is the page's own (index.html's folder), not this module's: `cargo xtask dist`
   * bundles the page's modules into www/app/main.js.
   */
  #spawn() {
    const early = /** @type {any} */ (globalThis).rnnPlaygroundWorker;
    /** @type {any} */ (globalThis).rnnPlaygroundWorker = undefined;
    this.worker = /** @type {Worker} */ (early?.worker ?? new Worker(new URL('www/worker/main.js', document.baseURI), { type: 'module' }));
    this.worker.onmessage = ({ data }) => this.#receive(data);
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      this.onEvent({ type: Event.crashed, gen: this.generation, message: e.message || 'the worker stopped' });
    };
    // it failed before anyone listened: said as a crash is, once the page has wired its events
    if (early?.error) queueMicrotask(() => this.onEvent({ type: Event.crashed, gen: this.generation, message: early.error }));
  }

  /** Replaces the worker with a fresh one (the old model is gone); pending requests fail. */
  restart() {
    this.worker.terminate();
    for (const { reject } of this.pending.values()) reject(new Error('the model’s worker was restarted'));
    this.pending.clear();
    this.generation += 1;
    this.#spawn();
  }

  /** @param {Message} msg */
  #receive(msg) {
    const waiter = msg.id && this.pending.get(msg.id);
    if (waiter) {
      this.pending.delete(msg.id);
      if (msg.type === Event.error) {
        if (msg.keptGeneration !== undefined) this.generation = msg.keptGeneration;
        waiter.reject(new Error(msg.message));
      } else if (!isCurrent(msg, this.generation)) {
        waiter.resolve(null); // answered for a model that is gone
      } else {
        waiter.resolve(msg);
      }
      return;
    }
    if (isCurrent(msg, this.generation)) this.onEvent(msg);
  }

  /**
   * @param {string} type a `Command`
   * @param {object} payload
   */
  #send(type, payload = {}, gen = this.generation) {
    this.worker.postMessage({ type, gen, ...payload });
  }

  /**
   * A command with a reply: resolves with it, or null if the model was replaced meanwhile.
   * @param {string} type a `Command`
   * @param {object} payload
   * @returns {Promise<Message | null>}
   */
  request(type, payload = {}, gen = this.generation, timeout = 0) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.#send(type, { ...payload, id }, gen);
      if (timeout) {
        setTimeout(() => {
          if (!this.pending.has(id)) return;
          this.pending.delete(id);
          reject(Object.assign(new Error('the model’s worker did not answer'), { unanswered: true }));
        }, timeout);
      }
    });
  }

  /**
   * A command without a reply.
   * @param {string} type a `Command`
   * @param {object} payload
   */
  send(type, payload = {}) {
    this.#send(type, payload);
  }

  /** A new model from `config`; the old one stays if the worker refuses the config. If the
   * worker does not answer at all, it is replaced and asked once more.
   * @param {Record<string, any>} config */
  reset(config) {
    return this.#replace(Command.configure, { config });
  }

  /** A model read back from exported JSON, waited for however long it takes (the old model stays until the new one is accepted). @param {string} json */
  load(json) {
    this.generation += 1;
    return this.request(Command.import, { json }, this.generation);
  }

  /**
   * @param {string} type
   * @param {object} payload
   */
  async #replace(type, payload) {
    this.generation += 1;
    try {
      return await this.request(type, payload, this.generation, ACCEPT_TIMEOUT_MS);
    } catch (e) {
      if (!e.unanswered) throw e;
      this.restart();
      return this.request(type, payload, this.generation, ACCEPT_TIMEOUT_MS);
    }
  }
}
