// 2-D convolution as im2col + gemm, forward and both backward passes, for T = f32 or f64: the
// same steps, in the same order, as src/kernels/im2col.ts, so float64 results agree bit for bit.
import { gemm, gemmScratch } from './gemm';

/**
 * The sizes of a convolution: 13 consecutive i32 that JavaScript lays out at `g` (no objects: the
 * kernels allocate nothing; `changetype<Geometry>(g)` reads them in place). Images N×C×H×W,
 * filters F×C×HH×WW, stride and padding per axis, output outH×outW.
 */
@unmanaged
class Geometry {
  n: i32;
  c: i32;
  h: i32;
  w: i32;
  f: i32;
  hh: i32;
  ww: i32;
  strideH: i32;
  strideW: i32;
  padH: i32;
  padW: i32;
  outH: i32;
  outW: i32;

  /** Values in one window: the depth of the products (C·HH·WW). */
  get depth(): i32 {
    return this.c * this.hh * this.ww;
  }

  /** Output positions of one image (outH·outW). */
  get positions(): i32 {
    return this.outH * this.outW;
  }
}

/**
 * im2col and its adjoint, which walk the same way. Unrolling (`add` false): image `image` of x
 * goes into columns col0.. of cols, a (C·HH·WW)-row matrix with `ld` elements per row — row
 * (ch, ki, kj), column col0 + oi·outW + oj holds the pixel that window (oi, oj) meets there, zero
 * over the padding; several images side by side make one wide matrix, so a group of images is
 * one product. Adding back (`add` true): each entry of those columns is added onto the pixel of
 * x (then dx) it came from, in the order of src/kernels/im2col.ts's col2imAdd.
 */
function windows<T>(
  x: usize,
  image: i32,
  g: usize,
  cols: usize,
  ld: i32,
  col0: i32,
  add: bool,
): void {
  const geo = changetype<Geometry>(g);
  const w = geo.w;
  const outW = geo.outW;
  const strideW = geo.strideW;
  const padW = geo.padW;
  const size = <i32>sizeof<T>();
  let rowStart = cols + <usize>col0 * size;
  for (let ch = 0; ch < geo.c; ch++) {
    const plane = x + <usize>(image * geo.c + ch) * geo.h * w * size;
    for (let ki = 0; ki < geo.hh; ki++) {
      for (let kj = 0; kj < geo.ww; kj++) {
        let at = rowStart;
        rowStart += <usize>ld * size;
        // The output columns whose window column j = oj·strideW − padW + kj lies inside the image.
        let ojLo = 0;
        while (ojLo < outW && ojLo * strideW - padW + kj < 0) ojLo++;
        let ojHi = outW;
        while (ojHi > ojLo && (ojHi - 1) * strideW - padW + kj >= w) ojHi--;
        for (let oi = 0; oi < geo.outH; oi++) {
          const i = oi * geo.strideH - geo.padH + ki;
          const inside = i >= 0 && i < geo.h;
          if (!add && !inside) memory.fill(at, 0, <usize>outW * size);
          if (inside) {
            const row = plane + <usize>i * w * size;
            if (!add) for (let oj = 0; oj < ojLo; oj++) store<T>(at + <usize>oj * size, <T>0);
            if (strideW == 1) {
              // The window's pixels are consecutive: whole vectors. When adding, each pixel
              // still gets one addition per (channel, ki, kj, oi), in the same order.
              const pixels = row + <usize>(ojLo - padW + kj) * size;
              const entries = at + <usize>ojLo * size;
              if (add) addRun<T>(pixels, entries, (ojHi - ojLo) * size);
              else copyRun(entries, pixels, (ojHi - ojLo) * size);
            } else {
              for (let oj = ojLo; oj < ojHi; oj++) {
                const pixel = row + <usize>(oj * strideW - padW + kj) * size;
                const entry = at + <usize>oj * size;
                if (add) store<T>(pixel, load<T>(pixel) + load<T>(entry));
                else store<T>(entry, load<T>(pixel));
              }
            }
            if (!add) for (let oj = ojHi; oj < outW; oj++) store<T>(at + <usize>oj * size, <T>0);
          }
          at += <usize>outW * size;
        }
      }
    }
  }
}

/**
 * im2col transposed, for one image: row p = oi·outW + oj of `out` holds the C·HH·WW values that
 * window (oi, oj) meets, in (ch, ki, kj) order (zeros over the padding). dW reads these rows as
 * the right operand of its product, whose packing then copies whole vectors.
 */
