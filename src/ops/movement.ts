import { apply } from '../core/apply.js';
import { ShapeError, badArgument, formatShape } from '../core/errors.js';
import { defineOp } from '../core/op.js';
import { shapesEqual, sizeOf, stridesOf } from '../core/shape.js';
import { LIMITS } from '../core/limits.js';
import { Tensor, full } from '../core/tensor.js';
import {
  checkArray,
  checkOperand,
  checkShapeArg,
  checkTensor,
  describe,
} from '../core/validate.js';
import { gatherStrided, scatterAddStrided } from '../kernels/strided.js';
import { allocate } from '../kernels/types.js';

const ones = (t: Tensor) => full(t.shape, 1);

export const reshapeOp = defineOp<{ shape: readonly number[] }>({
  name: 'reshape',
  label: {
    symbol: 'reshape',
    gate: 'reshape gate',
    rule: 'reshape passes the gradient through, reshaped back to the input shape',
  },
  inferShape: ([x], { shape }) => {
    if (sizeOf(shape) !== sizeOf(x!)) {
      throw new ShapeError(
        'reshape',
        [x!, shape],
        `cannot reshape ${formatShape(x!)} (${sizeOf(x!)} elements) into ${formatShape(shape)} ` +
          `(${sizeOf(shape)} elements)`,
      );
    }
    return [...shape];
  },
  // Tensors are immutable, so the output may share the input's storage.
  forward: ({ inputs }) => inputs[0]!.data,
  backward: ({ inputs }, g) => [reshape(g, inputs[0]!.shape)],
  local: ({ inputs }) => ones(inputs[0]!),
  gradcheck: {
    cases: (r) => {
      const shape = r.shape(0, 3, 4);
      const n = sizeOf(shape);
      return { shapes: [shape], attrs: { shape: r.int(0, 1) === 0 ? [n] : [1, n] } };
    },
  },
});

/**
 * A tensor with the same values in a new shape; one dimension may be -1 (inferred).
 *
 * @example
 * reshape(tensor([1, 2, 3, 4, 5, 6]), [2, -1]).shape // [2, 3]
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('reshape', 'x', x);
  checkArray('reshape', 'shape', shape);
  const inferred = shape.filter((d) => d === -1).length;
  if (
    inferred > 1 ||
    shape.length > LIMITS.maxRank ||
    shape.some((d) => !Number.isInteger(d) || d < -1)
  ) {
    throw badArgument(
      'reshape',
      `invalid target shape [${shape.map(describe).join(', ')}] (sizes ≥ 0, at most one -1, ` +
        `at most ${LIMITS.maxRank} axes)`,
    );
  }
  let target = [...shape];
  if (inferred === 1) {
    const known = sizeOf(shape.filter((d) => d !== -1));
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError(
        'reshape',
        [x.shape, shape],
        `cannot reshape ${formatShape(x.shape)} into ${formatShape(shape)}`,
      );
    }
    target = shape.map((d) => (d === -1 ? x.size / known : d));
  }
  if (shapesEqual(target, x.shape)) return x;
  return apply(reshapeOp, [x], { shape: target });
}

export const transposeOp = defineOp<{ axes: readonly number[] }>({
  name: 'transpose',
  label: {
    symbol: 'ᵀ',
    gate: 'transpose gate',
    rule: 'transpose sends the gradient back transposed the other way',
  },
  inferShape: ([x], { axes }) => axes.map((a) => x![a]!),
  forward: ({ inputs, attrs, shape, dtype }) => {
    const x = inputs[0]!;
    const strides = stridesOf(x.shape);
    const permuted = attrs.axes.map((a) => strides[a]!);
    return gatherStrided(x.data, shape, permuted, allocate(dtype, x.size));
  },
  backward: ({ attrs }, g) => {
    const inverse = new Array<number>(attrs.axes.length);
    attrs.axes.forEach((a, i) => (inverse[a] = i));
    return [transpose(g, inverse)];
  },
  vjpText: ['dx = the upstream gradient transposed back'],
  expression: {
    summary: 'transpose(W) reverses the axes (W.T for short)',
    arity: [1],
    call: ([x]) => transpose(x!),
  },
  gradcheck: {
    cases: (r) => {
      const shape = r.shape(1, 4, 4);
      const axes = shape.map((_, i) => i);
      for (let i = axes.length - 1; i > 0; i--) {
        const j = r.int(0, i);
        [axes[i], axes[j]] = [axes[j]!, axes[i]!];
      }
      return { shapes: [shape], attrs: { axes } };
    },
  },
});

/**
 * Permutes the axes (reverses them by default, so a matrix is transposed).
 *
 * @example
 * transpose(tensor([[1, 2, 3]])).toArray() // [[1], [2], [3]]
 */
