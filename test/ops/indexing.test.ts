import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ShapeError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { tensor, zeros } from '../../src/core/tensor.js';
import { checkGradients } from '../../src/graph/gradcheck.js';
import {
  argmax,
  clip,
  concat,
  flatten,
  gather,
  mul,
  oneHot,
  pick,
  slice,
  stack,
  sum,
  where,
} from '../../src/ops/index.js';
import { badArgument } from '../support/assert.js';
import { assertGradients, randn } from '../support/cs231n.js';

test('gather and pick choose elements by index; gradients add up on repeats', () => {
  const x = tensor(
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
    { requiresGrad: true },
  );
  assert.deepEqual(gather(x, [[1, 1, 0]], { axis: 0 }).toArray(), [[4, 5, 3]]);
  assert.deepEqual(
    gather(
      x,
      [
        [1, 1],
        [0, 2],
      ],
      { axis: 1 },
    ).toArray(),
    [
      [2, 2],
      [4, 6],
    ],
  );
  assert.deepEqual(pick(x, [2, 0]).toArray(), [3, 4]);
  sum(
    gather(
      x,
      [
        [1, 1],
        [0, 2],
      ],
      { axis: 1 },
    ),
  ).backward();
  assert.deepEqual(x.grad!.toArray(), [
    [0, 2, 0],
    [1, 0, 1],
  ]);
});

test('labels are validated: out of range, non-integer, wrong count', () => {
  const scores = zeros([2, 3]);
  assert.throws(
    () => pick(scores, [0, 3]),
    badArgument(/^pick: label 3 \(row 1\) is out of range: with 3 classes/),
  );
  assert.throws(() => pick(scores, [0, -1]), badArgument(/label -1/));
  assert.throws(
    () => pick(scores, [0, 1.5]),
    badArgument(/^pick: labels must hold integers, but element 1 is 1.5/),
  );
  assert.throws(
    () => pick(scores, [0]),
    badArgument(/^pick: expected one label per row: 2 labels/),
  );
  assert.throws(() => pick(scores, [[0], [1]]), badArgument(/shape \[2, 1\]/));
  assert.throws(() => pick(zeros([3]), [0]), ShapeError);
  assert.throws(() => oneHot([0, 4], 3), badArgument(/oneHot: label 4/));
  assert.throws(
    () => gather(zeros([2, 2]), [[0, 2]], { axis: 1 }),
    badArgument(/gather: index 2 is out of range/),
  );
  assert.throws(() => gather(zeros([2, 2]), [[0, 1, 1]], { axis: 0 }), ShapeError);
});

test('oneHot, argmax (first maximum, no gradient) and flatten', () => {
  assert.deepEqual(oneHot(tensor([1, 0]), 2).toArray(), [
    [0, 1],
    [1, 0],
  ]);
  const x = tensor([
    [1, 3, 3],
    [5, 0, 1],
  ]);
  assert.deepEqual(argmax(x, { axis: 1 }).toArray(), [1, 0]);
  assert.deepEqual(argmax(x, { axis: 0, keepDims: true }).toArray(), [[1, 0, 0]]);
  assert.equal(argmax(x).item(), 3);
  assert.equal(argmax(tensor([1, NaN, 5])).item(), 1);
  assert.equal(argmax(tensor([1, 2], { requiresGrad: true })).requiresGrad, false);
  assert.deepEqual(flatten(zeros([2, 3, 4])).shape, [2, 12]);
  assert.deepEqual(flatten(zeros([2, 3, 4]), 0).shape, [24]);
  assert.throws(() => flatten(zeros([2]), 3), badArgument(/flatten: startAxis 3/));
});

