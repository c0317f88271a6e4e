// The values the wasm facade returns, as the page reads them. wasm-bindgen types them `any`
// (pkg/rnn_playground.d.ts: they are built with serde in src/wasm.rs), so their shapes are
// written down here, for `// @ts-check`ed files to import with `/** @import { … } from './shapes.js' */`.
// Type declarations only: nothing imports this file at run time, and `cargo xtask dist` leaves
// .d.ts files out.

/** `Playground.predict(a, b)`: the network's answer for a + b (src/wasm.rs `Prediction`). */
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
  inputDigits: number[];
  targetDigits: number[];
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

/** What the worker sends for the watched sum (`watch()` in worker.js): its view, or why it has none. */
export type View = SumView | { error: string };

/** `Playground.report()` and `train_epoch()`: where a run stands at its last whole epoch (src/train.rs `EpochReport`). */
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

/** `Playground.progress()`: where the current epoch stands (src/train.rs `Progress`). */
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

/** Loss and accuracies on a set of sums (src/train.rs `Evaluation`). */
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

/** `Playground.gradient_flow(a, b)` (src/flow.rs `GradientFlow`). */
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
