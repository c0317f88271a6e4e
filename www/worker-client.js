// The page's side of the worker protocol (protocol.js): commands go out tagged with the current
// generation, replies come back with the generation they answer, and anything from an older
// generation (a model that has since been replaced) is dropped. If the worker dies or stops
// answering, `restart()` replaces it with a fresh one.

import { Command, Event, isCurrent } from './protocol.js';

/** How long a new model may take to be accepted (its settings checked, its data drawn). */
const ACCEPT_TIMEOUT_MS = 8000;

export class ModelWorker {
  /** @param {(msg: object) => void} onEvent called with every current, unsolicited message */
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.generation = 0;
    this.nextId = 1;
    this.pending = new Map();
    this.#spawn();
  }

  #spawn() {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = ({ data }) => this.#receive(data);
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      this.onEvent({ type: Event.crashed, message: e.message || 'the worker stopped' });
    };
  }

  /** Replaces the worker with a fresh one (the old model is gone); pending requests fail. */
  restart() {
    this.worker.terminate();
    for (const { reject } of this.pending.values()) reject(new Error('the model’s worker was restarted'));
    this.pending.clear();
    this.generation += 1;
    this.#spawn();
  }

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

  #send(type, payload = {}, gen = this.generation) {
    this.worker.postMessage({ type, gen, ...payload });
  }

  /** A command with a reply: resolves with it, or null if the model was replaced meanwhile. */
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

  /** A command without a reply. */
  send(type, payload = {}) {
    this.#send(type, payload);
  }

  /** A new model from `config`; the old one stays if the worker refuses the config. If the
   * worker does not answer at all, it is replaced and asked once more. */
  reset(config) {
    return this.#replace(Command.configure, { config });
  }

  /** A model read back from exported JSON. */
  load(json) {
    return this.#replace(Command.import, { json });
  }

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
