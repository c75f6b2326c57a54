import { apply } from '../core/apply.js';
import { ShapeError, badArgument, formatShape } from '../core/errors.js';
import { defineOp, type CaseRandom } from '../core/op.js';
import { Tensor } from '../core/tensor.js';
import { checkOptions, checkSize, checkTensor, describe } from '../core/validate.js';
import {
  conv2dBackward,
  conv2dForward,
  slidingOutput,
  type ConvGeometry,
} from '../kernels/im2col.js';
import { allocate } from '../kernels/types.js';

/** A size given once for both axes, or as [height, width]. */
export type PerAxis = number | readonly [number, number];

/**
 * Resolves a per-axis option to [h, w], checking it holds integers ≥ `min`.
 *
 * @example
 * perAxis('conv2d', 'stride', 2, 1) // [2, 2]
 */
export function perAxis(fn: string, name: string, value: PerAxis, min: number): [number, number] {
  const pair: readonly unknown[] =
    typeof value === 'number'
      ? [value, value]
      : Array.isArray(value)
        ? (value as readonly unknown[])
        : [];
  const valid = pair.length === 2 && pair.every((v) => Number.isInteger(v) && (v as number) >= min);
  if (!valid) {
    throw badArgument(
      fn,
      `${name} must be an integer ≥ ${min} or a pair [height, width] of them, got ` +
        (Array.isArray(value)
          ? `[${(value as unknown[]).map(describe).join(', ')}]`
          : describe(value)),
    );
  }
  return [pair[0] as number, pair[1] as number];
}

type ConvAttrs = { stride: readonly number[]; pad: readonly number[] };

/** The sizes of a convolution, from the input and filter shapes (checked by inferShape first). */
function geometry(
  x: readonly number[],
  w: readonly number[],
  { stride, pad }: ConvAttrs,
): ConvGeometry {
  const [n, c, h, wd] = x as [number, number, number, number];
  const [f, , hh, ww] = w as [number, number, number, number];
  const [strideH, strideW] = stride as [number, number];
  const [padH, padW] = pad as [number, number];
  return {
    n,
    c,
    h,
    w: wd,
    f,
    hh,
    ww,
    strideH,
    strideW,
    padH,
    padW,
    outH: slidingOutput(h, hh, strideH, padH),
    outW: slidingOutput(wd, ww, strideW, padW),
  };
}

function inferConvShape(shapes: readonly (readonly number[])[], attrs: ConvAttrs): number[] {
  const [x, w, b] = shapes as [number[], number[], number[] | undefined];
  const fail = (message: string): never => {
    throw new ShapeError('conv2d', shapes, message);
  };
  if (x.length !== 4) fail(`x must be N×C×H×W (rank 4), got ${formatShape(x)}`);
  if (w.length !== 4) fail(`w must be F×C×HH×WW (rank 4), got ${formatShape(w)}`);
  if (x[1] !== w[1]) {
    fail(
      `x has ${x[1]} channels (shape ${formatShape(x)}) but the filters w expect ${w[1]} ` +
        `(shape ${formatShape(w)}); axis 1 of both must agree`,
    );
  }
  if (b !== undefined && (b.length !== 1 || b[0] !== w[0])) {
    fail(
      `the bias b must have shape [${w[0]}] (one per filter of w ${formatShape(w)}), got ${formatShape(b)}`,
    );
  }
  const g = geometry(x, w, attrs);
  if (g.outH < 1 || g.outW < 1) {
    fail(
      `the ${g.hh}×${g.ww} filters of w ${formatShape(w)} do not fit the ${g.h}×${g.w} images of ` +
        `x ${formatShape(x)} with padding [${g.padH}, ${g.padW}]`,
    );
  }
  return [g.n, g.f, g.outH, g.outW];
}

