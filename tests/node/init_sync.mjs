// Loads the built page module (www/pkg) in plain Node with initSync, as any script could, and
// checks the notebook's numbers through the public JS API.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, Playground, settingsSchema } from '../../www/pkg/rnn_playground.js';
import { SCHEMA } from '../../www/pkg/settings-schema.js';

const golden = JSON.parse(readFileSync(new URL('../fixtures/golden_notebook.json', import.meta.url)));
initSync({ module: readFileSync(new URL('../../www/pkg/rnn_playground_bg.wasm', import.meta.url)) });

test("the notebook's five losses", () => {
  const p = new Playground({ nSamples: 100 });
  const losses = [p.loss()];
  for (let i = 0; i < 4; i++) losses.push(p.train_epoch().loss);
  assert.deepEqual(
    losses.map((l) => l.toFixed(6)),
    ['2.302904', '1.509416', '1.375010', '1.335181', '1.294507'],
  );
  losses.forEach((l, i) => assert.ok(Math.abs(l - golden.train.losses[i]) < 1e-12));
  p.free();
});

test("the notebook's output matrix and predictions for 9401901 + 8908643", () => {
  const p = new Playground();
  const r = p.predict(9401901, '8908643');
  assert.ok(r.probabilities instanceof Float64Array);
  golden.forward_x0.o.flat().forEach((v, i) => assert.ok(Math.abs(r.probabilities[i] - v) < 1e-12, `o[${i}]`));
  assert.deepEqual(r.predictedDigits, [0, 5, 9, 5, 0, 8, 5, 7, 0, 1, 7, 3, 5, 6]);
  assert.equal(r.trueSum, '18310544');
  assert.throws(() => p.predict(-1, 2), /the first number must be a whole number from 0, got -1/);
  p.free();
});

test("the page's copy of the settings table is the module's", () => {
  assert.deepEqual(settingsSchema(), JSON.parse(JSON.stringify(SCHEMA)));
  const digits = SCHEMA.settings.find((s) => s.key === 'nDigits');
  assert.deepEqual([digits.min, digits.max, digits.newModel], [1, 18, true]);
});

test('the page quotes the notebook’s five losses for its 100 samples, and numpy’s starting loss for the 1,000 it trains on', () => {
  const html = readFileSync(new URL('../../index.html', import.meta.url), 'utf8');
  const quoted = /<p id="notebook-numbers">([\s\S]*?)<\/p>/.exec(html)[1];
  const [five, thousand] = [/100 training samples, the same losses ([\d., ]+) \(/.exec(quoted)[1], /starting loss is ([\d.]+),/.exec(quoted)[1]];
  assert.deepEqual(five.split(', '), golden.train.losses_6dp);
  assert.deepEqual([golden.config.n_samples, golden.config.n_data], [100, 1000]);
  assert.equal(thousand, golden.initial_loss_full_data.toFixed(6), 'numpy’s loss over the 1,000 samples');
  const p = new Playground();
  assert.equal(SCHEMA.presets[0].values.nSamples, 1000, 'the Notebook preset trains on 1,000');
  assert.equal(p.loss().toFixed(6), thousand);
  p.free();
});
