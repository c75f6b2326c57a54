import { formatShape, within } from '../core/errors.js';
import { sizeOf } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { checkOptions, checkSize, checkTensors } from '../core/validate.js';
import { conv2d, conv2dOp, perAxis, type PerAxis } from '../ops/conv.js';
import { maxPool2d, maxPool2dOp } from '../ops/pool.js';
import { checkCache, opVjp, record, type Tape, sameShape } from './tape.js';

// Convolution and max pooling, twice: the naive versions are the definitions written as loops,
// to read; the fast versions run the ops (im2col + one matrix product per image) and their VJPs.
// Tests hold the two to agreement within 1e-12.

/** CS231n's conv_param: stride and zero padding, per axis or one for both. */
export interface ConvParam {
  stride?: PerAxis;
  pad?: PerAxis;
}

/** CS231n's pool_param. */
export interface PoolParam {
  poolHeight: number;
  poolWidth: number;
  stride: PerAxis;
}

/** What the convolution backward passes need. */
export interface ConvCache {
  x: Tensor;
  w: Tensor;
  b: Tensor;
  stride: [number, number];
  pad: [number, number];
  tape: Tape | null;
}

function convSetup(fn: string, x: Tensor, w: Tensor, b: Tensor, convParam: ConvParam) {
  checkOptions(fn, 'convParam', convParam);
  const stride = perAxis(fn, 'stride', convParam.stride ?? 1, 1);
  const pad = perAxis(fn, 'pad', convParam.pad ?? 0, 0);
  // The op's own shape rule: the same checks and the same output size.
  const shape = conv2dOp.inferShape([x.shape, w.shape, b.shape], { stride, pad });
  checkSize(fn, sizeOf(shape), `the output ${formatShape(shape)}`);
  return { stride, pad, shape: shape as [number, number, number, number] };
}

/** Row-major offset of (a, b, c, d) in a 4-d tensor of shape s. */
const at = (s: readonly number[], a: number, b: number, c: number, d: number) =>
  ((a * s[1]! + b) * s[2]! + c) * s[3]! + d;

/**
 * The convolution's forward pass as loops: every output (n, f, i, j) is b[f] plus the sum over
 * channels c and filter positions (ki, kj) of w[f, c, ki, kj] · x_padded[n, c, i·stride + ki, j·stride + kj].
 *
 * @example
 * const { out, cache } = convForwardNaive(x, w, b, { stride: 2, pad: 1 });
 */
export function convForwardNaive(
  x: Tensor,
  w: Tensor,
  b: Tensor,
  convParam: ConvParam = {},
): { out: Tensor; cache: ConvCache } {
  return within('convForwardNaive', () => {
    checkTensors('convForwardNaive', { x, w, b });
    const { stride, pad, shape } = convSetup('convForwardNaive', x, w, b, convParam);
    const [N, F, outH, outW] = shape;
    const [, C, H, W] = x.shape as [number, number, number, number];
    const [, , HH, WW] = w.shape as [number, number, number, number];
    const out = new Float64Array(N * F * outH * outW);
    for (let n = 0; n < N; n++) {
      for (let f = 0; f < F; f++) {
        for (let oi = 0; oi < outH; oi++) {
          for (let oj = 0; oj < outW; oj++) {
            let total = b.data[f]!;
            for (let c = 0; c < C; c++) {
              for (let ki = 0; ki < HH; ki++) {
                for (let kj = 0; kj < WW; kj++) {
                  const i = oi * stride[0] - pad[0] + ki;
                  const j = oj * stride[1] - pad[1] + kj;
                  if (i < 0 || i >= H || j < 0 || j >= W) continue; // the zero padding
                  total += w.data[at(w.shape, f, c, ki, kj)]! * x.data[at(x.shape, n, c, i, j)]!;
                }
              }
            }
            out[at(shape, n, f, oi, oj)] = total;
          }
        }
      }
    }
    return { out: new Tensor(out, shape), cache: { x, w, b, stride, pad, tape: null } };
  });
}

