import { apply } from '../core/apply.js';
import { ShapeError, formatShape } from '../core/errors.js';
import { defineOp, type CaseRandom } from '../core/op.js';
import { broadcastShapes, sizeOf, stridesOf } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { checkTensor } from '../core/validate.js';
import { gemm } from '../kernels/gemm.js';
import { stridedOffsets } from '../kernels/strided.js';
import { allocate } from '../kernels/types.js';
import { reshape } from './movement.js';
import { sum } from './reduce.js';

/**
 * transA / transB: use that operand's last two axes swapped. The public `matmul` never sets them;
 * the backward pass does, so that no transpose is ever copied (dA = upstream · Bᵀ reads B as it is).
 */
type MatmulAttrs = { transA?: boolean; transB?: boolean };

/** Sizes of a (batched) product, numpy's rules: vectors are promoted, batch axes broadcast. */
interface Plan {
  m: number;
  k: number;
  n: number;
  /** Each operand's shape with a vector promoted to a matrix: [k] → [1, k] left, [k, 1] right. */
  a: number[];
  b: number[];
  /** The broadcast batch axes of the output. */
  batch: number[];
  /** The output shape: batch, then m and n unless they came from a promoted vector. */
  shape: number[];
}

function plan(
  a: readonly number[],
  b: readonly number[],
  { transA = false, transB = false }: MatmulAttrs,
): Plan {
  if (a.length === 0 || b.length === 0) {
    throw new ShapeError(
      'matmul',
      [a, b],
      `takes tensors of rank ≥ 1 (use mul to scale by a number), got ${formatShape(a)} @ ${formatShape(b)}`,
    );
  }
  const a2 = a.length === 1 ? [1, a[0]!] : [...a];
  const b2 = b.length === 1 ? [b[0]!, 1] : [...b];
  const [r, s] = [a2.at(-2)!, a2.at(-1)!];
  const [u, v] = [b2.at(-2)!, b2.at(-1)!];
  const [m, k] = transA ? [s, r] : [r, s];
  const [k2, n] = transB ? [v, u] : [u, v];
  if (k !== k2) {
    throw new ShapeError(
      'matmul',
      [a, b],
      `inner dimensions differ: ${formatShape(a)} @ ${formatShape(b)} (${k} ≠ ${k2}); ` +
        'the last axis of the first must equal the second-to-last axis of the second ' +
        '(the only axis of a vector)',
    );
  }
  let batch: number[];
  try {
    batch = broadcastShapes('matmul', a2.slice(0, -2), b2.slice(0, -2));
  } catch {
    throw new ShapeError(
      'matmul',
      [a, b],
      `the batch axes (all but the last two) of ${formatShape(a)} and ${formatShape(b)} do not ` +
        'broadcast: each pair must be equal or contain a 1',
    );
  }
  const shape = [...batch, ...(a.length > 1 ? [m] : []), ...(b.length > 1 ? [n] : [])];
  return { m, k, n, a: a2, b: b2, batch, shape };
}

/** Where each product of the batch starts in an operand of (promoted) shape `x`. */
function batchOffsets(x: readonly number[], batch: readonly number[]): Int32Array {
  const own = x.slice(0, -2);
  const strides = stridesOf(x);
  // Missing leading axes and axes of size 1 repeat the operand: stride 0.
  const batchStrides = batch.map((_, i) => {
    const axis = i - (batch.length - own.length);
    return axis < 0 || own[axis] === 1 ? 0 : strides[axis]!;
  });
  return stridedOffsets(batch, batchStrides);
}

