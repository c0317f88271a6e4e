// The values the wasm facade returns, as the page reads them. wasm-bindgen types them `any`
// (pkg/rnn_playground.d.ts: they are built with serde in src/wasm/), so their shapes are
// written down here, for `// @ts-check`ed files to import with `/** @import { … } from './shapes.js' */`.
// Type declarations only: nothing imports this file at run time, and `cargo xtask dist` leaves
// .d.ts files out.
//
// Pinned by tests/node/shapes.mjs, which calls every export that returns a record and compares
// its keys with the interface here: a field added or removed on either side fails it. Keep one
// field a line (the test reads this file simply).

/** `Playground.predict(a, b)`: the network's answer for a + b (src/wasm/convert.rs). */
export interface Prediction {
  /** The two numbers and their sums as decimal strings (they may exceed 2^53). */
  a: string;
  b: string;
  predictedSum: string;
  trueSum: string;
  /** Whether every digit is right. */
  correct: boolean;
  /** T, the sequence length: one input, target and predicted digit per step. */
  steps: number;
  /** The input symbol of each step: a digit, or 10 a_i + b_i for a pair. */
  inputDigits: number[];
  /** What each step's input stands for: "4", or "4+9" for a pair. */
  inputLabels: string[];
  /** null at a step with no target (the delayed layout reading a). */
  targetDigits: (number | null)[];
  predictedDigits: number[];
  /** o_t for every step: steps × DIGITS, row-major. */
  probabilities: Float64Array;
}

/** `Playground.hidden_states(a, b)`: s_0 … s_{T-1}. */
export interface HiddenStates {
  steps: number;
  hiddenDim: number;
  /** steps × hiddenDim, row-major. */
  values: Float64Array;
}

/** `Playground.view(a, b)`: both of the above from one forward pass (src/session.rs `View`). */
export interface SumView {
  prediction: Prediction;
  hidden: HiddenStates;
}

/** What the worker sends for the watched sum (`watch()` in worker/progress.js): its view, or why it has none. */
export type View = SumView | { error: string };

/** `Playground.report()`: where a run stands at its last whole epoch (src/train.rs `EpochReport`; `train_epoch()` adds `millis`). */
export interface Report {
  epoch: number;
  examplesSeen: number;
  /** Whether the loss was evaluated after this epoch; if not, the figures are the last evaluation's. */
  evaluated: boolean;
  loss: number;
  digitAccuracy: number;
  exactAccuracy: number;
  /** Whether this epoch's evaluation halved the rate. */
  halved: boolean;
  /** The rate in force. */
  learningRate: number;
  /** The held-out random sums: `digitAccuracyByPlace[k]` is for the sum's digit worth 10^k. */
  test: Evaluation & { size: number; digitAccuracyByPlace: number[] };
  carryChains: { exactAccuracy: number; size: number };
}

/** `Playground.progress()`: where the current epoch stands (src/train/records.rs `Progress`). */
export interface Progress {
  phase: 'starting' | 'training' | 'evaluating';
  done: number;
  total: number;
}

/** `Playground.state()`: the run at its last whole epoch (src/train.rs `TrainingState`). */
export interface TrainingState {
  epoch: number;
  examplesSeen: number;
  learningRate: number;
  history: LossRecord[];
  /** The held-out sums' digit accuracy by place, as `Report.test.digitAccuracyByPlace`. */
  testByPlace: number[];
}

/** `Playground.train_for(millis, untilEpoch)` (src/session.rs `TrainedFor`). */
export interface TrainedFor {
  epochs: number;
  sequences: number;
  ready: boolean;
  latest: Report | null;
  progress: Progress;
  diverged: string | null;
  millis: number;
}

/** `start_gradient_check` / `continue_gradient_check` (src/gradcheck.rs `CheckReport`). */
export interface CheckReport {
  checked: number;
  total: number;
  done: boolean;
  rows: ParameterCheck[] | null;
}

