import { apply } from '../core/apply.js';
import { ShapeError, formatShape } from '../core/errors.js';
import { defineOp, type CaseRandom } from '../core/op.js';
import { Tensor } from '../core/tensor.js';
import { checkOptions, checkTensor } from '../core/validate.js';
import {
  avgPoolBackward,
  avgPoolForward,
  maxPoolBackward,
  maxPoolForward,
  type PoolGeometry,
} from '../kernels/pool.js';
import { slidingOutput } from '../kernels/im2col.js';
import { allocate } from '../kernels/types.js';
import { perAxis, type PerAxis } from './conv.js';

type PoolAttrs = { size: readonly number[]; stride: readonly number[] };

function geometry(x: readonly number[], { size, stride }: PoolAttrs): PoolGeometry {
  const [n, c, h, w] = x as [number, number, number, number];
  const [hh, ww] = size as [number, number];
  const [strideH, strideW] = stride as [number, number];
  return {
    planes: n * c,
    h,
    w,
    hh,
    ww,
    strideH,
    strideW,
    outH: slidingOutput(h, hh, strideH, 0),
    outW: slidingOutput(w, ww, strideW, 0),
  };
}

function inferPoolShape(op: string) {
  return (shapes: readonly (readonly number[])[], attrs: PoolAttrs): number[] => {
    const x = shapes[0]!;
    if (x.length !== 4) {
      throw new ShapeError(op, shapes, `x must be N×C×H×W (rank 4), got ${formatShape(x)}`);
    }
    const g = geometry(x, attrs);
    if (g.outH < 1 || g.outW < 1) {
      throw new ShapeError(
        op,
        [x, attrs.size],
        `the ${g.hh}×${g.ww} window ${formatShape(attrs.size)} does not fit the ${g.h}×${g.w} ` +
          `images of x ${formatShape(x)}`,
      );
    }
    return [x[0]!, x[1]!, g.outH, g.outW];
  };
}

const poolCases = (r: CaseRandom) => {
  const [h, w] = [r.int(1, 5), r.int(1, 5)];
  const size = [r.int(1, Math.min(3, h)), r.int(1, Math.min(3, w))];
  const stride = [r.int(1, 3), r.int(1, 3)];
  return { shapes: [[r.int(1, 2), r.int(1, 2), h, w]], attrs: { size, stride } };
};

export const maxPool2dOp = defineOp<PoolAttrs>({
  name: 'maxPool2d',
  label: {
    symbol: 'maxpool',
    gate: 'max-pooling gate',
    rule: 'max pooling routes: in each window only the largest input (the first, on ties) gets the gradient',
  },
  inferShape: inferPoolShape('maxPool2d'),
  forward: ({ inputs, attrs, shape, dtype, save }) => {
    const x = inputs[0]!;
    const out = allocate(
      dtype,
      shape.reduce((a, d) => a * d, 1),
    );
    const winner = new Int32Array(out.length);
    maxPoolForward(x.data, geometry(x.shape, attrs), out, winner);
    save(winner);
    return out;
  },
  backward: ({ inputs, saved }, dout) => {
    const x = inputs[0]!;
    const dx = maxPoolBackward(dout.data, saved as Int32Array, allocate(dout.dtype, x.size));
    return [new Tensor(dx, x.shape)];
  },
  vjpText: ['dx = the upstream gradient of each window, routed to that window’s maximum'],
  decisions: (_inputs, _output, saved) => saved as Int32Array,
  gradcheck: { cases: poolCases, distinct: true },
});

export const avgPool2dOp = defineOp<PoolAttrs>({
  name: 'avgPool2d',
  label: {
    symbol: 'avgpool',
    gate: 'average-pooling gate',
    rule: 'average pooling distributes: every input of a window gets the upstream gradient / window size',
  },
  inferShape: inferPoolShape('avgPool2d'),
  forward: ({ inputs, attrs, shape, dtype }) => {
    const x = inputs[0]!;
    const out = allocate(
      dtype,
      shape.reduce((a, d) => a * d, 1),
    );
    return avgPoolForward(x.data, geometry(x.shape, attrs), out);
  },
  backward: ({ inputs, attrs }, dout) => {
    const x = inputs[0]!;
    const dx = avgPoolBackward(dout.data, geometry(x.shape, attrs), allocate(dout.dtype, x.size));
    return [new Tensor(dx, x.shape)];
  },
  vjpText: ['dx = the upstream gradient of each window / its size, spread over the window'],
  gradcheck: { cases: poolCases },
});

export interface PoolOptions {
  /** Window size per axis (default 2). */
  size?: PerAxis;
  /** Step between windows per axis (default: the window size, so windows tile the image). */
  stride?: PerAxis;
}

function pooling(op: typeof maxPool2dOp) {
  return (x: Tensor, options: PoolOptions = {}): Tensor => {
    checkTensor(op.name, 'x', x);
    checkOptions(op.name, 'options', options);
    const size = perAxis(op.name, 'size', options.size ?? 2, 1);
    const stride = perAxis(op.name, 'stride', options.stride ?? size, 1);
    return apply(op, [x], { size, stride });
  };
}

/**
 * Max over each size×size window of images x (N×C×H×W), moving by `stride`; no padding, output
 * floor((H − size) / stride) + 1 per axis. The gradient goes to the first maximum of each window.
 *
 * @example
 * maxPool2d(tensor([[[[1, 2], [4, 3]]]]), { size: 2, stride: 2 }).toArray() // [[[[4]]]]
 */
export const maxPool2d = pooling(maxPool2dOp);

/**
 * Mean over each size×size window of images x (N×C×H×W), moving by `stride`.
 *
 * @example
 * avgPool2d(tensor([[[[1, 2], [4, 3]]]]), { size: 2 }).toArray() // [[[[2.5]]]]
 */
export const avgPool2d = pooling(avgPool2dOp);