export const conv2dOp = defineOp<ConvAttrs>({
  name: 'conv2d',
  label: {
    symbol: 'conv',
    gate: 'convolution gate',
    rule: 'conv: each filter weight gets Σ upstream × the input it touched; each input pixel gets Σ upstream × the weights it met',
  },
  inferShape: inferConvShape,
  forward: ({ inputs, attrs, shape, dtype }) => {
    const [x, w, b] = inputs as [Tensor, Tensor, Tensor | undefined];
    const g = geometry(x.shape, w.shape, attrs);
    const out = allocate(
      dtype,
      shape.reduce((a, d) => a * d, 1),
    );
    return conv2dForward(x.data, w.data, b?.data ?? null, g, out);
  },
  backward: ({ inputs, attrs, needsGrad }, dout) => {
    const [x, w, b] = inputs as [Tensor, Tensor, Tensor | undefined];
    const g = geometry(x.shape, w.shape, attrs);
    const dtype = dout.dtype;
    const grads = conv2dBackward(x.data, w.data, dout.data, g, {
      dx: needsGrad[0] ? allocate(dtype, x.size) : null,
      dw: needsGrad[1] ? allocate(dtype, w.size) : null,
      db: b && needsGrad[2] ? allocate(dtype, b.size) : null,
    });
    const out = [
      grads.dx && new Tensor(grads.dx, x.shape),
      grads.dw && new Tensor(grads.dw, w.shape),
    ];
    if (b) out.push(grads.db && new Tensor(grads.db, b.shape));
    return out;
  },
  vjpText: [
    'dx = col2im(Wᵀ · upstream): every input pixel collects upstream × weight from each window it fed',
    'dW = upstream · im2col(x)ᵀ summed over the batch: each weight collects upstream × the input it met',
    'db = upstream summed over the batch and every output position',
  ],
  gradcheck: {
    cases: (r: CaseRandom) => {
      const pad = [r.int(0, 1), r.int(0, 1)];
      const stride = [r.int(1, 2), r.int(1, 2)];
      const [n, c, h, w, f] = [r.int(1, 2), r.int(1, 3), r.int(1, 5), r.int(1, 5), r.int(1, 3)];
      const hh = r.int(1, Math.min(3, h + 2 * pad[0]!));
      const ww = r.int(1, Math.min(3, w + 2 * pad[1]!));
      const shapes = [
        [n, c, h, w],
        [f, c, hh, ww],
      ];
      if (r.int(0, 1) === 1) shapes.push([f]);
      return { shapes, attrs: { stride, pad } };
    },
  },
});

export interface Conv2dOptions {
  /** Step between windows, per axis (default 1). */
  stride?: PerAxis;
  /** Zeros added on each side, per axis (default 0). */
  pad?: PerAxis;
}

/**
 * 2-D cross-correlation (what CS231n and PyTorch call convolution) of images x (N×C×H×W) with
 * filters w (F×C×HH×WW), plus an optional bias b (F). The output is N×F×outH×outW with
 * outH = floor((H + 2·pad − HH) / stride) + 1. Computed as im2col + one matrix product.
 *
 * @example
 * const x = tensor([[[[1, 2], [3, 4]]]]); // 1×1×2×2
 * conv2d(x, tensor([[[[1, 1], [1, 1]]]]), { stride: 1, pad: 0 }).toArray() // [[[[10]]]]
 */
export function conv2d(
  x: Tensor,
  w: Tensor,
  b?: Tensor | null | Conv2dOptions,
  options: Conv2dOptions = {},
): Tensor {
  checkTensor('conv2d', 'x', x);
  checkTensor('conv2d', 'w', w);
  const bias = b instanceof Tensor ? b : null;
  const opts = checkOptions(
    'conv2d',
    'options',
    b instanceof Tensor || b === null || b === undefined ? options : b,
  );
  const stride = perAxis('conv2d', 'stride', opts.stride ?? 1, 1);
  const pad = perAxis('conv2d', 'pad', opts.pad ?? 0, 0);
  const inputs = bias ? [x, w, bias] : [x, w];
  // im2col's scratch (C·HH·WW rows × outH·outW columns) is bounded like a tensor.
  const [, , outH, outW] = conv2dOp.inferShape(
    inputs.map((t) => t.shape),
    { stride, pad },
  );
  checkSize('conv2d', (w.size / Math.max(1, w.shape[0]!)) * outH! * outW!, 'the im2col buffer');
  return apply(conv2dOp, inputs, { stride, pad });
}
