/** Raw storage of a tensor: a contiguous row-major typed array. */
export type Data = Float64Array | Float32Array;
export type DType = 'float64' | 'float32';

// Recycled storage. A training step makes the same intermediate tensors step after step; fresh
// typed arrays each time cost the allocator, the page faults of touching new memory, and the
// garbage collector. Whoever knows that some arrays are dead (the Solver, after an update:
// releaseGraph in core/recycle.ts) hands them back with recycle(); allocate() reuses one of the
// same type and length, zeroed. Nothing is recycled unless someone calls recycle().

/** Recycled arrays by type and length. */
const free = new Map<string, Data[]>();
/** The arrays in `free`, so that one array is never handed out twice. */
const pooled = new WeakSet<Data>();
let pooledBytes = 0;
/** At most this much storage waits in the pool (the rest is left to the garbage collector). */
const POOL_MAX_BYTES = 256 * 1024 * 1024;

const keyOf = (dtype: DType, size: number) => `${dtype}:${size}`;

/** Where allocate() notes what it hands out, while recordAllocations runs. */
let recording: Data[] | null = null;

/** Runs `fn` and returns its result with every array allocate() handed out meanwhile. */
export function recordAllocations<T>(fn: () => T): { result: T; made: Data[] } {
  const previous = recording;
  const made: Data[] = [];
  recording = made;
  try {
    return { result: fn(), made };
  } finally {
    recording = previous;
  }
}

/** A zeroed array of `size` elements: a recycled one when there is one, else a new one. */
export function allocate(dtype: DType, size: number): Data {
  let out = free.get(keyOf(dtype, size))?.pop();
  if (out) {
    pooled.delete(out);
    pooledBytes -= out.byteLength;
    out.fill(0);
  } else {
    out = dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
  }
  recording?.push(out);
  return out;
}

/**
 * Hands arrays nobody uses any more back to allocate(). Only arrays that own their whole buffer
 * are taken (a view might share it with a live array).
 */
export function recycle(arrays: Iterable<Data>): void {
  for (const a of arrays) {
    if (pooled.has(a) || a.byteOffset !== 0 || a.byteLength !== a.buffer.byteLength) continue;
    if (a.length === 0 || pooledBytes + a.byteLength > POOL_MAX_BYTES) continue;
    const key = keyOf(a instanceof Float32Array ? 'float32' : 'float64', a.length);
    let list = free.get(key);
    if (!list) free.set(key, (list = []));
    list.push(a);
    pooled.add(a);
    pooledBytes += a.byteLength;
  }
}

/** Bytes waiting in the pool (for tests). */
export function recycledBytes(): number {
  return pooledBytes;
}