export function transpose(x: Tensor, axes?: readonly number[]): Tensor {
  checkTensor('transpose', 'x', x);
  if (axes !== undefined) checkArray('transpose', 'axes', axes);
  const rank = x.ndim;
  const perm = axes ? axes.map((a) => (a < 0 ? a + rank : a)) : [...Array(rank).keys()].reverse();
  const valid = perm.length === rank && [...perm].sort((a, b) => a - b).every((a, i) => a === i);
  if (!valid) {
    throw badArgument(
      'transpose',
      `axes ${formatShape(axes ?? [])} are not a permutation of the ${rank} axes of a tensor of shape ${formatShape(x.shape)}`,
    );
  }
  if (perm.every((a, i) => a === i)) return x;
  return apply(transposeOp, [x], { axes: perm });
}

/** The strides that read `from` as if it had `shape` (0 on broadcast axes). */
function broadcastStrides(from: readonly number[], shape: readonly number[]): number[] {
  const strides = stridesOf(from);
  const lead = shape.length - from.length;
  return shape.map((_, i) => (i < lead || from[i - lead] === 1 ? 0 : strides[i - lead]!));
}

export const expandOp = defineOp<{ shape: readonly number[] }>({
  name: 'expand',
  label: {
    symbol: 'expand',
    gate: 'broadcast (copy) gate',
    rule: 'broadcasting copies a value; the copy gate adds: the gradient is summed over the copies',
  },
  inferShape: ([x], { shape }) => {
    const lead = shape.length - x!.length;
    const ok = lead >= 0 && x!.every((d, i) => d === shape[lead + i] || d === 1);
    if (!ok) {
      throw new ShapeError(
        'expand',
        [x!, shape],
        `cannot broadcast shape ${formatShape(x!)} to ${formatShape(shape)}`,
      );
    }
    return [...shape];
  },
  forward: ({ inputs, shape, dtype }) => {
    const x = inputs[0]!;
    const strides = broadcastStrides(x.shape, shape);
    return gatherStrided(x.data, shape, strides, allocate(dtype, sizeOf(shape)));
  },
  backward: ({ inputs }, g) => [sumToUnchecked(g, inputs[0]!.shape)],
  vjpText: ['dx = the upstream gradient summed over the broadcast axes (the copy gate adds)'],
  gradcheck: {
    cases: (r) => {
      const shape = r.shape(1, 3, 3);
      const from = shape.slice(r.int(0, shape.length - 1)).map((d) => (r.int(0, 1) ? d : 1));
      return { shapes: [from], attrs: { shape } };
    },
  },
});

/**
 * Broadcasts x to `shape` by NumPy rules (new leading axes; size-1 axes repeated).
 *
 * @example
 * expand(tensor([1, 2]), [2, 2]).toArray() // [[1, 2], [1, 2]]
 */
export function expand(x: Tensor | number, shape: readonly number[]): Tensor {
  // The common case first (every binary op expands both operands): nothing to check or do.
  if (x instanceof Tensor && Array.isArray(shape) && shapesEqual(x.shape, shape)) return x;
  const t = checkOperand('expand', 'x', x);
  const target = checkShapeArg('expand', 'shape', shape);
  if (shapesEqual(t.shape, target)) return t;
  return apply(expandOp, [t], { shape: target });
}

/**
 * Sums g down to `shape` (the adjoint of broadcasting `shape` up to g's shape). Used by
 * expand's VJP; under noGrad it is a single kernel call.
 */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  checkTensor('sumTo', 'g', g);
  const target = checkShapeArg('sumTo', 'shape', shape);
  if (shapesEqual(g.shape, target)) return g;
  const lead = g.ndim - target.length;
  if (lead < 0 || target.some((d, i) => d !== 1 && d !== g.shape[lead + i])) {
    throw new ShapeError(
      'sumTo',
      [g.shape, target],
      `cannot sum g ${formatShape(g.shape)} down to ${formatShape(target)}: the target must ` +
        'broadcast up to the shape of g',
    );
  }
  return sumToUnchecked(g, target);
}

/** sumTo for the engine's own calls, whose shapes are right by construction. */
function sumToUnchecked(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const out = allocate(g.dtype, sizeOf(shape));
  scatterAddStrided(g.data, g.shape, broadcastStrides(shape, g.shape), out);
  return new Tensor(out, shape);
}
