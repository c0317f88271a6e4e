// @ts-check
// The worker protocol, in one place: the commands the page sends the model's worker, the events
// the worker sends back, their payloads, and the rules both sides follow. Imported by worker/
// and worker-client.js; nothing else names a message.
//
// Every message carries `gen`, the generation of the model it is about: a new model (configure,
// import) starts a new generation, and replies about an older one are dropped. A command with an
// `id` gets exactly one reply with that id (its event, or `error`).
//
// Two runs can live in the worker at once, when the page compares them: run "a" (the model of
// `configure` and `import`) and run "b" (`compare`), which belongs to run A's generation and goes
// with it. A message about one run carries `run` ("a" when missing); one Train, Step or Pause
// drives both, their epochs in lockstep.
//
// Records from the core travel as the core makes them (src/train.rs, src/session.rs,
// src/gradcheck.rs; their shapes are in shapes.d.ts): a `Report` is `Playground.report()`, a
// `LossRecord` one entry of `history_since()`, a `View` is `Playground.view()`.

/**
 * The payloads' records, declared once in shapes.d.ts:
 * @typedef {import('./shapes.js').Report} Report
 * @typedef {import('./shapes.js').LossRecord} LossRecord
 * @typedef {import('./shapes.js').Progress} Progress
 * @typedef {import('./shapes.js').View} View
 * @typedef {import('./shapes.js').ParameterCheck} ParameterCheck
 * @typedef {import('./shapes.js').TrainingState} TrainingState
 * @typedef {import('./shapes.js').LayoutInfo} LayoutInfo
 *
 * Any message, either way: its type (a `Command` or an `Event`), its generation, the id a reply
 * answers, and the payload documented beside its name below.
 * @typedef {{ type: string, gen: number, id?: number, [payload: string]: any }} Message
 */

/** Page -> worker. */
export const Command = Object.freeze({
  /** `{ config }`: a new model; replies `accepted` at once (or `error`, and the old model stays), then `ready`. */
  configure: 'configure',
  /** `{ json }`: a saved model; replies `accepted`/`error`, then `ready`. */
  import: 'import',
  /** `{ config }` or `{ json }`: run B beside run A, made from settings or read back from a saved run (JSON), replacing any
   * run B; replies `accepted` (`run: 'b'`, or `error` and nothing changes), then `ready` with `run: 'b'`. `{}`: run B is
   * dropped; replies `accepted`. */
  compare: 'compare',
  /** `{ untilEpoch? }`: train (until paused, or until that epoch). */
  train: 'train',
  pause: 'pause',
  /** One epoch, then pause; replies `running`. */
  step: 'step',
  /** `{ value }`: epochs per second, 0 = as fast as possible. */
  speed: 'speed',
  /** `{ value, both }`: run A's rate from now on, and run B's too when `both`; replies `learningRate`. */
  learningRate: 'learningRate',
  /** `{ a, b }`: the sum whose prediction follows training; replies `view`. */
  watch: 'watch',
  /** Replies `exported` with `{ json, epoch }`: the run at its last whole epoch. */
  export: 'export',
  /** `{ options }`: a gradient check in slices; posts `checkProgress`, replies `gradientCheck`. */
  gradientCheck: 'gradientCheck',
  /** `{ run? }`: replies `inspection`: how the watched sum's error flows back in that run, and its weights now. */
  inspect: 'inspect',
  /** Replies `seed` with a fresh random seed. */
  seed: 'seed',
  /** The page has drawn the last `progress`: the worker may post the next. */
  drawn: 'drawn',
  /** Traps the wasm module on purpose (tests of the recovery). */
  trapForTests: 'trapForTests',
  /** Homework: `{ example }`; replies `homeworkProblem`. */
  homeworkProblem: 'homeworkProblem',
  /** Homework: the next example of an epoch trained with the student's gradients; replies `homeworkExample`. */
  homeworkExample: 'homeworkExample',
  /** Homework: `{ example, dU, dV, dW }` (each `{ rows, cols, values }`): one SGD step with them; replies
   * `homeworkStepped`, and at the epoch's end posts `progress` and `checkpoint` as training does. */
  homeworkStep: 'homeworkStep',
  /** Homework's explain mode: the tiny case; replies `homeworkExplanation`. */
  homeworkExplain: 'homeworkExplain',
  /** Step through BPTT: `{ a, b }`, the sum to walk at the weights now; replies `walk`. */
  openWalk: 'openWalk',
  /** Step through BPTT: `{ point }` (from 0); replies `walkPoint`. */
  walkPoint: 'walkPoint',
});

