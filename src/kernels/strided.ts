import type { Data } from './types.js';

/**
 * For every position of `shape` in row-major order, the offset Σ index[d]·strides[d]. Setting a
 * stride to 0 repeats (broadcasts) along that axis; permuting strides transposes. Every movement
 * and reduction kernel is a gather or a scatter through such an offset table.
 */
export function stridedOffsets(shape: readonly number[], strides: readonly number[]): Int32Array {
  let size = 1;
  for (const d of shape) size *= d;
  const out = new Int32Array(size);
  const rank = shape.length;
  if (size === 0) return out;
  const index = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let i = 0; i < size; i++) {
    out[i] = offset;
    // Odometer increment: bump the last axis, carry into earlier ones.
    for (let d = rank - 1; d >= 0; d--) {
      index[d]!++;
      offset += strides[d]!;
      if (index[d]! < shape[d]!) break;
      offset -= strides[d]! * shape[d]!;
      index[d] = 0;
    }
  }
  return out;
}

/** out[i] = src[offsets[i]] */
export function gather(src: Data, offsets: Int32Array, out: Data): Data {
  for (let i = 0; i < offsets.length; i++) out[i] = src[offsets[i]!]!;
  return out;
}

/** dst[offsets[i]] += src[i] — the adjoint of gather (sums over repeated offsets). */
export function scatterAdd(src: Data, offsets: Int32Array, dst: Data): Data {
  for (let i = 0; i < offsets.length; i++) dst[offsets[i]!]! += src[i]!;
  return dst;
}

/**
 * Max over groups: for each i, dst[offsets[i]] = max(dst, src[i]); `winner` records the first
 * index of the maximum in each group (ties go to the first element, as the max gate routes).
 */
export function scatterMax(src: Data, offsets: Int32Array, dst: Data, winner: Int32Array): void {
  dst.fill(-Infinity);
  winner.fill(-1);
  for (let i = 0; i < offsets.length; i++) {
    const o = offsets[i]!;
    const v = src[i]!;
    // NaN wins so that it propagates rather than being silently dropped.
    if (winner[o] === -1 || v > dst[o]! || (Number.isNaN(v) && !Number.isNaN(dst[o]!))) {
      dst[o] = v;
      winner[o] = i;
    }
  }
}

/**
 * Merges neighbouring axes that the strides walk as one (stride[i] = stride[i+1]·shape[i+1],
 * which also covers two broadcast axes), so the innermost loop is as long as possible. Returns
 * null for an empty shape.
 */
function collapse(
  shape: readonly number[],
  strides: readonly number[],
): { dims: number[]; steps: number[] } | null {
  const dims: number[] = [];
  const steps: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d]!;
    if (size === 0) return null;
    if (size === 1) continue; // a size-1 axis never moves the offset
    const last = dims.length - 1;
    if (last >= 0 && steps[last] === strides[d]! * size) {
      dims[last]! *= size;
      steps[last] = strides[d]!;
    } else {
      dims.push(size);
      steps.push(strides[d]!);
    }
  }
  if (dims.length === 0) return { dims: [1], steps: [0] };
  return { dims, steps };
}

/**
 * Visits `shape` in row-major order, one innermost run at a time: visit(offset, length, step)
 * where offset is Σ index·strides at the run's start and step the stride along it.
 */
function forEachRun(
  shape: readonly number[],
  strides: readonly number[],
  visit: (offset: number, length: number, step: number) => void,
): void {
  const c = collapse(shape, strides);
  if (c === null) return;
  const { dims, steps } = c;
  const outer = dims.length - 1;
  const length = dims[outer]!;
  const step = steps[outer]!;
  const index = new Int32Array(outer);
  let offset = 0;
  for (;;) {
    visit(offset, length, step);
    let d = outer - 1;
    for (; d >= 0; d--) {
      offset += steps[d]!;
      if (++index[d]! < dims[d]!) break;
      offset -= steps[d]! * dims[d]!;
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

/**
 * out (row-major over `shape`) = src read through `strides` — a transpose, a broadcast (stride
 * 0), a view — without building a table of offsets: contiguous runs are copied, broadcast runs
 * filled.
 */
export function gatherStrided(
  src: Data,
  shape: readonly number[],
  strides: readonly number[],
  out: Data,
): Data {
  let o = 0;
  forEachRun(shape, strides, (offset, length, step) => {
    if (step === 1) out.set(src.subarray(offset, offset + length), o);
    else if (step === 0) out.fill(src[offset]!, o, o + length);
    else for (let j = 0; j < length; j++) out[o + j] = src[offset + j * step]!;
    o += length;
  });
  return out;
}

/**
 * dst[Σ index·strides] += src[i] for every position i of `shape` in row-major order (src is
 * contiguous): a reduction when strides are 0 along the reduced axes. Each dst element receives
 * its terms in the same order as a plain loop over src.
 */
export function scatterAddStrided(
  src: Data,
  shape: readonly number[],
  strides: readonly number[],
  dst: Data,
): Data {
  let i = 0;
  forEachRun(shape, strides, (offset, length, step) => {
    if (step === 0) {
      let acc = dst[offset]!;
      for (let j = 0; j < length; j++) acc += src[i + j]!;
      dst[offset] = acc;
    } else {
      for (let j = 0; j < length; j++) dst[offset + j * step]! += src[i + j]!;
    }
    i += length;
  });
  return dst;
}

/**
 * Max over groups without an offset table: dst[Σ index·strides] = max over its group of src;
 * `winner` holds the position in src of each group's first maximum (ties go to the first; NaN
 * wins so it propagates).
 */
export function scatterMaxStrided(
  src: Data,
  shape: readonly number[],
  strides: readonly number[],
  dst: Data,
  winner: Int32Array,
): void {
  dst.fill(-Infinity);
  winner.fill(-1);
  let i = 0;
  forEachRun(shape, strides, (offset, length, step) => {
    for (let j = 0; j < length; j++, i++) {
      const o = offset + j * step;
      const v = src[i]!;
      if (winner[o] === -1 || v > dst[o]! || (Number.isNaN(v) && !Number.isNaN(dst[o]!))) {
        dst[o] = v;
        winner[o] = i;
      }
    }
  });
}
