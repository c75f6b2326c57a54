import type { Data } from './types.js';

/**
 * C (m×n) = A (m×k) · B (k×n), all row-major and contiguous.
 *
 * The loops run i-k-j, so the inner loop walks rows of B and C through consecutive memory, and
 * four rows of A are done at once: every element of B loaded is used four times (about twice as
 * fast as one row at a time here). float32 data is multiplied through float64 copies, which V8
 * handles faster than Float32Array arithmetic, and which rounds once at the end.
 */
export function gemm(a: Data, b: Data, c: Data, m: number, k: number, n: number): Data {
  if (a instanceof Float64Array && b instanceof Float64Array && c instanceof Float64Array) {
    return gemm64(a, b, c, m, k, n);
  }
  const out = gemm64(Float64Array.from(a), Float64Array.from(b), new Float64Array(m * n), m, k, n);
  c.set(out);
  return c;
}

function gemm64(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  k: number,
  n: number,
): Float64Array {
  c.fill(0);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const c0 = i * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    const a0 = i * k;
    for (let p = 0; p < k; p++) {
      const x0 = a[a0 + p]!;
      const x1 = a[a0 + k + p]!;
      const x2 = a[a0 + 2 * k + p]!;
      const x3 = a[a0 + 3 * k + p]!;
      const bRow = p * n;
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
    const cRow = i * n;
    const aRow = i * k;
    for (let p = 0; p < k; p++) {
      const x = a[aRow + p]!;
      const bRow = p * n;
      for (let j = 0; j < n; j++) c[cRow + j]! += x * b[bRow + j]!;
    }
  }
  return c;
}
