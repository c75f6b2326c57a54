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
