// 2-D convolution as im2col + gemm, forward and both backward passes, for T = f32 or f64: the
// same steps, in the same order, as src/kernels/im2col.ts, so float64 results agree bit for bit.
import { gemm, gemmScratch } from './gemm';

// The sizes of a convolution are 13 consecutive i32 at `g` (no objects: the kernels allocate
// nothing), byte offsets below: images N×C×H×W (N at 0), filters F×C×HH×WW, stride and padding per axis, output outH×outW.
const C = 4;
const H = 8;
const W = 12;
const F = 16;
const HH = 20;
const WW = 24;
const STRIDE_H = 28;
const STRIDE_W = 32;
const PAD_H = 36;
const PAD_W = 40;
const OUT_H = 44;
const OUT_W = 48;

/** Unrolls image `image` of x into cols, (C·HH·WW) × (outH·outW), zeros over the padding. */
function im2col<T>(x: usize, image: i32, g: usize, cols: usize): void {
  const c = load<i32>(g, C);
  const h = load<i32>(g, H);
  const w = load<i32>(g, W);
  const hh = load<i32>(g, HH);
  const ww = load<i32>(g, WW);
  const strideH = load<i32>(g, STRIDE_H);
  const strideW = load<i32>(g, STRIDE_W);
  const padH = load<i32>(g, PAD_H);
  const padW = load<i32>(g, PAD_W);
  const outH = load<i32>(g, OUT_H);
  const outW = load<i32>(g, OUT_W);
  const size = <i32>sizeof<T>();
  let dst = cols;
  for (let ch = 0; ch < c; ch++) {
    const plane = x + <usize>(image * c + ch) * h * w * size;
    for (let ki = 0; ki < hh; ki++) {
      for (let kj = 0; kj < ww; kj++) {
        for (let oi = 0; oi < outH; oi++) {
          const i = oi * strideH - padH + ki;
          if (i < 0 || i >= h) {
            memory.fill(dst, 0, <usize>outW * size);
            dst += <usize>outW * size;
            continue;
          }
          const row = plane + <usize>i * w * size;
          for (let oj = 0; oj < outW; oj++) {
            const j = oj * strideW - padW + kj;
            store<T>(dst, j >= 0 && j < w ? load<T>(row + <usize>j * size) : <T>0);
            dst += size;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: adds each column entry onto the pixel of image `image` it came from. */
function col2imAdd<T>(cols: usize, image: i32, g: usize, dx: usize): void {
  const c = load<i32>(g, C);
  const h = load<i32>(g, H);
  const w = load<i32>(g, W);
  const hh = load<i32>(g, HH);
  const ww = load<i32>(g, WW);
  const strideH = load<i32>(g, STRIDE_H);
  const strideW = load<i32>(g, STRIDE_W);
  const padH = load<i32>(g, PAD_H);
  const padW = load<i32>(g, PAD_W);
  const outH = load<i32>(g, OUT_H);
  const outW = load<i32>(g, OUT_W);
  const size = <i32>sizeof<T>();
  let src = cols;
  for (let ch = 0; ch < c; ch++) {
    const plane = dx + <usize>(image * c + ch) * h * w * size;
    for (let ki = 0; ki < hh; ki++) {
      for (let kj = 0; kj < ww; kj++) {
        for (let oi = 0; oi < outH; oi++) {
          const i = oi * strideH - padH + ki;
          if (i < 0 || i >= h) {
            src += <usize>outW * size;
            continue;
          }
          const row = plane + <usize>i * w * size;
          for (let oj = 0; oj < outW; oj++) {
            const j = oj * strideW - padW + kj;
            if (j >= 0 && j < w) {
              const p = row + <usize>j * size;
              store<T>(p, load<T>(p) + load<T>(src));
            }
            src += size;
          }
        }
      }
    }
  }
}

// The operands of a convolution task: 9 consecutive i32 at `args` (byte offsets below).
const X = 0;
const WEIGHTS = 4;
const BIAS = 8;
const OUT = 12; // the output (forward) or the upstream gradient dout (backward)
const DX = 16;
const DW = 20;
const DB = 24;
const GEOMETRY = 28;

/** Scratch of one participant: one image's columns, then gemm's packing space. */
export function convScratch(g: usize, size: i32): i32 {
  const k = load<i32>(g, C) * load<i32>(g, HH) * load<i32>(g, WW);
  const cols = k * load<i32>(g, OUT_H) * load<i32>(g, OUT_W) * size;
  return ((cols + 63) & ~63) + gemmScratch(size);
}

function packOf(g: usize, size: i32, scratch: usize): usize {
  return scratch + <usize>(convScratch(g, size) - gemmScratch(size));
}

/** out[n] = W · im2col(x[n]) (+ b) for images n0..n1 (bias pointer 0: none). */
export function convForward<T>(args: usize, n0: i32, n1: i32, scratch: usize): void {
  const g = load<usize>(args, GEOMETRY);
  const size = <i32>sizeof<T>();
  const x = load<usize>(args, X);
  const w = load<usize>(args, WEIGHTS);
  const bias = load<usize>(args, BIAS);
  const out = load<usize>(args, OUT);
  const f = load<i32>(g, F);
  const k = load<i32>(g, C) * load<i32>(g, HH) * load<i32>(g, WW);
  const positions = load<i32>(g, OUT_H) * load<i32>(g, OUT_W);
  const pack = packOf(g, size, scratch);
  for (let n = n0; n < n1; n++) {
    im2col<T>(x, n, g, scratch);
    const image = out + <usize>n * f * positions * size;
    gemm<T>(w, scratch, image, f, k, positions, false, false, 0, f, pack, false);
    if (bias == 0) continue;
    for (let fi = 0; fi < f; fi++) {
      const b = load<T>(bias + <usize>fi * size);
      const row = image + <usize>fi * positions * size;
      for (let p = 0; p < positions; p++) {
        const q = row + <usize>p * size;
        store<T>(q, load<T>(q) + b);
      }
    }
  }
}

/** dx[n] += col2im(Wᵀ · dout[n]) for images n0..n1. */
export function convBackwardData<T>(args: usize, n0: i32, n1: i32, scratch: usize): void {
  const g = load<usize>(args, GEOMETRY);
  const size = <i32>sizeof<T>();
  const w = load<usize>(args, WEIGHTS);
  const dout = load<usize>(args, OUT);
  const dx = load<usize>(args, DX);
  const f = load<i32>(g, F);
  const k = load<i32>(g, C) * load<i32>(g, HH) * load<i32>(g, WW);
  const positions = load<i32>(g, OUT_H) * load<i32>(g, OUT_W);
  const pack = packOf(g, size, scratch);
  for (let n = n0; n < n1; n++) {
    const d = dout + <usize>n * f * positions * size;
    gemm<T>(w, d, scratch, k, f, positions, true, false, 0, k, pack, false);
    col2imAdd<T>(scratch, n, g, dx);
  }
}

/**
 * For filters f0..f1, over every image in order: db[f] += Σ dout[n, f] and
 * dW[f] += dout[n, f] · im2col(x[n])ᵀ (either pointer 0: skip it). Split by filters, so each
 * element of dW is summed by one thread in the same order whatever the number of threads.
 */
export function convBackwardFilter<T>(args: usize, f0: i32, f1: i32, scratch: usize): void {
  const g = load<usize>(args, GEOMETRY);
  const size = <i32>sizeof<T>();
  const x = load<usize>(args, X);
  const dout = load<usize>(args, OUT);
  const dw = load<usize>(args, DW);
  const db = load<usize>(args, DB);
  const f = load<i32>(g, F);
  const k = load<i32>(g, C) * load<i32>(g, HH) * load<i32>(g, WW);
  const positions = load<i32>(g, OUT_H) * load<i32>(g, OUT_W);
  const pack = packOf(g, size, scratch);
  for (let n = 0; n < load<i32>(g, 0); n++) {
    const d = dout + <usize>n * f * positions * size;
    if (db != 0) {
      for (let fi = f0; fi < f1; fi++) {
        let s: T = <T>0;
        const row = d + <usize>fi * positions * size;
        for (let p = 0; p < positions; p++) s += load<T>(row + <usize>p * size);
        const q = db + <usize>fi * size;
        store<T>(q, load<T>(q) + s);
      }
    }
    if (dw != 0) {
      im2col<T>(x, n, g, scratch);
      gemm<T>(d, scratch, dw, f, positions, k, false, true, f0, f1, pack, true);
    }
  }
}
