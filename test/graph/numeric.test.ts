import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChainruleError, ShapeError } from '../../src/core/errors.js';
import { grad } from '../../src/core/autograd.js';
import { tensor } from '../../src/core/tensor.js';
import {
  evalNumericalGradient,
  evalNumericalGradientArray,
  gradCheckSparse,
  relErrorOverSum,
} from '../../src/graph/index.js';
import { svmLoss } from '../../src/nn/index.js';
import { mul, sum, tanh } from '../../src/ops/index.js';
import { assertClose } from '../support/assert.js';

test('evalNumericalGradient: centered differences in float64, x restored afterwards', () => {
  const x = tensor([3, -1, 0.5]);
  const f = (t: typeof x) => t.data[0]! ** 2 + 3 * t.data[1]! * t.data[2]!;
  const g = evalNumericalGradient(f, x);
  assertClose(g.toArray(), [6, 1.5, -3], 1e-9);
  assert.deepEqual(x.toArray(), [3, -1, 0.5]);
  assertClose(evalNumericalGradient(f, x, { h: 1e-3 }).toArray(), [6, 1.5, -3], 1e-9);
});

test('evalNumericalGradientArray: the numerical VJP of a tensor function', () => {
  const x = tensor([
    [0.1, -0.4],
    [0.7, 2],
  ]);
  const dout = tensor([
    [1, -2],
    [0.5, 3],
  ]);
  const numeric = evalNumericalGradientArray((t) => tanh(t), x, dout);
  const analytic = grad((t) => sum(mul(tanh(t), dout)))(x)[0]!;
  assert.ok(relErrorOverSum(numeric, analytic) < 1e-9);
  assert.throws(
    () => evalNumericalGradientArray((t) => t, x, tensor([1, 2])),
    (e: unknown) =>
      e instanceof ShapeError && /f\(x\) has shape \[2, 2\] but dout has \[2\]/.test(e.message),
  );
});

test('gradCheckSparse: seeded rows of (index, analytic, numeric, relError, kink)', () => {
  const W = tensor([
    [0.2, -1.3, 0.5],
    [1.1, 0.4, -0.7],
  ]);
  const X = tensor([
    [1, 2],
    [-1, 0.5],
    [0.3, -2],
  ]);
  const y = [0, 2, 1];
  const loss = (w: typeof W) => svmLoss(X.matmul(w), y).item();
  const dW = grad((w) => svmLoss(X.matmul(w), y))(W)[0]!;
  const rows = gradCheckSparse(loss, W, dW, { numChecks: 6, seed: 7 });
  assert.equal(rows.length, 6);
  for (const row of rows) {
    assert.equal(row.index.length, 2);
    const flat = row.index[0]! * 3 + row.index[1]!;
    assert.equal(row.analytic, dW.data[flat]);
    assert.ok(row.relError < 1e-7 || row.kink, JSON.stringify(row));
  }
  assert.deepEqual(
    gradCheckSparse(loss, W, dW, { numChecks: 6, seed: 7 }),
    rows,
    'same seed, same rows',
  );
  assert.deepEqual(W.toArray(), [
    [0.2, -1.3, 0.5],
    [1.1, 0.4, -0.7],
  ]);
  // A margin at exactly 0 is a kink: the check flags it instead of reporting a false mismatch.
  const atKink = tensor([[1, 0]]);
  const kinked = gradCheckSparse((w) => svmLoss(w, [0]).item(), atKink, tensor([[0, 0]]), {
    numChecks: 1,
    seed: 0,
  });
  assert.equal(kinked[0]!.kink, true);
  assert.throws(() => gradCheckSparse(loss, W, tensor([1]), {}), ShapeError);
  assert.throws(() => gradCheckSparse(loss, W, dW, { numChecks: -1 }), ChainruleError);
});

test('relErrorOverSum is the notebooks’ max |a − b| / max(1e-8, |a| + |b|)', () => {
  assert.equal(relErrorOverSum([1, 2], [1, 2]), 0);
  assertClose(relErrorOverSum(tensor([1, 3]), [1.5, 3]), 0.5 / 2.5);
  assert.equal(relErrorOverSum(0, 1e-9), 1e-9 / 1e-8);
  assert.equal(relErrorOverSum([[1e-12]], [[0]]), 1e-12 / 1e-8);
  assert.ok(Number.isNaN(relErrorOverSum([NaN], [1])));
  assert.throws(
    () => relErrorOverSum([1, 2], [1]),
    /relErrorOverSum: the two arguments have 2 and 1 elements/,
  );
});
