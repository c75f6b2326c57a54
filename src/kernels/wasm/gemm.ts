import type { GemmOptions } from '../gemm.js';
import { runTask, threadCount } from '../threads/pool.js';
import type { Data } from '../types.js';
import type { Arena, Wasm } from './runtime.js';

const ONE = new Int32Array(1);

/** Products with fewer multiply-adds than this run on one thread (waking others costs more). */
const PARALLEL_MIN = 1 << 20;
/** Register tile height: a block of rows is a multiple of it. */
const TILE_ROWS = 5;

/** Copies `data` into the arena as `size`-byte floats; -1 when it does not fit. */
export function putFloats(arena: Arena, size: number, data: Data): number {
  const p = arena.alloc(data.length * size);
  if (p >= 0) (size === 4 ? arena.f32 : arena.f64).set(data, p / size);
  return p;
}

/** Lays out i32 values in the arena (a task's operands and sizes); -1 when it does not fit. */
export function putInts(arena: Arena, values: ArrayLike<number>): number {
  const p = arena.alloc(values.length * 4);
  if (p >= 0) arena.i32.set(values, p / 4);
  return p;
}

/**
 * gemm on the WebAssembly kernels: float32 operands in float32 (f32x4), anything else in
 * float64 (f64x2). The operands are copied into the module's memory and C is copied back; large
 * products are split by blocks of rows over the worker threads (each element of C is computed
 * by one thread, in the same order: the result does not depend on the number of threads).
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
  const batch = aOffsets.length;
  const single =
    a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array;
  const size = single ? 4 : 8;
  const threads = m * k * n * batch >= PARALLEL_MIN ? threadCount(w) : 1;
  // Rows per item: whole products on one thread; else one block of rows per thread (each
  // thread packs all of B for its block, so more blocks would pack B more often).
  const blocks = threads > 1 ? Math.ceil(threads / batch) : 1;
  const rows = Math.max(TILE_ROWS, Math.ceil(m / blocks / TILE_ROWS) * TILE_ROWS);
  const perProduct = Math.max(1, Math.ceil(m / rows));
  const { arena, exports } = w;
  arena.reset();
  const pa = putFloats(arena, size, a);
  const pb = putFloats(arena, size, b);
  const pc = accumulate ? putFloats(arena, size, c) : arena.alloc(c.length * size);
  const offsets = [putInts(arena, aOffsets), putInts(arena, bOffsets)] as const;
  const flags = (transA ? 1 : 0) | (transB ? 2 : 0) | (accumulate ? 4 : 0);
  const args = putInts(arena, [pa, pb, pc, m, k, n, flags, rows, perProduct, ...offsets]);
  const scratchBytes = exports.gemmScratch(size);
  const scratch = arena.alloc(threads * scratchBytes);
  if ([pa, pb, pc, ...offsets, args, scratch].some((p) => p < 0)) return false;
  const task = single ? 'gemmTaskF32' : 'gemmTaskF64';
  runTask(w, task, args, batch * perProduct, 1, scratch, scratchBytes, threads);
  c.set((single ? arena.f32 : arena.f64).subarray(pc / size, pc / size + c.length));
  return true;
}
