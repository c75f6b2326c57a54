import { ShapeError, badArgument, formatShape } from './errors.js';

export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar `[]`). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-order) strides, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * NumPy broadcasting: align trailing dimensions; each pair must be equal or contain a 1.
 *
 * @example
 * broadcastShapes('add', [3, 1], [4]) // [3, 4]
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  if (!isShape(a) || !isShape(b)) {
    throw badArgument(
      typeof op === 'string' ? op : 'broadcastShapes',
      `shapes must be lists of non-negative integers, got ${String(a)} and ${String(b)}`,
    );
  }
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        op,
        [a, b],
        `cannot broadcast shapes ${formatShape(a)} and ${formatShape(b)}: ` +
          `dimension ${i - n} is ${da} in the first and ${db} in the second ` +
          `(broadcasting needs equal sizes or a 1)`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Resolves `axis` (a number, a list, or undefined for all) against a rank, allowing negative
 * axes as NumPy does. Returns sorted, distinct, non-negative axes.
 */
export function normalizeAxes(
  op: string,
  axis: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  if (typeof axis !== 'number' && !Array.isArray(axis)) {
    throw badArgument(op, `axis must be an integer or a list of them, got ${String(axis)}`);
  }
  const list: unknown[] = typeof axis === 'number' ? [axis] : [...(axis as unknown[])];
  const out = new Set<number>();
  for (const a of list) {
    if (
      typeof a !== 'number' ||
      !Number.isInteger(a) ||
      a < -rank ||
      a >= Math.max(rank, 1) ||
      (rank === 0 && a !== 0 && a !== -1)
    ) {
      throw badArgument(op, `axis ${String(a)} is out of range for a tensor of rank ${rank}`);
    }
    if (rank > 0) out.add(a < 0 ? a + rank : a);
  }
  return [...out].sort((x, y) => x - y);
}

function isShape(s: unknown): s is Shape {
  return Array.isArray(s) && s.every((d) => Number.isInteger(d) && (d as number) >= 0);
}

/** The shape left after reducing `axes` (kept as 1s with keepDims). */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}
