import { gemm } from './gemm.js';
import type { Data } from './types.js';
import { conv2dBackwardWasm, conv2dForwardWasm } from './wasm/conv.js';
import { wasmKernels } from './wasm/runtime.js';

/**
 * Everything about one 2-D convolution's sizes: input N×C×H×W, filters F×C×HH×WW, stride and
 * zero padding per axis, output N×F×outH×outW.
 */
export interface ConvGeometry {
  n: number;
  c: number;
  h: number;
  w: number;
  f: number;
  hh: number;
  ww: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  outH: number;
  outW: number;
}

/** Output length of a sliding window: floor((size + 2·pad − window) / stride) + 1, as PyTorch. */
export function slidingOutput(size: number, window: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - window) / stride) + 1;
}

/**
 * Unrolls every receptive field of image `image` into a column: cols is (C·HH·WW) × (outH·outW),
 * row-major, with zeros where the window hangs over the padding. A convolution then becomes one
 * matrix product, W (F × C·HH·WW) · cols.
 */
export function im2col(x: Data, image: number, g: ConvGeometry, cols: Data): Data {
  const { c, h, w, hh, ww, strideH, strideW, padH, padW, outH, outW } = g;
  const positions = outH * outW;
  const imageOffset = image * c * h * w;
  let row = 0;
  for (let ch = 0; ch < c; ch++) {
    const channelOffset = imageOffset + ch * h * w;
    for (let ki = 0; ki < hh; ki++) {
      for (let kj = 0; kj < ww; kj++, row++) {
        const rowOffset = row * positions;
        for (let oi = 0; oi < outH; oi++) {
          const i = oi * strideH - padH + ki;
          const outRow = rowOffset + oi * outW;
          if (i < 0 || i >= h) {
            for (let oj = 0; oj < outW; oj++) cols[outRow + oj] = 0;
            continue;
          }
          const inRow = channelOffset + i * w;
          for (let oj = 0; oj < outW; oj++) {
            const j = oj * strideW - padW + kj;
            cols[outRow + oj] = j >= 0 && j < w ? x[inRow + j]! : 0;
          }
        }
      }
    }
  }
  return cols;
}

/**
 * The adjoint of im2col: adds every column entry back onto the input pixel it was copied from
 * (overlapping windows add up; entries from the padding are dropped).
 */
export function col2imAdd(cols: Data, image: number, g: ConvGeometry, dx: Data): Data {
  const { c, h, w, hh, ww, strideH, strideW, padH, padW, outH, outW } = g;
  const positions = outH * outW;
  const imageOffset = image * c * h * w;
  let row = 0;
  for (let ch = 0; ch < c; ch++) {
    const channelOffset = imageOffset + ch * h * w;
    for (let ki = 0; ki < hh; ki++) {
      for (let kj = 0; kj < ww; kj++, row++) {
        const rowOffset = row * positions;
        for (let oi = 0; oi < outH; oi++) {
          const i = oi * strideH - padH + ki;
          if (i < 0 || i >= h) continue;
          const inRow = channelOffset + i * w;
          const outRow = rowOffset + oi * outW;
          for (let oj = 0; oj < outW; oj++) {
            const j = oj * strideW - padW + kj;
            if (j >= 0 && j < w) dx[inRow + j]! += cols[outRow + oj]!;
          }
        }
      }
    }
  }
  return dx;
}

/** Room for one image's columns, (C·HH·WW) × (outH·outW), of the output's type. */
function colsFor(g: ConvGeometry, like: Data): Data {
  const n = g.c * g.hh * g.ww * g.outH * g.outW;
  return like instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
}

/**
 * out[n] = W · im2col(x[n]) + b, image by image. Runs on the WebAssembly kernels when they are
 * available.
 */
export function conv2dForward(
  x: Data,
  weights: Data,
  bias: Data | null,
  g: ConvGeometry,
  out: Data,
): Data {
  const w = wasmKernels();
  if (w && conv2dForwardWasm(w, x, weights, bias, g, out)) return out;
  const cols = colsFor(g, out);
  const k = g.c * g.hh * g.ww;
  const positions = g.outH * g.outW;
  const perImage = g.f * positions;
  for (let n = 0; n < g.n; n++) {
    im2col(x, n, g, cols);
    const outImage = out.subarray(n * perImage, (n + 1) * perImage);
    gemm(weights, cols, outImage, g.f, k, positions);
    if (bias) {
      for (let f = 0; f < g.f; f++) {
        const b = bias[f]!;
        for (let p = f * positions; p < (f + 1) * positions; p++) outImage[p]! += b;
      }
    }
  }
  return out;
}

/** Which of dx, dW, db to compute, and where to put them (null: skip that work). */
export interface ConvGradients {
  dx: Data | null;
  dw: Data | null;
  db: Data | null;
}

/**
 * The VJP of conv2dForward for upstream `dout` (N×F×outH×outW), written into the given buffers,
 * image by image: db += Σ dout[n], dW += dout[n] · im2col(x[n])ᵀ and dx[n] += col2im(Wᵀ · dout[n]) —
 * both products are gemm with a transpose flag, so nothing is transposed in memory.
 */
export function conv2dBackward(
  x: Data,
  weights: Data,
  dout: Data,
  g: ConvGeometry,
  grads: ConvGradients,
): ConvGradients {
  const w = wasmKernels();
  if (w && conv2dBackwardWasm(w, x, weights, dout, g, grads)) return grads;
  const cols = colsFor(g, dout);
  grads.dx?.fill(0);
  grads.dw?.fill(0);
  grads.db?.fill(0);
  const k = g.c * g.hh * g.ww;
  const positions = g.outH * g.outW;
  const perImage = g.f * positions;
  const { dx, dw, db } = grads;
  for (let n = 0; n < g.n; n++) {
    const d = dout.subarray(n * perImage, (n + 1) * perImage);
    if (db) {
      for (let f = 0; f < g.f; f++) {
        let s = 0;
        for (let p = f * positions; p < (f + 1) * positions; p++) s += d[p]!;
        db[f]! += s;
      }
    }
    if (dw) {
      im2col(x, n, g, cols);
      gemm(d, cols, dw, g.f, positions, k, { transB: true, accumulate: true });
    }
    if (dx) {
      gemm(weights, d, cols, k, g.f, positions, { transA: true });
      col2imAdd(cols, n, g, dx);
    }
  }
  return grads;
}
