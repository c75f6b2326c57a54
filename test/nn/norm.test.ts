import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ShapeError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { Tensor, ones, tensor, zeros } from '../../src/core/tensor.js';
import {
  batchNorm,
  batchNormState,
  groupNorm,
  layerNorm,
  spatialBatchNorm,
} from '../../src/nn/index.js';
import { mean, reshape, transpose } from '../../src/ops/index.js';
import { assertClose, badArgument } from '../support/assert.js';
import { assertGradients, randn, spread } from '../support/cs231n.js';

const shapeError = (pattern: RegExp) => (e: unknown) =>
  e instanceof ShapeError && pattern.test(e.message);

// Finite differences of a normalization lose accuracy when a group's variance comes near eps:
// the third derivative grows like var^(−3/2), and the centered-difference error h²·f'''/6 with
// it (seen: 1e-4 for two nearly equal features). The checks below therefore draw the normalized
// inputs from a shuffled grid (`spread`), which keeps every variance far above eps; the exact
// agreement of the staged and closed-form backward passes (test/layers) covers the rest.

/** Column means and biased standard deviations of an N×D tensor. */
function columnStats(t: Tensor): { means: number[]; stds: number[] } {
  const [n, d] = t.shape as [number, number];
  const means = Array.from({ length: d }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += t.data[i * d + j]!;
    return s / n;
  });
  const stds = means.map((m, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (t.data[i * d + j]! - m) ** 2;
    return Math.sqrt(s / n);
  });
  return { means, stds };
}

test('batchNorm in train mode: columns get mean beta and std gamma (the notebook check)', () => {
  const rng = new Rng(231);
  // As the notebook: 200 examples, features with scale 3 and mean 12 after a random layer.
  const x = tensor(
    Array.from({ length: 200 * 3 }, () => 12 + 3 * rng.normal()),
    { shape: [200, 3] },
  );
  const gamma = tensor([1, 2, 3]);
  const beta = tensor([11, 12, 13]);
  const { means, stds } = columnStats(batchNorm(x, gamma, beta, batchNormState()));
  assertClose(means, [11, 12, 13], 1e-12);
  // The biased variance with eps = 1e-5: std = gamma·√(var / (var + eps)).
  const raw = columnStats(x).stds;
  assertClose(
    stds,
    raw.map((s, j) => [1, 2, 3][j]! * Math.sqrt((s * s) / (s * s + 1e-5))),
    1e-12,
  );
});

test('batchNorm divides by the biased variance and updates running stats as CS231n', () => {
  const state = batchNormState();
  const x1 = tensor([[1], [3]]);
  // mean 2, biased variance 1 (not 2): x̂ = ±1/√(1 + eps)
  assertClose(batchNorm(x1, ones([1]), zeros([1]), state).toArray(), [
    [-1 / Math.sqrt(1 + 1e-5)],
    [1 / Math.sqrt(1 + 1e-5)],
  ]);
  assertClose(state.runningMean!.toArray(), [0.1 * 2]);
  assertClose(state.runningVar!.toArray(), [0.1 * 1]);
  batchNorm(tensor([[0], [4], [8]]), ones([1]), zeros([1]), state);
  // running = 0.9·running + 0.1·batch, with the batch's mean 4 and biased variance 32/3
  assertClose(state.runningMean!.toArray(), [0.9 * 0.2 + 0.1 * 4]);
  assertClose(state.runningVar!.toArray(), [0.9 * 0.1 + 0.1 * (32 / 3)]);
  // Eval mode standardizes with the running averages and leaves them alone.
  state.mode = 'eval';
  const [rm, rv] = [state.runningMean!.data[0]!, state.runningVar!.data[0]!];
  const out = batchNorm(tensor([[1], [2]]), tensor([2]), tensor([0.5]), state);
  assertClose(out.toArray(), [
    [(2 * (1 - rm)) / Math.sqrt(rv + 1e-5) + 0.5],
    [(2 * (2 - rm)) / Math.sqrt(rv + 1e-5) + 0.5],
  ]);
  assert.equal(state.runningMean!.data[0], rm);
  const custom = batchNormState({ momentum: 0.5, eps: 1e-3 });
  batchNorm(x1, ones([1]), zeros([1]), custom);
  assertClose(custom.runningMean!.toArray(), [1]);
});

test('spatialBatchNorm normalizes each channel over N, H and W', () => {
  const rng = new Rng(3);
  const x = randn(rng, [2, 3, 4, 5], -4, 6);
  const gamma = tensor([1, 2, 3]);
  const beta = tensor([0, -1, 1]);
  const out = spatialBatchNorm(x, gamma, beta, batchNormState());
  const perChannel = reshape(transpose(out, [0, 2, 3, 1]), [40, 3]);
  const { means, stds } = columnStats(perChannel);
  assertClose(means, [0, -1, 1], 1e-12);
  assertClose(stds, [1, 2, 3], 1e-5);
});

test('layerNorm standardizes each example over the trailing dims of gamma', () => {
  const x = tensor([
    [1, 3],
    [2, 10],
  ]);
  const out = layerNorm(x, tensor([1, 2]), tensor([0, 1]));
  // Two features at mean ± v have biased variance v²: x̂ = ±v / √(v² + eps).
  const s = (v: number) => v / Math.sqrt(v * v + 1e-5);
  assertClose(out.toArray(), [
    [-s(1), 2 * s(1) + 1],
    [-s(4), 2 * s(4) + 1],
  ]);
  const x3 = tensor([
    [
      [1, 2],
      [3, 4],
    ],
  ]);
  const whole = layerNorm(x3, ones([2, 2]), zeros([2, 2]));
  assertClose(mean(whole).item(), 0, 1e-15);
  assertClose(
    layerNorm(x3, undefined, undefined, { normalizedShape: [2, 2] }).toArray(),
    whole.toArray(),
  );
  assertClose(layerNorm(x).toArray(), layerNorm(x, ones([2])).toArray());
});

