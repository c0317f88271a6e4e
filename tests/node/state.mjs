// The page's settings (www/state.js) take types, defaults and bounds from the core's table
// (www/pkg/settings-schema.js, written by the build from src/config.rs): checked in plain Node.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEMA } from '../../www/pkg/settings-schema.js';
import { SETTINGS, defaults, fromHash, toHash, workerConfig, resetNeeded, parse, settingOf, storedSettings, COMPARABLE } from '../../www/state.js';
import { differences, runBValues, runNames, withoutRunB } from '../../www/run-b.js';

test('bounds and defaults come from the core', () => {
  const digits = settingOf('nDigits');
  assert.deepEqual([digits.min, digits.max, digits.default, digits.newModel], [1, 18, 7, true]);
  assert.deepEqual(parse(digits, '18'), { value: 18 });
  assert.match(parse(digits, '19').error, /Digits per number must be from 1 to 18/);
  assert.deepEqual(parse(settingOf('modelSeed'), 'none'), { value: null });
  assert.match(parse(settingOf('dataSeed'), 'none').error, /whole number/);
  assert.match(parse(settingOf('learningRate'), '0').error, /above 0, such as 0.005/);
  for (const s of SETTINGS.filter((s) => s.core)) {
    const row = SCHEMA.settings.find((r) => r.key === s.key);
    assert.equal(s.default, SCHEMA.presets[0].values[s.key], s.key);
    assert.equal(s.newModel, row.newModel, s.key);
  }
  assert.equal(settingOf('learningRate').newModel, false);
});

test('a hash round-trips and the worker gets only the core settings', () => {
  const values = { ...defaults(), hiddenDim: 12, modelSeed: null, learningRate: 0.01, speed: 5, a: '12', epoch: 30 };
  const hash = toHash(values);
  assert.equal(hash, '#lr=0.01&h=12&ms=none&speed=5&a=12&e=30');
  assert.deepEqual(fromHash(hash), { values, problems: [] });
  const config = workerConfig(values);
  assert.deepEqual(Object.keys(config).sort(), SCHEMA.settings.map((s) => s.key).sort(), 'every core setting, and nothing of the page');
  assert.deepEqual(resetNeeded(defaults(), values), ['hiddenDim', 'modelSeed']);
  assert.deepEqual(fromHash('#h=0&zz=1&d=19').problems, [
    'h=0: Hidden size H must be from 1 to 512',
    '“zz” is not a setting',
    'd=19: Digits per number must be from 1 to 18',
  ]);
});

test('every kind of setting the core declares is read from text', () => {
  const clip = { key: 'clipNorm', hash: 'clip', label: 'Clip', type: 'positiveNumber', nullable: true, default: null, newModel: true, core: true, form: true };
  assert.deepEqual(parse(clip, 'off'), { value: null });
  assert.deepEqual(parse(clip, '5'), { value: 5 });
  const beta = { key: 'beta1', hash: 'b1', label: 'Beta', type: 'fraction', default: 0.9, newModel: true, core: true, form: true };
  assert.deepEqual(parse(beta, '0.99'), { value: 0.99 });
  assert.match(parse(beta, '1').error, /from 0 up to 1/);
  const fresh = { key: 'freshData', hash: 'fresh', label: 'Fresh', type: 'boolean', default: false, newModel: true, core: true, form: true };
  assert.deepEqual([parse(fresh, 'true').value, parse(fresh, 'off').value], [true, false]);
  assert.match(parse(fresh, 'maybe').error, /on or off/);
});

test('a link names its preset and lists only what differs from it', () => {
  const carry = defaults('carry');
  assert.deepEqual([carry.layout, carry.optimizer, carry.freshData, carry.a], ['aligned', 'adam', true, '9401901']);
  assert.equal(toHash(carry), '#preset=carry');
  const link = toHash({ ...carry, hiddenDim: 16, a: '9999999', b: '1' });
  assert.equal(link, '#preset=carry&h=16&a=9999999&b=1');
  assert.deepEqual(fromHash(link).values, { ...carry, hiddenDim: 16, a: '9999999', b: '1' });
  assert.deepEqual(fromHash('#fresh=on&clip=2.5').values, { ...defaults(), freshData: true, clipNorm: 2.5 });
  // the Memory preset's carry runs, rate rule and blank steps, and a constant rate and no blanks asked for by link
  const memory = defaults('memory');
  assert.deepEqual([memory.carryRuns, memory.rateRule, memory.evaluateLossAfter, memory.nDigits, memory.gap], [0.2, 'stepDecay', 2, 5, 8]);
  assert.equal(toHash({ ...memory, carryRuns: 0, rateRule: 'constant', halveEvery: 30, gap: 0 }), '#preset=memory&carry=0&gap=0&rule=constant&halve=30');
  assert.deepEqual(fromHash('#preset=memory&rule=constant&gap=3').values, { ...memory, rateRule: 'constant', gap: 3 });
  assert.deepEqual(fromHash('#carry=1&halve=0').problems, [
    'carry=1: Carry runs must be a number from 0 up to 1, such as 0',
    'halve=0: Halve every must be from 1 to 100000',
  ]);
  assert.deepEqual(fromHash('#gap=65').problems, ['gap=65: Blank steps must be from 0 to 64']);
});

