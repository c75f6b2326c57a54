import type { ConvGeometry, ConvGradients } from '../im2col.js';
import { runTask, threadCount } from '../threads/pool.js';
import type { Data } from '../types.js';
import { putFloats, putInts } from './gemm.js';
import type { Arena, Wasm } from './runtime.js';

// The convolution on the WebAssembly kernels: images, filters and results are copied into the
// module's memory once, and the whole loop — im2col, gemm, bias, col2im — runs there. Images go
// by groups whose columns sit side by side, so that each group is one wide product (a product
// per image is too narrow to keep the gemm busy: 8 filters × 25 weights on MNIST). The forward
// pass and dx are split over threads by groups of images; dW lays out the windows of a slice of
// the batch as rows (split by images), then runs one product whose depth is the slice (split by
// filters). Every number is summed by one thread in the order of im2col.ts, whatever the
// number of threads.

/** Convolutions with fewer multiply-adds than this run on one thread. */
const PARALLEL_MIN = 1 << 20;

/** Float32 when every array is, else float64 (mixed inputs are widened while copied in). */
function elementBytes(arrays: readonly (Data | null)[]): 4 | 8 {
  return arrays.every((a) => a === null || a instanceof Float32Array) ? 4 : 8;
}

function geometryInts(g: ConvGeometry): number[] {
  return [
    g.n,
    g.c,
    g.h,
    g.w,
    g.f,
    g.hh,
    g.ww,
    g.strideH,
    g.strideW,
    g.padH,
    g.padW,
    g.outH,
    g.outW,
  ];
}

function multiplyAdds(g: ConvGeometry): number {
  return g.n * g.f * g.c * g.hh * g.ww * g.outH * g.outW;
}

/** Copies `data` in, or reserves room for `length` zeros (null data); 0 for no array at all. */
function put(arena: Arena, size: number, data: Data | null, zeros = 0): number {
  if (data) return putFloats(arena, size, data);
  if (zeros === 0) return 0;
  const p = arena.alloc(zeros * size);
  if (p >= 0) (size === 4 ? arena.f32 : arena.f64).fill(0, p / size, p / size + zeros);
  return p;
}

function copyOut(arena: Arena, size: number, p: number, out: Data): void {
  const view = size === 4 ? arena.f32 : arena.f64;
  out.set(view.subarray(p / size, p / size + out.length));
}

/** How images are grouped (tests shrink these to exercise many groups and slices). */
export const convTuning = {
  /** A group of images is one product at least this many columns (output positions) wide. */
  groupColumns: 1024,
  /** dW lays out the windows of a slice of the batch at once, in at most this many bytes. */
  sliceBytes: 32 << 20,
};

/** Images per group: enough for a wide product, at most the batch. */
function groupOf(g: ConvGeometry): number {
  return Math.min(g.n, Math.max(1, Math.ceil(convTuning.groupColumns / (g.outH * g.outW))));
}

/** Per-thread scratch for this geometry, and the block of all of it; -1 when it does not fit. */
function scratchFor(
  w: Wasm,
  geometry: number,
  size: number,
  group: number,
  threads: number,
): [number, number] {
  const bytes = w.exports.convScratch(geometry, size, group);
  return [w.arena.alloc(threads * bytes), bytes];
}

