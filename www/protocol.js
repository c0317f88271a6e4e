// The worker protocol, in one place: the commands the page sends the model's worker, the events
// the worker sends back, and the rules both sides follow. Imported by worker.js and
// worker-client.js.
//
// Every message carries `gen`, the generation of the model it is about: a new model (configure,
// import) starts a new generation, and replies about an older one are dropped. A command with an
// `id` gets exactly one reply with that id (its event, or `error`).

/** Page -> worker. */
export const Command = Object.freeze({
  /** `{ config }`: a new model; replies `accepted` at once (or `error`, and the old model stays), then `ready`. */
  configure: 'configure',
  /** `{ json }`: a saved model; replies `accepted`/`error`, then `ready`. */
  import: 'import',
  /** `{ untilEpoch? }`: train (until paused, or until that epoch). */
  train: 'train',
  pause: 'pause',
  /** One epoch, then pause. */
  step: 'step',
  /** `{ value }`: epochs per second, 0 = as fast as possible. */
  speed: 'speed',
  /** `{ value }`: the rate from now on; replies `learningRate`. */
  learningRate: 'learningRate',
  /** `{ a, b }`: the sum whose prediction follows training; replies `view`. */
  watch: 'watch',
  /** Replies `exported` with `{ json, epoch }`: the run at its last whole epoch. */
  export: 'export',
  /** `{ options }`: a gradient check in slices; posts `checkProgress`, replies `gradientCheck`. */
  gradientCheck: 'gradientCheck',
  /** Replies `seed` with a fresh random seed. */
  seed: 'seed',
  /** The page has drawn the last `progress`: the worker may post the next. */
  drawn: 'drawn',
  /** Traps the wasm module on purpose (tests of the recovery). */
  trapForTests: 'trapForTests',
});

/** Worker -> page. */
export const Event = Object.freeze({
  accepted: 'accepted',
  /** `{ config, state, view }`: the model is ready (starting loss evaluated). */
  ready: 'ready',
  /** `{ status, records, view, epochs, sequences, millis }`: training went on (at most one unacknowledged at a time). */
  progress: 'progress',
  running: 'running',
  paused: 'paused',
  /** `{ message, learningRate }`: an epoch blew up and was undone; training stopped. */
  diverged: 'diverged',
  /** `{ json, epoch }`: the run at its last whole epoch, to keep (in the browser, and for recovery). */
  checkpoint: 'checkpoint',
  view: 'view',
  learningRate: 'learningRate',
  exported: 'exported',
  checkProgress: 'checkProgress',
  gradientCheck: 'gradientCheck',
  seed: 'seed',
  /** `{ message }`: the wasm module trapped; the page must replace this worker. */
  crashed: 'crashed',
  error: 'error',
});

/** Commands that start a new generation, and so are never stale. */
export const NEW_GENERATION = new Set([Command.configure, Command.import]);

/** Commands that need no model and are never stale. */
export const ANY_TIME = new Set([Command.seed, Command.watch, Command.speed, Command.drawn, Command.trapForTests]);

/** Longest slice of work between two looks at the message queue, in ms: Pause, Reset and a new
 * sum are answered within about this long (a single training sequence is bounded by the core's
 * work limit to about 20 ms). */
export const SLICE_MS = 12;

/** Most loss records one `progress` carries (evenly chosen, with every halving and the latest). */
export const RECORDS_PER_POST = 200;

/** How often a training run is saved (checkpoint) while it runs, at least. */
export const CHECKPOINT_MS = 3000;