/** One loss evaluation of `Playground.history()` / `history_since()` (src/train.rs `LossRecord`). */
export interface LossRecord {
  /** Epochs completed before this evaluation. */
  epoch: number;
  examplesSeen: number;
  /** Mean cross-entropy per digit, in nats: Infinity or NaN once a run diverged. */
  loss: number;
  digitAccuracy: number;
  exactAccuracy: number;
  /** The rate in force after this evaluation. */
  learningRate: number;
  /** Whether this evaluation halved the rate. */
  halved: boolean;
  /** The same figures on the held-out random sums, which training never sees. */
  test: Evaluation;
  /** Whole sums right on the carry chains (9999999 + 1, …). */
  carryChainAccuracy: number;
}

/** Loss and accuracies on a set of sums (src/metrics.rs `Evaluation`). */
export interface Evaluation {
  loss: number;
  digitAccuracy: number;
  exactAccuracy: number;
}

/** One weight matrix's row of `Playground.gradient_check()` (src/gradcheck.rs `ParameterCheck`). */
export interface ParameterCheck {
  parameter: 'U' | 'V' | 'W';
  size: number;
  checked: number;
  /** The pass criterion: largest |backprop − numeric| over `scale`; passes at most `threshold` (0.01). */
  maxError: number;
  /** max(largest |backprop|, largest |numeric|, 1e-8) over the entries checked. */
  scale: number;
  /** The notebook's largest |a − n| / (|a| + |n|), shown for comparison only. */
  maxRelativeError: number;
  /** [row, column] of the entry with the largest |backprop − numeric|. */
  worstIndex: [number, number] | null;
  /** Backpropagation's and the central difference's value there. */
  worstAnalytic: number;
  worstNumeric: number;
  passed: boolean;
}

/** A matrix from the facade (`weights()`, `gradients()`): row-major values. */
export interface Matrix {
  rows: number;
  cols: number;
  values: Float64Array;
}

/** `Playground.gradient_flow(a, b, training)` (src/flow.rs `GradientFlow`); with `training` true it throws for a
 * model too large to compute live ("This model’s gradient flow is drawn when training pauses: …"). */
export interface GradientFlow {
  /** T, the sequence length. */
  steps: number;
  /** steps × steps, row-major: entry (t, k) = ‖∂E_t/∂s_k‖, zero for k > t. */
  values: Float64Array;
  /** decay[j]: the mean over t ≥ j of entry (t, t − j). */
  decay: Float64Array;
}

/** The worker's `inspection` event (protocol.js). */
export interface Inspection {
  flow: GradientFlow | { error: string } | null;
  weights: { U: Matrix; V: Matrix; W: Matrix };
  /** W's largest singular value. */
  sigma: number;
  /** Epochs into training of these weights (a fraction mid-epoch). */
  at: number;
  millis: number;
}

/** `Playground.weights()`. */
export interface Weights {
  U: Matrix;
  V: Matrix;
  W: Matrix;
}

/** `Playground.layout()`: how this run lays a sum out in time, as the page shows it (src/layout/describe.rs `LayoutInfo`). */
export interface LayoutInfo {
  name: 'notebook' | 'aligned' | 'delayed';
  nDigits: number;
  /** Blank steps between a's digits and b's (the delayed layout's setting `gap`; 0 in the others). */
  gap: number;
  /** Time steps of one sequence. */
  steps: number;
  /** What step t reads: "a₁" … "b₇" (notebook), "a₀b₀" … "carry" (aligned), "a₀" … "blank" … "b₆", "carry" (delayed). Digits, not step numbers: the page counts steps t from 0. */
  stepLabels: string[];
  /** What step t reads, as a class: one digit of a, of b, a pair, a blank (the delayed layout's gap) or the 0 read for the last carry. */
  stepKinds: ('a' | 'b' | 'pair' | 'blank' | 'pad')[];
  /** What column j of U stands for: "0" … "9" (and "blank" with blank steps), or "a=0" … "b=9". */
  columnLabels: string[];
  /** The power of ten of the sum digit step t outputs; null at a step with no target. */
  places: (number | null)[];
  /** How the steps read the two numbers, in a few words. */
  reads: string;
  /** What the input x_t is, in a few words. */
  input: string;
  /** When the digits that decide the carry into a place have been read, in a sentence. */
  carry: string;
  /** Whether a network can get every fresh sum right in this layout. */
  adds: boolean;
  /** The best any network can do on fresh sums in this layout, where it is known. */
  floor: Evaluation | null;
}

