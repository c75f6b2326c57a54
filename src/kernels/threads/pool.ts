import { kernelSettings } from '../config.js';
import type { Wasm } from '../wasm/runtime.js';
import * as P from './protocol.js';
import { drain, workerMain, type Layout, type WorkerInit } from './worker.js';

// A pool of worker threads sharing the kernels' WebAssembly memory. The tensor API is
// synchronous, so a job is run like this: the calling thread publishes it in a shared control
// block, wakes the workers, claims chunks itself like any of them, and then waits for the chunks
// the workers claimed. Nothing depends on the workers having started: work that no worker takes
// is done by the caller, so a slow or missing worker costs speed, never correctness.
//
// Waiting: in Node (and inside a Web Worker) the caller sleeps with Atomics.wait; a browser's
// main thread may not block, so it spins on the DONE counter — only for chunks already running
// elsewhere, since it drains the unclaimed ones itself.
//
// Availability: shared memory (Node; browser pages served cross-origin isolated, with
// `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`)
// and Workers. Otherwise every job runs on the calling thread.

const LAYOUT: Layout = {
  SEQ: P.SEQ,
  NEXT: P.NEXT,
  DONE: P.DONE,
  ERROR: P.ERROR,
  TASK: P.TASK,
  ARGS: P.ARGS,
  ITEMS: P.ITEMS,
  PER_CHUNK: P.PER_CHUNK,
  CHUNKS: P.CHUNKS,
  SCRATCH: P.SCRATCH,
  SCRATCH_BYTES: P.SCRATCH_BYTES,
  chunkBits: P.CHUNK_BITS,
  chunkMask: P.CHUNK_MASK,
  seqMask: P.SEQ_MASK,
  tasks: P.TASKS,
};

interface WorkerHandle {
  postMessage(message: WorkerInit): void;
  terminate(): unknown;
}

interface Pool {
  wasm: Wasm;
  control: Int32Array;
  workers: WorkerHandle[];
  /** False on a browser's main thread, where Atomics.wait throws. */
  canBlock: boolean;
}

let pool: Pool | null = null;
/** Set when workers cannot be made here; the pool is not tried again. */
let unavailable = false;

interface NodeWorkerThreads {
  Worker: new (url: URL) => WorkerHandle & {
    unref(): void;
    on(event: 'error', listener: (error: unknown) => void): void;
  };
}
type BrowserWorker = new (url: URL, options: { type: 'module' }) => WorkerHandle;
type Process = { getBuiltinModule?: (name: string) => unknown };

function nodeWorkerThreads(): NodeWorkerThreads | undefined {
  const process = (globalThis as { process?: Process }).process;
  return process?.getBuiltinModule?.('node:worker_threads') as NodeWorkerThreads | undefined;
}

/**
 * The worker's program in Node: this module's own two functions, as text (no file to find,
 * whether the library runs from dist/ or from its TypeScript sources). `__name` is a no-op
 * stand-in for the helper some TypeScript runners insert into function bodies.
 */
function nodeWorkerSource(): string {
  return `const __name = (f) => f;\n${drain.toString()}\n(${workerMain.toString()})(drain);\n`;
}

function spawn(p: Pool, slot: number): WorkerHandle | null {
  const init: WorkerInit = {
    module: p.wasm.module,
    memory: p.wasm.memory,
    control: p.control,
    slot,
    layout: LAYOUT,
  };
  const node = nodeWorkerThreads();
  let worker: WorkerHandle;
  if (node) {
    const url = new URL(`data:text/javascript,${encodeURIComponent(nodeWorkerSource())}`);
    const w = new node.Worker(url);
    // The workers sleep between jobs; they must not keep a finished program alive.
    w.unref();
    w.on('error', () => {
      unavailable = true;
    });
    worker = w;
  } else if (typeof (globalThis as { Worker?: unknown }).Worker === 'function') {
    const Worker = (globalThis as unknown as { Worker: BrowserWorker }).Worker;
    // This exact form lets bundlers (Vite, webpack) find and bundle the worker module.
    worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  } else {
    return null;
  }
  worker.postMessage(init);
  return worker;
}

function probeBlocking(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * How many threads (the caller included) may work on a job now: the configured number when
 * the kernels' memory is shared and workers can be made, else 1. Starts or resizes the pool.
 */
export function threadCount(w: Wasm): number {
  const want = kernelSettings().threads;
  if (want <= 1 || !w.shared || unavailable) return 1;
  if (pool?.wasm !== w) {
    for (const worker of pool?.workers ?? []) void worker.terminate();
    const control = new Int32Array(new SharedArrayBuffer(P.CONTROL_SLOTS * 4));
    pool = { wasm: w, control, workers: [], canBlock: probeBlocking() };
  }
  const p = pool;
  try {
    while (p.workers.length < want - 1) {
      const worker = spawn(p, p.workers.length + 1);
      if (!worker) break;
      p.workers.push(worker);
    }
  } catch {
    unavailable = true;
  }
  while (p.workers.length > want - 1) void p.workers.pop()!.terminate();
  return unavailable ? 1 : p.workers.length + 1;
}

/**
 * Runs `task` over items 0..items, `perChunk` items at a time, on `threads` threads (from
 * threadCount): participant s (the caller is 0) gets the scratch space at scratch + s·scratchBytes.
 * Returns when every item is done.
 */
export function runTask(
  w: Wasm,
  task: P.TaskName,
  args: number,
  items: number,
  perChunk: number,
  scratch: number,
  scratchBytes: number,
  threads: number,
): void {
  const exports = w.exports as unknown as Record<string, unknown>;
  const chunks = Math.ceil(items / perChunk);
  const p = pool;
  if (threads <= 1 || chunks <= 1 || p?.wasm !== w || chunks > P.CHUNK_MASK) {
    (exports[task] as (a: number, i0: number, i1: number, s: number) => void)(
      args,
      0,
      items,
      scratch,
    );
    return;
  }
  const c = p.control;
  Atomics.store(c, P.TASK, P.TASKS.indexOf(task));
  Atomics.store(c, P.ARGS, args);
  Atomics.store(c, P.ITEMS, items);
  Atomics.store(c, P.PER_CHUNK, perChunk);
  Atomics.store(c, P.CHUNKS, chunks);
  Atomics.store(c, P.SCRATCH, scratch);
  Atomics.store(c, P.SCRATCH_BYTES, scratchBytes);
  Atomics.store(c, P.DONE, 0);
  Atomics.store(c, P.ERROR, 0);
  const seq = (Atomics.load(c, P.SEQ) + 1) | 0;
  Atomics.store(c, P.NEXT, ((seq & P.SEQ_MASK) << P.CHUNK_BITS) | chunks);
  Atomics.store(c, P.SEQ, seq);
  Atomics.notify(c, P.SEQ);
  const mine = drain(c, exports, 0, seq, LAYOUT);
  stats.jobs++;
  stats.chunksByWorkers += chunks - mine;
  for (;;) {
    const done = Atomics.load(c, P.DONE);
    if (done === chunks) break;
    if (p.canBlock) Atomics.wait(c, P.DONE, done, 100);
  }
  if (Atomics.load(c, P.ERROR) !== 0) {
    throw new Error(`chainrule: the ${task} kernel failed in a worker thread`);
  }
}

const stats = { jobs: 0, chunksByWorkers: 0 };

/** Workers started, jobs shared with them, and chunks they ran (for tests and the bench). */
export function poolStats(): { workers: number; jobs: number; chunksByWorkers: number } {
  return { workers: pool?.workers.length ?? 0, ...stats };
}
