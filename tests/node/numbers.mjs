// www/numbers.js: whole numbers written as Intl.NumberFormat('en') writes them, which it replaces.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grouped } from '../../www/numbers.js';

test('grouped writes whole numbers as English does, thousands by commas', () => {
  const intl = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
  for (const n of [0, 7, 999, 1000, 65536, 999999, 1000000, 1234567, 12345678901, -1, -1000, -1234567, 1e15]) {
    assert.equal(grouped(n), intl.format(n), String(n));
  }
  assert.equal(grouped(12345.6), '12,346', 'rounded, as the seq/s figure is');
});
