// Every claim of the guided path (www/views/tour.js) read against a real run of its step, through
// the built module in plain Node: each step's model is the one the page makes (its preset, its
// settings), trained as the page trains it, and every figure its text quotes is checked, within
// the epochs (and, scaled by E2E_TIMEOUT_SCALE, the time) it names. What the page shows of them:
// tests/e2e/tour.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, Playground } from '../../www/pkg/rnn_playground.js';
import { defaults, workerConfig } from '../../www/state.js';
import { runBValues } from '../../www/run-b.js';
import { EXPERIMENTS } from '../../www/views/tour.js';

initSync({ module: readFileSync(new URL('../../www/pkg/rnn_playground_bg.wasm', import.meta.url)) });
const SCALE = Math.max(1, Number(process.env.E2E_TIMEOUT_SCALE) || 1);
const SUM = ['9401901', '8908643']; // the page's default sum

/** Step `n`'s model, as the page makes it, and the text the page shows for it. @param {number} n */
function step(n) {
  const e = EXPERIMENTS[n - 1];
  const values = { ...defaults(e.preset), ...e.settings };
  const p = new Playground(workerConfig(values));
  const text = e.watch({ layout: p.layout(), values, preset: defaults(e.preset) }, e.figures);
  return { e, f: e.figures, p, values, text };
}

/** Trains `epochs` epochs, each epoch's report in order, and how long it took (ms). */
function train(p, epochs) {
  const start = performance.now();
  const reports = [];
  for (let i = 0; i < epochs; i++) reports.push(p.train_epoch());
  return { reports, millis: performance.now() - start };
}

/** How many times smaller an error is, on average, 10 steps back (or as far as the sum goes) than at its own step. */
function fade(p) {
  const { decay, steps } = p.gradient_flow(...SUM, false);
  const far = Math.min(10, steps - 1);
  return decay[0] / decay[far];
}

test('step 1: the test loss stays far above the floor and rises while the training loss falls', () => {
  const { f, p, text, values } = step(1);
  const floor = p.layout().floor;
  assert.match(text, new RegExp(`green line \\(${floor.loss}\\) is a floor`));
  assert.match(text, /trains on 1,000 sums \(the notebook used 100\)\. .* falls only to about 1\.0 \(near epoch 45\), then rises/);
  assert.equal(values.nSamples, 1000);
  const { reports, millis } = train(p, f.epochs);
  const test = reports.map((r) => r.test.loss);
  const lowest = Math.min(...test);
  const at = test.indexOf(lowest) + 1;
  assert.ok(Math.abs(lowest - f.lowest) < 0.05, `the test loss's lowest, ${lowest}, is about ${f.lowest}`);
  assert.ok(Math.abs(at - f.lowestEpoch) <= 5, `reached near epoch ${f.lowestEpoch}, at ${at}`);
  const last = reports.at(-1);
  assert.ok(last.test.loss > lowest + f.risenBy, `risen again by epoch ${f.epochs}: ${last.test.loss}`);
  assert.ok(last.loss < f.trainBelow, `the training loss below ${f.trainBelow} by epoch ${f.epochs}: ${last.loss}`);
  // the training loss keeps falling while the test loss rises: from the lowest point on
  assert.ok(last.loss < reports[at - 1].loss - 0.1, 'the training loss fell after the test loss’s lowest');
  assert.ok(
    test.every((l) => l > 3 * floor.loss),
    'the test loss never near the floor',
  );
  assert.ok(millis < f.seconds * 1000 * SCALE, `${f.epochs} epochs in ${Math.round(millis)} ms, under ${f.seconds} s`);
  p.free();
});

test('step 2: the untrained error fades about 340 times in 10 steps; training raises σ and flattens the fade', () => {
  const { f, p, text } = step(2);
  assert.match(text, /about 340 times smaller 10 steps back/);
  const before = fade(p);
  assert.ok(Math.abs(before - f.smaller) / f.smaller < 0.05, `about ${f.smaller} times, got ${before}`);
  assert.equal(+p.largest_singular_value().toFixed(1), f.sigma);
  train(p, f.epochs);
  assert.ok(p.largest_singular_value() > f.sigmaAbove, `σ above ${f.sigmaAbove}: ${p.largest_singular_value()}`);
  assert.ok(fade(p) < f.fewTimes, `less than ${f.fewTimes} times smaller after ${f.epochs} epochs: ${fade(p)}`);
  p.free();
});

test('step 3: at truncation 2 the gradient check passes V and fails U and W', () => {
  const { p, text } = step(3);
  assert.match(text, /^BPTT truncation 2: each error flows back only 2 steps/);
  const rows = p.gradient_check({ maxEntries: 400 });
  assert.deepEqual(
    rows.map((r) => [r.parameter, r.passed]),
    [
      ['U', false],
      ['V', true],
      ['W', false],
    ],
  );
  p.free();
});

