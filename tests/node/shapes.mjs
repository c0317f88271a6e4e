// Pins www/shapes.d.ts, the hand-written shapes of what the wasm facade returns, to the facade
// itself: calls every export that returns a record and checks that each object's keys are the
// keys its interface declares, nested records too. A field added or removed on either side fails.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { initSync, Playground, settingsSchema } from '../../www/pkg/rnn_playground.js';
import { SCHEMA } from '../../www/pkg/settings-schema.js';

initSync({ module: readFileSync(new URL('../../www/pkg/rnn_playground_bg.wasm', import.meta.url)) });

/** The interfaces of shapes.d.ts: name -> field -> { type, optional }. One field a line. */
function parseShapes(text) {
  const bare = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const interfaces = {};
  for (const [, name, body] of bare.matchAll(/export interface (\w+) \{\n([\s\S]*?)\n\}/g)) {
    const fields = {};
    for (const line of body.split('\n')) {
      if (!line.trim()) continue;
      const m = line.match(/^ {2}(\w+)(\?)?: (.+);$/);
      assert.ok(m, `shapes.d.ts, interface ${name}: a field a line, not "${line}"`);
      fields[m[1]] = { type: m[3].trim(), optional: m[2] === '?' };
    }
    interfaces[name] = fields;
  }
  return interfaces;
}

const SHAPES = parseShapes(readFileSync(new URL('../../www/shapes.d.ts', import.meta.url), 'utf8'));
/** The interfaces checked against a value, to show none is left unchecked. */
const used = new Set();

/** The fields an inline object type `{ a: T; b: U }` declares. */
function inlineFields(type) {
  const fields = {};
  for (const part of type.slice(1, -1).split(';')) {
    const m = part.trim().match(/^(\w+)(\?)?: (.+)$/);
    if (m) fields[m[1]] = { type: m[3].trim(), optional: m[2] === '?' };
  }
  return fields;
}

/** The fields of a type made of interfaces and inline objects (`A & { … }`), or null for any other type. */
function fieldsOf(type) {
  let fields = null;
  for (const part of type.split(/ & (?![^{]*\})/)) {
    const p = part.trim();
    if (p.startsWith('{')) fields = { ...fields, ...inlineFields(p) };
    else if (SHAPES[p]) {
      used.add(p);
      fields = { ...fields, ...SHAPES[p] };
    } else return null;
  }
  return fields;
}

/** Checks `value` against `type` (a field's type in shapes.d.ts), recursing into records. */
function check(value, type, path) {
  const alternatives = type.split(' | ').map((t) => t.trim());
  if (value === null) {
    assert.ok(alternatives.includes('null'), `${path} is null, but shapes.d.ts says ${type}`);
    return;
  }
  const t = alternatives.filter((a) => a !== 'null').join(' | ');
  const array = t.match(/^(\w+)\[\]$/);
  if (array) {
    assert.ok(Array.isArray(value), `${path} should be an array (${type})`);
    checkAll(value, array[1], path);
    return;
  }
  const fields = fieldsOf(t);
  if (!fields) return; // a number, a string, a typed array, a Record: no keys to pin
  assert.equal(typeof value, 'object', `${path} should be a record (${type})`);
  keysMatch([value], fields, path);
  for (const [k, f] of Object.entries(fields)) if (k in value) check(value[k], f.type, `${path}.${k}`);
}

/** Checks every element of `list`; the keys of all of them together must be the interface's. */
function checkAll(list, elementType, path) {
  const fields = fieldsOf(elementType);
  if (!fields) return;
  assert.ok(list.length > 0, `${path}: no element to check against ${elementType}`);
  keysMatch(list, fields, path);
  list.forEach((v, i) => {
    for (const [k, f] of Object.entries(fields)) if (k in v) check(v[k], f.type, `${path}[${i}].${k}`);
  });
}

/** Every record has the required fields and no undeclared one; together they have every field declared. */
function keysMatch(records, fields, path) {
  const declared = Object.keys(fields).sort();
  const seen = new Set(records.flatMap((r) => Object.keys(r)));
  for (const r of records) {
    const extra = Object.keys(r).filter((k) => !(k in fields));
    assert.deepEqual(extra, [], `${path} has fields shapes.d.ts does not declare`);
    const missing = declared.filter((k) => !fields[k].optional && !(k in r));
    assert.deepEqual(missing, [], `${path} lacks fields shapes.d.ts declares`);
  }
  assert.deepEqual(
    declared.filter((k) => !seen.has(k)),
    [],
    `${path}: shapes.d.ts declares fields the core never returns`,
  );
}