/** A batched gradient summed over the batch axes its operand was broadcast along. */
function unbroadcast(g: Tensor, operand: readonly number[], original: readonly number[]): Tensor {
  const lead = g.ndim - operand.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim - 2; i++) {
    if (i < lead || (operand[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  return reshape(axes.length > 0 ? sum(g, { axis: axes }) : g, original);
}

/** The product with transpose flags, as the backward pass uses it. */
function mm(x: Tensor, y: Tensor, flags: MatmulAttrs): Tensor {
  return apply(matmulOp, [x, y], flags);
}

export const matmulOp = defineOp<MatmulAttrs>({
  name: 'matmul',
  label: {
    symbol: '@',
    gate: 'matrix multiply gate',
    // {A} and {B}: the snapshot writes the operands' names in (see graph/vjp-text.ts).
    rule: 'matmul: d{A} = upstream · {B}ᵀ and d{B} = {A}ᵀ · upstream (the shapes leave only one way)',
  },
  inferShape: ([a, b], attrs) => plan(a!, b!, attrs).shape,
  forward: ({ inputs, attrs, shape, dtype }) => {
    const [a, b] = inputs as [Tensor, Tensor];
    const p = plan(a.shape, b.shape, attrs);
    const out = allocate(dtype, sizeOf(shape));
    if (p.b.length === 2 && !attrs.transA) {
      // [..., m, k] @ [k, n]: the batch axes of A are just more rows — one product.
      return gemm(a.data, b.data, out, sizeOf(p.a.slice(0, -1)), p.k, p.n, attrs);
    }
    return gemm(a.data, b.data, out, p.m, p.k, p.n, {
      ...attrs,
      aOffsets: batchOffsets(p.a, p.batch),
      bOffsets: batchOffsets(p.b, p.batch),
    });
  },
  backward: ({ inputs, attrs, needsGrad }, g) => {
    const [a, b] = inputs as [Tensor, Tensor];
    const p = plan(a.shape, b.shape, attrs);
    const { transA = false, transB = false } = attrs;
    // Work on the promoted forms; the upstream gets the axes a vector operand dropped back.
    const a2 = reshape(a, p.a);
    const b2 = reshape(b, p.b);
    const g2 = reshape(g, [...p.batch, p.m, p.n]);
    // C = op(A)·op(B): dop(A) = G·op(B)ᵀ and dop(B) = op(A)ᵀ·G, transposed back where op was.
    const da = (): Tensor =>
      transA ? mm(b2, g2, { transA: transB, transB: true }) : mm(g2, b2, { transB: !transB });
    const db = (): Tensor => {
      if (p.b.length === 2 && !transA && !transB) {
        // B was shared by every product: dB = Σ_batch Aᵀ·G is one product over all the rows.
        const rows = sizeOf(p.a.slice(0, -1));
        return mm(reshape(a2, [rows, p.k]), reshape(g2, [rows, p.n]), { transA: true });
      }
      return transB
        ? mm(g2, a2, { transA: true, transB: transA })
        : mm(a2, g2, { transA: !transA });
    };
    return [
      needsGrad[0] ? unbroadcast(da(), p.a, a.shape) : null,
      needsGrad[1] ? unbroadcast(db(), p.b, b.shape) : null,
    ];
  },
  // Templates: the snapshot names the operands and their shapes (see graph/vjp-text.ts).
  vjpText: ['upstream · {B}ᵀ | up · Bᵀ → A', '{A}ᵀ · upstream | Aᵀ · up → B'],
  gradcheck: {
    cases: (r: CaseRandom) => {
      const [m, k, n] = [r.int(1, 4), r.int(1, 4), r.int(1, 4)];
      // Batch axes of 0–2 axes each, with 1s that broadcast; vectors on either side.
      const batch = [r.int(1, 3), r.int(1, 3)].slice(0, r.int(0, 2));
      const own = () => batch.slice(r.int(0, batch.length)).map((d) => (r.int(0, 2) === 0 ? 1 : d));
      const attrs: MatmulAttrs = {};
      const matrix = (rows: number, cols: number, flag: 'transA' | 'transB') => {
        if (r.int(0, 3) > 0) return [...own(), rows, cols];
        attrs[flag] = true;
        return [...own(), cols, rows];
      };
      const vectors = r.int(0, 6); // 0: A is a vector, 1: B, 2: both, else matrices
      const shapes = [
        vectors === 0 || vectors === 2 ? [k] : matrix(m, k, 'transA'),
        vectors === 1 || vectors === 2 ? [k] : matrix(k, n, 'transB'),
      ];
      return { shapes, attrs };
    },
  },
});

/**
 * Matrix product with NumPy's rules: [m,k]@[k,n] → [m,n]; a vector on the left is a row and on
 * the right a column, its axis dropped from the result ([k]@[k] → []); leading axes are batch
 * axes that broadcast ([b,m,k]@[k,n] → [b,m,n], [b,1,m,k]@[c,k,n] → [b,c,m,n]).
 *
 * @example
 * matmul(tensor([[1, 2], [3, 4]]), tensor([[5, 6], [7, 8]])).toArray() // [[19, 22], [43, 50]]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor('matmul', 'a', a);
  checkTensor('matmul', 'b', b);
  return apply(matmulOp, [a, b], {});
}
