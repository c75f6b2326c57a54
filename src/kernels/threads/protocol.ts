// What the calling thread and the pool's workers agree on: the task names (the WebAssembly
// exports a job may run) and the layout of the control block they share.

/** Every parallel task: a WebAssembly export taking (args, i0, i1, scratch). */
export const TASKS = [
  'gemmTaskF32',
  'gemmTaskF64',
  'convForwardF32',
  'convForwardF64',
  'convBackwardDataF32',
  'convBackwardDataF64',
  'convBackwardFilterF32',
  'convBackwardFilterF64',
  'convFilterColumnsF32',
  'convFilterColumnsF64',
] as const;
export type TaskName = (typeof TASKS)[number];

/**
 * Slots of the control block (an Int32Array on a SharedArrayBuffer). A job is published by
 * writing its fields, then NEXT, then bumping SEQ. NEXT packs the job's sequence number (high 12
 * bits) with the number of chunks nobody has claimed yet (low 20 bits): a thread claims a chunk
 * with compare-and-swap, and a thread still looking at an older job fails the sequence check,
 * so it can never run a chunk with another job's fields.
 */
export const SEQ = 0;
export const NEXT = 1;
export const DONE = 2;
export const ERROR = 3;
export const TASK = 4;
export const ARGS = 5;
export const ITEMS = 6;
export const PER_CHUNK = 7;
export const CHUNKS = 8;
export const SCRATCH = 9;
export const SCRATCH_BYTES = 10;
export const CONTROL_SLOTS = 16;

export const CHUNK_BITS = 20;
export const CHUNK_MASK = (1 << CHUNK_BITS) - 1;
export const SEQ_MASK = 0xfff;
