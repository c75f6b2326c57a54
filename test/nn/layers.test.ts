import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ShapeError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { checkGradients } from '../../src/graph/gradcheck.js';
import { Tensor, tensor, zeros } from '../../src/core/tensor.js';
import {
  Module,
  affine,
  affineNormRelu,
  affineRelu,
  batchNormState,
  conv,
  convRelu,
  convReluPool,
  dropout,
  leakyRelu,
  maxPool,
  relu,
  sigmoid,
  tanh,
} from '../../src/nn/index.js';
import { mean } from '../../src/ops/index.js';
import { badArgument } from '../support/assert.js';
import { assertGradients, randn, spread } from '../support/cs231n.js';
import { randomInputs } from '../support/random.js';

/**
 * x (n×d) and w (d×m) for a random d such that x·w + b has, along `axis` (0: per column, 1: per row), a variance of
 * at least 0.05 in every group: drawn again until it does.
 */
function wellSpread(rng: Rng, n: number, b: Tensor, axis: 0 | 1): [Tensor, Tensor] {
  const m = b.shape[0]!;
  const d = rng.int(1, 4);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const [x, w] = randomInputs(
      rng,
      [
        [n, d],
        [d, m],
      ],
      ['real', 'nonzero'],
    ) as [Tensor, Tensor];
    const a = affine(x, w, b).toArray() as number[][];
    const groups = axis === 1 ? a : a[0]!.map((_, j) => a.map((row) => row[j]!));
    const variance = (g: number[]) => {
      const mu = g.reduce((s, v) => s + v, 0) / g.length;
      return g.reduce((s, v) => s + (v - mu) ** 2, 0) / g.length;
    };
    if (groups.every((g) => variance(g) > 0.05)) return [x, w];
  }
  throw new Error('wellSpread: no well-conditioned draw in 1000 attempts');
}

test('affine flattens each example: x (N, d1, …) · w + b', () => {
  const x = tensor([
    [
      [1, 2],
      [3, 4],
    ],
  ]); // 1 × 2 × 2 → a row of 4
  const w = tensor([[1], [0], [0], [1]]);
  assert.deepEqual(affine(x, w, tensor([0.5])).toArray(), [[5.5]]);
  assert.throws(
    () => affine(zeros([2, 3]), zeros([4, 5]), zeros([5])),
    (e: unknown) => e instanceof ShapeError && /^affine: .*\[2, 3\].*\[4, 5\]/.test(e.message),
  );
  assert.throws(
    () => affine(zeros([2, 3]), zeros([3, 5]), zeros([4])),
    (e: unknown) =>
      e instanceof ShapeError && /^affine: b must have shape \[5\].*\[4\]/.test(e.message),
  );
});

test('leakyRelu: slope below zero, and the slope as gradient at 0 (PyTorch)', () => {
  const x = tensor([-2, 0, 3], { requiresGrad: true });
  assert.deepEqual(leakyRelu(x, 0.1).toArray(), [-0.2, 0, 3]);
  leakyRelu(x, 0.1).sum().backward();
  assert.deepEqual(x.grad!.toArray(), [0.1, 0.1, 1]);
  // The branch is a `where` decision, so a gradient check sees the kink at 0.
  assert.equal(checkGradients((t) => leakyRelu(t).sum(), [tensor([0, 1])]).inputs[0]!.kinks, 1);
});

test('dropout: inverted scaling, seeded, identity in eval mode, keep ratio checked', () => {
  const x = tensor(Array.from({ length: 10000 }, () => 1));
  const a = dropout(x, { keep: 0.3, rng: new Rng(7) });
  const b = dropout(x, { keep: 0.3, rng: new Rng(7) });
  assert.deepEqual(a.data, b.data, 'the same seed draws the same mask');
  assert.ok(a.data.every((v) => v === 0 || Math.abs(v - 1 / 0.3) < 1e-15));
  // E[mask] = 1: the mean activation is preserved (binomial std of the mean here ≈ 0.015).
  assert.ok(Math.abs(mean(a).item() - 1) < 0.06, `mean ${mean(a).item()}`);
  assert.equal(dropout(x, { keep: 0.3, mode: 'eval' }), x);
  assert.equal(
    dropout(x, { keep: 1, rng: new Rng(1) }).data.every((v) => v === 1),
    true,
  );
  for (const keep of [0, -0.5, 1.5, NaN]) {
    assert.throws(
      () => dropout(x, { keep, rng: new Rng(1) }),
      badArgument(/dropout: options.keep must be a finite number in \(0, 1\]/),
    );
  }
  assert.throws(
    () => dropout(x, { keep: 0.5 }),
    badArgument(/dropout: train mode needs a seeded generator/),
  );
});

