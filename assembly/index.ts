// The WebAssembly kernels' entry points: one export per kernel and element type. Pointers are
// byte offsets into the (imported) linear memory; JavaScript lays out the operands.
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
): void {
  gemm<f32>(a, b, c, m, k, n, transA, transB, i0, i1, pack);
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
): void {
  gemm<f64>(a, b, c, m, k, n, transA, transB, i0, i1, pack);
}

/** Where the module's own static data ends: JavaScript lays out operands above it. */
export function heapBase(): usize {
  return __heap_base;
}
