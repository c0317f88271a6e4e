// @ts-check
// The step-through of BPTT (../views/walk.js draws it): opens a walk of the typed sum in the
// worker at the weights now, keeps the link's `walk=` at the step shown, and asks the worker for
// the running gradients of the step shown, the latest step only (a scrubbed slider asks once per
// answer, not once per pixel). Training goes on meanwhile: the walk keeps the weights it was
// taken at, until "Take again", or a new model, takes it again.

import { Command } from '../protocol.js';
import { signedScale } from '../colors.js';
import { updateHash } from './link.js';

/** @typedef {import('./page.js').App} App */
/** @import { Walk, WalkGradients } from '../shapes.js' */

/**
 * The walk open in the worker: its points, the sum and epoch it was taken at, each gradient's
 * largest |entry| at the end (the grids' scales), and the gradients asked for and shown.
 * @typedef {{ walk: Walk, total: number, a: string, b: string, at: number, scales: number[], gen: number,
 *   asking: boolean, wanted: number }} OpenWalk
 */

/** @type {WeakMap<App, OpenWalk | null>} */
const opened = new WeakMap();
/** Each app's latest request to open: an older one answering late is dropped. */
const tickets = new WeakMap();
/** The generation whose model is ready (its starting loss evaluated): a walk needs one. @type {WeakMap<App, number>} */
const readyGeneration = new WeakMap();

/**
 * Opens the walk at `step` (from 1) on the typed sum and the weights now, or takes it again.
 * Before the model is ready it says so and opens once `ready` calls this again.
 * @param {App} app @param {number} step
 */
export async function openWalk(app, step) {
  const { page, views, worker } = app;
  page.values.walk = Math.max(1, step);
  views.walk.open();
  opened.set(app, null);
  // the link is written once the model is ready (ready writes it): before, the page's settings may not be the link's yet
  if (readyGeneration.get(app) !== worker.generation) return views.walk.waiting('The model is still being prepared: the walk opens when it is ready.');
  updateHash(app);
  views.walk.waiting('Walking the sum through the forward pass and BPTT…');
  const ticket = {};
  tickets.set(app, ticket);
  const { a, b } = page.values;
  const gen = worker.generation;
  let reply;
  let last;
  try {
    reply = await worker.request(Command.openWalk, { a, b });
    const total = reply ? reply.walk.forward.length + reply.walk.backward.length : 0;
    last = reply && (await worker.request(Command.walkPoint, { point: total - 1 }));
  } catch (e) {
    if (tickets.get(app) === ticket) views.walk.waiting(`No walk: ${e.message}`);
    return;
  }
  if (tickets.get(app) !== ticket || !page.values.walk) return; // asked again, or closed, meanwhile
  if (!reply || !last) return; // the model was replaced: its ready opens the walk again
  /** @type {Walk} */
  const walk = reply.walk;
  const total = walk.forward.length + walk.backward.length;
  const scales = [last.dU, last.dV, last.dW].map((m) => signedScale(m.values));
  opened.set(app, { walk, total, a, b, at: reply.at, scales, gen, asking: false, wanted: 0 });
  views.walk.show(walk, { a, b, at: reply.at });
  views.walk.say(page.values.walk > total ? `Step ${page.values.walk} is past this walk’s last, ${total}: here is step ${total}.` : undefined);
  goTo(app, Math.min(page.values.walk, total));
}

/** Shows step `step` (from 1, clamped) of the open walk. @param {App} app @param {number} step */
export function goTo(app, step) {
  const w = opened.get(app);
  if (!w) return;
  const to = Math.min(w.total, Math.max(1, step));
  app.page.values.walk = to;
  updateHash(app);
  app.views.walk.point(to - 1);
  w.wanted = to - 1;
  askGradients(app, w);
}

/** Asks for the gradients of the step wanted, one request at a time. @param {App} app @param {OpenWalk} w */
async function askGradients(app, w) {
  if (w.asking) return;
  w.asking = true;
  try {
    while (opened.get(app) === w) {
      const point = w.wanted;
      /** @type {WalkGradients | null} */
      const g = /** @type {any} */ (await app.worker.request(Command.walkPoint, { point }));
      if (!g || opened.get(app) !== w) return;
      if (point === w.wanted) return app.views.walk.gradients(g, w.scales);
    }
  } catch (e) {
    app.views.walk.say(`The running gradients could not be shown: ${e.message}`, 'error');
  } finally {
    w.asking = false;
  }
}

/** Closes the walk: the link loses `walk=`. @param {App} app */
export function closeWalk(app) {
  const { page, views } = app;
  opened.set(app, null);
  tickets.delete(app);
  page.values.walk = 0;
  updateHash(app);
  views.walk.close();
  document.getElementById('walk-open')?.focus({ preventScroll: true });
}

/** A model is ready: an open walk is taken again at its weights, at the same step. @param {App} app @param {number} gen its generation */
export function walkOnReady(app, gen) {
  readyGeneration.set(app, gen);
  if (app.page.values.walk > 0) openWalk(app, app.page.values.walk);
}

/** The link's `walk=` changed (by hand, or by history): open, move or close. @param {App} app @param {number} step */
export function followWalk(app, step) {
  const w = opened.get(app);
  if (!step) return app.views.walk.isOpen && closeWalk(app);
  if (w && w.gen === app.worker.generation) return goTo(app, step);
  openWalk(app, step);
}
