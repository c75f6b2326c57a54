// The WebAssembly kernels' entry points: one export per kernel and element type. Pointers are
// byte offsets into the (imported) linear memory; JavaScript lays out the operands.
import { convBackward, convForward } from './conv';
import { gemm } from './gemm';

export { gemmScratch } from './gemm';

export function gemmF32(
  a: usize,
  b: usize,
  c: usize,
  m: i32,
  k: i32,
  n: i32,
  transA: bool,
  transB: bool,
  i0: i32,
  i1: i32,
  pack: usize,
  accumulate: bool,
): void {
  gemm<f32>(a, b, c, m, k, n, transA, transB, i0, i1, pack, accumulate);
}

export function gemmF64(
  a: usize,
  b: usize,
  c: usize,
  m: i32,
  k: i32,
  n: i32,
  transA: bool,
  transB: bool,
  i0: i32,
  i1: i32,
  pack: usize,
  accumulate: bool,
): void {
  gemm<f64>(a, b, c, m, k, n, transA, transB, i0, i1, pack, accumulate);
}

/** Where the module's own static data ends: JavaScript lays out operands above it. */
export function heapBase(): usize {
  return __heap_base;
}

export function convForwardF32(
  x: usize,
  w: usize,
  bias: usize,
  out: usize,
  g: usize,
  n0: i32,
  n1: i32,
  cols: usize,
  pack: usize,
): void {
  convForward<f32>(x, w, bias, out, g, n0, n1, cols, pack);
}

export function convBackwardF32(
  x: usize,
  w: usize,
  dout: usize,
  dx: usize,
  dw: usize,
  db: usize,
  g: usize,
  n0: i32,
  n1: i32,
  cols: usize,
  pack: usize,
): void {
  convBackward<f32>(x, w, dout, dx, dw, db, g, n0, n1, cols, pack);
}

export function convForwardF64(
  x: usize,
  w: usize,
  bias: usize,
  out: usize,
  g: usize,
  n0: i32,
  n1: i32,
  cols: usize,
  pack: usize,
): void {
  convForward<f64>(x, w, bias, out, g, n0, n1, cols, pack);
}

export function convBackwardF64(
  x: usize,
  w: usize,
  dout: usize,
  dx: usize,
  dw: usize,
  db: usize,
  g: usize,
  n0: i32,
  n1: i32,
  cols: usize,
  pack: usize,
): void {
  convBackward<f64>(x, w, dout, dx, dw, db, g, n0, n1, cols, pack);
}
