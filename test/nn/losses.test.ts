import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ShapeError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { tensor, zeros } from '../../src/core/tensor.js';
import { bceWithLogits, l2Penalty, mseLoss, softmaxLoss, svmLoss } from '../../src/nn/index.js';
import { add, matmul, reshape } from '../../src/ops/index.js';
import { assertClose, badArgument } from '../support/assert.js';
import { assertGradients, randn } from '../support/cs231n.js';

test('sanity: zero scores over 10 classes give softmax loss ln 10 and SVM loss 9, exactly', () => {
  const labels = [0, 3, 9, 5];
  assert.equal(softmaxLoss(zeros([4, 10]), labels).item(), Math.log(10));
  assert.equal(svmLoss(zeros([4, 10]), labels).item(), 9);
  assert.equal(softmaxLoss(zeros([4, 10]), labels, { reduction: 'sum' }).item(), 4 * Math.log(10));
});

test('the CS231n SVM-vs-softmax figure: hinge 1.58, softmax 1.04 (1.0401906…)', () => {
  const W = tensor([
    [0.01, -0.05, 0.1, 0.05],
    [0.7, 0.2, 0.05, 0.16],
    [0.0, -0.45, -0.2, 0.03],
  ]);
  const scores = reshape(
    add(matmul(W, tensor([-15, 22, -44, 56])), tensor([0.0, 0.2, -0.3])),
    [1, 3],
  );
  assertClose(scores.toArray(), [[-2.85, 0.86, 0.28]]);
  assertClose(svmLoss(scores, [2]).item(), 1.58);
  assertClose(softmaxLoss(scores, [2]).item(), 1.0401906, 1e-7);
  // The notes' other example: scores [13, −7, 11], class 0, Δ = 10 → 0 + 8.
  assert.equal(svmLoss(tensor([[13, -7, 11]]), [0], { margin: 10 }).item(), 8);
});

test('softmaxLoss and bceWithLogits stay finite and exact at scores of ±1000', () => {
  const scores = tensor([
    [1000, -1000, 0],
    [-1000, 1000, 1000],
  ]);
  assert.equal(softmaxLoss(scores, [0, 1]).item(), Math.LN2 / 2);
  assert.equal(softmaxLoss(scores, [1, 0], { reduction: 'sum' }).item(), 2000 + 2000 + Math.LN2);
  const s = tensor(scores.toArray(), { requiresGrad: true });
  softmaxLoss(s, [0, 1]).backward();
  assertClose(s.grad!.toArray(), [
    [0, 0, 0],
    [0, -0.25, 0.25],
  ]);
  const logits = tensor([1000, -1000, 1000, -1000, 0], { requiresGrad: true });
  const targets = tensor([1, 0, 0, 1, 1]);
  assert.equal(bceWithLogits(logits, targets, { reduction: 'sum' }).item(), 2000 + Math.LN2);
  bceWithLogits(logits, targets, { reduction: 'sum' }).backward();
  assert.deepEqual(logits.grad!.toArray(), [0, 0, 1, -1, -0.5]);
});

test('mseLoss is the mean over all elements (PyTorch); bceWithLogits matches its definition', () => {
  assert.equal(
    mseLoss(
      tensor([
        [1, 2],
        [3, 4],
      ]),
      zeros([2, 2]),
    ).item(),
    7.5,
  );
  assert.equal(mseLoss(tensor([1, 2]), zeros([2]), { reduction: 'sum' }).item(), 5);
  const values = [0.3, -1.2, 2];
  const targets = [1, 0, 0.25];
  const expected =
    values.reduce((acc, v, i) => {
      const p = 1 / (1 + Math.exp(-v));
      const t = targets[i]!;
      return acc - (t * Math.log(p) + (1 - t) * Math.log(1 - p));
    }, 0) / 3;
  assertClose(bceWithLogits(tensor(values), tensor(targets)).item(), expected, 1e-14);
});

test('l2Penalty is 0.5·reg·Σw² (assignment 2 convention) over any collection of weights', () => {
  const w1 = tensor([1, 2]);
  const w2 = tensor([[3]]);
  assertClose(l2Penalty([w1, w2], 0.1).item(), 0.7);
  assertClose(l2Penalty({ w1, w2 }, 2).item(), 14);
  assertClose(l2Penalty(w1, 1).item(), 2.5);
  const w = tensor([1, -2], { requiresGrad: true });
  l2Penalty(w, 3).backward();
  assert.deepEqual(w.grad!.toArray(), [3, -6]);
});

test('every loss passes a float64 gradient check on random shapes', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const rng = new Rng(seed);
      const [n, c] = [rng.int(1, 6), rng.int(2, 7)];
      const labels = Array.from({ length: n }, () => rng.int(0, c - 1));
      const scores = randn(rng, [n, c], -3, 3);
      assertGradients(rng, (s) => softmaxLoss(s, labels), [scores], { label: 'softmaxLoss' });
      assertGradients(rng, (s) => softmaxLoss(s, labels, { reduction: 'sum' }), [scores], {
        label: 'softmaxLoss sum',
      });
      // The hinge has kinks where a margin is 0; the checker excludes nudges that cross one.
      const margin = rng.uniform(0.5, 2);
      assertGradients(rng, (s) => svmLoss(s, labels, { margin }), [scores], { label: 'svmLoss' });
      const target = randn(rng, [n, c]);
      assertGradients(rng, (p, t) => mseLoss(p, t), [scores, target], { label: 'mseLoss' });
      const probs = randn(rng, [n, c], 0, 1);
      assertGradients(rng, (x) => bceWithLogits(x, probs), [scores], { label: 'bceWithLogits' });
      assertGradients(rng, (a, b) => l2Penalty([a, b], 0.7), [scores, target], {
        label: 'l2Penalty',
      });
    }),
    { numRuns: 30 },
  );
});

test('losses reject bad labels, bad shapes and bad options with clear errors', () => {
  const scores = zeros([2, 3]);
  for (const [name, loss] of [
    ['softmaxLoss', softmaxLoss],
    ['svmLoss', svmLoss],
  ] as const) {
    assert.throws(
      () => loss(scores, [0, 3]),
      badArgument(new RegExp(`^${name}: label 3 \\(row 1\\) is out of range`)),
    );
    assert.throws(
      () => loss(scores, [0, 0.5]),
      badArgument(new RegExp(`^${name}: labels must hold integers`)),
    );
    assert.throws(
      () => loss(scores, [0, 1, 2]),
      badArgument(new RegExp(`^${name}: expected one label per row: 2 labels`)),
    );
    assert.throws(
      () => loss(zeros([3]), [0]),
      (e: unknown) =>
        e instanceof ShapeError && e.message.startsWith(`${name}: scores must be N×C`),
    );
  }
  assert.throws(() => svmLoss(scores, [0, 1], { margin: -1 }), badArgument(/svmLoss: margin/));
  assert.throws(
    () => softmaxLoss(scores, [0, 1], { reduction: 'max' as 'sum' }),
    badArgument(/reduction must be 'mean' or 'sum'/),
  );
  assert.throws(
    () => mseLoss(zeros([2, 3]), zeros([3, 2])),
    (e: unknown) =>
      e instanceof ShapeError &&
      /^mseLoss: pred has shape \[2, 3\] but target has shape \[3, 2\]/.test(e.message),
  );
  assert.throws(
    () => bceWithLogits(zeros([2]), tensor([0, 2])),
    badArgument(/bceWithLogits: targets must lie in \[0, 1\]/),
  );
  assert.throws(() => l2Penalty([scores], -1), badArgument(/l2Penalty: reg/));
});
