import type { Data } from './types.js';

/**
 * C (m×n) = A (m×k) · B (k×n), all row-major and contiguous. The i-k-j loop order walks B and C
 * row by row, which keeps the inner loop on consecutive memory.
 */
export function gemm(a: Data, b: Data, c: Data, m: number, k: number, n: number): Data {
  c.fill(0);
  for (let i = 0; i < m; i++) {
    const cRow = i * n;
    const aRow = i * k;
    for (let p = 0; p < k; p++) {
      const av = a[aRow + p]!;
      const bRow = p * n;
      for (let j = 0; j < n; j++) c[cRow + j]! += av * b[bRow + j]!;
    }
  }
  return c;
}
