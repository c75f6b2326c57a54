import { apply } from '../core/apply.js';
import { ShapeError, badArgument, formatShape } from '../core/errors.js';
import { defineOp, type CaseRandom } from '../core/op.js';
import { normalizeAxes, shapesEqual, sizeOf, stridesOf } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { checkArray, checkOptions, checkTensor } from '../core/validate.js';
import { gather, scatterAdd, stridedOffsets } from '../kernels/strided.js';
import { allocate } from '../kernels/types.js';
import { reshape } from './movement.js';

// Cutting tensors apart and gluing them together: slice, concat, stack. Each VJP is the other
// half of the pair: a slice's gradient is padded back with zeros, a concat's is sliced apart.

type SliceAttrs = { axis: number; start: number; step: number; count: number };

function sliceShape(x: readonly number[], { axis, count }: SliceAttrs): number[] {
  return x.map((d, i) => (i === axis ? count : d));
}

/** For every output element, the input offset it is read from. */
function sliceOffsets(x: readonly number[], attrs: SliceAttrs): Int32Array {
  const strides = stridesOf(x);
  const offsets = stridedOffsets(
    sliceShape(x, attrs),
    strides.map((s, d) => (d === attrs.axis ? s * attrs.step : s)),
  );
  const first = attrs.start * strides[attrs.axis]!;
  for (let i = 0; i < offsets.length; i++) offsets[i]! += first;
  return offsets;
}

export const sliceOp = defineOp<SliceAttrs>({
  name: 'slice',
  label: {
    symbol: 'slice',
    gate: 'slice gate',
    rule: 'slice routes: the kept elements get their upstream gradient, the cut-away ones get 0',
  },
  inferShape: ([x], attrs) => {
    const size = x![attrs.axis];
    const last = attrs.start + (attrs.count - 1) * attrs.step;
    if (size === undefined || (attrs.count > 0 && (attrs.start < 0 || last >= size))) {
      throw new ShapeError(
        'slice',
        [x!],
        `elements ${attrs.start}…${last} of axis ${attrs.axis} are outside x ${formatShape(x!)}`,
      );
    }
    return sliceShape(x!, attrs);
  },
  forward: ({ inputs, attrs, dtype, shape }) => {
    const x = inputs[0]!;
    return gather(x.data, sliceOffsets(x.shape, attrs), allocate(dtype, sizeOf(shape)));
  },
  backward: ({ inputs, attrs }, g) => {
    const x = inputs[0]!;
    return [
      new Tensor(
        scatterAdd(g.data, sliceOffsets(x.shape, attrs), allocate(g.dtype, x.size)),
        x.shape,
      ),
    ];
  },
  vjpText: ['dx = zeros with the upstream gradient placed back where the slice was taken'],
  gradcheck: {
    cases: (r: CaseRandom) => {
      const shape = r.shape(1, 3, 4);
      const axis = r.int(0, shape.length - 1);
      const size = shape[axis]!;
      const start = r.int(0, size - 1);
      const step = r.int(1, 2);
      const end = r.int(start + 1, size);
      return {
        shapes: [shape],
        attrs: { axis, start, step, count: Math.ceil((end - start) / step) },
      };
    },
  },
});

export interface SliceOptions {
  /** The axis to cut (default 0). */
  axis?: number;
  /** First index kept (default 0); negative counts from the end, as in Python. */
  start?: number;
  /** One past the last index kept (default: the end); negative counts from the end. */
  end?: number;
  /** Keep every step-th element (default 1). */
  step?: number;
}

/**
 * Elements start, start+step, … < end along one axis, as Python's x[start:end:step] (bounds are
 * clamped to the axis, so an empty slice is possible).
 *
 * @example
 * slice(tensor([[1, 2, 3], [4, 5, 6]]), { axis: 1, start: 1 }).toArray() // [[2, 3], [5, 6]]
 */
export function slice(x: Tensor, options: SliceOptions = {}): Tensor {
  checkTensor('slice', 'x', x);
  checkOptions('slice', 'options', options);
  if (x.ndim === 0) throw badArgument('slice', 'cannot slice a 0-d tensor');
  const [axis] = normalizeAxes('slice', options.axis ?? 0, x.ndim);
  const size = x.shape[axis!]!;
  const step = options.step ?? 1;
  for (const [name, v] of [
    ['start', options.start ?? 0],
    ['end', options.end ?? size],
    ['step', step],
  ] as const) {
    if (!Number.isInteger(v)) {
      throw badArgument('slice', `${name} must be an integer, got ${String(v)}`);
    }
  }
  if (step < 1) throw badArgument('slice', `step must be a positive integer, got ${step}`);
  const clamp = (i: number) => Math.min(size, Math.max(0, i < 0 ? i + size : i));
  const start = clamp(options.start ?? 0);
  const end = clamp(options.end ?? size);
  const count = Math.max(0, Math.ceil((end - start) / step));
  return apply(sliceOp, [x], { axis: axis!, start: count === 0 ? 0 : start, step, count });
}

