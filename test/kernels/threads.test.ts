import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Rng } from '../../src/core/random.js';
import { configureKernels } from '../../src/core/kernels.js';
import { gemmJs } from '../../src/kernels/gemm.js';
import { conv2dBackward, conv2dForward } from '../../src/kernels/im2col.js';
import { poolStats } from '../../src/kernels/threads/pool.js';
import { gemmWasm } from '../../src/kernels/wasm/gemm.js';
import { wasmKernels } from '../../src/kernels/wasm/runtime.js';

// The worker pool: large products and convolutions split over threads give exactly the numbers
// of one thread (each element is summed by one thread, in the same order), the workers really
// take part, and a program that used them still exits on its own.

const random = (rng: Rng, n: number) => Float64Array.from({ length: n }, () => rng.normal(0, 1));

/**
 * Runs f with this many threads, the kernels' memory first filled with NaN: a row nobody
 * computed must not pass for the same row left there by the run before.
 */
function withThreads<T>(threads: number, f: () => T): T {
  new Float64Array(wasmKernels()!.memory.buffer).fill(NaN, 1024 / 8);
  const before = configureKernels({ threads });
  try {
    return f();
  } finally {
    configureKernels(before);
  }
}

test('a large gemm on 2 and 3 threads equals one thread and the TypeScript kernel, bit for bit', async () => {
  const w = wasmKernels()!;
  const rng = new Rng(4);
  const [m, k, n] = [203, 150, 97];
  const a = random(rng, m * k);
  const b = random(rng, n * k);
  const run = (threads: number) =>
    withThreads(threads, () => {
      const c = new Float64Array(m * n);
      assert.ok(gemmWasm(w, a, b, c, m, k, n, { transB: true }));
      return c;
    });
  const one = run(1);
  assert.deepEqual(one, gemmJs(a, b, new Float64Array(m * n), m, k, n, { transB: true }));
  const before = poolStats().chunksByWorkers;
  for (let attempt = 0; attempt < 50 && poolStats().chunksByWorkers === before; attempt++) {
    assert.deepEqual(run(2), one);
    assert.deepEqual(run(3), one);
    await sleep(20); // lets the workers start (they boot on the event loop)
  }
  assert.ok(poolStats().workers >= 1);
  assert.ok(poolStats().chunksByWorkers > before, 'the workers ran part of a job');
});

test('a large convolution on 2 threads equals one thread, forward and both gradients', () => {
  const rng = new Rng(8);
  // 8·16·27·32·15 ≈ 1.7M multiply-adds: above the threshold for sharing the work.
  const g = { n: 8, c: 3, h: 32, w: 30, f: 16, hh: 3, ww: 3, strideH: 1, strideW: 2 };
  const geometry = { ...g, padH: 1, padW: 1, outH: 32, outW: 15 };
  const k = g.c * g.hh * g.ww;
  const x = random(rng, g.n * g.c * g.h * g.w);
  const weights = random(rng, g.f * k);
  const dout = random(rng, g.n * g.f * 32 * 15);
  const convolve = () => {
    const out = conv2dForward(x, weights, null, geometry, new Float64Array(dout.length));
    const grads = conv2dBackward(x, weights, dout, geometry, {
      dx: new Float64Array(x.length),
      dw: new Float64Array(weights.length),
      db: new Float64Array(g.f),
    });
    return [out, grads.dx, grads.dw, grads.db];
  };
  const one = withThreads(1, convolve);
  assert.deepEqual(withThreads(2, convolve), one);
  const reference = configureKernels({ wasm: false });
  try {
    assert.deepEqual(convolve(), one, 'the TypeScript kernels give the same numbers');
  } finally {
    configureKernels(reference);
  }
});

test('a program that used the worker pool exits by itself', () => {
  const script = `
    import { configureKernels, matmul, tensor } from './src/index.ts';
    configureKernels({ threads: 2 });
    const a = tensor(new Float32Array(300 * 300).fill(1), { shape: [300, 300] });
    for (let i = 0; i < 3; i++) matmul(a, a);
    await new Promise((r) => setTimeout(r, 100));
    console.log(matmul(a, a).data[0]);
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: new URL('../..', import.meta.url),
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.error, undefined, 'it did not hang');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '300');
});