/** `Playground.gradients(example)`: the core's gradients on one training example (homework). */
export interface HomeworkProblem {
  example: number;
  /** The input symbol of each step. */
  x: number[];
  /** `hot[t]`: the columns of U step t switches on. */
  hot: number[][];
  /** The target digit of each step. */
  y: number[];
  bpttTruncate: number;
  dU: Matrix;
  dV: Matrix;
  dW: Matrix;
}

/** `Playground.homework_example()`: the next example of an epoch trained with the student's gradients. */
export interface HomeworkExample {
  example: number;
  /** Examples in the epoch. */
  total: number;
  x: number[];
  hot: number[][];
  y: number[];
  bpttTruncate: number;
  U: Matrix;
  V: Matrix;
  W: Matrix;
}

/** `Playground.sgd_step_with(example, dU, dV, dW)` (src/session.rs). */
export interface HomeworkStep {
  example: number;
  done: number;
  total: number;
  /** The epoch's report when this step ended it. */
  epoch: Report | null;
}

/** `Playground.open_walk(a, b)`: a sum walked through the forward pass and the notebook's `bptt` loop (src/walk.rs). */
export interface Walk {
  x: number[];
  /** What each step reads: "4", or "4+9" for a pair. */
  inputLabels: string[];
  y: number[];
  bpttTruncate: number;
  hiddenDim: number;
  forward: WalkForwardStep[];
  /** The loop's points in its order: each output's, then its window's steps from t back to `first`. */
  backward: WalkPoint[];
}

/** One forward step of a walk: s_t = tanh(U x_t + W s_{t−1}), o_t = softmax(V s_t). */
export interface WalkForwardStep {
  t: number;
  /** The columns of U that x_t switches on. */
  columns: number[];
  uX: number[];
  wS: number[];
  /** What tanh takes. */
  sum: number[];
  state: number[];
  output: number[];
  target: number;
  /** E_t = −ln o_t[y_t]. */
  loss: number;
}

/** One point of the loop: `kind` "output" (δ_o, dV, then δ_t) or "step" (δ at `step`, into dW and dU). */
export interface WalkPoint {
  kind: 'output' | 'step';
  t: number;
  /** The window's first step: max(0, t − truncation). */
  first: number;
  delta: number[];
  deltaNorm: number;
  /** Output points: y_t and δ_o = o_t − onehot(y_t). */
  target?: number;
  deltaO?: number[];
  /** Step points: the step, and the columns of dU it adds to. */
  step?: number;
  columns?: number[];
}

/** `Playground.walk_gradients(point)`: the running gradients once `point` is done. */
export interface WalkGradients {
  point: number;
  /** ‖dU‖, ‖dV‖, ‖dW‖. */
  norms: number[];
  /** At the last point: the walk against the core's `bptt` for the sum; else null. */
  agreement: WalkAgreement | null;
  dU: Matrix;
  dV: Matrix;
  dW: Matrix;
}

/** The walk's sums against the core's `bptt`, run afresh on the same sum and weights. */
export interface WalkAgreement {
  bitForBit: boolean;
  maxDifference: number;
  bpttNorms: number[];
}

/** `settingsSchema()` and www/pkg/settings-schema.js's `SCHEMA`: the core's settings table (src/config.rs). */
export interface SettingsSchema {
  limits: SchemaLimits;
  presets: Preset[];
  settings: SettingSpec[];
}

/** The core's work and size limits. */
export interface SchemaLimits {
  /** Most multiply-adds in one epoch. */
  epochWork: number;
  /** Most multiply-adds in one training sequence. */
  sequenceWork: number;
  /** Most multiply-adds in one update of a mini-batch. */
  batchWork: number;
  /** Largest saved model the core reads, in bytes. */
  fileBytes: number;
}

/** A named set of settings. */
export interface Preset {
  name: string;
  doc: string;
  values: Record<string, unknown>;
}

/** One setting of the core. */
export interface SettingSpec {
  key: string;
  type: 'integer' | 'positiveNumber' | 'fraction' | 'boolean' | 'choice';
  doc: string;
  /** Whether a change needs a new model. */
  newModel: boolean;
  min?: number;
  max?: number;
  nullable?: boolean;
  choices?: (string | number)[];
}
