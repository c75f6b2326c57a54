import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Rng } from '../../src/core/random.js';
import { configureKernels } from '../../src/core/kernels.js';
import {
  conv2dBackward,
  conv2dForward,
  slidingOutput,
  type ConvGeometry,
} from '../../src/kernels/im2col.js';
import type { Data } from '../../src/kernels/types.js';
import { convTuning } from '../../src/kernels/wasm/conv.js';

// The convolution kernels on WebAssembly against the TypeScript ones (the reference): float64
// bit for bit, since both run the same im2col, gemm and col2im steps in the same order; float32
// within float32 rounding.

const geometryArb = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    c: fc.integer({ min: 1, max: 4 }),
    h: fc.integer({ min: 1, max: 9 }),
    w: fc.integer({ min: 1, max: 9 }),
    f: fc.integer({ min: 1, max: 9 }),
    hh: fc.integer({ min: 1, max: 4 }),
    ww: fc.integer({ min: 1, max: 4 }),
    strideH: fc.integer({ min: 1, max: 3 }),
    strideW: fc.integer({ min: 1, max: 3 }),
    padH: fc.integer({ min: 0, max: 2 }),
    padW: fc.integer({ min: 0, max: 2 }),
  })
  .map((g) => ({
    ...g,
    outH: slidingOutput(g.h, g.hh, g.strideH, g.padH),
    outW: slidingOutput(g.w, g.ww, g.strideW, g.padW),
  }))
  .filter((g) => g.outH >= 1 && g.outW >= 1);

function random(rng: Rng, n: number, f32: boolean): Data {
  const out = f32 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal(0, 1);
  return out;
}

/** Forward and all three gradients with the kernels chosen by `wasm`. */
function run(g: ConvGeometry, f32: boolean, seed: number, wasm: boolean): Data[] {
  const rng = new Rng(seed);
  const k = g.c * g.hh * g.ww;
  const x = random(rng, g.n * g.c * g.h * g.w, f32);
  const weights = random(rng, g.f * k, f32);
  const bias = random(rng, g.f, f32);
  const dout = random(rng, g.n * g.f * g.outH * g.outW, f32);
  const zeros = (length: number) => (f32 ? new Float32Array(length) : new Float64Array(length));
  const before = configureKernels({ wasm });
  try {
    const out = conv2dForward(x, weights, bias, g, zeros(dout.length));
    const grads = conv2dBackward(x, weights, dout, g, {
      dx: zeros(x.length),
      dw: zeros(weights.length),
      db: zeros(g.f),
    });
    return [out, grads.dx!, grads.dw!, grads.db!];
  } finally {
    configureKernels(before);
  }
}

test('conv2d forward and backward on WebAssembly, float64: equal to TypeScript bit for bit', () => {
  fc.assert(
    fc.property(geometryArb, fc.integer(), (g, seed) => {
      assert.deepEqual(run(g, false, seed, true), run(g, false, seed, false), JSON.stringify(g));
    }),
    { numRuns: 80 },
  );
});

test('conv2d on WebAssembly by groups of images and slices of the batch: still bit for bit', () => {
  // Groups of one to a few images, dW's columns a slice of one to a few images at a time: the
  // sums must keep the reference's order across groups and slices.
  const before = { ...convTuning };
  try {
    fc.assert(
      fc.property(
        geometryArb.map((g) => ({ ...g, n: g.n + 2 })),
        fc.integer(),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 6000 }),
        (g, seed, groupColumns, sliceBytes) => {
          Object.assign(convTuning, { groupColumns, sliceBytes });
          assert.deepEqual(run(g, false, seed, true), run(g, false, seed, false));
        },
      ),
      { numRuns: 60 },
    );
  } finally {
    Object.assign(convTuning, before);
  }
});

test('conv2d forward and backward on WebAssembly, float32: within float32 rounding', () => {
  fc.assert(
    fc.property(geometryArb, fc.integer(), (g, seed) => {
      const wasm = run(g, true, seed, true);
      const js = run(g, true, seed, false);
      wasm.forEach((a, i) => {
        const b = js[i]!;
        const scale = Math.max(1, ...Array.from(b, Math.abs));
        // Sums of at most a few hundred products of N(0,1) numbers, in float32.
        a.forEach((v, j) => assert.ok(Math.abs(v - b[j]!) <= 1e-4 * scale, `${i}[${j}]`));
      });
    }),
    { numRuns: 40 },
  );
});

test('conv2d skips the gradients nobody asked for', () => {
  const g = { n: 2, c: 3, h: 5, w: 5, f: 4, hh: 3, ww: 3, strideH: 1, strideW: 1 };
  const geometry = { ...g, padH: 1, padW: 1, outH: 5, outW: 5 };
  const rng = new Rng(2);
  const x = random(rng, 150, false);
  const w = random(rng, 108, false);
  const dout = random(rng, 200, false);
  const dw = new Float64Array(108);
  const grads = conv2dBackward(x, w, dout, geometry, { dx: null, dw, db: null });
  assert.equal(grads.dx, null);
  assert.ok(dw.some((v) => v !== 0));
});
