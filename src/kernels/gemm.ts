import type { Data } from './types.js';
import { gemmWasm } from './wasm/gemm.js';
import { wasmKernels } from './wasm/runtime.js';

/** How to read the operands of a product, and (batched) where each product's operands start. */
export interface GemmOptions {
  /** A is stored k×m and used transposed. */
  transA?: boolean;
  /** B is stored n×k and used transposed. */
  transB?: boolean;
  /** C += op(A)·op(B) instead of C = op(A)·op(B). */
  accumulate?: boolean;
  /**
   * A batch of products: product t reads A from aOffsets[t] and B from bOffsets[t] (offsets may
   * repeat: that is broadcasting) and writes the t-th m×n block of C. One product by default.
   */
  aOffsets?: Int32Array;
  bOffsets?: Int32Array;
}

const ONE = new Int32Array(1);

/** Products smaller than this many multiply-adds stay in TypeScript (copying would dominate). */
const WASM_MIN_WORK = 4096;

/**
 * C (m×n) = op(A) (m×k) · op(B) (k×n), row-major and contiguous, op(X) = X or Xᵀ by the flags;
 * C is overwritten (C holds one m×n block per product of a batch). Runs on the WebAssembly
 * kernels when they are available and the product is large enough, else in TypeScript.
 */
export function gemm(
  a: Data,
  b: Data,
  c: Data,
  m: number,
  k: number,
  n: number,
  options: GemmOptions = {},
): Data {
  if (m * k * n * (options.aOffsets?.length ?? 1) >= WASM_MIN_WORK) {
    const w = wasmKernels();
    if (w && gemmWasm(w, a, b, c, m, k, n, options)) return c;
  }
  return gemmJs(a, b, c, m, k, n, options);
}

/**
 * gemm in plain TypeScript: the fallback and the reference the faster kernels are tested
 * against.
 *
 * The loops run i-k-j so the inner loop walks rows of B and C through consecutive memory, four
 * rows of A at a time (each element of B loaded is used four times); with B transposed the inner
 * loop is a dot product of two contiguous rows instead. float32 operands are multiplied through
 * float64 copies, which V8 runs faster than Float32Array arithmetic, and rounded once at the end.
 */
export function gemmJs(
  a: Data,
  b: Data,
  c: Data,
  m: number,
  k: number,
  n: number,
  options: GemmOptions = {},
): Data {
  const { transA = false, transB = false, accumulate = false } = options;
  const { aOffsets = ONE, bOffsets = ONE } = options;
  const a64 = a instanceof Float64Array ? a : Float64Array.from(a);
  const b64 = b instanceof Float64Array ? b : Float64Array.from(b);
  const c64 =
    c instanceof Float64Array ? c : accumulate ? Float64Array.from(c) : new Float64Array(c.length);
  for (let t = 0; t < aOffsets.length; t++) {
    const [ao, bo, co] = [aOffsets[t]!, bOffsets[t]!, t * m * n];
    product(a64, ao, b64, bo, c64, co, m, k, n, transA, transB, accumulate);
  }
  if (c64 !== c) c.set(c64);
  return c;
}

function product(
  a: Float64Array,
  ao: number,
  b: Float64Array,
  bo: number,
  c: Float64Array,
  co: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
): void {
  // Element (i, p) of op(A) is a[ao + i·ai + p·ap]; (p, j) of op(B) is b[bo + p·bp + j·bj].
  const [ai, ap] = transA ? [1, m] : [k, 1];
  const [bp, bj] = transB ? [1, k] : [n, 1];
  if (transB) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = accumulate ? c[co + i * n + j]! : 0;
        for (let p = 0; p < k; p++) s += a[ao + i * ai + p * ap]! * b[bo + j * bj + p]!;
        c[co + i * n + j] = s;
      }
    }
    return;
  }
  if (!accumulate) c.fill(0, co, co + m * n);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const c0 = co + i * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    for (let p = 0; p < k; p++) {
      const a0 = ao + i * ai + p * ap;
      const x0 = a[a0]!;
      const x1 = a[a0 + ai]!;
      const x2 = a[a0 + 2 * ai]!;
      const x3 = a[a0 + 3 * ai]!;
      const bRow = bo + p * bp;
      for (let j = 0; j < n; j++) {
        const bv = b[bRow + j]!;
        c[c0 + j]! += x0 * bv;
        c[c1 + j]! += x1 * bv;
        c[c2 + j]! += x2 * bv;
        c[c3 + j]! += x3 * bv;
      }
    }
  }
  for (; i < m; i++) {
    const cRow = co + i * n;
    for (let p = 0; p < k; p++) {
      const x = a[ao + i * ai + p * ap]!;
      const bRow = bo + p * bp;
      for (let j = 0; j < n; j++) c[cRow + j]! += x * b[bRow + j]!;
    }
  }
}
