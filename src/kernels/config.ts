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
 * Replaces the settings (already validated: the public `configureKernels` in core checks them)
 * and tells the listeners. Returns the settings in force before.
 */
export function setKernelSettings(next: Partial<KernelSettings>): KernelSettings {
  const previous = { ...settings };
  if (next.wasm !== undefined) settings.wasm = next.wasm;
  if (next.threads !== undefined) settings.threads = Math.min(next.threads, 64);
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