/** Worker -> page. */
export const Event = Object.freeze({
  /** The new model's settings were accepted; `ready` follows. */
  accepted: 'accepted',
  /** `{ config, layout: LayoutInfo, state: TrainingState, report: Report, view: View | null, timings }`: the model is ready (starting
   * loss evaluated). `layout` is `Playground.layout()`: what each step reads, each column of U stands for, the place of each
   * output digit and the best any network can do in this layout; the page labels and orders what it draws by it.
   * `timings`: when the worker started, its module was ready, its first model was made, and this one was evaluated (ms since
   * 1970; the first-epoch benchmark reads them from the page's `model-ready` mark). */
  ready: 'ready',
  /** `{ report: Report | null, progress: Progress, preparing, records: LossRecord[], view: View | null, epochs, sequences, millis }`:
   * training (or the starting loss, while `preparing`) went on. At most one is unacknowledged (`drawn`) at a time. */
  progress: 'progress',
  running: 'running',
  /** `{ setAside: Progress | null }`: training stopped at the last whole epoch; `setAside` is the part of the next epoch
   * that was done and set aside (training again redoes it), so the model is the one the link and the saved run hold. */
  paused: 'paused',
  /** `{ message, learningRate, run? }`: an epoch of that run blew up and was undone; training stopped. */
  diverged: 'diverged',
  /** `{ json, epoch, b: { json, epoch } | null }`: the run at its last whole epoch, to keep (in the browser, and for recovery),
   * and run B at its own when comparing: both runs in one message, so what is kept is one moment of both. */
  checkpoint: 'checkpoint',
  /** `{ view: View | null }` */
  view: 'view',
  /** `{ value }`: the rate now in force. */
  learningRate: 'learningRate',
  /** `{ json, epoch }` */
  exported: 'exported',
  /** `{ checked, total }` */
  checkProgress: 'checkProgress',
  /** `{ rows: ParameterCheck[], epoch }`: the epoch whose weights were checked. */
  gradientCheck: 'gradientCheck',
  /** `{ flow: GradientFlow | { error } | null, weights: { U, V, W }, sigma, at, millis }`: `Playground.gradient_flow()`
   * of the watched sum (null before one is watched; `{ error }` while training when the core finds it too costly to compute live), `weights()` and `largest_singular_value()`, all at the weights now,
   * which are `at` epochs into training (a fraction mid-epoch); `millis` is what it cost, so that the page asks no more
   * often than it can afford. */
  inspection: 'inspection',
  /** `{ value }` */
  seed: 'seed',
  /** `{ message }`: the wasm module trapped; the page must replace this worker. */
  crashed: 'crashed',
  /** `{ message, keptGeneration? }`: a command failed; for a refused new model, the generation that stays. */
  error: 'error',
  /** `{ example, x, y, bpttTruncate, weights: { U, V, W }, expected: { dU, dV, dW }, epoch }`: the weights now and the
   * core's gradients on one example (`Playground.gradients()`), for the page's check; the page never gives `expected`
   * to the student's worker. */
  homeworkProblem: 'homeworkProblem',
  /** `{ example, total, x, y, bpttTruncate, U, V, W }`: `Playground.homework_example()`. */
  homeworkExample: 'homeworkExample',
  /** `{ example, done, total, epoch: Report | null }`: `Playground.sgd_step_with()`. */
  homeworkStepped: 'homeworkStepped',
  /** `{ explanation }`: `Playground.homework_explanation()`, the tiny case and every δ of the loop on it; the page
   * never gives its δs or gradients to the student's worker. */
  homeworkExplanation: 'homeworkExplanation',
  /** `{ walk: Walk, at }`: `Playground.open_walk()`, the sum's forward steps and the loop's points, at the weights of
   * `at` epochs (a fraction mid-epoch); the walk keeps those weights while training goes on. */
  walk: 'walk',
  /** `{ point, norms, agreement, dU, dV, dW }`: `Playground.walk_gradients()`, the running gradients once `point` is done. */
  walkPoint: 'walkPoint',
});

/** Commands that start a new generation, and so are never stale. */
const NEW_GENERATION = /** @type {Set<string>} */ (new Set([Command.configure, Command.import]));

/** Commands that need no model and are never stale. */
const ANY_TIME = /** @type {Set<string>} */ (new Set([Command.seed, Command.watch, Command.speed, Command.drawn, Command.trapForTests]));

/** Commands refused until the model's starting loss is recorded. */
const NEEDS_READY = /** @type {Set<string>} */ (
  new Set([
    Command.export,
    Command.gradientCheck,
    Command.inspect,
    Command.homeworkProblem,
    Command.homeworkExample,
    Command.homeworkStep,
    Command.homeworkExplain,
    Command.openWalk,
    Command.walkPoint,
  ])
);

/** Events the page takes whatever generation they carry: they are about the worker, not a model. */
const ANY_GENERATION = /** @type {Set<string>} */ (new Set([Event.seed, Event.crashed]));

/**
 * The worker's rule: why a command cannot run now, or null if it can. `stale` commands (about a
 * model since replaced) are dropped without a reply.
 * @param {{ type: string, gen: number }} command
 * @param {{ generation: number, hasModel: boolean, ready: boolean }} worker
 * @returns {null | 'stale' | string}
 */
export function refusal({ type, gen }, { generation, hasModel, ready }) {
  if (NEW_GENERATION.has(type) || ANY_TIME.has(type)) return null;
  if (gen !== generation) return 'stale';
  if (!hasModel) return 'no model yet';
  if (!ready && NEEDS_READY.has(type)) return 'the model is still being prepared: one moment';
  return null;
}

/**
 * The page's rule: whether a message from the worker is about the current model.
 * @param {{ type: string, gen: number }} msg
 * @param {number} generation
 */
export function isCurrent(msg, generation) {
  return msg.gen === generation || ANY_GENERATION.has(msg.type);
}

/** Longest slice of work between two looks at the message queue, in ms: Pause, Reset and a new
 * sum are answered within about this long (a single training sequence is bounded by the core's
 * work limit to about 20 ms). */
export const SLICE_MS = 12;

/** Most loss records one `progress` carries (evenly chosen, with every halving and the latest). */
export const RECORDS_PER_POST = 200;

/** How often a training run is saved (checkpoint) while it runs, at least. */
export const CHECKPOINT_MS = 3000;
