// The page's side of the worker protocol: commands go out tagged with the current generation,
// replies come back with the generation they answer, and anything from an older generation (a
// model that has since been reset) is dropped.

export class ModelWorker {
  /** @param {(msg: object) => void} onEvent called with every current, unsolicited message */
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.generation = 0;
    this.nextId = 1;
    this.pending = new Map();
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = ({ data }) => this.#receive(data);
    this.worker.onerror = (e) => this.onEvent({ type: 'error', message: `the model's worker failed: ${e.message}` });
  }

  #receive(msg) {
    const waiter = msg.id && this.pending.get(msg.id);
    if (waiter) {
      this.pending.delete(msg.id);
      if (msg.type === 'error') {
        if (msg.keptGeneration !== undefined) this.generation = msg.keptGeneration;
        waiter.reject(new Error(msg.message));
      } else if (msg.gen !== this.generation && msg.type !== 'seed') {
        waiter.resolve(null); // answered for a model that is gone
      } else {
        waiter.resolve(msg);
      }
      if (msg.type !== 'ready') return;
    }
    if (msg.gen === this.generation) this.onEvent(msg);
  }

  #send(type, payload = {}, gen = this.generation) {
    this.worker.postMessage({ type, gen, ...payload });
  }

  /** A command with a reply: resolves with it, or null if the model was reset meanwhile. */
  request(type, payload = {}, gen = this.generation) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.#send(type, { ...payload, id }, gen);
    });
  }

  /** A command without a reply. */
  send(type, payload = {}) {
    this.#send(type, payload);
  }

  /** A new model from `config`; the old one stays if the worker refuses the config. */
  reset(config) {
    this.generation += 1;
    return this.request('configure', { config }, this.generation);
  }

  /** A model read back from exported JSON. */
  load(json) {
    this.generation += 1;
    return this.request('import', { json }, this.generation);
  }
}
