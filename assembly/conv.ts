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

/**
 * Unrolls image `image` of x into columns col0.. of cols, a (C·HH·WW)-row matrix with `ld`
 * elements per row: row (ch, ki, kj), column col0 + oi·outW + oj holds the pixel that window
 * (oi, oj) meets there, zero over the padding. Several images side by side make one wide matrix,
 * so a whole group of images is one matrix product.
 */
function im2col<T>(x: usize, image: i32, g: usize, cols: usize, ld: i32, col0: i32): void {
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
  let rowStart = cols + <usize>col0 * size;
  for (let ch = 0; ch < c; ch++) {
    const plane = x + <usize>(image * c + ch) * h * w * size;
    for (let ki = 0; ki < hh; ki++) {
      for (let kj = 0; kj < ww; kj++) {
        let dst = rowStart;
        rowStart += <usize>ld * size;
        // The output columns whose window column j = oj·strideW − padW + kj lies inside the image.
        let ojLo = 0;
        while (ojLo < outW && ojLo * strideW - padW + kj < 0) ojLo++;
        let ojHi = outW;
        while (ojHi > ojLo && (ojHi - 1) * strideW - padW + kj >= w) ojHi--;
        for (let oi = 0; oi < outH; oi++) {
          const i = oi * strideH - padH + ki;
          if (i < 0 || i >= h) {
            memory.fill(dst, 0, <usize>outW * size);
            dst += <usize>outW * size;
            continue;
          }
          const row = plane + <usize>i * w * size;
          for (let oj = 0; oj < ojLo; oj++) store<T>(dst + <usize>oj * size, <T>0);
          if (strideW == 1) {
            copyRun(
              dst + <usize>ojLo * size,
              row + <usize>(ojLo - padW + kj) * size,
              (ojHi - ojLo) * size,
            );
          } else {
            for (let oj = ojLo; oj < ojHi; oj++) {
              const j = oj * strideW - padW + kj;
              store<T>(dst + <usize>oj * size, load<T>(row + <usize>j * size));
            }
          }
          for (let oj = ojHi; oj < outW; oj++) store<T>(dst + <usize>oj * size, <T>0);
          dst += <usize>outW * size;
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
  let dst = out;
  for (let oi = 0; oi < outH; oi++) {
    for (let oj = 0; oj < outW; oj++) {
      const j0 = oj * strideW - padW;
      // The window's columns kj whose pixel j0 + kj lies inside the image.
      const kjLo = min(ww, max(0, -j0));
      const kjHi = max(kjLo, min(ww, w - j0));
      for (let ch = 0; ch < c; ch++) {
        const plane = x + <usize>(image * c + ch) * h * w * size;
        for (let ki = 0; ki < hh; ki++) {
          const i = oi * strideH - padH + ki;
          if (i < 0 || i >= h) {
            memory.fill(dst, 0, <usize>ww * size);
            dst += <usize>ww * size;
            continue;
          }
          for (let kj = 0; kj < kjLo; kj++) store<T>(dst + <usize>kj * size, <T>0);
          for (let kj = kjLo; kj < kjHi; kj++) {
            store<T>(dst + <usize>kj * size, load<T>(plane + <usize>(i * w + j0 + kj) * size));
          }
          for (let kj = kjHi; kj < ww; kj++) store<T>(dst + <usize>kj * size, <T>0);
          dst += <usize>ww * size;
        }
      }
    }
  }
}

/**
 * The adjoint of im2col: adds each entry of columns col0.. of cols (`ld` elements per row) onto
 * the pixel of image `image` it came from, in the order of src/kernels/im2col.ts's col2imAdd.
 */
function col2imAdd<T>(cols: usize, image: i32, g: usize, dx: usize, ld: i32, col0: i32): void {
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
  let rowStart = cols + <usize>col0 * size;
  for (let ch = 0; ch < c; ch++) {
    const plane = dx + <usize>(image * c + ch) * h * w * size;
    for (let ki = 0; ki < hh; ki++) {
      for (let kj = 0; kj < ww; kj++) {
        let src = rowStart;
        rowStart += <usize>ld * size;
        let ojLo = 0;
        while (ojLo < outW && ojLo * strideW - padW + kj < 0) ojLo++;
        let ojHi = outW;
        while (ojHi > ojLo && (ojHi - 1) * strideW - padW + kj >= w) ojHi--;
        for (let oi = 0; oi < outH; oi++) {
          const i = oi * strideH - padH + ki;
          if (i >= 0 && i < h) {
            const row = plane + <usize>i * w * size;
            if (strideW == 1) {
              // The window's pixels are consecutive: one vector add per 16 bytes. Each pixel
              // still gets one addition per (channel, ki, kj, oi), in the same order.
              const to = row + <usize>(ojLo - padW + kj) * size;
              addRun<T>(to, src + <usize>ojLo * size, (ojHi - ojLo) * size);
            } else {
              for (let oj = ojLo; oj < ojHi; oj++) {
                const p = row + <usize>(oj * strideW - padW + kj) * size;
                store<T>(p, load<T>(p) + load<T>(src + <usize>oj * size));
              }
            }
          }
          src += <usize>outW * size;
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
  const k = load<i32>(g, C) * load<i32>(g, HH) * load<i32>(g, WW);
  const width = group * load<i32>(g, OUT_H) * load<i32>(g, OUT_W) * size;
  return ((k * width + 63) & ~63) + ((load<i32>(g, F) * width + 63) & ~63) + gemmScratch(size);
}

/** Where a participant's F-row block of its scratch starts. */
function rowsOf(g: usize, size: i32, group: i32, scratch: usize): usize {
  const k = load<i32>(g, C) * load<i32>(g, HH) * load<i32>(g, WW);
  const width = group * load<i32>(g, OUT_H) * load<i32>(g, OUT_W) * size;
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
  const size = <i32>sizeof<T>();
  const group = load<i32>(args, GROUP);
  const f = load<i32>(g, F);
  const k = load<i32>(g, C) * load<i32>(g, HH) * load<i32>(g, WW);
  const positions = load<i32>(g, OUT_H) * load<i32>(g, OUT_W);
  const rows = rowsOf(g, size, group, scratch);
  const pack = packOf(g, size, group, scratch);
  for (let t = t0; t < t1; t++) {
    const n0 = t * group;
    const n1 = min(load<i32>(g, 0), n0 + group);
    const width = (n1 - n0) * positions;
    for (let n = n0; n < n1; n++) {
      im2col<T>(load<usize>(args, X), n, g, scratch, width, (n - n0) * positions);
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
  const size = <i32>sizeof<T>();
  const group = load<i32>(args, GROUP);
  const f = load<i32>(g, F);
  const k = load<i32>(g, C) * load<i32>(g, HH) * load<i32>(g, WW);
  const positions = load<i32>(g, OUT_H) * load<i32>(g, OUT_W);
  const rows = rowsOf(g, size, group, scratch);
  const pack = packOf(g, size, group, scratch);
  for (let t = t0; t < t1; t++) {
    const n0 = t * group;
    const n1 = min(load<i32>(g, 0), n0 + group);
    const width = (n1 - n0) * positions;
    regroup<T>(load<usize>(args, OUT), rows, width, n0, n1, f, positions, true, 0);
    gemm<T>(load<usize>(args, WEIGHTS), rows, scratch, k, f, width, true, false, 0, k, pack, false);
    for (let n = n0; n < n1; n++) {
      col2imAdd<T>(scratch, n, g, load<usize>(args, DX), width, (n - n0) * positions);
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
  const start = load<i32>(args, SLICE_START);
  const ld = load<i32>(args, SLICE_COUNT) * load<i32>(g, OUT_H) * load<i32>(g, OUT_W);
  const positions = load<i32>(g, OUT_H) * load<i32>(g, OUT_W);
  const x = load<usize>(args, X);
  const cols = load<usize>(args, COLS);
  const k = load<i32>(g, C) * load<i32>(g, HH) * load<i32>(g, WW);
  for (let i = i0; i < i1; i++) {
    im2row<T>(x, start + i, g, cols + <usize>i * positions * k * sizeof<T>());
  }
  const rows = load<usize>(args, DOUT_ROWS) + <usize>(i0 * positions) * sizeof<T>();
  const f = load<i32>(g, F);
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
  const size = <i32>sizeof<T>();
  const dout = load<usize>(args, OUT);
  const dw = load<usize>(args, DW);
  const db = load<usize>(args, DB);
  const start = load<i32>(args, SLICE_START);
  const count = load<i32>(args, SLICE_COUNT);
  const f = load<i32>(g, F);
  const k = load<i32>(g, C) * load<i32>(g, HH) * load<i32>(g, WW);
  const positions = load<i32>(g, OUT_H) * load<i32>(g, OUT_W);
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
