import { apply } from '../core/apply.js';
import { defineOp, type CaseRandom, type OpDef } from '../core/op.js';
import { normalizeAxes, reducedShape, sizeOf, stridesOf } from '../core/shape.js';
import { Tensor, full } from '../core/tensor.js';
import { scatterAddStrided, scatterMaxStrided } from '../kernels/strided.js';
import { allocate } from '../kernels/types.js';
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
  gradcheck: { cases: reduceCases, distinct: true },
});

function reducer(op: OpDef<ReduceAttrs>) {
  return (x: Tensor, options: ReduceOptions = {}): Tensor => {
    const axes = normalizeAxes(op.name, options.axis, x.ndim);
    return apply(op, [x], { axes, keepDims: options.keepDims ?? false });
  };
}

/**
 * Sum over `axis` (all axes by default).
 *
 * @example
 * sum(tensor([[1, 2], [3, 4]]), { axis: 1, keepDims: true }).toArray() // [[3], [7]]
 */
export const sum = reducer(sumOp);
/** Mean over `axis` (all axes by default). */
export const mean = reducer(meanOp);
/** Maximum over `axis` (all axes by default); the gradient goes to the first maximum. */
export const max = reducer(maxOp);