const small = { nSamples: 6, nDigits: 3, hiddenDim: 8, testSamples: 20 };

test('every record the facade returns has the keys shapes.d.ts declares', () => {
  const p = new Playground({ ...small });
  check(p.progress(), 'Progress', 'progress()');
  check(p.report(), 'Report', 'report()');
  check(p.train_for(2000, 1), 'TrainedFor', 'train_for()');
  check(p.train_for(2000, 2), 'TrainedFor', 'train_for()'); // `latest` a report this time, at least once
  check(p.state(), 'TrainingState', 'state()');
  check(p.history_since(null, 10), 'LossRecord[]', 'history_since()');
  check(p.predict(12, 34), 'Prediction', 'predict()');
  check(p.hidden_states(12, 34), 'HiddenStates', 'hidden_states()');
  check(p.view(12, 34), 'SumView', 'view()');
  check(p.layout(), 'LayoutInfo', 'layout()');
  check(p.gradient_flow(12, 34, false), 'GradientFlow', 'gradient_flow()');
  check(p.gradient_check({ maxEntries: 3 }), 'ParameterCheck[]', 'gradient_check()');
  check(p.start_gradient_check({ maxEntries: 3 }), 'CheckReport', 'start_gradient_check()');
  let r;
  do r = p.continue_gradient_check(50);
  while (!r.done);
  check(r, 'CheckReport', 'continue_gradient_check()');
  check(p.weights(), 'Weights', 'weights()');
  check(p.gradients(0), 'HomeworkProblem', 'gradients()');
  const walk = p.open_walk(12, 34);
  check(walk, 'Walk', 'open_walk()');
  const last = walk.forward.length + walk.backward.length - 1;
  check(p.walk_gradients(last - 1), 'WalkGradients', 'walk_gradients()');
  check(p.walk_gradients(last), 'WalkGradients', 'walk_gradients()'); // with its agreement
  // the homework's epoch, example by example, to its end (where the step reports the epoch)
  for (;;) {
    const ex = p.homework_example();
    check(ex, 'HomeworkExample', 'homework_example()');
    const g = p.gradients(ex.example);
    const step = p.sgd_step_with(ex.example, g.dU, g.dV, g.dW);
    check(step, 'HomeworkStep', 'sgd_step_with()');
    if (step.epoch) break;
  }
  p.free();
  // a layout with a floor, and the aligned layout
  const notebook = new Playground({ nSamples: 2, testSamples: 2, hiddenDim: 4 });
  assert.notEqual(notebook.layout().floor, null);
  check(notebook.layout(), 'LayoutInfo', 'layout() (notebook, 7 digits)');
  notebook.free();
  const aligned = new Playground({ ...small, layout: 'aligned' });
  check(aligned.layout(), 'LayoutInfo', 'layout() (aligned)');
  check(aligned.predict(12, 34), 'Prediction', 'predict() (aligned)');
  aligned.free();
  check(settingsSchema(), 'SettingsSchema', 'settingsSchema()');
  check(JSON.parse(JSON.stringify(SCHEMA)), 'SettingsSchema', 'SCHEMA');
});

test('shapes.d.ts declares no interface that nothing returns', () => {
  // Inspection is the worker's event (protocol.js), made of the records above
  const unchecked = Object.keys(SHAPES).filter((name) => !used.has(name) && name !== 'Inspection');
  assert.deepEqual(unchecked, []);
});

test('the parser reads shapes.d.ts as declared (it would miss nothing silently)', () => {
  assert.deepEqual(Object.keys(SHAPES.Report).sort(), [
    'carryChains',
    'digitAccuracy',
    'epoch',
    'evaluated',
    'exactAccuracy',
    'examplesSeen',
    'halved',
    'learningRate',
    'loss',
    'test',
  ]);
  assert.throws(() => keysMatch([{ a: 1, b: 2 }], { a: { type: 'number', optional: false } }, 'x'), /does not declare/);
  assert.throws(() => keysMatch([{ a: 1 }], { a: { type: 'number', optional: false }, b: { type: 'number', optional: true } }, 'x'), /never returns/);
});
