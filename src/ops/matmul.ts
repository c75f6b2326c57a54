import { apply } from '../core/apply.js';
import { ShapeError, formatShape } from '../core/errors.js';
import { defineOp } from '../core/op.js';
import { Tensor } from '../core/tensor.js';
import { gemm } from '../kernels/gemm.js';
import { allocate } from '../kernels/types.js';
import { reshape, transpose } from './movement.js';

/** The (m, k, n) of a product, treating a vector on the left as a row and on the right as a column. */
function dims(a: readonly number[], b: readonly number[]): [number, number, number] {
  const [m, k] = a.length === 1 ? [1, a[0]!] : [a[0]!, a[1]!];
  const [k2, n] = b.length === 1 ? [b[0]!, 1] : [b[0]!, b[1]!];
  if (a.length < 1 || a.length > 2 || b.length < 1 || b.length > 2) {
    throw new ShapeError(
      'matmul',
      [a, b],
      `takes vectors and matrices (rank 1 or 2), got ${formatShape(a)} @ ${formatShape(b)}`,
    );
  }
  if (k !== k2) {
    throw new ShapeError(
      'matmul',
      [a, b],
      `inner dimensions differ: ${formatShape(a)} @ ${formatShape(b)} (${k} ≠ ${k2}); ` +
        'the last axis of the first must equal the first axis of the second',
    );
  }
  return [m, k, n];
}

export const matmulOp = defineOp({
  name: 'matmul',
  label: {
    symbol: '@',
    gate: 'matrix multiply gate',
    // {A} and {B}: the snapshot writes the operands' names in (see graph/vjp-text.ts).
    rule: 'matmul: d{A} = upstream · {B}ᵀ and d{B} = {A}ᵀ · upstream (the shapes leave only one way)',
  },
  inferShape: ([a, b]) => {
    const [m, , n] = dims(a!, b!);
    return [...(a!.length === 2 ? [m] : []), ...(b!.length === 2 ? [n] : [])];
  },
  forward: ({ inputs, shape, dtype }) => {
    const [a, b] = inputs as [Tensor, Tensor];
    const [m, k, n] = dims(a.shape, b.shape);
    return gemm(a.data, b.data, allocate(dtype, shape.length === 0 ? 1 : m * n), m, k, n);
  },
  backward: ({ inputs, needsGrad }, g) => {
    const [a, b] = inputs as [Tensor, Tensor];
    const [m, k, n] = dims(a.shape, b.shape);
    // Work on the 2-D forms; vectors are a row (left) or a column (right), then shaped back.
    const a2 = reshape(a, [m, k]);
    const b2 = reshape(b, [k, n]);
    const g2 = reshape(g, [m, n]);
    return [
      needsGrad[0] ? reshape(matmul(g2, transpose(b2)), a.shape) : null,
      needsGrad[1] ? reshape(matmul(transpose(a2), g2), b.shape) : null,
    ];
  },
  // Templates: the snapshot names the operands and their shapes (see graph/vjp-text.ts).
  vjpText: ['upstream · {B}ᵀ | up · Bᵀ → A', '{A}ᵀ · upstream | Aᵀ · up → B'],
  gradcheck: {
    cases: (r) => {
      const [m, k, n] = [r.int(1, 4), r.int(1, 4), r.int(1, 4)];
      return { shapes: [r.int(0, 3) === 0 ? [k] : [m, k], r.int(0, 3) === 0 ? [k] : [k, n]] };
    },
  },
});

/**
 * Matrix product with NumPy's rules for vectors: [m,k]@[k,n] → [m,n], [m,k]@[k] → [m],
 * [k]@[k,n] → [n], [k]@[k] → [].
 *
 * @example
 * matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])).toArray() // [[19, 22], [43, 50]]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  return apply(matmulOp, [a, b], {});
}
