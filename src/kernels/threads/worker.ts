// The pool's worker, and the chunk loop every participating thread runs. Both functions are
// self-contained (no imports used at run time, no outer variables): in Node a worker runs their
// own source text (see pool.ts), in the browser this file is the worker module.

/** The control block's layout and the task names, sent to each worker (see protocol.ts). */
export interface Layout {
  SEQ: number;
  NEXT: number;
  DONE: number;
  ERROR: number;
  TASK: number;
  ARGS: number;
  ITEMS: number;
  PER_CHUNK: number;
  CHUNKS: number;
  SCRATCH: number;
  SCRATCH_BYTES: number;
  chunkBits: number;
  chunkMask: number;
  seqMask: number;
  tasks: readonly string[];
}

/** What a worker receives once: the compiled kernels, their shared memory, the control block. */
export interface WorkerInit {
  module: object;
  memory: object;
  control: Int32Array;
  /** This worker's participant number (the calling thread is 0): which scratch space is its own. */
  slot: number;
  layout: Layout;
}

type Task = (args: number, i0: number, i1: number, scratch: number) => void;

/**
 * Claims and runs chunks of job `seq` until none is left; returns how many it ran. A claim is a compare-and-swap on NEXT
 * that also checks the job's sequence number, so a thread that lags behind never runs a chunk of
 * a newer job with an older job's fields; once a chunk is claimed the job's fields stay put
 * (the caller waits for every chunk before it publishes another job).
 */
export function drain(
  control: Int32Array,
  exports: Record<string, unknown>,
  slot: number,
  seq: number,
  layout: Layout,
): number {
  const tag = seq & layout.seqMask;
  let ran = 0;
  for (;;) {
    const next = Atomics.load(control, layout.NEXT);
    const left = next & layout.chunkMask;
    if (next >>> layout.chunkBits !== tag || left === 0) return ran;
    if (Atomics.compareExchange(control, layout.NEXT, next, next - 1) !== next) continue;
    const per = Atomics.load(control, layout.PER_CHUNK);
    const i0 = (left - 1) * per;
    const i1 = Math.min(Atomics.load(control, layout.ITEMS), i0 + per);
    const scratch =
      Atomics.load(control, layout.SCRATCH) + slot * Atomics.load(control, layout.SCRATCH_BYTES);
    try {
      const task = exports[layout.tasks[Atomics.load(control, layout.TASK)]!] as Task;
      task(Atomics.load(control, layout.ARGS), i0, i1, scratch);
    } catch {
      Atomics.store(control, layout.ERROR, 1);
    }
    ran++;
    if (Atomics.add(control, layout.DONE, 1) + 1 === Atomics.load(control, layout.CHUNKS)) {
      Atomics.notify(control, layout.DONE);
    }
  }
}

/**
 * A worker's life: on its one message, instantiate the kernels on the shared memory, then sleep
 * on SEQ and help with every job published from then on. It never returns (the pool's owner
 * lets the process exit without waiting for it).
 */
export function workerMain(run: typeof drain): void {
  const start = (init: WorkerInit): void => {
    const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const instance = new wasm.Instance(init.module, { env: { memory: init.memory } });
    const { control, layout, slot } = init;
    let seen = -1; // a job already running when this worker starts is joined
    for (;;) {
      const seq = Atomics.load(control, layout.SEQ);
      if (seq !== seen) {
        seen = seq;
        run(control, instance.exports as Record<string, unknown>, slot, seq, layout);
      } else {
        Atomics.wait(control, layout.SEQ, seen);
      }
    }
  };
  const node = (globalThis as unknown as { process?: NodeLike }).process?.getBuiltinModule?.(
    'node:worker_threads',
  );
  if (node?.parentPort) {
    node.parentPort.once('message', start);
  } else {
    (globalThis as unknown as { onmessage: (e: { data: WorkerInit }) => void }).onmessage = (e) =>
      start(e.data);
  }
}

interface WasmApi {
  Instance: new (module: object, imports: object) => { exports: unknown };
}
interface NodeLike {
  getBuiltinModule?: (
    name: string,
  ) => { parentPort: { once(event: string, f: (m: WorkerInit) => void): void } | null } | undefined;
}

// In a browser worker (this file loaded as the worker module), start. WorkerGlobalScope exists
// only there: not on a page, not in Node.
if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined') {
  workerMain(drain);
}