test('slice follows Python: negative bounds, steps, clamping, empty slices', () => {
  const x = tensor([0, 1, 2, 3, 4, 5]);
  assert.deepEqual(slice(x, { start: 1, end: 4 }).toArray(), [1, 2, 3]);
  assert.deepEqual(slice(x, { start: -2 }).toArray(), [4, 5]);
  assert.deepEqual(slice(x, { start: 1, step: 2 }).toArray(), [1, 3, 5]);
  assert.deepEqual(slice(x, { end: 100 }).toArray(), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(slice(x, { start: 4, end: 2 }).toArray(), []);
  const m = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(slice(m, { axis: -1, start: 1 }).toArray(), [
    [2, 3],
    [5, 6],
  ]);
  assert.throws(() => slice(x, { step: 0 }), badArgument(/slice: step must be a positive integer/));
  assert.throws(() => slice(x, { start: 0.5 }), badArgument(/slice: start must be an integer/));
});

test('concat and stack glue tensors; their gradients split back', () => {
  const a = tensor([[1, 2]], { requiresGrad: true });
  const b = tensor(
    [
      [3, 4],
      [5, 6],
    ],
    { requiresGrad: true },
  );
  const c = concat([a, b]);
  assert.deepEqual(c.toArray(), [
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  sum(mul(c, tensor([[1], [2], [3]]))).backward();
  assert.deepEqual(a.grad!.toArray(), [[1, 1]]);
  assert.deepEqual(b.grad!.toArray(), [
    [2, 2],
    [3, 3],
  ]);
  assert.deepEqual(concat([tensor([[1], [2]]), tensor([[3], [4]])], { axis: 1 }).toArray(), [
    [1, 3],
    [2, 4],
  ]);
  assert.deepEqual(stack([tensor([1, 2]), tensor([3, 4])]).toArray(), [
    [1, 2],
    [3, 4],
  ]);
  assert.deepEqual(stack([tensor(1), tensor(2)]).toArray(), [1, 2]);
  assert.throws(
    () => concat([zeros([2, 3]), zeros([2, 4])]),
    (e: unknown) => e instanceof ShapeError && /\[2, 3\].*\[2, 4\]/.test(e.message),
  );
  assert.throws(
    () => stack([zeros([2]), zeros([3])]),
    (e: unknown) => e instanceof ShapeError && /^stack: .*\[2\].*\[3\]/.test(e.message),
  );
  assert.throws(() => concat([]), badArgument(/concat: needs at least one tensor/));
});

test('slice, concat, stack and gather gradients match centered differences', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const rng = new Rng(seed);
      const x = randn(rng, [rng.int(1, 4), rng.int(2, 5)]);
      const y = randn(rng, [x.shape[0]!, rng.int(1, 3)]);
      assertGradients(rng, (t) => slice(t, { axis: 1, start: 1, step: 2 }), [x]);
      assertGradients(rng, (s, t) => concat([s, t, s], { axis: 1 }), [x, y]);
      assertGradients(rng, (s) => stack([s, s], { axis: 1 }), [x]);
      const labels = Array.from({ length: x.shape[0]! }, () => rng.int(0, x.shape[1]! - 1));
      assertGradients(rng, (s) => pick(s, labels), [x]);
    }),
    { numRuns: 30 },
  );
});

test('where routes the gradient by a mixed mask; the condition gets none', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const rng = new Rng(seed);
      const shape = [rng.int(1, 4), rng.int(1, 4)];
      const cond = tensor(
        Array.from({ length: shape[0]! * shape[1]! }, () => rng.int(0, 1)),
        { shape },
      );
      assertGradients(rng, (a, b) => where(cond, a, b), [randn(rng, shape), randn(rng, shape)]);
    }),
    { numRuns: 30 },
  );
  const a = tensor([1, 2, 3], { requiresGrad: true });
  const b = tensor([10, 20, 30], { requiresGrad: true });
  sum(where(tensor([1, 0, NaN]), a, b)).backward();
  assert.deepEqual(a.grad!.toArray(), [1, 0, 1]);
  assert.deepEqual(b.grad!.toArray(), [0, 1, 0]);
  assert.deepEqual(where(tensor([[1], [0]]), tensor([1, 2]), 0).toArray(), [
    [1, 2],
    [0, 0],
  ]);
});

test('clip: bounds, gradient passes on [min, max] (PyTorch clamp), kinks detected at the bounds', () => {
  const x = tensor([-2, -1, 0.5, 1, 3], { requiresGrad: true });
  assert.deepEqual(clip(x, -1, 1).toArray(), [-1, -1, 0.5, 1, 1]);
  sum(clip(x, -1, 1)).backward();
  assert.deepEqual(x.grad!.toArray(), [0, 1, 1, 1, 0]);
  assert.deepEqual(clip(tensor([-5, 5]), null, 0).toArray(), [-5, 0]);
  assert.deepEqual(clip(tensor([-5, 5]), 0).toArray(), [0, 5]);
  // A nudge of h across a bound changes the branch: the checker must see a kink there.
  const report = checkGradients((t) => sum(clip(t, -1, 1)), [tensor([1, 0.5])]);
  assert.equal(report.inputs[0]!.kinks, 1);
  assert.throws(() => clip(x, 2, 1), badArgument(/clip: min 2 is larger than max 1/));
  assert.throws(() => clip(x, null, null), badArgument(/clip: give a min, a max or both/));
});