test('groupNorm: one group is layer norm over C·H·W; C groups is instance norm', () => {
  const rng = new Rng(5);
  const x = randn(rng, [2, 4, 3, 3]);
  const one = groupNorm(x, ones([4]), zeros([4]), 1);
  assertClose(one.toArray(), layerNorm(x, ones([4, 3, 3])).toArray(), 1e-12);
  const each = groupNorm(x, ones([1, 4, 1, 1]), zeros([1, 4, 1, 1]), 4);
  assertClose(each.toArray(), layerNorm(x, ones([3, 3])).toArray(), 1e-12);
  const scaled = groupNorm(x, tensor([[[[2]], [[2]], [[2]], [[2]]]]), ones([1, 4, 1, 1]), 2);
  const plain = groupNorm(x, ones([4]), zeros([4]), 2);
  assertClose(
    Array.from(scaled.data),
    Array.from(plain.data, (v) => 2 * v + 1),
    1e-12,
  );
});

test('normalization layers pass a float64 gradient check on random shapes, in train and eval modes', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const rng = new Rng(seed);
      const [n, d] = [rng.int(2, 6), rng.int(1, 4)];
      const x = spread(rng, [n, d]);
      const gamma = randn(rng, [d]);
      const beta = randn(rng, [d]);
      assertGradients(rng, (t, g, b) => batchNorm(t, g, b, batchNormState()), [x, gamma, beta], {
        label: 'batchNorm',
      });
      const trained = batchNormState();
      batchNorm(randn(rng, [5, d]), gamma, beta, trained);
      trained.mode = 'eval';
      assertGradients(rng, (t, g, b) => batchNorm(t, g, b, trained), [x, gamma, beta], {
        label: 'batchNorm eval',
      });
      const wide = spread(rng, [n, d + 1]);
      const [g2, b2] = [randn(rng, [d + 1]), randn(rng, [d + 1])];
      assertGradients(rng, (t, g, b) => layerNorm(t, g, b), [wide, g2, b2], { label: 'layerNorm' });
      assertGradients(rng, (t) => layerNorm(t), [wide], { label: 'layerNorm without gamma' });
      const c = 2 * rng.int(1, 2);
      const images = spread(rng, [rng.int(1, 3), c, rng.int(1, 3), rng.int(2, 3)]);
      const [gc, bc] = [randn(rng, [c]), randn(rng, [c])];
      assertGradients(
        rng,
        (t, g, b) => spatialBatchNorm(t, g, b, batchNormState()),
        [images, gc, bc],
        {
          label: 'spatialBatchNorm',
        },
      );
      assertGradients(rng, (t, g, b) => groupNorm(t, g, b, c / 2), [images, gc, bc], {
        label: 'groupNorm',
      });
    }),
    { numRuns: 30 },
  );
});

test('normalization layers reject bad shapes and settings with clear errors', () => {
  const x = zeros([4, 3]);
  assert.throws(
    () => batchNorm(x, ones([2]), zeros([3]), batchNormState()),
    shapeError(/^batchNorm: gamma must have shape \[3\] for x of shape \[4, 3\], got \[2\]/),
  );
  assert.throws(
    () => batchNorm(x, ones([3]), zeros([3, 1]), batchNormState()),
    shapeError(/beta must have shape \[3\]/),
  );
  assert.throws(
    () => batchNorm(zeros([2, 3, 4]), ones([3]), zeros([3]), batchNormState()),
    shapeError(/x must be N×D/),
  );
  for (const eps of [0, -1e-5, NaN]) {
    assert.throws(
      () => batchNorm(x, ones([3]), zeros([3]), { ...batchNormState(), eps }),
      badArgument(/batchNorm: state.eps must be a finite number > 0/),
    );
    assert.throws(() => batchNormState({ eps }), badArgument(/batchNormState: options.eps/));
    assert.throws(
      () => layerNorm(x, ones([3]), zeros([3]), { eps }),
      badArgument(/layerNorm: options.eps/),
    );
    assert.throws(
      () => groupNorm(zeros([1, 2, 2, 2]), ones([2]), zeros([2]), 1, { eps }),
      badArgument(/groupNorm: options.eps/),
    );
  }
  assert.throws(
    () => batchNorm(x, ones([3]), zeros([3]), { ...batchNormState(), momentum: 1.5 }),
    badArgument(/momentum/),
  );
  assert.throws(
    () => batchNorm(x, ones([3]), zeros([3]), { ...batchNormState(), mode: 'test' as 'eval' }),
    badArgument(/mode must be 'train' or 'eval'/),
  );
  assert.throws(
    () => layerNorm(x, ones([4])),
    shapeError(/^layerNorm: gamma \[4\] must equal the trailing dims of x \[4, 3\]/),
  );
  assert.throws(
    () => layerNorm(x, ones([3]), zeros([2])),
    shapeError(/^layerNorm: beta must have the shape of gamma \[3\], got \[2\]/),
  );
  assert.throws(
    () => groupNorm(zeros([1, 6, 2, 2]), ones([6]), zeros([6]), 4),
    badArgument(/groupNorm: argument groups must divide the 6 channels/),
  );
  assert.throws(
    () => groupNorm(zeros([1, 6, 2, 2]), ones([3]), zeros([3]), 3),
    shapeError(/^groupNorm: gamma must have shape \[1, 6, 1, 1\]/),
  );
  assert.throws(
    () => spatialBatchNorm(zeros([1, 2, 2, 2]), ones([3]), zeros([3]), batchNormState()),
    shapeError(/spatialBatchNorm: gamma must have shape \[2\]/),
  );
});
