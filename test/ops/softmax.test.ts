import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Rng } from '../../src/core/random.js';
import { tensor, zeros } from '../../src/core/tensor.js';
import { exp, logSoftmax, softmax, softplus, sum } from '../../src/ops/index.js';
import { assertGradients, randn } from '../support/cs231n.js';
import { assertClose } from '../support/assert.js';

test('softmax and logSoftmax of ±1000 stay finite and exact', () => {
  const x = tensor([
    [1000, -1000, 0],
    [1000, 1000, 999],
  ]);
  assertClose(softmax(x).toArray(), [
    [1, 0, 0],
    [1 / (2 + Math.exp(-1)), 1 / (2 + Math.exp(-1)), Math.exp(-1) / (2 + Math.exp(-1))],
  ]);
  const ls = logSoftmax(x).toArray() as number[][];
  assert.deepEqual(ls[0], [0, -2000, -1000]);
  assertClose(ls[1]!, [
    -Math.log(2 + Math.exp(-1)),
    -Math.log(2 + Math.exp(-1)),
    -1 - Math.log(2 + Math.exp(-1)),
  ]);
  // The gradients are finite as well.
  const leaf = tensor([[1000, -1000, 0]], { requiresGrad: true });
  logSoftmax(leaf).sum().backward();
  assertClose(leaf.grad!.toArray(), [[-2, 1, 1]]);
  const big = tensor([-1000, 0, 1000]);
  assert.deepEqual(softplus(big).toArray(), [0, Math.LN2, 1000]);
});

test('softmax normalises over the given axis (default: the last), as PyTorch', () => {
  const x = tensor([
    [1, 2],
    [3, 5],
  ]);
  const e = (v: number) => Math.exp(v);
  assertClose(softmax(x, { axis: 0 }).toArray(), [
    [e(1) / (e(1) + e(3)), e(2) / (e(2) + e(5))],
    [e(3) / (e(1) + e(3)), e(5) / (e(2) + e(5))],
  ]);
  assertClose(softmax(x).toArray(), softmax(x, { axis: -1 }).toArray());
  assertClose(softmax(x, { axis: 1 }).toArray(), [
    [e(1) / (e(1) + e(2)), e(2) / (e(1) + e(2))],
    [e(3) / (e(3) + e(5)), e(5) / (e(3) + e(5))],
  ]);
  assert.throws(() => softmax(tensor(1)), /softmax: needs a tensor with at least one axis/);
  assert.throws(() => softmax(zeros([2, 2]), { axis: 2 }), /softmax: axis 2 is out of range/);
});

test('softmax sums to 1 and equals exp(logSoftmax) on random inputs', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const rng = new Rng(seed);
      const shape = [rng.int(1, 4), rng.int(1, 5), rng.int(1, 3)];
      const axis = rng.int(0, 2);
      const x = randn(rng, shape, -50, 50);
      const sums = sum(softmax(x, { axis }), { axis }).data;
      for (const s of sums) assert.ok(Math.abs(s - 1) < 1e-12);
      assertClose(exp(logSoftmax(x, { axis })).toArray(), softmax(x, { axis }).toArray(), 1e-12);
    }),
    { numRuns: 50 },
  );
});

test('softmax, logSoftmax and softplus gradients match centered differences', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const rng = new Rng(seed);
      const shape = [rng.int(1, 4), rng.int(1, 5)];
      const axis = rng.int(-2, 1);
      const x = randn(rng, shape, -5, 5);
      assertGradients(rng, (t) => softmax(t, { axis }), [x], { label: 'softmax' });
      assertGradients(rng, (t) => logSoftmax(t, { axis }), [x], { label: 'logSoftmax' });
      assertGradients(rng, (t) => softplus(t), [x], { label: 'softplus' });
    }),
    { numRuns: 30 },
  );
});
