import { apply } from '../core/apply.js';
import { ShapeError, badArgument, formatShape } from '../core/errors.js';
import { flattenNested, type NestedArray } from '../core/nested.js';
import { defineOp, type CaseRandom } from '../core/op.js';
import { broadcastShapes, normalizeAxes, reducedShape, sizeOf, stridesOf } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import {
  checkBoolean,
  checkInteger,
  checkOperand,
  checkOptions,
  checkSize,
  checkTensor,
  describe,
} from '../core/validate.js';
import { gather as gatherKernel, scatterAdd, stridedOffsets } from '../kernels/strided.js';
import { allocate } from '../kernels/types.js';
import { expand, reshape } from './movement.js';

// Choosing elements: gather/pick (the class score of each row), where, clip, flatten, and the
// integer helpers oneHot and argmax (no gradient flows to indices). Cutting and gluing (slice,
// concat, stack) live in slicing.ts.

/** Integer class labels or indices: a tensor, a (nested) array or an Int32Array. */
export type Indices = Tensor | NestedArray | Int32Array;

/** The values and shape of `indices`, checked to be integers. */
export function readIndices(
  fn: string,
  name: string,
  indices: Indices,
): { values: number[]; shape: number[] } {
  let values: number[];
  let shape: number[];
  if (indices instanceof Tensor) {
    values = Array.from(indices.data);
    shape = [...indices.shape];
  } else if (indices instanceof Int32Array) {
    values = Array.from(indices);
    shape = [values.length];
  } else {
    ({ values, shape } = flattenNested(fn, indices));
  }
  const bad = values.findIndex((v) => !Number.isSafeInteger(v));
  if (bad >= 0) {
    throw badArgument(fn, `${name} must hold integers, but element ${bad} is ${values[bad]}`);
  }
  return { values, shape };
}

/**
 * Class labels for N rows of C classes: integers in [0, C), exactly N of them.
 *
 * @example
 * checkLabels('softmaxLoss', [0, 2], 2, 3) // [0, 2]
 */
export function checkLabels(fn: string, labels: Indices, n: number, classes: number): number[] {
  if (typeof fn !== 'string') throw badArgument('checkLabels', 'argument fn must be a string');
  checkInteger(fn, 'n', n, 0);
  checkInteger(fn, 'classes', classes, 0);
  const { values, shape } = readIndices(fn, 'labels', labels);
  if (shape.length > 1 || values.length !== n) {
    throw badArgument(
      fn,
      `expected one label per row: ${n} labels for scores of ${n} rows, got labels of shape ${formatShape(shape)}`,
    );
  }
  const bad = values.findIndex((v) => v < 0 || v >= classes);
  if (bad >= 0) {
    throw badArgument(
      fn,
      `label ${values[bad]} (row ${bad}) is out of range: with ${classes} classes labels must be in 0…${classes - 1}`,
    );
  }
  return values;
}

type GatherAttrs = { axis: number; indices: readonly number[]; indexShape: readonly number[] };

/** For every output element, the input offset it reads. */
function gatherOffsets(
  x: readonly number[],
  { axis, indices, indexShape }: GatherAttrs,
): Int32Array {
  const strides = stridesOf(x);
  const offsets = stridedOffsets(
    indexShape,
    strides.map((s, d) => (d === axis ? 0 : s)),
  );
  for (let i = 0; i < offsets.length; i++) offsets[i]! += indices[i]! * strides[axis]!;
  return offsets;
}

export const gatherOp = defineOp<GatherAttrs>({
  name: 'gather',
  label: {
    symbol: 'gather',
    gate: 'gather (index) gate',
    rule: 'gather routes: each chosen element gets the gradient of the output it was copied to; the rest get 0',
  },
  inferShape: ([x], { axis, indexShape }) => {
    const fits =
      indexShape.length === x!.length && x!.every((d, i) => i === axis || d === indexShape[i]);
    if (!fits) {
      throw new ShapeError(
        'gather',
        [x!, indexShape],
        `indices of shape ${formatShape(indexShape)} must match x ${formatShape(x!)} on every axis but axis ${axis}`,
      );
    }
    return [...indexShape];
  },
  forward: ({ inputs, attrs, dtype, shape }) => {
    const x = inputs[0]!;
    return gatherKernel(x.data, gatherOffsets(x.shape, attrs), allocate(dtype, sizeOf(shape)));
  },
  backward: ({ inputs, attrs }, g) => {
    const x = inputs[0]!;
    const dx = scatterAdd(g.data, gatherOffsets(x.shape, attrs), allocate(g.dtype, x.size));
    return [new Tensor(dx, x.shape)];
  },
  vjpText: ['dx = zeros with the upstream gradient added at the gathered positions'],
  gradcheck: {
    cases: (r: CaseRandom) => {
      const shape = r.shape(1, 3, 4);
      const axis = r.int(0, shape.length - 1);
      const indexShape = shape.map((d, i) => (i === axis ? r.int(1, 4) : d));
      const indices = Array.from({ length: sizeOf(indexShape) }, () => r.int(0, shape[axis]! - 1));
      return { shapes: [shape], attrs: { axis, indices, indexShape } };
    },
  },
});