type ConcatAttrs = { axis: number };

/** outer × (axis · inner) blocks: the row layout concat copies in and out of. */
function blocks(shape: readonly number[], axis: number): [number, number] {
  const outer = sizeOf(shape.slice(0, axis));
  return [outer, outer === 0 ? 0 : sizeOf(shape) / outer];
}

export const concatOp = defineOp<ConcatAttrs>({
  name: 'concat',
  label: {
    symbol: 'concat',
    gate: 'concatenate gate',
    rule: 'concat splits the upstream gradient back into the pieces that were glued together',
  },
  inferShape: (shapes, { axis }) => {
    const first = shapes[0]!;
    for (const s of shapes) {
      if (s.length !== first.length || s.some((d, i) => i !== axis && d !== first[i])) {
        throw new ShapeError(
          'concat',
          shapes,
          `shapes ${shapes.map(formatShape).join(', ')} must agree on every axis but axis ${axis}`,
        );
      }
    }
    return first.map((d, i) => (i === axis ? shapes.reduce((n, s) => n + s[i]!, 0) : d));
  },
  forward: ({ inputs, attrs, dtype, shape }) => {
    const out = allocate(dtype, sizeOf(shape));
    const [outer, row] = blocks(shape, attrs.axis);
    let at = 0;
    for (const x of inputs) {
      const [, width] = blocks(x.shape, attrs.axis);
      for (let o = 0; o < outer; o++)
        out.set(x.data.subarray(o * width, (o + 1) * width), o * row + at);
      at += width;
    }
    return out;
  },
  backward: ({ inputs, attrs, needsGrad }, g) => {
    const [outer, row] = blocks(g.shape, attrs.axis);
    let at = 0;
    return inputs.map((x, k) => {
      const [, width] = blocks(x.shape, attrs.axis);
      const from = at;
      at += width;
      if (!needsGrad[k]) return null;
      const dx = allocate(g.dtype, x.size);
      for (let o = 0; o < outer; o++)
        dx.set(g.data.subarray(o * row + from, o * row + from + width), o * width);
      return new Tensor(dx, x.shape);
    });
  },
  vjpText: ['dxₖ = the k-th piece of the upstream gradient along the concat axis'],
  gradcheck: {
    cases: (r: CaseRandom) => {
      const base = r.shape(1, 3, 3);
      const axis = r.int(0, base.length - 1);
      const shapes = Array.from({ length: r.int(1, 3) }, () =>
        base.map((d, i) => (i === axis ? r.int(1, 3) : d)),
      );
      return { shapes, attrs: { axis } };
    },
  },
});

/** A non-empty list of tensors, or a clear error. */
function tensorList(fn: string, tensors: readonly Tensor[]): readonly Tensor[] {
  checkArray(fn, 'tensors', tensors);
  if (tensors.length === 0) throw badArgument(fn, 'needs at least one tensor');
  tensors.forEach((t, i) => checkTensor(fn, `tensors[${i}]`, t));
  return tensors;
}

/**
 * Joins tensors along an existing axis (default 0); they must agree on every other axis.
 *
 * @example
 * concat([tensor([[1, 2]]), tensor([[3, 4]])], { axis: 0 }).toArray() // [[1, 2], [3, 4]]
 */
export function concat(tensors: readonly Tensor[], options: { axis?: number } = {}): Tensor {
  tensorList('concat', tensors);
  checkOptions('concat', 'options', options);
  const rank = tensors[0]!.ndim;
  if (rank === 0) throw badArgument('concat', 'cannot concatenate 0-d tensors; use stack');
  const [axis] = normalizeAxes('concat', options.axis ?? 0, rank);
  return apply(concatOp, tensors, { axis: axis! });
}

/**
 * Joins same-shaped tensors along a new axis (default 0).
 *
 * @example
 * stack([tensor([1, 2]), tensor([3, 4])], { axis: 1 }).toArray() // [[1, 3], [2, 4]]
 */
export function stack(tensors: readonly Tensor[], options: { axis?: number } = {}): Tensor {
  tensorList('stack', tensors);
  checkOptions('stack', 'options', options);
  const shape = tensors[0]!.shape;
  const mismatch = tensors.find((t) => !shapesEqual(t.shape, shape));
  if (mismatch) {
    throw new ShapeError(
      'stack',
      [shape, mismatch.shape],
      `all tensors must have the same shape, got ${formatShape(shape)} and ${formatShape(mismatch.shape)}`,
    );
  }
  const [axis] = normalizeAxes('stack', options.axis ?? 0, shape.length + 1);
  const lifted = [...shape.slice(0, axis), 1, ...shape.slice(axis)];
  return apply(
    concatOp,
    tensors.map((t) => reshape(t, lifted)),
    { axis: axis! },
  );
}