/**
 * The convolution's backward pass as loops: each output's gradient g flows to b[f] (+g), to every
 * weight it used (+g · the input it met) and to every input it read (+g · the weight it met).
 *
 * @example
 * const { dx, dw, db } = convBackwardNaive(dout, cache);
 */
export function convBackwardNaive(
  dout: Tensor,
  cache: ConvCache,
): { dx: Tensor; dw: Tensor; db: Tensor } {
  return within('convBackwardNaive', () => {
    checkCache('convBackwardNaive', cache, 'x');
    checkTensors('convBackwardNaive', { dout });
    sameShape(
      'convBackwardNaive',
      dout,
      convSetup('convBackwardNaive', cache.x, cache.w, cache.b, cache).shape,
      'the forward output',
    );
    const { x, w, b, stride, pad } = cache;
    const [N, F, outH, outW] = dout.shape as [number, number, number, number];
    const [, C, H, W] = x.shape as [number, number, number, number];
    const [, , HH, WW] = w.shape as [number, number, number, number];
    const dx = new Float64Array(x.size);
    const dw = new Float64Array(w.size);
    const db = new Float64Array(b.size);
    for (let n = 0; n < N; n++) {
      for (let f = 0; f < F; f++) {
        for (let oi = 0; oi < outH; oi++) {
          for (let oj = 0; oj < outW; oj++) {
            const g = dout.data[at(dout.shape, n, f, oi, oj)]!;
            db[f]! += g;
            for (let c = 0; c < C; c++) {
              for (let ki = 0; ki < HH; ki++) {
                for (let kj = 0; kj < WW; kj++) {
                  const i = oi * stride[0] - pad[0] + ki;
                  const j = oj * stride[1] - pad[1] + kj;
                  if (i < 0 || i >= H || j < 0 || j >= W) continue;
                  dw[at(w.shape, f, c, ki, kj)]! += g * x.data[at(x.shape, n, c, i, j)]!;
                  dx[at(x.shape, n, c, i, j)]! += g * w.data[at(w.shape, f, c, ki, kj)]!;
                }
              }
            }
          }
        }
      }
    }
    return {
      dx: new Tensor(dx, x.shape),
      dw: new Tensor(dw, w.shape),
      db: new Tensor(db, b.shape),
    };
  });
}

/**
 * The convolution's forward pass with the conv2d op (im2col + matrix product).
 *
 * @example
 * const { out, cache } = convForwardFast(x, w, b, { stride: 1, pad: 1 });
 */
export function convForwardFast(
  x: Tensor,
  w: Tensor,
  b: Tensor,
  convParam: ConvParam = {},
): { out: Tensor; cache: ConvCache } {
  return within('convForwardFast', () => {
    checkTensors('convForwardFast', { x, w, b });
    const { stride, pad } = convSetup('convForwardFast', x, w, b, convParam);
    const { out, tape } = record((xl, wl, bl) => conv2d(xl, wl, bl, { stride, pad }), [x, w, b]);
    return { out, cache: { x, w, b, stride, pad, tape } };
  });
}

/**
 * The convolution's backward pass: the conv2d op's VJP (dW = dout · colsᵀ, dx = col2im(Wᵀ · dout)).
 *
 * @example
 * const { dx, dw, db } = convBackwardFast(dout, cache);
 */
export function convBackwardFast(
  dout: Tensor,
  cache: ConvCache,
): { dx: Tensor; dw: Tensor; db: Tensor } {
  return within('convBackwardFast', () => {
    checkCache('convBackwardFast', cache, 'tape');
    if (!cache.tape) return convBackwardNaive(dout, cache);
    const [dx, dw, db] = opVjp(cache.tape, dout, 'convBackwardFast');
    return { dx: dx!, dw: dw!, db: db! };
  });
}

/** What the max-pooling backward passes need. */
export interface PoolCache {
  x: Tensor;
  size: [number, number];
  stride: [number, number];
  tape: Tape | null;
}

function poolSetup(fn: string, x: Tensor, poolParam: PoolParam) {
  checkOptions(fn, 'poolParam', poolParam);
  const size = perAxis(fn, 'pool size', [poolParam.poolHeight, poolParam.poolWidth], 1);
  const stride = perAxis(fn, 'stride', poolParam.stride, 1);
  const shape = maxPool2dOp.inferShape([x.shape], { size, stride }) as [
    number,
    number,
    number,
    number,
  ];
  return { size, stride, shape };
}

