import type { ConvGeometry, ConvGradients } from '../im2col.js';
import type { Data } from '../types.js';
import type { Arena, Wasm } from './runtime.js';

// The convolution on the WebAssembly kernels: the images, filters and results are copied into
// the module's memory once, and the whole loop — im2col, gemm, bias, col2im — runs there.

/** Float32 when every array is, else float64 (mixed inputs are widened while copied in). */
function elementBytes(arrays: readonly (Data | null)[]): 4 | 8 {
  return arrays.every((a) => a === null || a instanceof Float32Array) ? 4 : 8;
}

/** Lays out the geometry as 13 i32 (the order assembly/conv.ts reads). */
function putGeometry(arena: Arena, g: ConvGeometry): number {
  const p = arena.alloc(13 * 4);
  if (p >= 0) {
    const fields = [g.n, g.c, g.h, g.w, g.f, g.hh, g.ww, g.strideH, g.strideW, g.padH, g.padW];
    arena.i32.set([...fields, g.outH, g.outW], p / 4);
  }
  return p;
}

/** Copies `data` in (or reserves zeroed room for `length` elements); -1 when it does not fit. */
function put(arena: Arena, size: number, data: Data | null, length = data?.length ?? 0): number {
  const p = arena.alloc(length * size);
  if (p < 0) return -1;
  const view = size === 4 ? arena.f32 : arena.f64;
  if (data) view.set(data, p / size);
  else view.fill(0, p / size, p / size + length);
  return p;
}

function copyOut(arena: Arena, size: number, p: number, out: Data): void {
  const view = size === 4 ? arena.f32 : arena.f64;
  out.set(view.subarray(p / size, p / size + out.length));
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
  const { arena, exports } = w;
  arena.reset();
  const colsLength = g.c * g.hh * g.ww * g.outH * g.outW;
  const ptrs = [
    put(arena, size, x),
    put(arena, size, weights),
    bias ? put(arena, size, bias) : 0,
    arena.alloc(out.length * size),
    putGeometry(arena, g),
    arena.alloc(colsLength * size),
    arena.alloc(exports.gemmScratch(size)),
  ];
  if (ptrs.some((p) => p < 0)) return false;
  const [px, pw, pb, pout, pg, pcols, pack] = ptrs as [number, ...number[]];
  const run = size === 4 ? exports.convForwardF32 : exports.convForwardF64;
  run(px, pw!, pb!, pout!, pg!, 0, g.n, pcols!, pack!);
  copyOut(arena, size, pout!, out);
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
  const { arena, exports } = w;
  arena.reset();
  const colsLength = g.c * g.hh * g.ww * g.outH * g.outW;
  // The gradients start from the buffers' contents (zeros, as the op passes them).
  const ptrs = [
    put(arena, size, x),
    put(arena, size, weights),
    put(arena, size, dout),
    dx ? put(arena, size, dx) : 0,
    dw ? put(arena, size, dw) : 0,
    db ? put(arena, size, db) : 0,
    putGeometry(arena, g),
    arena.alloc(colsLength * size),
    arena.alloc(exports.gemmScratch(size)),
  ];
  if (ptrs.some((p) => p < 0)) return false;
  const [px, pw, pd, pdx, pdw, pdb, pg, pcols, pack] = ptrs as [number, ...number[]];
  const run = size === 4 ? exports.convBackwardF32 : exports.convBackwardF64;
  run(px, pw!, pd!, pdx!, pdw!, pdb!, pg!, 0, g.n, pcols!, pack!);
  if (dx) copyOut(arena, size, pdx!, dx);
  if (dw) copyOut(arena, size, pdw!, dw);
  if (db) copyOut(arena, size, pdb!, db);
  return true;
}