/** conv2dForward in WebAssembly; false (nothing done) when the memory cannot hold it. */
export function conv2dForwardWasm(
  w: Wasm,
  x: Data,
  weights: Data,
  bias: Data | null,
  g: ConvGeometry,
  out: Data,
): boolean {
  const size = elementBytes([x, weights, bias, out]);
  const group = groupOf(g);
  const groups = Math.ceil(g.n / group);
  const threads = multiplyAdds(g) >= PARALLEL_MIN ? Math.min(threadCount(w), groups) : 1;
  const { arena } = w;
  arena.reset();
  const ptrs = [
    put(arena, size, x),
    put(arena, size, weights),
    put(arena, size, bias),
    arena.alloc(out.length * size),
    putInts(arena, geometryInts(g)),
  ];
  const [px, pw, pb, pout, pg] = ptrs as [number, number, number, number, number];
  const args = putInts(arena, [px, pw, pb, pout, 0, 0, 0, pg, group, 0, 0, 0, 0]);
  const [scratch, scratchBytes] = scratchFor(w, pg, size, group, threads);
  if ([...ptrs, args, scratch].some((p) => p < 0)) return false;
  const task = size === 4 ? 'convForwardF32' : 'convForwardF64';
  runTask(w, task, args, groups, 1, scratch, scratchBytes, threads);
  copyOut(arena, size, pout, out);
  return true;
}

/** conv2dBackward in WebAssembly; false (nothing done) when the memory cannot hold it. */
export function conv2dBackwardWasm(
  w: Wasm,
  x: Data,
  weights: Data,
  dout: Data,
  g: ConvGeometry,
  grads: ConvGradients,
): boolean {
  const { dx, dw, db } = grads;
  const size = elementBytes([x, weights, dout, dx, dw, db]);
  const threads = multiplyAdds(g) >= PARALLEL_MIN ? threadCount(w) : 1;
  const group = groupOf(g);
  const groups = Math.ceil(g.n / group);
  const k = g.c * g.hh * g.ww;
  const positions = g.outH * g.outW;
  // dW's windows, a slice of the batch at a time.
  const slice = dw
    ? Math.max(1, Math.min(g.n, Math.floor(convTuning.sliceBytes / (k * positions * size))))
    : g.n;
  const { arena } = w;
  arena.reset();
  // The gradients are summed from zero (the op passes zeroed buffers; they are overwritten).
  const ptrs = [
    put(arena, size, x),
    put(arena, size, weights),
    put(arena, size, dout),
    put(arena, size, null, dx?.length),
    put(arena, size, null, dw?.length),
    put(arena, size, null, db?.length),
    putInts(arena, geometryInts(g)),
    dw ? arena.alloc(k * slice * positions * size) : 0,
    dw ? arena.alloc(g.f * slice * positions * size) : 0,
  ];
  const [px, pw, pd, pdx, pdw, pdb, pg, pcols, prows] = ptrs;
  const fields = [px!, pw!, 0, pd!, pdx!, pdw!, pdb!, pg!, group, pcols!, prows!];
  const args = putInts(arena, [...fields, 0, 0]);
  const [scratch, scratchBytes] = scratchFor(w, pg!, size, group, threads);
  if ([...ptrs, args, scratch].some((p) => p < 0)) return false;
  const f32 = size === 4;
  if (dx) {
    const t = Math.min(threads, groups);
    const task = f32 ? 'convBackwardDataF32' : 'convBackwardDataF64';
    runTask(w, task, args, groups, 1, scratch, scratchBytes, t);
    copyOut(arena, size, pdx!, dx);
  }
  if (dw || db) {
    // By blocks of filters (whole register tiles of 4 rows where there are enough).
    const t = Math.min(threads, Math.ceil(g.f / 4));
    const perChunk = Math.ceil(g.f / t / 4) * 4;
    for (let start = 0; start < g.n; start += slice) {
      const count = Math.min(slice, g.n - start);
      arena.i32.set([start, count], args / 4 + fields.length);
      if (dw) {
        const task = f32 ? 'convFilterColumnsF32' : 'convFilterColumnsF64';
        const tc = Math.min(threads, count);
        runTask(w, task, args, count, Math.ceil(count / (2 * tc)), scratch, scratchBytes, tc);
      }
      const task = f32 ? 'convBackwardFilterF32' : 'convBackwardFilterF64';
      runTask(w, task, args, g.f, perChunk, scratch, scratchBytes, t);
    }
    if (dw) copyOut(arena, size, pdw!, dw);
    if (db) copyOut(arena, size, pdb!, db);
  }
  return true;
}
