import { apply } from '../core/apply.js';
import { badArgument, formatShape } from '../core/errors.js';
import { defineOp, type CaseRandom } from '../core/op.js';
import { normalizeAxes } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { checkOptions, checkTensor } from '../core/validate.js';
import { softmaxAlongAxis } from '../kernels/softmax.js';
import { allocate } from '../kernels/types.js';
import { exp, mul, sub } from './elementwise.js';
import { sum } from './reduce.js';

// The log-sum-exp family, fused because composing exp, sum and log overflows: e^1000 is Infinity
// in float64, while the max-shifted forms below stay finite and exact.

type AxisAttrs = { axis: number };

/** The input viewed as outer × n × inner around `axis`. */
function around(shape: readonly number[], axis: number): [number, number, number] {
  const outer = shape.slice(0, axis).reduce((a, d) => a * d, 1);
  const inner = shape.slice(axis + 1).reduce((a, d) => a * d, 1);
  return [outer, shape[axis]!, inner];
}

const axisCases = (r: CaseRandom) => {
  const shape = r.shape(1, 3, 4);
  return { shapes: [shape], attrs: { axis: r.int(0, shape.length - 1) } };
};

export const softmaxOp = defineOp<AxisAttrs>({
  name: 'softmax',
  label: {
    symbol: 'softmax',
    gate: 'softmax gate',
    rule: 'softmax: dx = y ⊙ (upstream − Σ upstream ⊙ y), the sum taken along the softmax axis',
  },
  inferShape: ([x]) => [...x!],
  forward: ({ inputs, attrs, dtype }) => {
    const x = inputs[0]!;
    return softmaxAlongAxis(x.data, ...around(x.shape, attrs.axis), allocate(dtype, x.size), false);
  },
  backward: ({ output: y, attrs }, g) => [
    mul(y, sub(g, sum(mul(g, y), { axis: attrs.axis, keepDims: true }))),
  ],
  vjpText: ['dx = y ⊙ (upstream − Σ(upstream ⊙ y)) along the axis'],
  expression: {
    summary: 'exp(x) / Σ exp(x) along the last axis, or softmax(x, axis=k)',
    arity: [1],
    axis: true,
    call: ([x], { axis }) => softmax(x!, axis === undefined ? {} : { axis }),
  },
  gradcheck: { cases: axisCases },
});

export const logSoftmaxOp = defineOp<AxisAttrs>({
  name: 'logSoftmax',
  label: {
    symbol: 'logsoftmax',
    gate: 'log-softmax gate',
    rule: 'log-softmax: dx = upstream − softmax(x) · Σ upstream, the sum taken along the axis',
  },
  inferShape: ([x]) => [...x!],
  forward: ({ inputs, attrs, dtype }) => {
    const x = inputs[0]!;
    return softmaxAlongAxis(x.data, ...around(x.shape, attrs.axis), allocate(dtype, x.size), true);
  },
  backward: ({ output: y, attrs }, g) => [
    sub(g, mul(exp(y), sum(g, { axis: attrs.axis, keepDims: true }))),
  ],
  vjpText: ['dx = upstream − softmax(x) ⊙ Σ upstream along the axis'],
  expression: {
    summary: 'log(softmax(x)) without overflow, along the last axis or axis=k',
    arity: [1],
    axis: true,
    call: ([x], { axis }) => logSoftmax(x!, axis === undefined ? {} : { axis }),
  },
  gradcheck: { cases: axisCases },
});

export interface AxisOptions {
  /** The axis to normalise over (default -1, the last; negative counts from the end). */
  axis?: number;
}

function alongAxis(op: typeof softmaxOp) {
  return (x: Tensor, options: AxisOptions = {}): Tensor => {
    checkTensor(op.name, 'x', x);
    checkOptions(op.name, 'options', options);
    if (x.ndim === 0) {
      throw badArgument(
        op.name,
        `needs a tensor with at least one axis, got shape ${formatShape(x.shape)}`,
      );
    }
    const [axis] = normalizeAxes(op.name, options.axis ?? -1, x.ndim);
    return apply(op, [x], { axis: axis! });
  };
}

/**
 * exp(x) / Σ exp(x) along `axis` (default: the last), computed with the maximum subtracted so
 * that scores of ±1000 stay finite.
 *
 * @example
 * softmax(tensor([1000, 1000])).toArray() // [0.5, 0.5]
 */
export const softmax = alongAxis(softmaxOp);

/**
 * log(softmax(x)) along `axis` (default: the last), as x − max − log Σ exp(x − max): exact where
 * log(softmax(x)) would give log(0) = −Infinity.
 *
 * @example
 * logSoftmax(tensor([0, -1000])).toArray() // [0, -1000]
 */
export const logSoftmax = alongAxis(logSoftmaxOp);
