import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Rng } from '../../src/core/random.js';
import { gemmJs } from '../../src/kernels/gemm.js';
import { gemmWasm } from '../../src/kernels/wasm/gemm.js';
import { instantiateKernels, wasmKernels, type Wasm } from '../../src/kernels/wasm/runtime.js';
import { configureKernels } from '../../src/core/kernels.js';
import { matmul, tensor } from '../../src/index.js';

// The WebAssembly gemm against the TypeScript reference: float64 bit for bit (both add the
// products of each element in the same order, without fused multiply-adds), float32 within the
// error bound of float32 accumulation, on shapes that cross every tile and block edge.

const wasm = (): Wasm => {
  const w = wasmKernels();
  assert.ok(w, 'the WebAssembly kernels load in Node');
  return w;
};

function random(rng: Rng, n: number, f32: boolean): Float64Array | Float32Array {
  const out = f32 ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal(0, 1);
  return out;
}

interface Case {
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  batch: number;
}

const caseArb = fc.record({
  m: fc.integer({ min: 1, max: 40 }),
  // Depths past 256 cross a packed slice, where the tile reloads C.
  k: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 250, max: 530 })),
  n: fc.integer({ min: 1, max: 40 }),
  transA: fc.boolean(),
  transB: fc.boolean(),
  batch: fc.integer({ min: 1, max: 3 }),
});

/** Runs both kernels on the same operands; batch products read A and B at broadcast offsets. */
function both(c: Case, f32: { a: boolean; b: boolean; c: boolean }, seed: number, w = wasm()) {
  const rng = new Rng(seed);
  const a = random(rng, c.batch * c.m * c.k, f32.a);
  const b = random(rng, c.k * c.n, f32.b); // one B shared by every product: broadcasting
  const aOffsets = Int32Array.from({ length: c.batch }, (_, t) => t * c.m * c.k);
  const bOffsets = new Int32Array(c.batch);
  const options = { transA: c.transA, transB: c.transB, aOffsets, bOffsets };
  const size = c.batch * c.m * c.n;
  const ref = gemmJs(
    a,
    b,
    f32.c ? new Float32Array(size) : new Float64Array(size),
    c.m,
    c.k,
    c.n,
    options,
  );
  const out = f32.c ? new Float32Array(size).fill(NaN) : new Float64Array(size).fill(NaN);
  assert.ok(gemmWasm(w, a, b, out, c.m, c.k, c.n, options));
  return { a, b, ref, out };
}

test('WebAssembly gemm, float64: equal to the TypeScript kernel bit for bit', () => {
  fc.assert(
    fc.property(caseArb, fc.integer(), (c, seed) => {
      const { ref, out } = both(c, { a: false, b: false, c: false }, seed);
      assert.deepEqual(out, ref, JSON.stringify(c));
    }),
    { numRuns: 120 },
  );
});

test('WebAssembly gemm, float32 × float64: computed in float64, equal bit for bit', () => {
  fc.assert(
    fc.property(caseArb, fc.integer(), (c, seed) => {
      const { ref, out } = both(c, { a: true, b: false, c: false }, seed);
      assert.deepEqual(out, ref, JSON.stringify(c));
    }),
    { numRuns: 40 },
  );
});

test('WebAssembly gemm, float32: within the error bound of float32 accumulation', () => {
  fc.assert(
    fc.property(caseArb, fc.integer(), (c, seed) => {
      const { a, b, ref, out } = both(c, { a: true, b: true, c: true }, seed);
      // |error| ≤ (k + 1)·2⁻²⁴·Σ_p |a_ip·b_pj| for sequential float32 sums (plus the rounding of
      // the float64 reference): bound each element by its own sum of magnitudes.
      for (let t = 0; t < c.batch; t++) {
        for (let i = 0; i < c.m; i++) {
          for (let j = 0; j < c.n; j++) {
            let magnitude = 0;
            for (let p = 0; p < c.k; p++) {
              const x = c.transA
                ? a[t * c.m * c.k + p * c.m + i]!
                : a[t * c.m * c.k + i * c.k + p]!;
              const y = c.transB ? b[j * c.k + p]! : b[p * c.n + j]!;
              magnitude += Math.abs(x * y);
            }
            const o = t * c.m * c.n + i * c.n + j;
            const bound = (c.k + 2) * 2 ** -24 * magnitude + 1e-30;
            assert.ok(
              Math.abs(out[o]! - ref[o]!) <= bound,
              `${JSON.stringify(c)} [${t},${i},${j}]`,
            );
          }
        }
      }
    }),
    { numRuns: 60 },
  );
});

test('WebAssembly gemm: wide products cross the packed panel of B (n > 2048)', () => {
  const c = { m: 5, k: 3, n: 2100, transA: false, transB: true, batch: 1 };
  const { ref, out } = both(c, { a: false, b: false, c: false }, 11);
  assert.deepEqual(out, ref);
});

test('WebAssembly gemm: zero depth gives zeros', () => {
  const { ref, out } = both(
    { m: 7, k: 0, n: 9, transA: false, transB: false, batch: 2 },
    { a: true, b: true, c: true },
    1,
  );
  assert.deepEqual(out, ref);
  assert.ok(out.every((v) => v === 0));
});

test('the kernels also run on a memory that is not shared (a page without cross-origin isolation)', () => {
  const w = instantiateKernels(false);
  assert.ok(w && !w.shared);
  assert.ok(!(w.memory.buffer instanceof SharedArrayBuffer));
  const { ref, out } = both(
    { m: 9, k: 300, n: 13, transA: true, transB: false, batch: 1 },
    { a: false, b: false, c: false },
    3,
    w,
  );
  assert.deepEqual(out, ref);
});

test('matmul gives the same float64 numbers with and without the WebAssembly kernels', () => {
  const rng = new Rng(5);
  const a = tensor(random(rng, 3 * 70 * 90, false), { shape: [3, 70, 90] });
  const b = tensor(random(rng, 90 * 50, false), { shape: [90, 50] });
  const before = configureKernels({ wasm: false });
  try {
    const js = matmul(a, b).data;
    configureKernels({ wasm: true });
    assert.deepEqual(matmul(a, b).data, js);
  } finally {
    configureKernels(before);
  }
});

test('WebAssembly gemm, float64: NaN, ±∞, −0 and subnormals come out as in TypeScript', () => {
  const special = [NaN, Infinity, -Infinity, -0, 0, 5e-324, -1e-310, 1e308, -1e308, 1, -2.5];
  const rng = new Rng(9);
  const pick = (n: number) =>
    Float64Array.from({ length: n }, () => special[Math.floor(rng.uniform(0, special.length))]!);
  for (const [transA, transB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    const [m, k, n] = [9, 13, 11];
    const a = pick(m * k);
    const b = pick(k * n);
    const options = { transA, transB };
    const want = gemmJs(a, b, new Float64Array(m * n), m, k, n, options);
    const got = new Float64Array(m * n);
    assert.ok(gemmWasm(wasm(), a, b, got, m, k, n, options));
    want.forEach((v, i) => assert.ok(Object.is(got[i], v), `[${i}]: ${got[i]} vs ${v}`));
  }
});