/**
 * out[i][j] = x[i][indices[i][j]] along `axis` (PyTorch's gather): `indices` has x's shape except
 * along `axis`. Gradients add up where an element is gathered twice.
 *
 * @example
 * gather(tensor([[1, 2], [3, 4]]), [[1], [0]], { axis: 1 }).toArray() // [[2], [3]]
 */
export function gather(x: Tensor, indices: Indices, options: { axis?: number } = {}): Tensor {
  checkTensor('gather', 'x', x);
  checkOptions('gather', 'options', options);
  if (x.ndim === 0) throw badArgument('gather', 'cannot gather from a 0-d tensor');
  const [axis] = normalizeAxes('gather', options.axis ?? 0, x.ndim);
  const { values, shape } = readIndices('gather', 'indices', indices);
  const size = x.shape[axis!] ?? 0;
  const bad = values.findIndex((v) => v < 0 || v >= size);
  if (bad >= 0) {
    throw badArgument(
      'gather',
      `index ${values[bad]} is out of range for axis ${axis} of size ${size}`,
    );
  }
  return apply(gatherOp, [x], { axis: axis!, indices: values, indexShape: shape });
}

/**
 * The score of each row's label: out[i] = scores[i, labels[i]] for scores N×C.
 *
 * @example
 * pick(tensor([[1, 2, 3], [4, 5, 6]]), [2, 0]).toArray() // [3, 4]
 */
export function pick(scores: Tensor, labels: Indices): Tensor {
  checkTensor('pick', 'scores', scores);
  if (scores.ndim !== 2) {
    throw new ShapeError(
      'pick',
      [scores.shape],
      `scores must be N×C (rank 2), got ${formatShape(scores.shape)}`,
    );
  }
  const [n, c] = scores.shape as [number, number];
  const rows = checkLabels('pick', labels, n, c);
  return reshape(apply(gatherOp, [scores], { axis: 1, indices: rows, indexShape: [n, 1] }), [n]);
}

/**
 * Rows of zeros with a 1 at each label: N labels → N×numClasses. A constant (no gradient).
 *
 * @example
 * oneHot([2, 0], 3).toArray() // [[0, 0, 1], [1, 0, 0]]
 */
export function oneHot(labels: Indices, numClasses: number): Tensor {
  checkInteger('oneHot', 'numClasses', numClasses, 1);
  const { values } = readIndices('oneHot', 'labels', labels);
  checkSize('oneHot', values.length * numClasses, `${values.length} rows of ${numClasses} classes`);
  const rows = checkLabels('oneHot', values, values.length, numClasses);
  const out = new Float64Array(rows.length * numClasses);
  rows.forEach((y, i) => (out[i * numClasses + y] = 1));
  return new Tensor(out, [rows.length, numClasses]);
}

/** Does v replace b as the running maximum? Only if larger; a NaN wins (and stays), as NumPy. */
const beats = (v: number, b: number) => !Number.isNaN(b) && (v > b || Number.isNaN(v));

/**
 * The position of the first maximum along `axis` (of all elements, flattened, by default), as a
 * constant tensor of integers: no gradient flows through an argmax.
 *
 * @example
 * argmax(tensor([[1, 3, 3], [5, 0, 1]]), { axis: 1 }).toArray() // [1, 0]
 */
