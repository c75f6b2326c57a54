import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ShapeError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { gradients } from '../../src/core/autograd.js';
import { matmul } from '../../src/ops/index.js';
import { assertClose } from '../support/assert.js';

const arange = (n: number, f: (i: number) => number, shape: number[]) =>
  tensor(
    Float64Array.from({ length: n }, (_, i) => f(i)),
    { shape },
  );

/** The output and both gradients for upstream `up`. */
function run(a: Tensor, b: Tensor, up: Tensor) {
  const [x, y] = [a.detach(), b.detach()];
  x.requiresGrad = y.requiresGrad = true;
  const out = matmul(x, y);
  const g = gradients(out, up);
  return { out: out.toArray(), da: g.get(x)!.toArray(), db: g.get(y)!.toArray() };
}

test('matmul [2,3,4] @ [4,5] matches numpy, gradients included', () => {
  // Values from numpy: A = arange(24).reshape(2,3,4) − 10, B = arange(20).reshape(4,5) / 4,
  // G = arange(30).reshape(2,3,5) / 10; A @ B, G @ B.T, einsum('bmk,bmn->kn', A, G).
  const a = arange(24, (i) => i - 10, [2, 3, 4]);
  const b = arange(20, (i) => i / 4, [4, 5]);
  const g = arange(30, (i) => i / 10, [2, 3, 5]);
  const { out, da, db } = run(a, b, g);
  assertClose(out, [
    [
      [-57.5, -66.0, -74.5, -83.0, -91.5],
      [-27.5, -32.0, -36.5, -41.0, -45.5],
      [2.5, 2.0, 1.5, 1.0, 0.5],
    ],
    [
      [32.5, 36.0, 39.5, 43.0, 46.5],
      [62.5, 70.0, 77.5, 85.0, 92.5],
      [92.5, 104.0, 115.5, 127.0, 138.5],
    ],
  ]);
  assertClose(da, [
    [
      [0.75, 2.0, 3.25, 4.5],
      [2.0, 6.375, 10.75, 15.125],
      [3.25, 10.75, 18.25, 25.75],
    ],
    [
      [4.5, 15.125, 25.75, 36.375],
      [5.75, 19.5, 33.25, 47.0],
      [7.0, 23.875, 40.75, 57.625],
    ],
  ]);
  assertClose(db, [
    [35.0, 35.0, 35.0, 35.0, 35.0],
    [42.5, 43.1, 43.7, 44.3, 44.9],
    [50.0, 51.2, 52.4, 53.6, 54.8],
    [57.5, 59.3, 61.1, 62.9, 64.7],
  ]);
});

test('matmul: a vector on the left of a batch is a row broadcast over it, as numpy', () => {
  // numpy: v @ C with v = [1, −2, 3], C = arange(24).reshape(2,3,4) → shape (2, 4);
  // dv = einsum('bn,bkn->k', G, C), dC = einsum('bn,k->bkn', G, v).
  const v = tensor([1, -2, 3]);
  const c = arange(24, (i) => i, [2, 3, 4]);
  const g = tensor([
    [1, 2, 3, 4],
    [-1, 0, 1, 2],
  ]);
  const { out, da, db } = run(v, c, g);
  assertClose(out, [
    [16, 18, 20, 22],
    [40, 42, 44, 46],
  ]);
  assertClose(da, [52, 100, 148]);
  assertClose(db, [
    [
      [1, 2, 3, 4],
      [-2, -4, -6, -8],
      [3, 6, 9, 12],
    ],
    [
      [-1, 0, 1, 2],
      [2, 0, -2, -4],
      [-3, 0, 3, 6],
    ],
  ]);
});

test('matmul output shapes follow numpy', () => {
  const shape = (a: number[], b: number[]) =>
    matmul(
      tensor(new Float64Array(a.reduce((x, y) => x * y, 1)), { shape: a }),
      tensor(new Float64Array(b.reduce((x, y) => x * y, 1)), { shape: b }),
    ).shape;
  assert.deepEqual(shape([3], [3]), []);
  assert.deepEqual(shape([2, 3], [3]), [2]);
  assert.deepEqual(shape([3], [3, 4]), [4]);
  assert.deepEqual(shape([5, 2, 3], [3]), [5, 2]);
  assert.deepEqual(shape([3], [5, 3, 4]), [5, 4]);
  assert.deepEqual(shape([5, 2, 3], [5, 3, 4]), [5, 2, 4]);
  assert.deepEqual(shape([5, 1, 2, 3], [6, 3, 4]), [5, 6, 2, 4]);
  assert.deepEqual(shape([1, 2, 3], [7, 3, 4]), [7, 2, 4]);
  assert.deepEqual(shape([0, 2, 3], [3, 4]), [0, 2, 4]);
  assert.deepEqual(shape([2, 0], [0, 4]), [2, 4]);
});

