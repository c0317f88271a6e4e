// @ts-check
// The page's state, in one object every part of www/app/ is handed: what the form shows and what
// the model was built with, the run's history and latest report, the sum the views show, what
// is left to draw, the run kept for recovery. (The settings table itself is ../state.js.)
// Beside it, the `App` every function of www/app/ takes: this state, the worker and the views.

import { defaults, SECTION_KEYS } from '../state.js';

/** @typedef {import('../shapes.js').Report} Report */
/** @typedef {import('../shapes.js').LossRecord} LossRecord */
/** @typedef {import('../shapes.js').SumView} SumView */
/** @typedef {import('../shapes.js').LayoutInfo} LayoutInfo */
/** @typedef {import('../views/tour.js').Experiment} Experiment */
/** @typedef {{ json: string, epoch: number }} Checkpoint */

/**
 * @typedef {object} Page
 * @property {Record<string, any>} values what the form shows
 * @property {Record<string, any>} applied what the current model was built with (its starting rate included)
 * @property {LayoutInfo | null} layout how the current model lays a sum out in time (`Playground.layout()`, with `ready`)
 * @property {LossRecord[]} history
 * @property {Report | null} report the core's report of the last whole epoch (`Playground.report()`)
 * @property {number | null} sequencesPerSecond
 * @property {SumView | null} view the prediction and hidden states of the sum shown
 * @property {number | null} selected the selected step
 * @property {boolean} sweep animate the network's next drawing
 * @property {Set<string>} dirty what the next frame redraws
 * @property {number} frame the animation frame requested, or 0
 * @property {{ label: string, done: number, total: number } | null} progress the progress bar's content, or null
 * @property {number} epochStartedAt when the epoch under way began
 * @property {boolean} slowEpochs the last epoch took over SLOW_EPOCH_MS
 * @property {boolean} rateChangedByHand the run's rate was changed after it began: a link cannot replay it
 * @property {boolean} stallShown
 * @property {{ epoch: number, rate: number } | null} diverged the lowest rate that diverged from the weights of `epoch`
 * @property {Checkpoint | null} lastGood the latest checkpoint, for recovery
 * @property {boolean} awaitingDraw the worker waits for `drawn` after this frame
 * @property {[number, number][]} throughput [time, sequences] of recent progress posts, for the seq/s figure
 * @property {boolean} storageWarned
 * @property {boolean} running
 * @property {boolean} hasModel a model was accepted: a refused setting keeps it, rather than leaving none
 * @property {number | null} reproducing the epoch a link is being trained to
 * @property {Experiment | null} experiment a step of the guided path whose action runs once its model is ready
 * @property {{ a: string, b: string } | null} shown the sum the views show: the typed one, or the last valid one
 * @property {((checked: number, total: number) => void) | null} onCheckProgress the gradient check's progress bar
 * @property {string | null} runId this tab's run, under which the browser keeps it (persist.js)
 * @property {import('./compare.js').RunB | null} b run B, when two runs are compared (compare.js)
 */

/**
 * The views, built once by views.js (buildViews).
 * @typedef {object} Views
 * @property {import('../views/controls.js').Controls} controls
 * @property {import('../views/preset-switch.js').PresetSwitch} presetSwitch
 * @property {import('../views/tour.js').TourView} tour
 * @property {import('../views/explanations.js').ExplanationsView} explanations
 * @property {import('../views/by-place.js').ByPlaceView} byPlace
 * @property {import('../views/loss-chart.js').LossChart} lossChart
 * @property {import('../views/chart-download.js').ChartDownload} chartDownload
 * @property {import('../views/page-parts.js').PageParts} parts the parts of the page a link hides
 * @property {import('../views/network.js').NetworkView} network
 * @property {import('../views/probabilities.js').ProbabilityView} probabilities
 * @property {import('../views/heatmap.js').HeatmapView} heatmap
 * @property {import('../inspection.js').Inspector} inspector
 * @property {import('../views/sum-input.js').SumInput} sum
 * @property {import('../views/shown-sum.js').ShownSumView} shownSum
 * @property {import('../views/confirm-reset.js').ConfirmReset} confirmReset
 * @property {import('../views/gradient-check.js').GradientCheckView} gradientCheck
 * @property {import('../views/homework.js').HomeworkView} homework
 * @property {import('../views/walk.js').WalkView} walk
 * @property {import('../views/compare.js').CompareView} compare the Compare controls
 * @property {import('../views/heatmap.js').HeatmapView} heatmapB run B's hidden states
 * @property {import('../inspection.js').Inspector} inspectorB run B's gradient flow
 * @property {{ panel: HTMLElement, part: HTMLElement }[]} runBParts run B's parts of the heatmap and flow panels, and the panels they go in
 */

/**
 * @typedef {object} App
 * @property {Page} page
 * @property {import('../worker-client.js').ModelWorker} worker
 * @property {Views} views
 */

/** @returns {Page} the page before any model */
export function createPage() {
  return {
    values: defaults(),
    applied: defaults(),
    layout: null,
    history: [],
    report: null,
    sequencesPerSecond: null,
    view: null,
    selected: null,
    sweep: false,
    dirty: new Set(),
    frame: 0,
    progress: null,
    epochStartedAt: 0,
    slowEpochs: false,
    rateChangedByHand: false,
    stallShown: false,
    diverged: null,
    lastGood: null,
    awaitingDraw: false,
    throughput: [],
    storageWarned: false,
    running: false,
    hasModel: false,
    reproducing: null,
    experiment: null,
    shown: null,
    onCheckProgress: null,
    runId: null,
    b: null,
  };
}

/** The Homework section's and the guided path's settings among `values` (they never need a new model). @param {Record<string, any>} values */
export function sectionsOf(values) {
  return Object.fromEntries(SECTION_KEYS.map((k) => [k, values[k]]));
}

/** The notebook's sum, cut to `n` digits a number. @param {number} n */
export function defaultSum(n) {
  const { a, b } = defaults();
  return { a: a.slice(0, n), b: b.slice(0, n) };
}
