import type { GemmOptions } from '../gemm.js';
import type { Data } from '../types.js';
import type { Wasm } from './runtime.js';

const ONE = new Int32Array(1);

/**
 * gemm on the WebAssembly kernels: float32 operands in float32 (f32x4), anything else in
 * float64 (f64x2). The operands are copied into the module's memory and C is copied back.
 * Returns false (nothing done) when the memory cannot hold them.
 */
export function gemmWasm(
  w: Wasm,
  a: Data,
  b: Data,
  c: Data,
  m: number,
  k: number,
  n: number,
  options: GemmOptions = {},
): boolean {
  const { transA = false, transB = false, accumulate = false } = options;
  const { aOffsets = ONE, bOffsets = ONE } = options;
  const single =
    a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array;
  const size = single ? 4 : 8;
  const { arena, exports } = w;
  arena.reset();
  const pa = arena.alloc(a.length * size);
  const pb = arena.alloc(b.length * size);
  const pc = arena.alloc(c.length * size);
  const pack = arena.alloc(exports.gemmScratch(size));
  if (pack < 0 || pa < 0 || pb < 0 || pc < 0) return false;
  const view = single ? arena.f32 : arena.f64;
  view.set(a, pa / size);
  view.set(b, pb / size);
  if (accumulate) view.set(c, pc / size);
  const run = single ? exports.gemmF32 : exports.gemmF64;
  for (let t = 0; t < aOffsets.length; t++) {
    const at = pa + aOffsets[t]! * size;
    const bt = pb + bOffsets[t]! * size;
    run(at, bt, pc + t * m * n * size, m, k, n, transA, transB, 0, m, pack, accumulate);
  }
  c.set(view.subarray(pc / size, pc / size + c.length));
  return true;
}
