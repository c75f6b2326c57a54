import { badArgument } from '../core/errors.js';

/** Which kernels run the heavy loops. */
export interface KernelSettings {
  /**
   * Use the WebAssembly SIMD kernels where the platform has them (default true). Off, every op
   * runs the plain TypeScript loops — the reference the WebAssembly kernels are tested against.
   */
  wasm: boolean;
  /**
   * Threads for large matrix products and convolutions, counting the calling one (default: the
   * number of cores, at most 4). 1 runs everything on the calling thread.
   */
  threads: number;
}

/** The cores of this machine (Node: os.availableParallelism; browsers: navigator), at most 4. */
function defaultThreads(): number {
  const g = globalThis as {
    navigator?: { hardwareConcurrency?: number };
    process?: { getBuiltinModule?: (name: string) => unknown };
  };
  const os = g.process?.getBuiltinModule?.('node:os') as
    { availableParallelism?: () => number } | undefined;
  const cores = os?.availableParallelism?.() ?? g.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(4, cores));
}

const settings: KernelSettings = { wasm: true, threads: defaultThreads() };
const listeners: (() => void)[] = [];

/**
 * Chooses the kernels: WebAssembly or plain TypeScript, and how many threads. Returns the
 * settings in force before, so a caller can restore them.
 *
 * @example
 * const before = configureKernels({ wasm: false }); // plain TypeScript loops from here on
 * configureKernels(before).wasm // false
 */
export function configureKernels(options: Partial<KernelSettings>): KernelSettings {
  const previous = { ...settings };
  const { wasm, threads } = options as { wasm?: unknown; threads?: unknown };
  if (wasm !== undefined && typeof wasm !== 'boolean') {
    throw badArgument('configureKernels', `wasm must be true or false, got ${typeof wasm}`);
  }
  if (threads !== undefined && !(Number.isInteger(threads) && (threads as number) >= 1)) {
    throw badArgument(
      'configureKernels',
      `threads must be an integer ≥ 1, got ${typeof threads === 'number' ? threads : typeof threads}`,
    );
  }
  if (wasm !== undefined) settings.wasm = wasm;
  if (threads !== undefined) settings.threads = Math.min(threads as number, 64);
  for (const listener of listeners) listener();
  return previous;
}

/** The settings in force. */
export function kernelSettings(): Readonly<KernelSettings> {
  return settings;
}

/** Runs `listener` after every configureKernels call (the worker pool resizes itself). */
export function onKernelSettings(listener: () => void): void {
  listeners.push(listener);
}