test('a link key or value that names an Object property is only that: a bad entry, the rest kept', () => {
  assert.deepEqual(defaults('toString'), defaults());
  const { values, problems } = fromHash('#preset=toString&h=12&constructor=1&__proto__=x&hasOwnProperty=2&n=50');
  assert.deepEqual(values, { ...defaults(), hiddenDim: 12, nSamples: 50 });
  assert.deepEqual(problems, [
    'preset=toString: Preset must be one of notebook, carry, memory',
    '“constructor” is not a setting',
    '“__proto__” is not a setting',
    '“hasOwnProperty” is not a setting',
  ]);
  assert.equal(fromHash('#preset=__proto__&h=8').values.hiddenDim, 8);
  assert.equal(toHash(fromHash('#preset=valueOf&d=3').values), '#d=3');
});

test('a link of thousands of unknown keys names five and counts the rest', () => {
  const hash = `#h=20&${Array.from({ length: 3000 }, (_, i) => `k${i}=1`).join('&')}`;
  const { values, problems } = fromHash(hash);
  assert.equal(values.hiddenDim, 20);
  assert.deepEqual(problems, [
    '“k0” is not a setting',
    '“k1” is not a setting',
    '“k2” is not a setting',
    '“k3” is not a setting',
    '“k4” is not a setting',
    'and 2995 more entries that were not used',
  ]);
  assert.equal(fromHash('#a1=1&a2=2&a3=3&a4=4&a5=5&a6=6').problems.length, 6, 'one more is named, not counted');
});

test('a link hides parts of the page by name: in the table’s order, unknown names told, known ones kept', () => {
  const hide = settingOf('hide');
  assert.deepEqual(parse(hide, 'homework, settings,settings'), { value: 'settings,homework' });
  assert.deepEqual(parse(hide, ''), { value: '' });
  const { values, problems } = fromHash('#hide=settings,sidebar,homework');
  assert.equal(values.hide, 'settings,homework', 'the known names still apply');
  assert.deepEqual(problems, [
    'hide=settings,sidebar,homewor…: “sidebar” is not a part of the page that a link can hide; the parts are presets, try, settings, sum, network, charts, heatmap, flow, weights, how, homework',
  ]);
  assert.match(fromHash('#hide=a,b,c,d').problems[0], /“a”, “b”, “c” and 1 more are not parts of the page/);
  // plain commas in the link, and a change of hide alone needs no new model
  assert.equal(toHash({ ...defaults(), hide: 'settings,homework' }), '#hide=settings,homework');
  assert.deepEqual(resetNeeded(defaults(), { ...defaults(), hide: 'charts' }), []);
});

test('a compared run is the same table with b.-prefixed keys: in the link, in storage, named by what differs', () => {
  const { values, problems } = fromHash('#trunc=2&n=50&b.trunc=20&b.opt=adam');
  assert.deepEqual(problems, []);
  assert.deepEqual(differences(values), { bpttTruncate: 20, optimizer: 'adam' });
  assert.equal(toHash(values), '#trunc=2&n=50&b.trunc=20&b.opt=adam');
  const b = runBValues(values);
  assert.deepEqual([b.bpttTruncate, b.optimizer, b.nSamples, b.dataSeed], [20, 'adam', 50, values.dataSeed], 'B is A but for what differs');
  assert.deepEqual(Object.keys(workerConfig(b)).sort(), Object.keys(workerConfig(values)).sort());
  assert.deepEqual(runNames(values), { a: 'A: BPTT truncation 2, Optimizer sgd', b: 'B: BPTT truncation 20, Optimizer adam' });
  assert.equal(runNames(withoutRunB(values)), null);
  assert.equal(toHash(withoutRunB(values)), '#trunc=2&n=50');
  // every setting of the model can differ, whatever the core's table holds
  assert.deepEqual(
    COMPARABLE.map((s) => s.key),
    SETTINGS.filter((s) => s.core).map((s) => s.key),
  );
  // a b. value equal to A's is no difference; bad b. entries are reported and not used
  assert.deepEqual(differences(fromHash('#trunc=2&b.trunc=2').values), {});
  const bad = fromHash('#b.foo=1&b.trunc=99999&b.speed=5&b.h=8');
  assert.deepEqual(bad.problems, ['“b.foo” is not a setting', 'b.trunc=99999: BPTT truncation must be from 0 to 1000 (run B)', '“b.speed” is not a setting']);
  assert.deepEqual(differences(bad.values), { hiddenDim: 8 });
  // stored settings take b. keys of the model's settings, and no others
  assert.deepEqual(storedSettings({ bpttTruncate: 2, 'b.bpttTruncate': 20 }), { values: { bpttTruncate: 2, 'b.bpttTruncate': 20 } });
  assert.match(storedSettings({ 'b.speed': 5 }).problem, /not a setting/);
  assert.match(storedSettings({ 'b.bpttTruncate': -1 }).problem, /bpttTruncate/);
});
