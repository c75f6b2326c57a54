import { apply } from '../core/apply.js';
import { defineOp, type CaseRandom, type OpDef } from '../core/op.js';
import { normalizeAxes, reducedShape, sizeOf, stridesOf } from '../core/shape.js';
import { badArgument, formatShape } from '../core/errors.js';
import { Tensor, full } from '../core/tensor.js';
import { checkBoolean, checkOptions, checkTensor } from '../core/validate.js';
import { gatherStrided, scatterAddStrided, scatterMaxStrided } from '../kernels/strided.js';
import { allocate } from '../kernels/types.js';
import { exp, mul, sub } from './elementwise.js';
import { expand, reshape } from './movement.js';

export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); all axes when omitted. */
  axis?: number | readonly number[];
  /** Keep reduced axes as size 1, so the result broadcasts against the input. */
  keepDims?: boolean;
}

type ReduceAttrs = { axes: readonly number[]; keepDims: boolean };

/** Strides that map each input position to the output element it reduces into (0 on `axes`). */
function reductionStrides(shape: readonly number[], axes: readonly number[]): number[] {
  const kept = stridesOf(reducedShape(shape, axes, true));
  return kept.map((s, i) => (axes.includes(i) ? 0 : s));
}

/** The upstream gradient of a reduction, broadcast back over the reduced axes. */
function spread(g: Tensor, input: Tensor, axes: readonly number[]): Tensor {
  return expand(reshape(g, reducedShape(input.shape, axes, true)), input.shape);
}

const reduceCases = (r: CaseRandom) => {
  const shape = r.shape(1, 3, 4);
  const axes = shape.map((_, i) => i).filter(() => r.int(0, 1) === 1);
  return { shapes: [shape], attrs: { axes, keepDims: r.int(0, 1) === 1 } };
};

export const sumOp = defineOp<ReduceAttrs>({
  name: 'sum',
  label: {
    symbol: 'Σ',
    gate: 'sum gate',
    rule: 'sum distributes: every summed element gets the upstream gradient',
  },
  inferShape: ([x], { axes, keepDims }) => reducedShape(x!, axes, keepDims),
  forward: ({ inputs, attrs, shape, dtype }) => {
    const x = inputs[0]!;
    const out = allocate(dtype, sizeOf(shape));
    return scatterAddStrided(x.data, x.shape, reductionStrides(x.shape, attrs.axes), out);
  },
  backward: ({ inputs, attrs }, g) => [spread(g, inputs[0]!, attrs.axes)],
  local: ({ inputs }) => full(inputs[0]!.shape, 1),
  expression: {
    summary: 'sum(x) of all elements; sum(x, axis=k) along one axis',
    arity: [1],
    axis: true,
    call: ([x], { axis }) => sum(x!, axis === undefined ? {} : { axis }),
  },
  gradcheck: { cases: reduceCases },
});

export const meanOp = defineOp<ReduceAttrs>({
  name: 'mean',
  label: {
    symbol: 'mean',
    gate: 'mean gate',
    rule: 'mean distributes the upstream gradient divided by the count',
  },
  inferShape: ([x], { axes, keepDims }) => reducedShape(x!, axes, keepDims),
  forward: ({ inputs, attrs, shape, dtype }) => {
    const x = inputs[0]!;
    const out = allocate(dtype, sizeOf(shape));
    scatterAddStrided(x.data, x.shape, reductionStrides(x.shape, attrs.axes), out);
    const n = x.size / out.length;
    for (let i = 0; i < out.length; i++) out[i]! /= n;
    return out;
  },
  backward: ({ inputs, attrs, output }, g) => {
    const x = inputs[0]!;
    const n = x.size / Math.max(output.size, 1);
    const spreadG = spread(g, x, attrs.axes);
    const out = spreadG.data.map((v) => v / n);
    return [new Tensor(out, x.shape)];
  },
  local: ({ inputs, output }) => full(inputs[0]!.shape, output.size / inputs[0]!.size),
  expression: {
    summary: 'mean(x) of all elements; mean(x, axis=k) along one axis',
    arity: [1],
    axis: true,
    call: ([x], { axis }) => mean(x!, axis === undefined ? {} : { axis }),
  },
  gradcheck: { cases: reduceCases },
});

