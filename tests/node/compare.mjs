// The homework's comparison and its diagnosis (www/homework/compare.js) in plain Node: each pattern
// of failing gradients names its likely mistake.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compare, diagnose } from '../../www/homework/compare.js';

const matrix = (rows, cols, f) => ({ rows, cols, values: Float64Array.from({ length: rows * cols }, (_, k) => f(k)) });
// the core's gradients: U 3 × 10, V 10 × 3, W 3 × 3, no entry zero
const expected = [matrix(3, 10, (k) => 0.1 + k), matrix(10, 3, (k) => -0.2 - k), matrix(3, 3, (k) => 0.3 * (k + 1))];
const zeros = (m) => matrix(m.rows, m.cols, () => 0);
const off = (m) => matrix(m.rows, m.cols, (k) => m.values[k] * 1.5);
/** The diagnosis of the student's matrices `given` (U, V, W). */
const of = (given) => diagnose(compare(given, expected), given);

test('all passed: no diagnosis', () => {
  assert.equal(of(expected), null);
});

test('the untouched skeleton (all zero) says nothing was written yet', () => {
  const d = of(expected.map(zeros));
  assert.equal(d.pattern, 'all-zero');
  assert.match(d.hint, /nothing has been written into dLdU, dLdV and dLdW yet/);
});

test('V right, U and W zero or wrong, points to the step back through tanh and W', () => {
  for (const [given, word] of [
    [[zeros(expected[0]), expected[1], zeros(expected[2])], 'all zero'],
    [[off(expected[0]), expected[1], off(expected[2])], 'wrong'],
  ]) {
    const d = of(given);
    assert.equal(d.pattern, 'step-back');
    assert.match(d.hint, new RegExp(`dLdV is right but dLdU and dLdW are ${word}`));
    assert.match(d.hint, /1 − s\[t\]²/);
    assert.match(d.hint, /Wᵀ·delta_t/);
  }
});

test('only W wrong points to the sum over earlier states; only U to the hot columns', () => {
  assert.equal(of([expected[0], expected[1], off(expected[2])]).pattern, 'w-only');
  assert.match(of([expected[0], expected[1], off(expected[2])]).hint, /s\.at\(step − 1\)/);
  assert.equal(of([off(expected[0]), expected[1], expected[2]]).pattern, 'u-only');
  assert.match(of([off(expected[0]), expected[1], expected[2]]).hint, /model\.hot\[step\]/);
});

test('V zero or wrong points to the output error', () => {
  assert.equal(of([expected[0], zeros(expected[1]), expected[2]]).pattern, 'v-zero');
  assert.equal(of([off(expected[0]), off(expected[1]), off(expected[2])]).pattern, 'v-wrong');
  assert.match(of([expected[0], off(expected[1]), expected[2]]).hint, /delta_o\[t\] ⊗ s\[t\]/);
});