function im2row<T>(x: usize, image: i32, g: usize, out: usize): void {
  const geo = changetype<Geometry>(g);
  const size = <i32>sizeof<T>();
  let dst = out;
  for (let oi = 0; oi < geo.outH; oi++) {
    for (let oj = 0; oj < geo.outW; oj++) {
      const j0 = oj * geo.strideW - geo.padW;
      // The window's columns kj whose pixel j0 + kj lies inside the image.
      const kjLo = min(geo.ww, max(0, -j0));
      const kjHi = max(kjLo, min(geo.ww, geo.w - j0));
      for (let ch = 0; ch < geo.c; ch++) {
        const plane = x + <usize>(image * geo.c + ch) * geo.h * geo.w * size;
        for (let ki = 0; ki < geo.hh; ki++) {
          const i = oi * geo.strideH - geo.padH + ki;
          if (i < 0 || i >= geo.h) {
            memory.fill(dst, 0, <usize>geo.ww * size);
            dst += <usize>geo.ww * size;
            continue;
          }
          for (let kj = 0; kj < kjLo; kj++) store<T>(dst + <usize>kj * size, <T>0);
          for (let kj = kjLo; kj < kjHi; kj++) {
            store<T>(dst + <usize>kj * size, load<T>(plane + <usize>(i * geo.w + j0 + kj) * size));
          }
          for (let kj = kjHi; kj < geo.ww; kj++) store<T>(dst + <usize>kj * size, <T>0);
          dst += <usize>geo.ww * size;
        }
      }
    }
  }
}

/** Copies `bytes` bytes (a multiple of 4) by 16-byte vectors, then 4 bytes at a time. */
function copyRun(to: usize, from: usize, bytes: i32): void {
  while (bytes >= 16) {
    v128.store(to, v128.load(from));
    to += 16;
    from += 16;
    bytes -= 16;
  }
  while (bytes >= 4) {
    store<u32>(to, load<u32>(from));
    to += 4;
    from += 4;
    bytes -= 4;
  }
}

/** to[i] += from[i] over `bytes` bytes of T, by vectors, then the rest one by one. */
function addRun<T>(to: usize, from: usize, bytes: i32): void {
  const size = <i32>sizeof<T>();
  while (bytes >= 16) {
    v128.store(to, v128.add<T>(v128.load(to), v128.load(from)));
    to += 16;
    from += 16;
    bytes -= 16;
  }
  while (bytes > 0) {
    store<T>(to, load<T>(to) + load<T>(from));
    to += size;
    from += size;
    bytes -= size;
  }
}

// The operands of a convolution task: 13 consecutive i32 at `args` (byte offsets below).
const X = 0;
const WEIGHTS = 4;
const BIAS = 8;
const OUT = 12; // the output (forward) or the upstream gradient dout (backward)
const DX = 16;
const DW = 20;
const DB = 24;
const GEOMETRY = 28;
const GROUP = 32; // images per group: a task item (forward, dx) is a group of images
const COLS = 36; // dW: a slice of images' windows as rows, (count·outH·outW) × (C·HH·WW)
const DOUT_ROWS = 40; // dW: the slice's dout regrouped by filter, F × (count·outH·outW)
const SLICE_START = 44; // dW: the images of this pass over the batch
const SLICE_COUNT = 48;

/**
 * Scratch of one participant: a group's columns (C·HH·WW rows), a group's F rows of outputs or
 * upstream gradients, then gemm's packing space.
 */
export function convScratch(g: usize, size: i32, group: i32): i32 {
  const geo = changetype<Geometry>(g);
  const k = geo.depth;
  const width = group * geo.positions * size;
  return ((k * width + 63) & ~63) + ((geo.f * width + 63) & ~63) + gemmScratch(size);
}

/** Where a participant's F-row block of its scratch starts. */
function rowsOf(g: usize, size: i32, group: i32, scratch: usize): usize {
  const geo = changetype<Geometry>(g);
  const k = geo.depth;
  const width = group * geo.positions * size;
  return scratch + <usize>((k * width + 63) & ~63);
}

function packOf(g: usize, size: i32, group: i32, scratch: usize): usize {
  return scratch + <usize>(convScratch(g, size, group) - gemmScratch(size));
}

/**
 * Copies the F×positions blocks of images n0..n1 between the N×F×positions layout (`images`) and
 * F rows of `ld` elements (`rows`, image n at column (n − n0)·positions), adding bias[f] on the
 * way to the images when bias is not 0.
 */
function regroup<T>(
  images: usize,
  rows: usize,
  ld: i32,
  n0: i32,
  n1: i32,
  f: i32,
  positions: i32,
  toRows: bool,
  bias: usize,
): void {
  const size = <i32>sizeof<T>();
  const bytes = <usize>positions * size;
  for (let n = n0; n < n1; n++) {
    for (let fi = 0; fi < f; fi++) {
      const image = images + (<usize>n * f + fi) * bytes;
      const row = rows + (<usize>fi * ld + (n - n0) * positions) * size;
      if (toRows) {
        memory.copy(row, image, bytes);
      } else if (bias == 0) {
        memory.copy(image, row, bytes);
      } else {
        const b = load<T>(bias + <usize>fi * size);
        for (let p = 0; p < positions; p++) {
          store<T>(image + <usize>p * size, load<T>(row + <usize>p * size) + b);
        }
      }
    }
  }
}

/**
 * out[n] = W · im2col(x[n]) (+ b) for the groups of images t0..t1 (bias pointer 0: none): each
 * group's columns side by side make one product, W (F × C·HH·WW) · cols.
 */