/**
 * Max pooling's forward pass as loops: each output is the largest input of its window.
 *
 * @example
 * maxPoolForwardNaive(x, { poolHeight: 2, poolWidth: 2, stride: 2 }).out
 */
export function maxPoolForwardNaive(
  x: Tensor,
  poolParam: PoolParam,
): { out: Tensor; cache: PoolCache } {
  return within('maxPoolForwardNaive', () => {
    checkTensors('maxPoolForwardNaive', { x });
    const { size, stride, shape } = poolSetup('maxPoolForwardNaive', x, poolParam);
    const out = new Float64Array(shape.reduce((a, d) => a * d, 1));
    forEachWindow(x, shape, size, stride, (o, window) => {
      out[o] = Math.max(...window.map((k) => x.data[k]!));
    });
    return { out: new Tensor(out, shape), cache: { x, size, stride, tape: null } };
  });
}

/**
 * Max pooling's backward pass as loops: each window's gradient goes to its first maximum.
 *
 * @example
 * const dx = maxPoolBackwardNaive(dout, cache);
 */
export function maxPoolBackwardNaive(dout: Tensor, cache: PoolCache): Tensor {
  return within('maxPoolBackwardNaive', () => {
    checkCache('maxPoolBackwardNaive', cache, 'x');
    checkTensors('maxPoolBackwardNaive', { dout });
    sameShape(
      'maxPoolBackwardNaive',
      dout,
      maxPool2dOp.inferShape([cache.x.shape], cache),
      'the forward output',
    );
    const { x, size, stride } = cache;
    const dx = new Float64Array(x.size);
    forEachWindow(x, dout.shape, size, stride, (o, window) => {
      let best = window[0]!;
      for (const k of window) if (x.data[k]! > x.data[best]!) best = k;
      dx[best]! += dout.data[o]!;
    });
    return new Tensor(dx, x.shape);
  });
}

/** Calls visit(output offset, input offsets of its window in row-major order) for every window. */
function forEachWindow(
  x: Tensor,
  outShape: readonly number[],
  [hh, ww]: [number, number],
  [sh, sw]: [number, number],
  visit: (o: number, window: number[]) => void,
): void {
  const [N, C, outH, outW] = outShape as [number, number, number, number];
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      for (let oi = 0; oi < outH; oi++) {
        for (let oj = 0; oj < outW; oj++) {
          const window: number[] = [];
          for (let ki = 0; ki < hh; ki++) {
            for (let kj = 0; kj < ww; kj++)
              window.push(at(x.shape, n, c, oi * sh + ki, oj * sw + kj));
          }
          visit(at(outShape, n, c, oi, oj), window);
        }
      }
    }
  }
}

/**
 * Max pooling's forward pass with the maxPool2d op.
 *
 * @example
 * maxPoolForwardFast(x, { poolHeight: 2, poolWidth: 2, stride: 2 }).out
 */
export function maxPoolForwardFast(
  x: Tensor,
  poolParam: PoolParam,
): { out: Tensor; cache: PoolCache } {
  return within('maxPoolForwardFast', () => {
    checkTensors('maxPoolForwardFast', { x });
    const { size, stride } = poolSetup('maxPoolForwardFast', x, poolParam);
    const { out, tape } = record((xl) => maxPool2d(xl, { size, stride }), [x]);
    return { out, cache: { x, size, stride, tape } };
  });
}

/**
 * Max pooling's backward pass: the maxPool2d op's VJP (routing to each window's first maximum).
 *
 * @example
 * const dx = maxPoolBackwardFast(dout, cache);
 */
export function maxPoolBackwardFast(dout: Tensor, cache: PoolCache): Tensor {
  return within('maxPoolBackwardFast', () => {
    checkCache('maxPoolBackwardFast', cache, 'tape');
    if (!cache.tape) return maxPoolBackwardNaive(dout, cache);
    return opVjp(cache.tape, dout, 'maxPoolBackwardFast')[0]!;
  });
}
