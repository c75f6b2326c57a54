import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Rng } from '../../src/core/random.js';
import { stridesOf } from '../../src/core/shape.js';
import {
  gather,
  gatherStrided,
  scatterAdd,
  scatterAddStrided,
  scatterMax,
  scatterMaxStrided,
  stridedOffsets,
} from '../../src/kernels/strided.js';

// The run-by-run strided kernels against the offset-table ones they replace, on random
// transposes, broadcasts and reductions: the same numbers (float64 bit for bit), same winners.

/** A shape, and strides into a source: a permutation of its own strides with some axes at 0. */
const layoutArb = fc
  .array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 4 })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      order: fc.shuffledSubarray(
        shape.map((_, i) => i),
        { minLength: shape.length, maxLength: shape.length },
      ),
      zero: fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
      seed: fc.integer(),
    }),
  )
  .map(({ shape, order, zero, seed }) => {
    // The source is laid out in `order`; broadcast axes (stride 0) are left out of it.
    const kept = order.filter((a) => !zero[a]);
    const srcStrides = stridesOf(kept.map((a) => shape[a]!));
    const strides = shape.map((_, a) => (zero[a] ? 0 : srcStrides[kept.indexOf(a)]!));
    const srcSize = kept.reduce((n, a) => n * shape[a]!, 1);
    return { shape, strides, srcSize, seed };
  });

const randomData = (n: number, seed: number) => {
  const rng = new Rng(seed);
  // Few distinct values, so max sees ties.
  return Float64Array.from({ length: n }, () => Math.round(rng.normal(0, 2)));
};
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

test('gatherStrided equals gather through an offset table', () => {
  fc.assert(
    fc.property(layoutArb, ({ shape, strides, srcSize, seed }) => {
      const src = randomData(srcSize, seed);
      const want = gather(src, stridedOffsets(shape, strides), new Float64Array(size(shape)));
      assert.deepEqual(gatherStrided(src, shape, strides, new Float64Array(size(shape))), want);
    }),
    { numRuns: 300 },
  );
});

test('scatterAddStrided equals scatterAdd through an offset table (float64, bit for bit)', () => {
  fc.assert(
    fc.property(layoutArb, ({ shape, strides, srcSize, seed }) => {
      const src = randomData(size(shape), seed).map((v) => v / 3);
      const offsets = stridedOffsets(shape, strides);
      const want = scatterAdd(src, offsets, new Float64Array(srcSize).fill(0.5));
      const got = scatterAddStrided(src, shape, strides, new Float64Array(srcSize).fill(0.5));
      assert.deepEqual(got, want);
    }),
    { numRuns: 300 },
  );
});

test('scatterMaxStrided equals scatterMax, winners included (ties to the first, NaN wins)', () => {
  fc.assert(
    fc.property(layoutArb, fc.boolean(), ({ shape, strides, srcSize, seed }, withNaN) => {
      const src = randomData(size(shape), seed);
      if (withNaN && src.length > 2) src[src.length >> 1] = NaN;
      const [want, wantWinner] = [new Float64Array(srcSize), new Int32Array(srcSize)];
      scatterMax(src, stridedOffsets(shape, strides), want, wantWinner);
      const [got, gotWinner] = [new Float64Array(srcSize), new Int32Array(srcSize)];
      scatterMaxStrided(src, shape, strides, got, gotWinner);
      assert.deepEqual(got, want);
      assert.deepEqual(gotWinner, wantWinner);
    }),
    { numRuns: 300 },
  );
});