export function argmax(x: Tensor, options: { axis?: number; keepDims?: boolean } = {}): Tensor {
  checkTensor('argmax', 'x', x);
  checkOptions('argmax', 'options', options);
  if (options.keepDims !== undefined) checkBoolean('argmax', 'options.keepDims', options.keepDims);
  if (x.size === 0)
    throw badArgument('argmax', `needs at least one element, got shape ${formatShape(x.shape)}`);
  if (options.axis === undefined) {
    let best = 0;
    for (let i = 1; i < x.size; i++) if (beats(x.data[i]!, x.data[best]!)) best = i;
    return new Tensor(Float64Array.of(best), options.keepDims ? x.shape.map(() => 1) : []);
  }
  const [axis] = normalizeAxes('argmax', options.axis, x.ndim);
  const n = x.shape[axis!]!;
  const inner = x.shape.slice(axis! + 1).reduce((a, d) => a * d, 1);
  const outer = x.size / (n * inner);
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = 0;
      for (let k = 1; k < n; k++) {
        if (beats(x.data[base + k * inner]!, x.data[base + best * inner]!)) best = k;
      }
      out[o * inner + i] = best;
    }
  }
  return new Tensor(out, reducedShape(x.shape, [axis!], options.keepDims ?? false));
}

/**
 * x reshaped to [x.shape[0], everything else] (CS231n's x.reshape(N, -1)); `startAxis` sets
 * where flattening begins.
 *
 * @example
 * flatten(zeros([2, 3, 4])).shape // [2, 12]
 */
export function flatten(x: Tensor, startAxis = 1): Tensor {
  checkTensor('flatten', 'x', x);
  if (!Number.isInteger(startAxis) || startAxis < 0 || startAxis > x.ndim) {
    throw badArgument(
      'flatten',
      `startAxis ${describe(startAxis)} is out of range for shape ${formatShape(x.shape)}`,
    );
  }
  return reshape(x, [...x.shape.slice(0, startAxis), sizeOf(x.shape.slice(startAxis))]);
}

function sameShape(op: string, shapes: readonly (readonly number[])[]): number[] {
  const first = shapes[0]!;
  if (!shapes.every((s) => s.length === first.length && s.every((d, i) => d === first[i]))) {
    throw new ShapeError(
      op,
      shapes,
      `inputs must have the same shape, got ${shapes.map(formatShape).join(', ')}`,
    );
  }
  return [...first];
}

/** NumPy truthiness: any value but 0 (NaN included) selects `a`. */
const truthy = (c: number) => c !== 0;

/** g where the condition is `keep`, 0 elsewhere. */
function masked(g: Tensor, cond: Tensor, keep: boolean): Tensor {
  const out = allocate(g.dtype, g.size);
  for (let i = 0; i < out.length; i++) out[i] = truthy(cond.data[i]!) === keep ? g.data[i]! : 0;
  return new Tensor(out, g.shape);
}

export const whereOp = defineOp({
  name: 'where',
  label: {
    symbol: 'where',
    gate: 'select (where) gate',
    rule: 'where routes: the gradient goes to a where the condition holds, to b elsewhere; the condition gets none',
  },
  inferShape: (shapes) => sameShape('where', shapes),
  forward: ({ inputs, dtype }) => {
    const [cond, a, b] = inputs as [Tensor, Tensor, Tensor];
    const out = allocate(dtype, a.size);
    for (let i = 0; i < out.length; i++) out[i] = truthy(cond.data[i]!) ? a.data[i]! : b.data[i]!;
    return out;
  },
  backward: ({ inputs, needsGrad }, g) => {
    const cond = inputs[0]!;
    return [
      null,
      needsGrad[1] ? masked(g, cond, true) : null,
      needsGrad[2] ? masked(g, cond, false) : null,
    ];
  },
  local: ({ inputs }, i) => {
    if (i === 0) return null;
    const cond = inputs[0]!;
    const out = allocate(inputs[i]!.dtype, cond.size);
    for (let k = 0; k < out.length; k++) out[k] = truthy(cond.data[k]!) === (i === 1) ? 1 : 0;
    return new Tensor(out, cond.shape);
  },
  // The branch taken per element: when the condition is computed from the input being nudged
  // (leaky ReLU), a flip between x+h and x−h is a kink.
  decisions: ([cond]) => Array.from(cond!, (c) => (truthy(c) ? 1 : 0)),
  gradcheck: {
    cases: (r: CaseRandom) => {
      const s = r.shape(0, 3, 4);
      return { shapes: [s, s, s] };
    },
    constantInputs: [0],
  },
});

/**
 * Elementwise `cond ? a : b` (any nonzero cond counts as true), broadcasting all three. No
 * gradient flows to `cond`; `a` gets it where cond holds, `b` elsewhere.
 *
 * @example
 * where(tensor([1, 0]), tensor([1, 2]), -1).toArray() // [1, -1]
 */
