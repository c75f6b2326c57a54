// C (m×n) = op(A) (m×k) · op(B) (k×n) on row-major operands in linear memory, for T = f32 or f64.
//
// The structure of a BLAS gemm: C is computed in MR×NR register tiles; the operands are copied
// ("packed") into the order the tile loop reads them, a KC-deep slice at a time, so that the
// inner loop streams through consecutive memory; A's block of MC rows stays in the L2 cache
// while a KC×NR panel of B stays in L1. Transposed operands cost nothing extra: packing reads
// them in whichever order they are stored.
//
// Every element of C is summed in the same order as the plain loop c += a[i,p]·b[p,j] for p = 0,
// 1, …, k−1 (a tile reloads C between KC slices; no fused multiply-add), so float64 results
// equal the TypeScript kernel's bit for bit.

/**
 * Rows of a register tile. Five rows × two vectors keep ten accumulators, both vectors of B and
 * a broadcast of A in registers (V8 on x64 leaves 15 of the 16 SIMD registers to the code); six
 * rows would spill, four leave the loop's own overhead a larger share.
 */
const MR = 5;
/** Depth of a packed slice. */
const KC = 256;

/** Columns of a register tile: two vectors (8 floats or 4 doubles). */
function nr<T>(): i32 {
  return 32 / sizeof<T>();
}

/** Bytes of A's packed MC×KC block: it stays in the L2 cache. */
const A_BLOCK = MR * KC * 128;
/** Columns of B packed at a time: a KC×NC panel. */
const NC = 2048;

/** Rows of A packed at a time. */
function mcOf<T>(): i32 {
  return A_BLOCK / sizeof<T>() / KC;
}

/** Bytes of scratch space one gemm needs (packed A, packed B, a spare tile), per element size. */
export function gemmScratch(size: i32): i32 {
  return A_BLOCK + KC * NC * size + MR * 32;
}

/**
 * MR×NR tile: C[0..MR, 0..NR] (row stride ldc elements) += Σ_p ap[p]ᵀ · bp[p], starting from
 * zero when `fresh` (the first slice) or from C.
 */
function tile<T>(ap: usize, bp: usize, kc: i32, c: usize, ldc: i32, fresh: bool): void {
  const size = <i32>sizeof<T>();
  const row = <usize>ldc * size;
  let c00 = v128.splat<T>(<T>0);
  let c01 = c00;
  let c10 = c00;
  let c11 = c00;
  let c20 = c00;
  let c21 = c00;
  let c30 = c00;
  let c31 = c00;
  let c40 = c00;
  let c41 = c00;
  if (!fresh) {
    c00 = v128.load(c);
    c01 = v128.load(c, 16);
    c10 = v128.load(c + row);
    c11 = v128.load(c + row, 16);
    c20 = v128.load(c + 2 * row);
    c21 = v128.load(c + 2 * row, 16);
    c30 = v128.load(c + 3 * row);
    c31 = v128.load(c + 3 * row, 16);
    c40 = v128.load(c + 4 * row);
    c41 = v128.load(c + 4 * row, 16);
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load_splat<T>(ap);
    c00 = v128.add<T>(c00, v128.mul<T>(x, b0));
    c01 = v128.add<T>(c01, v128.mul<T>(x, b1));
    x = v128.load_splat<T>(ap, size);
    c10 = v128.add<T>(c10, v128.mul<T>(x, b0));
    c11 = v128.add<T>(c11, v128.mul<T>(x, b1));
    x = v128.load_splat<T>(ap, 2 * size);
    c20 = v128.add<T>(c20, v128.mul<T>(x, b0));
    c21 = v128.add<T>(c21, v128.mul<T>(x, b1));
    x = v128.load_splat<T>(ap, 3 * size);
    c30 = v128.add<T>(c30, v128.mul<T>(x, b0));
    c31 = v128.add<T>(c31, v128.mul<T>(x, b1));
    x = v128.load_splat<T>(ap, 4 * size);
    c40 = v128.add<T>(c40, v128.mul<T>(x, b0));
    c41 = v128.add<T>(c41, v128.mul<T>(x, b1));
    ap += MR * size;
    bp += 32;
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + row, c10);
  v128.store(c + row, c11, 16);
  v128.store(c + 2 * row, c20);
  v128.store(c + 2 * row, c21, 16);
  v128.store(c + 3 * row, c30);
  v128.store(c + 3 * row, c31, 16);
  v128.store(c + 4 * row, c40);
  v128.store(c + 4 * row, c41, 16);
}

/**
 * Copies the transpose of a 4×4 float32 block: its rows start at src, src + stride, …; column q
 * goes to out + q·step.
 */
