import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maxPoolForward } from '../../src/kernels/pool.js';

const geometry = { planes: 1, h: 2, w: 4, hh: 2, ww: 2, strideH: 2, strideW: 2, outH: 1, outW: 2 };

test('max pooling: a NaN in a window wins (it propagates), ties go to the first maximum', () => {
  // Windows: [1, NaN, 5, 2] and [3, 3, 3, 0] (row-major within each 2×2 window).
  const x = Float64Array.from([1, NaN, 3, 3, 5, 2, 3, 0]);
  const out = new Float64Array(2);
  const winner = new Int32Array(2);
  maxPoolForward(x, geometry, out, winner);
  assert.ok(Number.isNaN(out[0]));
  assert.equal(winner[0], 1);
  assert.equal(out[1], 3);
  assert.equal(winner[1], 2, 'the first 3 of the second window');
});
