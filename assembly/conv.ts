// 2-D convolution as im2col + gemm, forward and both backward passes, for T = f32 or f64: the
// same steps, in the same order, as src/kernels/im2col.ts, so float64 results agree bit for bit.
import { gemm } from './gemm';

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

/**
 * out[n] = W · im2col(x[n]) (+ b) for images n0..n1. `cols` holds one image's columns; `pack`
 * is gemm's scratch space. `bias` is 0 for none.
 */
export function convForward<T>(
  x: usize,
  w: usize,
  bias: usize,
  out: usize,
  g: usize,
  n0: i32,
  n1: i32,
  cols: usize,
  pack: usize,
): void {
  const size = <i32>sizeof<T>();
  const f = load<i32>(g, F);
  const k = load<i32>(g, C) * load<i32>(g, HH) * load<i32>(g, WW);
  const positions = load<i32>(g, OUT_H) * load<i32>(g, OUT_W);
  for (let n = n0; n < n1; n++) {
    im2col<T>(x, n, g, cols);
    const image = out + <usize>n * f * positions * size;
    gemm<T>(w, cols, image, f, k, positions, false, false, 0, f, pack, false);
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

/**
 * The VJP for images n0..n1, adding into dx, dw, db (0 to skip one): db += Σ dout[n],
 * dW += dout[n] · im2col(x[n])ᵀ, dx[n] += col2im(Wᵀ · dout[n]).
 */
export function convBackward<T>(
  x: usize,
  w: usize,
  dout: usize,
  dx: usize,
  dw: usize,
  db: usize,
  g: usize,
  n0: i32,
  n1: i32,
  cols: usize,
  pack: usize,
): void {
  const size = <i32>sizeof<T>();
  const f = load<i32>(g, F);
  const k = load<i32>(g, C) * load<i32>(g, HH) * load<i32>(g, WW);
  const positions = load<i32>(g, OUT_H) * load<i32>(g, OUT_W);
  for (let n = n0; n < n1; n++) {
    const d = dout + <usize>n * f * positions * size;
    if (db != 0) {
      for (let fi = 0; fi < f; fi++) {
        let s: T = <T>0;
        const row = d + <usize>fi * positions * size;
        for (let p = 0; p < positions; p++) s += load<T>(row + <usize>p * size);
        const q = db + <usize>fi * size;
        store<T>(q, load<T>(q) + s);
      }
    }
    if (dw != 0) {
      im2col<T>(x, n, g, cols);
      gemm<T>(d, cols, dw, f, positions, k, false, true, 0, f, pack, true);
    }
    if (dx != 0) {
      gemm<T>(w, d, cols, k, f, positions, true, false, 0, k, pack, false);
      col2imAdd<T>(cols, n, g, dx);
    }
  }
}