function copyTransposed(src: usize, stride: usize, out: usize, step: usize): void {
  const r0 = v128.load(src);
  const r1 = v128.load(src + stride);
  const r2 = v128.load(src + 2 * stride);
  const r3 = v128.load(src + 3 * stride);
  const lo01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const lo23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const hi01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const hi23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(out, v128.shuffle<f32>(lo01, lo23, 0, 1, 4, 5));
  v128.store(out + step, v128.shuffle<f32>(lo01, lo23, 2, 3, 6, 7));
  v128.store(out + 2 * step, v128.shuffle<f32>(hi01, hi23, 0, 1, 4, 5));
  v128.store(out + 3 * step, v128.shuffle<f32>(hi01, hi23, 2, 3, 6, 7));
}

/**
 * packA's float32 panel of MR whole rows starting at row i: when A is stored transposed the
 * panel's values for one depth are adjacent (a vector and one more); else four depths of the
 * first four rows are read as vectors and transposed, and the fifth row is copied alongside.
 */
function packPanelA32(a: usize, lda: i32, trans: bool, i: i32, p0: i32, kc: i32, out: usize): void {
  const step = <usize>MR * 4;
  if (trans) {
    let src = a + (<usize>p0 * lda + i) * 4;
    const row = <usize>lda * 4;
    for (let p = 0; p < kc; p++) {
      v128.store(out, v128.load(src));
      store<f32>(out, load<f32>(src, 16), 16);
      src += row;
      out += step;
    }
    return;
  }
  const row = <usize>lda * 4;
  let src = a + (<usize>i * lda + p0) * 4;
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    copyTransposed(src, row, out, step);
    const last = v128.load(src + 4 * row);
    store<f32>(out, f32x4.extract_lane(last, 0), 16);
    store<f32>(out + step, f32x4.extract_lane(last, 1), 16);
    store<f32>(out + 2 * step, f32x4.extract_lane(last, 2), 16);
    store<f32>(out + 3 * step, f32x4.extract_lane(last, 3), 16);
    src += 16;
    out += 4 * step;
  }
  for (; p < kc; p++) {
    for (let r = 0; r < MR; r++) store<f32>(out + <usize>r * 4, load<f32>(src + <usize>r * row));
    src += 4;
    out += step;
  }
}

/**
 * packB's float32 panel of NR whole columns starting at column j when B is stored transposed
 * (column j's depths adjacent): four depths of the eight columns are read as vectors and
 * transposed.
 */
function packPanelBT32(b: usize, ldb: i32, j: i32, p0: i32, kc: i32, out: usize): void {
  const col = <usize>ldb * 4;
  let src = b + (<usize>j * ldb + p0) * 4;
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    copyTransposed(src, col, out, 32);
    copyTransposed(src + 4 * col, col, out + 16, 32);
    src += 16;
    out += 128;
  }
  for (; p < kc; p++) {
    for (let c = 0; c < 8; c++) store<f32>(out + <usize>c * 4, load<f32>(src + <usize>c * col));
    src += 4;
    out += 32;
  }
}

/**
 * Packs rows i0..i0+mc, depths p0..p0+kc of op(A) into MR-row panels: panel r holds, for each p,
 * the MR values of rows r·MR… (zeros past the last row).
 */
function packA<T>(
  a: usize,
  lda: i32,
  trans: bool,
  i0: i32,
  p0: i32,
  mc: i32,
  kc: i32,
  out: usize,
): void {
  const size = <i32>sizeof<T>();
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    if (size == 4 && rows == MR) {
      packPanelA32(a, lda, trans, i0 + ir, p0, kc, out);
      out += <usize>kc * MR * 4;
      continue;
    }
    for (let p = 0; p < kc; p++) {
      for (let r = 0; r < MR; r++) {
        let v: T = <T>0;
        if (r < rows) {
          const i = i0 + ir + r;
          // op(A)[i, p]: stored at [i, p] (lda = k) or, transposed, at [p, i] (lda = m).
          v = trans
            ? load<T>(a + (<usize>(p0 + p) * lda + i) * size)
            : load<T>(a + (<usize>i * lda + p0 + p) * size);
        }
        store<T>(out, v);
        out += size;
      }
    }
  }
}

/**
 * Packs depths p0..p0+kc, columns j0..j0+nc of op(B) into NR-column panels: panel j holds, for
 * each p, the NR values of columns j·NR… (zeros past the last column).
 */