export function where(cond: Tensor | NestedArray, a: Tensor | number, b: Tensor | number): Tensor {
  const c = cond instanceof Tensor ? cond : tensorFrom('where', cond);
  const dtype = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float64';
  const ta = checkOperand('where', 'a', a, dtype);
  const tb = checkOperand('where', 'b', b, dtype);
  const shape = broadcastShapes('where', broadcastShapes('where', c.shape, ta.shape), tb.shape);
  checkSize('where', sizeOf(shape), `the broadcast shape ${formatShape(shape)}`);
  return apply(whereOp, [expand(c, shape), expand(ta, shape), expand(tb, shape)], {});
}

function tensorFrom(fn: string, values: NestedArray): Tensor {
  const { values: flat, shape } = flattenNested(fn, values);
  return new Tensor(Float64Array.from(flat), shape);
}

type ClipAttrs = { min?: number | undefined; max?: number | undefined };

/** -1 below min, 1 above max, 0 inside: which piece of the clip each element is on. */
function region(v: number, { min, max }: ClipAttrs): number {
  if (min !== undefined && v < min) return -1;
  if (max !== undefined && v > max) return 1;
  return 0;
}

export const clipOp = defineOp<ClipAttrs>({
  name: 'clip',
  label: {
    symbol: 'clip',
    gate: 'clip gate',
    rule: 'clip passes the gradient where min ≤ x ≤ max and blocks it where x was clipped',
  },
  inferShape: ([x]) => [...x!],
  forward: ({ inputs, attrs, dtype, save }) => {
    const x = inputs[0]!;
    const out = allocate(dtype, x.size);
    const sides = new Int8Array(x.size);
    for (let i = 0; i < out.length; i++) {
      const v = x.data[i]!;
      sides[i] = region(v, attrs);
      out[i] = sides[i]! < 0 ? attrs.min! : sides[i]! > 0 ? attrs.max! : v;
    }
    save(sides);
    return out;
  },
  // As PyTorch's clamp: the gradient passes on the boundary itself (min ≤ x ≤ max).
  backward: ({ inputs, saved }, g) => {
    const sides = saved as Int8Array;
    const out = allocate(g.dtype, g.size);
    for (let i = 0; i < out.length; i++) out[i] = sides[i] === 0 ? g.data[i]! : 0;
    return [new Tensor(out, inputs[0]!.shape)];
  },
  local: ({ inputs, saved }) => {
    const x = inputs[0]!;
    const sides = saved as Int8Array;
    const out = allocate(x.dtype, x.size);
    for (let i = 0; i < out.length; i++) out[i] = sides[i] === 0 ? 1 : 0;
    return new Tensor(out, x.shape);
  },
  decisions: (_inputs, _output, saved) => saved as Int8Array,
  gradcheck: {
    // Bounds at ±0.1 and inputs with |x| ≥ 0.2 ('nonzero'): both pieces are exercised, and no
    // nudge of 1e-5 can cross a bound (a kink).
    cases: (r: CaseRandom) => {
      const bounds: ClipAttrs[] = [{ min: -0.1 }, { max: 0.1 }, { min: -0.1, max: 0.1 }];
      return { shapes: [r.shape(0, 3, 4)], attrs: bounds[r.int(0, 2)]! };
    },
    domain: 'nonzero',
  },
});

/**
 * Limits x to [min, max] elementwise (either bound may be null); the gradient passes where
 * min ≤ x ≤ max, as PyTorch's clamp.
 *
 * @example
 * clip(tensor([-2, 0.5, 3]), 0, 1).toArray() // [0, 0.5, 1]
 */
export function clip(x: Tensor, min: number | null, max: number | null = null): Tensor {
  checkTensor('clip', 'x', x);
  for (const [name, v] of [
    ['min', min],
    ['max', max],
  ] as const) {
    if (v !== null && (typeof v !== 'number' || Number.isNaN(v))) {
      throw badArgument('clip', `argument ${name} must be a number or null, got ${describe(v)}`);
    }
  }
  if (min === null && max === null) throw badArgument('clip', 'give a min, a max or both');
  if (min !== null && max !== null && min > max) {
    throw badArgument('clip', `min ${min} is larger than max ${max}`);
  }
  const attrs: ClipAttrs = {};
  if (min !== null) attrs.min = min;
  if (max !== null) attrs.max = max;
  return apply(clipOp, [x], attrs);
}