test('matmul refuses scalars, mismatched inner axes and batch axes that do not broadcast', () => {
  const t = (shape: number[]) =>
    tensor(new Float64Array(shape.reduce((x, y) => x * y, 1)), { shape });
  const shapeError = (pattern: RegExp) => (e: unknown) =>
    e instanceof ShapeError && e.op === 'matmul' && pattern.test(e.message);
  assert.throws(() => matmul(t([]), t([3])), shapeError(/rank ≥ 1.*\[\] @ \[3\]/));
  assert.throws(
    () => matmul(t([2, 3, 4]), t([5, 6])),
    shapeError(/\[2, 3, 4\] @ \[5, 6\] \(4 ≠ 5\)/),
  );
  assert.throws(
    () => matmul(t([2, 3, 4]), t([3, 4, 5])),
    shapeError(/batch axes.*\[2, 3, 4\].*\[3, 4, 5\]/),
  );
});

/** numpy's matmul written out as loops over the broadcast batch, as an independent reference. */
function reference(a: Tensor, b: Tensor): { shape: number[]; data: number[] } {
  const as = a.ndim === 1 ? [1, a.shape[0]!] : [...a.shape];
  const bs = b.ndim === 1 ? [b.shape[0]!, 1] : [...b.shape];
  const [m, k, n] = [as.at(-2)!, as.at(-1)!, bs.at(-1)!];
  const rank = Math.max(as.length, bs.length) - 2;
  const pad = (s: number[]) => [
    ...new Array<number>(rank - (s.length - 2)).fill(1),
    ...s.slice(0, -2),
  ];
  const [ab, bb] = [pad(as), pad(bs)];
  const batch = ab.map((d, i) => Math.max(d, bb[i]!));
  const count = batch.reduce((x, y) => x * y, 1);
  const data: number[] = [];
  for (let t = 0; t < count; t++) {
    // The batch index of t, and the operand batch indices it reads (size-1 axes stay at 0).
    let [rest, ai, bi] = [t, 0, 0];
    let [astride, bstride] = [1, 1];
    for (let d = rank - 1; d >= 0; d--) {
      const idx = rest % batch[d]!;
      rest = Math.floor(rest / batch[d]!);
      ai += (ab[d] === 1 ? 0 : idx) * astride;
      bi += (bb[d] === 1 ? 0 : idx) * bstride;
      astride *= ab[d]!;
      bstride *= bb[d]!;
    }
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++)
          s += a.data[ai * m * k + i * k + p]! * b.data[bi * k * n + p * n + j]!;
        data.push(s);
      }
  }
  return { shape: [...batch, ...(a.ndim > 1 ? [m] : []), ...(b.ndim > 1 ? [n] : [])], data };
}

const batchAxes = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 });

test('property: batched matmul agrees with the loop reference on broadcast shapes, both dtypes', () => {
  fc.assert(
    fc.property(
      batchAxes,
      fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
      fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 0, max: 5 }),
      fc.boolean(),
      fc.integer(),
      (batch, keepA, keepB, m, k, n, vectors, f32, seed) => {
        const rng = new Rng(seed);
        // Each operand keeps a suffix of the batch axes, some of them squeezed to 1.
        const own = (keep: boolean[]) =>
          batch.slice(keep[0] ? 0 : 1).map((d, i) => (keep[1] && i === 0 ? 1 : d));
        const as = vectors === 0 ? [k] : [...own(keepA), m, k];
        const bs = vectors === 1 ? [k] : [...own(keepB), k, n];
        const make = (s: number[]) =>
          tensor(
            Float64Array.from({ length: s.reduce((x, y) => x * y, 1) }, () => rng.normal(0, 1)),
            {
              shape: s,
              dtype: f32 ? 'float32' : 'float64',
            },
          );
        const [a, b] = [make(as), make(bs)];
        const out = matmul(a, b);
        const want = reference(a, b);
        assert.deepEqual(out.shape, want.shape);
        const tol = f32 ? 1e-5 : 1e-12;
        want.data.forEach((w, i) =>
          assert.ok(
            Math.abs(out.data[i]! - w) <= tol * Math.max(1, Math.abs(w)),
            `${i}: ${out.data[i]} vs ${w}`,
          ),
        );
      },
    ),
    { numRuns: 150 },
  );
});
