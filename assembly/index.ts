// The WebAssembly kernels' entry points. Each is a task over a range of items (rows of a
// product, images, filters), so that threads can share the work: (args, i0, i1, scratch), where
// args points to the task's operands and sizes (i32) and scratch to this thread's own space.
// Pointers are byte offsets into the (imported, shared) linear memory; JavaScript lays them out.
import { convBackwardData, convBackwardFilter, convFilterColumns, convForward } from './conv';
import { gemmTask } from './gemm';

export { gemmScratch } from './gemm';
export { convScratch } from './conv';

/** Where the module's own static data ends: JavaScript lays out operands above it. */
export function heapBase(): usize {
  return __heap_base;
}

export function gemmTaskF32(args: usize, i0: i32, i1: i32, scratch: usize): void {
  gemmTask<f32>(args, i0, i1, scratch);
}

export function gemmTaskF64(args: usize, i0: i32, i1: i32, scratch: usize): void {
  gemmTask<f64>(args, i0, i1, scratch);
}

export function convForwardF32(args: usize, i0: i32, i1: i32, scratch: usize): void {
  convForward<f32>(args, i0, i1, scratch);
}

export function convForwardF64(args: usize, i0: i32, i1: i32, scratch: usize): void {
  convForward<f64>(args, i0, i1, scratch);
}

export function convBackwardDataF32(args: usize, i0: i32, i1: i32, scratch: usize): void {
  convBackwardData<f32>(args, i0, i1, scratch);
}

export function convBackwardDataF64(args: usize, i0: i32, i1: i32, scratch: usize): void {
  convBackwardData<f64>(args, i0, i1, scratch);
}

export function convBackwardFilterF32(args: usize, i0: i32, i1: i32, scratch: usize): void {
  convBackwardFilter<f32>(args, i0, i1, scratch);
}

export function convBackwardFilterF64(args: usize, i0: i32, i1: i32, scratch: usize): void {
  convBackwardFilter<f64>(args, i0, i1, scratch);
}

export function convFilterColumnsF32(args: usize, i0: i32, i1: i32, scratch: usize): void {
  convFilterColumns<f32>(args, i0, i1, scratch);
}

export function convFilterColumnsF64(args: usize, i0: i32, i1: i32, scratch: usize): void {
  convFilterColumns<f64>(args, i0, i1, scratch);
}