export function convForward<T>(args: usize, t0: i32, t1: i32, scratch: usize): void {
  const g = load<usize>(args, GEOMETRY);
  const geo = changetype<Geometry>(g);
  const size = <i32>sizeof<T>();
  const group = load<i32>(args, GROUP);
  const f = geo.f;
  const k = geo.depth;
  const positions = geo.positions;
  const rows = rowsOf(g, size, group, scratch);
  const pack = packOf(g, size, group, scratch);
  for (let t = t0; t < t1; t++) {
    const n0 = t * group;
    const n1 = min(geo.n, n0 + group);
    const width = (n1 - n0) * positions;
    for (let n = n0; n < n1; n++) {
      windows<T>(load<usize>(args, X), n, g, scratch, width, (n - n0) * positions, false);
    }
    gemm<T>(
      load<usize>(args, WEIGHTS),
      scratch,
      rows,
      f,
      k,
      width,
      false,
      false,
      0,
      f,
      pack,
      false,
    );
    regroup<T>(
      load<usize>(args, OUT),
      rows,
      width,
      n0,
      n1,
      f,
      positions,
      false,
      load<usize>(args, BIAS),
    );
  }
}

/** dx[n] += col2im(Wᵀ · dout[n]) for the groups of images t0..t1, one product per group. */
export function convBackwardData<T>(args: usize, t0: i32, t1: i32, scratch: usize): void {
  const g = load<usize>(args, GEOMETRY);
  const geo = changetype<Geometry>(g);
  const size = <i32>sizeof<T>();
  const group = load<i32>(args, GROUP);
  const f = geo.f;
  const k = geo.depth;
  const positions = geo.positions;
  const rows = rowsOf(g, size, group, scratch);
  const pack = packOf(g, size, group, scratch);
  for (let t = t0; t < t1; t++) {
    const n0 = t * group;
    const n1 = min(geo.n, n0 + group);
    const width = (n1 - n0) * positions;
    regroup<T>(load<usize>(args, OUT), rows, width, n0, n1, f, positions, true, 0);
    gemm<T>(load<usize>(args, WEIGHTS), rows, scratch, k, f, width, true, false, 0, k, pack, false);
    for (let n = n0; n < n1; n++) {
      windows<T>(load<usize>(args, DX), n, g, scratch, width, (n - n0) * positions, true);
    }
  }
}

/**
 * The first half of dW over a slice of the batch (SLICE_START, SLICE_COUNT images): lays out the
 * windows of its images i0..i1 (counted from the slice's start) one under the other in COLS, and
 * their upstream gradients side by side in DOUT_ROWS, so that the slice's part of dW is one
 * product, DOUT_ROWS · COLS.
 */
export function convFilterColumns<T>(args: usize, i0: i32, i1: i32, _scratch: usize): void {
  const g = load<usize>(args, GEOMETRY);
  const geo = changetype<Geometry>(g);
  const start = load<i32>(args, SLICE_START);
  const ld = load<i32>(args, SLICE_COUNT) * geo.positions;
  const positions = geo.positions;
  const x = load<usize>(args, X);
  const cols = load<usize>(args, COLS);
  const k = geo.depth;
  for (let i = i0; i < i1; i++) {
    im2row<T>(x, start + i, g, cols + <usize>i * positions * k * sizeof<T>());
  }
  const rows = load<usize>(args, DOUT_ROWS) + <usize>(i0 * positions) * sizeof<T>();
  const f = geo.f;
  regroup<T>(load<usize>(args, OUT), rows, ld, start + i0, start + i1, f, positions, true, 0);
}

/**
 * The second half, for filters f0..f1 over the slice: db[f] += Σ dout[n, f] image by image and
 * dW[f] += dout[slice, f] · colsᵀ, one product whose depth runs over the slice's images in order.
 * Slice after slice, these are the sums of src/kernels/im2col.ts in its order (either pointer 0:
 * skip it). Split by filters, so each element is summed by one thread whatever the number of
 * threads.
 */
export function convBackwardFilter<T>(args: usize, f0: i32, f1: i32, scratch: usize): void {
  const g = load<usize>(args, GEOMETRY);
  const geo = changetype<Geometry>(g);
  const size = <i32>sizeof<T>();
  const dout = load<usize>(args, OUT);
  const dw = load<usize>(args, DW);
  const db = load<usize>(args, DB);
  const start = load<i32>(args, SLICE_START);
  const count = load<i32>(args, SLICE_COUNT);
  const f = geo.f;
  const k = geo.depth;
  const positions = geo.positions;
  if (db != 0) {
    for (let i = start; i < start + count; i++) {
      const d = dout + <usize>i * f * positions * size;
      for (let fi = f0; fi < f1; fi++) {
        let s: T = <T>0;
        const row = d + <usize>fi * positions * size;
        for (let p = 0; p < positions; p++) s += load<T>(row + <usize>p * size);
        const q = db + <usize>fi * size;
        store<T>(q, load<T>(q) + s);
      }
    }
  }
  if (dw != 0) {
    const rows = load<usize>(args, DOUT_ROWS);
    const cols = load<usize>(args, COLS);
    gemm<T>(rows, cols, dw, f, count * positions, k, false, false, f0, f1, scratch, true);
  }
}
