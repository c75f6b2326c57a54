import { kernelSettings } from '../config.js';
import { KERNELS_BASE64, SHARED_FLAG_OFFSET } from './module.js';

/** A parallel task: items i0..i1 of the job whose operands are laid out at `args`. */
export type TaskExport = (args: number, i0: number, i1: number, scratch: number) => void;

/** The functions the WebAssembly module exports (pointers are byte offsets into its memory). */
export interface KernelExports {
  gemmTaskF32: TaskExport;
  gemmTaskF64: TaskExport;
  convForwardF32: TaskExport;
  convForwardF64: TaskExport;
  convBackwardDataF32: TaskExport;
  convBackwardDataF64: TaskExport;
  convBackwardFilterF32: TaskExport;
  convBackwardFilterF64: TaskExport;
  convFilterColumnsF32: TaskExport;
  convFilterColumnsF64: TaskExport;
  /** Bytes of scratch space one thread's gemm needs, for elements of this many bytes. */
  gemmScratch(elementBytes: number): number;
  /** Bytes of scratch space one thread's convolution needs (geometry at `g`, groups of images). */
  convScratch(g: number, elementBytes: number, group: number): number;
  heapBase(): number;
}

// The few WebAssembly calls used here, typed locally: the core's TypeScript settings include no
// DOM library, and declaring the global would clash with the web page's.
/** A WebAssembly.Memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}
/** A compiled WebAssembly.Module (opaque; workers instantiate it). */
export type WasmModule = object;
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** The platform's WebAssembly, or undefined. */
export function webAssembly(): WebAssemblyApi | undefined {
  return (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
}

/** One instance of the kernels with its memory. */
export interface Wasm {
  readonly exports: KernelExports;
  readonly memory: WasmMemory;
  /** The compiled module, for workers to instantiate on the same (shared) memory. */
  readonly module: WasmModule;
  /** True when the memory is a SharedArrayBuffer (worker threads can join). */
  readonly shared: boolean;
  /** Lays out operands in the memory; reused by every call. */
  readonly arena: Arena;
}

const PAGE = 65536;
/** The memory's limit in pages (2 GiB): a layout that needs more runs the TypeScript kernels. */
export const MAX_PAGES = 32768;

/**
 * A bump allocator over the module's memory: each kernel call starts a fresh layout with
 * reset(), so the memory grows to the largest call's needs once and is reused from then on.
 */
export class Arena {
  private top: number;
  private buffer: ArrayBufferLike | null = null;
  private views: { f32: Float32Array; f64: Float64Array; i32: Int32Array } | null = null;

  constructor(
    private readonly memory: WasmMemory,
    private readonly base: number,
  ) {
    this.top = base;
  }

  /** Forgets every allocation. */
  reset(): void {
    this.top = this.base;
  }

  /** `bytes` bytes aligned to 64 (a cache line), or -1 when the memory cannot grow that far. */
  alloc(bytes: number): number {
    const start = Math.ceil(this.top / 64) * 64;
    const end = start + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) return -1;
      try {
        this.memory.grow(pages);
      } catch {
        return -1; // the platform refused the memory: the TypeScript kernels take over
      }
    }
    this.top = end;
    return start;
  }

  /** Typed views of the whole memory (renewed after it grows). */
  get f32(): Float32Array {
    return this.current().f32;
  }
  get f64(): Float64Array {
    return this.current().f64;
  }
  get i32(): Int32Array {
    return this.current().i32;
  }

  private current(): { f32: Float32Array; f64: Float64Array; i32: Int32Array } {
    const buffer = this.memory.buffer;
    if (
      this.views === null ||
      buffer !== this.buffer ||
      this.views.f32.byteLength !== buffer.byteLength
    ) {
      this.buffer = buffer;
      this.views = {
        f32: new Float32Array(buffer),
        f64: new Float64Array(buffer),
        i32: new Int32Array(buffer),
      };
    }
    return this.views;
  }
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Shared memory needs SharedArrayBuffer, which browsers give only to cross-origin isolated
 * pages (served with COOP/COEP headers); Node always has it.
 */
function canShareMemory(): boolean {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return typeof SharedArrayBuffer === 'function' && isolated !== false;
}

/** A new instance of the kernels on a new memory, shared or not; null where unsupported. */
export function instantiateKernels(shared = canShareMemory()): Wasm | null {
  const WebAssembly = webAssembly();
  if (WebAssembly === undefined) return null;
  try {
    const bytes = decodeBase64(KERNELS_BASE64);
    if (!shared) bytes[SHARED_FLAG_OFFSET] = 1; // the memory import: has a maximum, not shared
    // False where WebAssembly SIMD is missing (old browsers): the TypeScript kernels run.
    if (!WebAssembly.validate(bytes)) return null;
    const module = new WebAssembly.Module(bytes);
    const memory = new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared });
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    const exports = instance.exports as KernelExports;
    const base = Math.max(1024, Math.ceil(exports.heapBase() / 64) * 64);
    return { exports, memory, module, shared, arena: new Arena(memory, base) };
  } catch {
    return null;
  }
}

let instance: Wasm | null | undefined;

/**
 * The WebAssembly kernels, instantiated on first use (synchronously, from the bytes built into
 * the library: no fetch), or null when they are switched off or the platform lacks them.
 */
export function wasmKernels(): Wasm | null {
  if (!kernelSettings().wasm) return null;
  if (instance === undefined) instance = instantiateKernels();
  return instance;
}