test('step 4: 100 diverges and is undone; the preset’s 0.005 trains; 10 and 1 diverge too', () => {
  const { f, p, text, values } = step(4);
  assert.match(text, /offers the preset’s own rate, 0\.005, which trains, and a tenth, 10, which diverges here too \(so does 1\)/);
  const start = p.report();
  for (const rate of [values.learningRate, f.tenth, f.hundredth]) {
    p.set_learning_rate(rate);
    assert.throws(() => p.train_epoch(), new RegExp(`Epoch 1 diverged at learning rate ${rate}: .*The epoch was undone`));
    assert.equal(p.epoch(), 0, 'undone');
    assert.equal(p.report().loss, start.loss, 'the model as it was');
  }
  p.set_learning_rate(defaults('notebook').learningRate);
  const r = p.train_epoch();
  assert.equal(r.epoch, 1);
  assert.ok(r.loss < start.loss - 0.5, `the preset’s rate trains: ${start.loss} → ${r.loss}`);
  p.free();
});

test('step 5: with 4 hidden units the carry preset’s test accuracy stalls well below 100 %', () => {
  const { f, p, text } = step(5);
  assert.match(text, /4 hidden units instead of its 32/);
  assert.match(text, /after 300 epochs fewer than 35 % of test sums and 15 % of carry chains are right/);
  const { reports, millis } = train(p, f.epochs);
  for (const r of reports) {
    assert.ok(r.test.exactAccuracy < f.sumsBelow, `epoch ${r.epoch}: test sums ${r.test.exactAccuracy}`);
    assert.ok(r.carryChains.exactAccuracy < f.chainsBelow, `epoch ${r.epoch}: chains ${r.carryChains.exactAccuracy}`);
  }
  assert.ok(millis < f.seconds * 1000 * SCALE, `${f.epochs} epochs in ${Math.round(millis)} ms`);
  p.free();
});

test('step 6: the carry preset gets every test sum and carry chain right within 10 epochs', () => {
  const { f, p, text } = step(6);
  assert.match(text, /reads digit i of a and of b together, least significant first/);
  assert.match(text, /Within 10 epochs every held-out test sum and every carry chain \(9999999 \+ 1\) is right/);
  const { reports, millis } = train(p, f.epochs);
  const last = reports.at(-1);
  assert.equal(last.test.exactAccuracy, 1);
  assert.equal(last.carryChains.exactAccuracy, 1);
  assert.ok(millis < f.seconds * 1000 * SCALE, `${f.epochs} epochs in ${Math.round(millis)} ms`);
  p.free();
});

test('step 7: the walk of the default sum at truncation 2 has 14 forward steps and 53 points of the loop, and ends at the core’s bptt', () => {
  const { f, p, text, values } = step(7);
  assert.equal(values.bpttTruncate, 2);
  assert.match(text, /: 14 forward steps, .* then the 53 points of bptt at truncation 2\. Each output’s δ flows back at most 2 steps/);
  const walk = p.open_walk(...SUM);
  assert.equal(walk.forward.length, f.forward);
  assert.equal(walk.backward.length, f.loop);
  const end = p.walk_gradients(walk.forward.length + walk.backward.length - 1);
  assert.equal(end.agreement.bitForBit, true, 'bit for bit, as the step says');
});

test('step 8: with the Memory preset the LSTM gets every held-out sum and carry chain right by the epochs it names, the vanilla cell almost none', () => {
  const { f, p, text, values } = step(8);
  assert.equal(values.cell, 'vanilla');
  const b = new Playground(workerConfig(runBValues(values)));
  assert.equal(b.config().cell, 'lstm');
  assert.match(
    text,
    new RegExp(
      `By epoch ${f.firstBy} the LSTM gets every held-out sum and every carry chain right, every digit of them; a sum or two may slip until the rate’s halvings \\(every 40 epochs\\) settle it, and at epoch ${f.epochs} it has them all. The vanilla cell gets fewer than ${Math.round(f.vanillaSumsBelow * 100)} % of the sums right at any epoch`,
    ),
  );
  // 5 digits and 8 blank steps: b_i comes 13 steps after a_i
  assert.match(text, /needs a_i, read 13 steps before/);
  assert.match(text, /reads one digit per step, a’s digits then b’s, least significant first, 8 blank steps between them, and outputs/);
  // run by run, as the page's lockstep trains them: the same epochs each
  const lstm = train(b, f.epochs).reports;
  const vanilla = train(p, f.epochs).reports;
  const all = (r) => r.test.exactAccuracy === 1 && r.carryChains.exactAccuracy === 1;
  const first = lstm.find(all);
  assert.ok(first && first.epoch <= f.firstBy, `the LSTM first gets every sum and chain at epoch ${first?.epoch}`);
  const last = lstm.at(-1);
  assert.equal(last.epoch, f.epochs);
  assert.equal(last.test.exactAccuracy, 1, `the LSTM's held-out sums at epoch ${f.epochs}`);
  assert.equal(last.carryChains.exactAccuracy, 1, `the LSTM's carry chains at epoch ${f.epochs}`);
  for (const r of vanilla) {
    assert.ok(r.test.exactAccuracy < f.vanillaSumsBelow, `the vanilla cell at epoch ${r.epoch}: ${r.test.exactAccuracy} of the sums`);
  }
  p.free();
  b.free();
});
