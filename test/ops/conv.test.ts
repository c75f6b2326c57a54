import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ShapeError, ChainruleError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { tensor, zeros } from '../../src/core/tensor.js';
import { relErrorOverSum } from '../../src/graph/numeric.js';
import { avgPool2d, conv2d, maxPool2d } from '../../src/ops/index.js';
import { CONV_EXPECTED, assertGradients, linspace, randn } from '../support/cs231n.js';

test('conv2d reproduces the conv_forward_naive check of the CS231n notebook', () => {
  const x = linspace(-0.1, 0.5, 96, [2, 3, 4, 4]);
  const w = linspace(-0.2, 0.3, 144, [3, 3, 4, 4]);
  const b = linspace(-0.1, 0.2, 3);
  const out = conv2d(x, w, b, { stride: 2, pad: 1 });
  assert.deepEqual(out.shape, [2, 3, 2, 2]);
  // The notebook prints 8 decimals and expects a difference around 2e-8.
  assert.ok(
    relErrorOverSum(out, CONV_EXPECTED) < 3e-8,
    `rel error ${relErrorOverSum(out, CONV_EXPECTED)}`,
  );
});

test('conv2d: output size floor((H + 2·pad − HH)/stride) + 1 per axis, as PyTorch', () => {
  const x = zeros([1, 1, 7, 6]);
  const w = zeros([2, 1, 3, 2]);
  assert.deepEqual(conv2d(x, w, { stride: [2, 3], pad: [1, 0] }).shape, [1, 2, 4, 2]);
  assert.deepEqual(conv2d(x, w, null, { stride: 3 }).shape, [1, 2, 2, 2]);
  assert.deepEqual(conv2d(x, w).shape, [1, 2, 5, 5]);
});

test('conv2d is a cross-correlation (no kernel flip) with zero padding', () => {
  const x = tensor([
    [
      [
        [1, 2],
        [3, 4],
      ],
    ],
  ]);
  const w = tensor([
    [
      [
        [1, 0],
        [0, 0],
      ],
    ],
  ]);
  // With pad 1 the top-left weight meets x[i-1][j-1]: zeros on the border, then 1 2 / 3 4.
  assert.deepEqual(conv2d(x, w, { pad: 1 }).toArray(), [
    [
      [
        [0, 0, 0],
        [0, 1, 2],
        [0, 3, 4],
      ],
    ],
  ]);
});

test('conv2d gradients match centered differences on random shapes, strides and paddings', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const rng = new Rng(seed);
      const [n, c, h, w, f] = [
        rng.int(1, 2),
        rng.int(1, 3),
        rng.int(3, 6),
        rng.int(3, 6),
        rng.int(1, 3),
      ];
      const stride: [number, number] = [rng.int(1, 2), rng.int(1, 3)];
      const pad: [number, number] = [rng.int(0, 2), rng.int(0, 1)];
      const inputs = [
        randn(rng, [n, c, h, w]),
        randn(rng, [f, c, rng.int(1, 3), rng.int(1, 3)]),
        randn(rng, [f]),
      ];
      assertGradients(rng, (x, k, b) => conv2d(x, k, b, { stride, pad }), inputs, {
        label: `conv2d seed ${seed}`,
      });
    }),
    { numRuns: 25 },
  );
});

test('conv2d rejects mismatched shapes naming the op and both shapes', () => {
  const expectShapeError = (fn: () => unknown, ...fragments: string[]) =>
    assert.throws(fn, (e: unknown) => {
      assert.ok(e instanceof ShapeError, String(e));
      assert.match(e.message, /^conv2d: /);
      for (const s of fragments)
        assert.ok(e.message.includes(s), `${e.message} should mention ${s}`);
      return true;
    });
  expectShapeError(
    () => conv2d(zeros([1, 3, 4, 4]), zeros([2, 2, 3, 3])),
    '[1, 3, 4, 4]',
    '[2, 2, 3, 3]',
  );
  expectShapeError(() => conv2d(zeros([3, 4, 4]), zeros([2, 3, 3, 3])), '[3, 4, 4]');
  expectShapeError(
    () => conv2d(zeros([1, 1, 2, 2]), zeros([1, 1, 3, 3])),
    '[1, 1, 3, 3]',
    '[1, 1, 2, 2]',
  );
  expectShapeError(
    () => conv2d(zeros([1, 1, 4, 4]), zeros([2, 1, 3, 3]), zeros([3])),
    '[3]',
    '[2, 1, 3, 3]',
  );
  assert.throws(
    () => conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), { stride: 0 }),
    /conv2d: stride must be an integer ≥ 1/,
  );
  assert.throws(
    () => conv2d(zeros([1, 1, 4, 4]), zeros([1, 1, 3, 3]), { pad: [1, -1] }),
    ChainruleError,
  );
});

