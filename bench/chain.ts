import { gradients, tanh, tensor, value, type Value } from '../dist/index.js';
import { fmtMb, fmtMs } from './timing.js';

/** Forward and backward through a chain of 1,000,000 tanh ops, on both paths. */
export function benchMillionChain(): void {
  const n = 1_000_000;
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let t0 = performance.now();
  const x = tensor(0.5, { requiresGrad: true });
  let y = x;
  for (let i = 0; i < n; i++) y = tanh(y);
  const forward = performance.now() - t0;
  const heap = process.memoryUsage().heapUsed - heap0;
  t0 = performance.now();
  const g = gradients(y).get(x)!.item();
  const backward = performance.now() - t0;
  console.log(
    `tensor path, 1M-op chain: forward ${fmtMs(forward)}, backward ${fmtMs(backward)}, ` +
      `graph ≈ ${fmtMb(heap)} of heap (dx = ${g.toExponential(3)})`,
  );

  global.gc?.();
  const heap1 = process.memoryUsage().heapUsed;
  t0 = performance.now();
  const v = value(0.5);
  let w: Value = v;
  for (let i = 0; i < n; i++) w = w.tanh();
  const vForward = performance.now() - t0;
  const vHeap = process.memoryUsage().heapUsed - heap1;
  t0 = performance.now();
  w.backward();
  const vBackward = performance.now() - t0;
  console.log(
    `scalar path, 1M-op chain: forward ${fmtMs(vForward)}, backward ${fmtMs(vBackward)}, ` +
      `graph ≈ ${fmtMb(vHeap)} of heap (dx = ${v.grad.toExponential(3)})`,
  );
}