function packB<T>(
  b: usize,
  ldb: i32,
  trans: bool,
  p0: i32,
  j0: i32,
  kc: i32,
  nc: i32,
  out: usize,
): void {
  const size = <i32>sizeof<T>();
  const NR = nr<T>();
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    if (size == 4 && trans && cols == NR) {
      packPanelBT32(b, ldb, j0 + jr, p0, kc, out);
      out += <usize>kc * NR * 4;
      continue;
    }
    for (let p = 0; p < kc; p++) {
      if (!trans && cols == NR) {
        const src = b + (<usize>(p0 + p) * ldb + j0 + jr) * size;
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
      } else {
        for (let j = 0; j < NR; j++) {
          let v: T = <T>0;
          if (j < cols) {
            const col = j0 + jr + j;
            // op(B)[p, col]: stored at [p, col] (ldb = n) or, transposed, at [col, p] (ldb = k).
            v = trans
              ? load<T>(b + (<usize>col * ldb + p0 + p) * size)
              : load<T>(b + (<usize>(p0 + p) * ldb + col) * size);
          }
          store<T>(out + j * size, v);
        }
      }
      out += NR * size;
    }
  }
}

/**
 * C = op(A)·op(B), or C += op(A)·op(B) when `accumulate`, for rows i0..i1 of C only (threads
 * split C by rows). `pack` points to gemmScratch(sizeof<T>()) bytes of scratch space.
 */
export function gemm<T>(
  a: usize,
  b: usize,
  c: usize,
  m: i32,
  k: i32,
  n: i32,
  transA: bool,
  transB: bool,
  i0: i32,
  i1: i32,
  pack: usize,
  accumulate: bool,
): void {
  const size = <i32>sizeof<T>();
  const NR = nr<T>();
  const MC = mcOf<T>();
  const packedA = pack;
  const packedB = pack + A_BLOCK;
  const edge = packedB + <usize>(KC * NC * size);
  if (k == 0) {
    if (accumulate) return;
    memory.fill(c + <usize>i0 * n * size, 0, <usize>(i1 - i0) * n * size);
    return;
  }
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const fresh = pc == 0 && !accumulate;
      packB<T>(b, ldb, transB, pc, jc, kc, nc, packedB);
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        packA<T>(a, lda, transA, ic, pc, mc, kc, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const bp = packedB + <usize>jr * kc * size;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const ap = packedA + <usize>ir * kc * size;
            const cp = c + (<usize>(ic + ir) * n + jc + jr) * size;
            if (rows == MR && cols == NR) {
              tile<T>(ap, bp, kc, cp, n, fresh);
              continue;
            }
            // A tile hanging over the edge of C: run it on a spare tile, copy back what fits.
            for (let r = 0; r < rows; r++) {
              memory.copy(
                edge + <usize>r * NR * size,
                cp + <usize>r * n * size,
                <usize>cols * size,
              );
            }
            tile<T>(ap, bp, kc, edge, NR, fresh);
            for (let r = 0; r < rows; r++) {
              memory.copy(
                cp + <usize>r * n * size,
                edge + <usize>r * NR * size,
                <usize>cols * size,
              );
            }
          }
        }
      }
    }
  }
}

// The operands of a gemm task: 11 consecutive i32 at `args`. A task item is a block of rows of
// one product of a batch; a thread runs a range of items.
const A = 0;
const B = 4;
const CC = 8;
const M = 12;
const K = 16;
const N = 20;
const FLAGS = 24; // 1: transA, 2: transB, 4: accumulate
const ROWS = 28; // rows per item
const ITEMS = 32; // items per product
const A_OFFSETS = 36; // per product, where its A starts (elements; i32 array)
const B_OFFSETS = 40;

/** Items i0..i1 of a (batched) gemm; `scratch` holds gemmScratch(sizeof<T>()) bytes. */
export function gemmTask<T>(args: usize, i0: i32, i1: i32, scratch: usize): void {
  const size = <usize>sizeof<T>();
  const m = load<i32>(args, M);
  const k = load<i32>(args, K);
  const n = load<i32>(args, N);
  const flags = load<i32>(args, FLAGS);
  const rows = load<i32>(args, ROWS);
  const items = load<i32>(args, ITEMS);
  const aOffsets = load<usize>(args, A_OFFSETS);
  const bOffsets = load<usize>(args, B_OFFSETS);
  for (let i = i0; i < i1; i++) {
    const t = i / items;
    const r0 = (i % items) * rows;
    const a = load<usize>(args, A) + <usize>load<i32>(aOffsets + <usize>t * 4) * size;
    const b = load<usize>(args, B) + <usize>load<i32>(bOffsets + <usize>t * 4) * size;
    const c = load<usize>(args, CC) + <usize>t * m * n * size;
    const transA = (flags & 1) != 0;
    const transB = (flags & 2) != 0;
    gemm<T>(a, b, c, m, k, n, transA, transB, r0, min(m, r0 + rows), scratch, (flags & 4) != 0);
  }
}