test('layers and sandwich layers pass a float64 gradient check on random shapes', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const rng = new Rng(seed);
      const [n, d, m] = [rng.int(1, 4), rng.int(1, 5), rng.int(1, 4)];
      const x = randn(rng, [n, d]);
      const w = randn(rng, [d, m]);
      const b = randn(rng, [m]);
      assertGradients(rng, affine, [randn(rng, [n, 1, d]), w, b], { label: 'affine' });
      // relu-based layers have kinks at 0; the checker excludes the rare nudge that crosses one.
      assertGradients(rng, affineRelu, [x, w, b], { label: 'affineRelu' });
      assertGradients(rng, relu, [x], { label: 'relu' });
      assertGradients(rng, (t) => leakyRelu(t, 0.05), [x], { label: 'leakyRelu' });
      assertGradients(rng, sigmoid, [x], { label: 'sigmoid' });
      assertGradients(rng, tanh, [x], { label: 'tanh' });
      // Dropout is checked with a fixed mask: the same seed on every evaluation.
      assertGradients(rng, (t) => dropout(t, { keep: 0.6, rng: new Rng(seed) }), [x], {
        label: 'dropout',
      });
      // The normalizing sandwiches are checked where finite differences are reliable: every
      // normalized group of the affine output has a variance well above eps (see norm.test.ts).
      const gamma = randn(rng, [m]);
      const beta = randn(rng, [m]);
      const rows = rng.int(3, 6);
      const [bx, bw] = wellSpread(rng, rows, b, 0);
      assertGradients(
        rng,
        (t, a, c, g, e) =>
          affineNormRelu(t, a, c, g, e, { type: 'batchnorm', state: batchNormState() }),
        [bx, bw, b, gamma, beta],
        { label: 'affineNormRelu (batchnorm)' },
      );
      if (m > 1) {
        const [lx, lw] = wellSpread(rng, rows, b, 1);
        assertGradients(
          rng,
          (t, a, c, g, e) => affineNormRelu(t, a, c, g, e, { type: 'layernorm' }),
          [lx, lw, b, gamma, beta],
          { label: 'affineNormRelu (layernorm)' },
        );
      }
    }),
    { numRuns: 25 },
  );
});

test('conv, maxPool and the conv sandwiches pass a float64 gradient check', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const rng = new Rng(seed);
      const [n, c, f] = [rng.int(1, 2), rng.int(1, 2), rng.int(1, 3)];
      const size = rng.int(4, 6);
      const x = spread(rng, [n, c, size, size]);
      const w = randn(rng, [f, c, 3, 3], -1, 1);
      const b = randn(rng, [f]);
      assertGradients(rng, (t, k, e) => conv(t, k, e, { pad: 1 }), [x, w, b], { label: 'conv' });
      assertGradients(rng, (t) => maxPool(t), [x], { label: 'maxPool' });
      assertGradients(rng, (t, k, e) => convRelu(t, k, e, { pad: 1 }), [x, w, b], {
        label: 'convRelu',
      });
      // The pooling winners come from conv outputs, which may nearly tie: kinks are detected
      // (winner changes between x+h and x−h) and excluded by the checker.
      assertGradients(rng, (t, k, e) => convReluPool(t, k, e, { pad: 1 }, { size: 2 }), [x, w, b], {
        label: 'convReluPool',
      });
    }),
    { numRuns: 15 },
  );
});

test('Module collects parameters by path and switches modes for the whole tree', () => {
  class Block extends Module {
    gamma = tensor([1, 1], { requiresGrad: true });
    constant = tensor([5]);
  }
  class Net extends Module {
    w = tensor([[1, 2]], { requiresGrad: true });
    blocks = [new Block(), new Block()];
    head = new Block();
  }
  const net = new Net();
  assert.deepEqual(Object.keys(net.parameters()), [
    'w',
    'blocks.0.gamma',
    'blocks.1.gamma',
    'head.gamma',
  ]);
  net.eval();
  assert.deepEqual([net.phase, net.blocks[1]!.phase, net.head.phase], ['eval', 'eval', 'eval']);
  net.train();
  assert.equal(net.blocks[0]!.phase, 'train');
  affine(tensor([[1]]), net.w, tensor([0, 0]))
    .sum()
    .backward();
  assert.ok(net.w.grad);
  net.zeroGrad();
  assert.equal(net.w.grad, null);
});