export const maxOp = defineOp<ReduceAttrs>({
  name: 'max',
  label: {
    symbol: 'max',
    gate: 'max gate (reduction)',
    rule: 'max routes: only the largest element (the first, on ties) gets the upstream gradient',
  },
  inferShape: ([x], { axes, keepDims }) => reducedShape(x!, axes, keepDims),
  forward: ({ inputs, attrs, shape, dtype, save }) => {
    const x = inputs[0]!;
    const out = allocate(dtype, sizeOf(shape));
    const winner = new Int32Array(out.length);
    scatterMaxStrided(x.data, x.shape, reductionStrides(x.shape, attrs.axes), out, winner);
    save(winner);
    return out;
  },
  backward: ({ inputs, saved }, g) => {
    const x = inputs[0]!;
    const out = allocate(g.dtype, x.size);
    const winner = saved as Int32Array;
    for (let i = 0; i < winner.length; i++) out[winner[i]!] = g.data[i]!;
    return [new Tensor(out, x.shape)];
  },
  local: ({ inputs, saved }) => {
    const x = inputs[0]!;
    const out = allocate(x.dtype, x.size);
    for (const w of saved as Int32Array) out[w] = 1;
    return new Tensor(out, x.shape);
  },
  decisions: (_inputs, _output, saved) => saved as Int32Array,
  expression: {
    summary:
      'max(x), the largest element; max(x, axis=k) along one axis (two values: maximum(a, b))',
    arity: [1],
    axis: true,
    call: ([x], { axis }) => max(x!, axis === undefined ? {} : { axis }),
  },
  gradcheck: { cases: reduceCases, distinct: true },
});

/** exp(x − logsumexp(x)): the softmax weights of each element within its reduced group. */
function softmaxWeights(x: Tensor, out: Tensor, axes: readonly number[]): Tensor {
  return exp(sub(x, spread(out, x, axes)));
}

export const logsumexpOp = defineOp<ReduceAttrs>({
  name: 'logsumexp',
  label: {
    symbol: 'logΣexp',
    gate: 'log-sum-exp gate',
    rule: 'log-sum-exp: each element gets the upstream gradient times its softmax weight',
  },
  inferShape: ([x], { axes, keepDims }) => reducedShape(x!, axes, keepDims),
  // m + log Σ exp(x − m) with m the group's maximum: e^1000 would be Infinity, this stays exact.
  forward: ({ inputs, attrs, shape, dtype }) => {
    const x = inputs[0]!;
    const strides = reductionStrides(x.shape, attrs.axes);
    const size = sizeOf(shape);
    const m = new Float64Array(size);
    scatterMaxStrided(x.data, x.shape, strides, m, new Int32Array(size));
    // An all −∞ group has max −∞; its terms would be exp(−∞ − (−∞)) = NaN, so shift by 0 there.
    for (let o = 0; o < size; o++) if (m[o] === -Infinity) m[o] = 0;
    const terms = gatherStrided(m, x.shape, strides, new Float64Array(x.size));
    for (let i = 0; i < terms.length; i++) terms[i] = Math.exp(x.data[i]! - terms[i]!);
    const total = scatterAddStrided(terms, x.shape, strides, new Float64Array(size));
    const out = allocate(dtype, size);
    for (let o = 0; o < size; o++) out[o] = m[o]! + Math.log(total[o]!);
    return out;
  },
  backward: ({ inputs, output, attrs }, g) => {
    const x = inputs[0]!;
    return [mul(softmaxWeights(x, output, attrs.axes), spread(g, x, attrs.axes))];
  },
  local: ({ inputs, output, attrs }) => softmaxWeights(inputs[0]!, output, attrs.axes),
  expression: {
    summary: 'log Σ exp(x) without overflow, of all elements or along axis=k',
    arity: [1],
    axis: true,
    call: ([x], { axis }) => logsumexp(x!, axis === undefined ? {} : { axis }),
  },
  gradcheck: { cases: reduceCases },
});

/**
 * The public function of a reduction. `emptyIsError`: a mean or max over no elements has no value
 * (it would be NaN or -Infinity), so reducing an axis of size 0 into a non-empty result is refused.
 */
function reducer(op: OpDef<ReduceAttrs>, emptyIsError: boolean) {
  const name = op.name;
  return (x: Tensor, options: ReduceOptions = {}): Tensor => {
    checkTensor(name, 'x', x);
    const opts = checkOptions(name, 'options', options);
    const axes = normalizeAxes(name, opts.axis, x.ndim);
    const keepDims =
      opts.keepDims === undefined ? false : checkBoolean(name, 'options.keepDims', opts.keepDims);
    if (emptyIsError && x.size === 0 && sizeOf(reducedShape(x.shape, axes, keepDims)) > 0) {
      throw badArgument(
        name,
        `cannot take the ${name} over no elements: x has shape ${formatShape(x.shape)}`,
      );
    }
    return apply(op, [x], { axes, keepDims });
  };
}

/**
 * Sum over `axis` (all axes by default).
 *
 * @example
 * sum(tensor([[1, 2], [3, 4]]), { axis: 1, keepDims: true }).toArray() // [[3], [7]]
 */
export const sum = reducer(sumOp, false);
/** Mean over `axis` (all axes by default). */
export const mean = reducer(meanOp, true);
/** Maximum over `axis` (all axes by default); the gradient goes to the first maximum. */
export const max = reducer(maxOp, true);
/**
 * log Σ exp(x) over `axis` (all axes by default), computed with the maximum subtracted so that
 * scores of ±1000 stay finite; its gradient is the softmax of x.
 *
 * @example
 * logsumexp(tensor([1000, 1000])).item() // 1000.6931471805599
 */
export const logsumexp = reducer(logsumexpOp, true);