test('conv2d runs in float32 too', () => {
  const x = linspace(-0.1, 0.5, 96, [2, 3, 4, 4]);
  const x32 = tensor(new Float32Array(x.data), { shape: x.shape });
  const w32 = tensor(new Float32Array(linspace(-0.2, 0.3, 144).data), { shape: [3, 3, 4, 4] });
  const out = conv2d(x32, w32, { stride: 2, pad: 1 });
  assert.equal(out.dtype, 'float32');
  assert.deepEqual(out.shape, [2, 3, 2, 2]);
});

// max_pool_forward_naive's check from the same notebook.
const POOL_EXPECTED = [
  [
    [
      [-0.26315789, -0.24842105],
      [-0.20421053, -0.18947368],
    ],
    [
      [-0.14526316, -0.13052632],
      [-0.08631579, -0.07157895],
    ],
    [
      [-0.02736842, -0.01263158],
      [0.03157895, 0.04631579],
    ],
  ],
  [
    [
      [0.09052632, 0.10526316],
      [0.14947368, 0.16421053],
    ],
    [
      [0.20842105, 0.22315789],
      [0.26736842, 0.28210526],
    ],
    [
      [0.32631579, 0.34105263],
      [0.38526316, 0.4],
    ],
  ],
];

test('maxPool2d reproduces the max_pool_forward_naive check of the CS231n notebook', () => {
  const x = linspace(-0.3, 0.4, 96, [2, 3, 4, 4]);
  const out = maxPool2d(x, { size: 2, stride: 2 });
  assert.ok(
    relErrorOverSum(out, POOL_EXPECTED) < 1e-7,
    `rel error ${relErrorOverSum(out, POOL_EXPECTED)}`,
  );
});

test('maxPool2d routes each window’s gradient to its first maximum (ties included)', () => {
  const x = tensor(
    [
      [
        [
          [1, 5, 5, 0],
          [5, 2, 0, 0],
          [3, 3, 7, 7],
          [3, 3, 7, 7],
        ],
      ],
    ],
    { requiresGrad: true },
  );
  maxPool2d(x, { size: 2 }).sum().backward();
  assert.deepEqual(x.grad!.toArray(), [
    [
      [
        [0, 1, 1, 0],
        [0, 0, 0, 0],
        [1, 0, 1, 0],
        [0, 0, 0, 0],
      ],
    ],
  ]);
  // Overlapping windows (stride 1) add their gradients on a shared maximum.
  const y = tensor(
    [
      [
        [
          [0, 0, 0],
          [0, 9, 0],
          [0, 0, 0],
        ],
      ],
    ],
    { requiresGrad: true },
  );
  maxPool2d(y, { size: 2, stride: 1 }).sum().backward();
  assert.equal(y.grad!.toArray().toString(), '0,0,0,0,4,0,0,0,0');
});

test('pooling: window and stride per axis; avgPool2d averages', () => {
  const x = linspace(0, 23, 24, [1, 1, 4, 6]);
  assert.deepEqual(maxPool2d(x, { size: [2, 3], stride: [2, 3] }).toArray(), [
    [
      [
        [8, 11],
        [20, 23],
      ],
    ],
  ]);
  assert.deepEqual(avgPool2d(x, { size: [2, 3] }).toArray(), [
    [
      [
        [4, 7],
        [16, 19],
      ],
    ],
  ]);
  assert.deepEqual(maxPool2d(zeros([2, 3, 5, 5]), { size: 2, stride: 2 }).shape, [2, 3, 2, 2]);
});

test('pooling gradients match centered differences (values kept apart so no window has a tie)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const rng = new Rng(seed);
      const shape = [rng.int(1, 2), rng.int(1, 3), rng.int(2, 6), rng.int(2, 6)];
      const size: [number, number] = [rng.int(1, 2), rng.int(1, Math.min(3, shape[3]!))];
      const stride: [number, number] = [rng.int(1, 2), rng.int(1, 2)];
      // A shuffled grid: every value distinct by more than 2h, so no nudge changes a winner.
      const count = shape.reduce((a, d) => a * d, 1);
      const values = rng.shuffle(Array.from({ length: count }, (_, i) => i / count - 0.5));
      const x = tensor(values, { shape });
      assertGradients(rng, (t) => maxPool2d(t, { size, stride }), [x], {
        label: `maxPool2d seed ${seed}`,
      });
      assertGradients(rng, (t) => avgPool2d(t, { size, stride }), [x], {
        label: `avgPool2d seed ${seed}`,
      });
    }),
    { numRuns: 25 },
  );
});

test('pooling rejects windows larger than the image, naming the op and both shapes', () => {
  assert.throws(
    () => maxPool2d(zeros([1, 1, 2, 3]), { size: [3, 1] }),
    (e: unknown) =>
      e instanceof ShapeError && /^maxPool2d: .*\[3, 1\].*\[1, 1, 2, 3\]/.test(e.message),
  );
  assert.throws(() => avgPool2d(zeros([2, 2]), { size: 1 }), /avgPool2d: x must be N×C×H×W/);
  assert.throws(
    () => maxPool2d(zeros([1, 1, 4, 4]), { size: 2, stride: 0 }),
    /maxPool2d: stride must be/,
  );
});
