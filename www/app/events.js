// @ts-check
// What the page does with each event of the model's worker (protocol.js): a model ready,
// progress, a new view of the shown sum, running and paused, a blow-up, a checkpoint, a crash.

import { Event } from '../protocol.js';
import { append } from '../history.js';
import { redraw } from './render.js';
import { checkStalled, offerLowerRates } from './rates.js';
import { reproduceTo, updateHash } from './link.js';
import { keep } from './keep.js';
import { recover } from './runs.js';
import { runAction, showStep } from './tour.js';
import { walkOnReady } from './walk.js';
import { markOnce } from '../timing.js';
import { onRunB } from './compare.js';

/** @typedef {import('./page.js').App} App */
/** @typedef {import('../protocol.js').Message} Message */

/** An epoch slower than this shows a progress bar. */
const SLOW_EPOCH_MS = 1000;

/** @param {App} app @param {Message} msg */
export function onWorkerEvent(app, msg) {
  const { page, views } = app;
  if (msg.run === 'b') return onRunB(app, msg); // run B, when two are compared
  switch (msg.type) {
    case Event.ready:
      markOnce('model-ready', msg.timings);
      views.inspector.ask();
      runAction(app);
      page.layout = msg.layout;
      // written from the model the worker holds (its config), whatever the page's settings say meanwhile
      showStep(app, msg.layout, msg.config);
      views.explanations.render(msg.layout, msg.config);
      page.history = msg.state.history;
      page.report = msg.report;
      page.sequencesPerSecond = null;
      page.progress = null;
      page.epochStartedAt = performance.now();
      acceptView(app, msg.view);
      redraw(app, 'history', 'status', 'progress');
      checkStalled(app, msg.state.learningRate);
      if (page.values.epoch > msg.state.epoch) reproduceTo(app, page.values.epoch);
      updateHash(app);
      walkOnReady(app, msg.gen);
      break;
    case Event.progress:
      onProgress(app, msg);
      break;
    case Event.view:
      acceptView(app, msg.view);
      views.inspector.ask();
      break;
    // drawn with the status, so the Train button and the final epoch appear in the same frame
    case Event.running:
      page.running = true;
      redraw(app, 'running');
      break;
    case Event.paused:
      views.inspector.ask();
      if (msg.setAside) views.controls.say(pausedMessage(page.report?.epoch ?? 0, msg.setAside));
      page.running = false;
      page.progress = null;
      redraw(app, 'progress', 'running');
      break;
    case Event.diverged:
      offerLowerRates(app, msg.message, msg.learningRate);
      break;
    case Event.checkpoint:
      if (page.b) page.b.lastGood = msg.b;
      keep(app, { json: msg.json, epoch: msg.epoch });
      break;
    case Event.checkProgress:
      page.onCheckProgress?.(msg.checked, msg.total);
      break;
    case Event.crashed:
      recover(app, msg.message);
      break;
    case Event.error:
      views.controls.say(msg.message, 'error');
      break;
    default:
  }
}

/**
 * What Pause did with the epoch under way. @param {number} epoch the last whole epoch
 * @param {import('../shapes.js').Progress} part
 */
function pausedMessage(epoch, part) {
  const done =
    part.phase === 'training' ? `${Math.round((100 * part.done) / part.total)} % of epoch ${epoch + 1}` : `epoch ${epoch + 1} (its loss was being evaluated)`;
  return `Paused at epoch ${epoch}: ${done} was set aside, so the model is the one its link and a reload give. Train does that epoch again, the same way.`;
}

/** @param {App} app @param {Message} msg */
function onProgress(app, msg) {
  const { page, views } = app;
  const now = performance.now();
  if (msg.preparing) {
    const p = msg.progress;
    page.progress = now - page.epochStartedAt > SLOW_EPOCH_MS ? { label: 'Preparing the model: the starting loss', done: p.done, total: p.total } : null;
    redraw(app, 'progress');
    return;
  }
  // a halving is said under the rate (render.js), not in a message over the page
  page.history = append(page.history, msg.records);
  const { report, progress } = msg;
  const learningRate = report.learningRate;
  if (msg.epochs > 0) {
    // the last epoch was slow: the next will be too, so the bar stays rather than blinking off for a second
    page.slowEpochs = now - page.epochStartedAt > SLOW_EPOCH_MS;
    page.epochStartedAt = now;
  }
  // sequences trained per wall-clock second over the last two seconds
  page.throughput.push([now, msg.sequences]);
  while (page.throughput.length > 1 && now - page.throughput[0][0] > 2000) page.throughput.shift();
  const span = now - page.throughput[0][0];
  const trained = page.throughput.slice(1).reduce((s, [, n]) => s + n, 0);
  if (span > 200) page.sequencesPerSecond = (trained * 1000) / span;
  page.report = report;
  if (report.epoch >= 1) markOnce('first-epoch-received');
  const slow = page.slowEpochs || now - page.epochStartedAt > SLOW_EPOCH_MS;
  const target = page.reproducing;
  if (target) page.progress = { label: `Reproducing the link: epoch ${report.epoch} of ${target}`, done: report.epoch, total: target };
  else
    page.progress =
      slow && progress.phase !== 'starting'
        ? { label: progress.phase === 'training' ? 'This epoch' : 'Evaluating the loss', done: progress.done, total: progress.total }
        : null;
  checkStalled(app, learningRate);
  acceptView(app, msg.view);
  page.awaitingDraw = true;
  if (msg.epochs > 0) views.inspector.ask(true);
  redraw(app, 'history', 'status', 'progress');
}

/** A new view of the shown sum, or why there is none. @param {App} app @param {import('../shapes.js').View | null} view */
function acceptView(app, view) {
  const { page, views } = app;
  if (!view) return;
  if ('error' in view) {
    views.sum.showError(view.error);
    return;
  }
  page.view = view;
  if (page.selected == null || page.selected >= view.prediction.steps) page.selected = view.prediction.steps - 1;
  redraw(app, 'view');
}
