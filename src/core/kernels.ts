import { setKernelSettings, type KernelSettings } from '../kernels/config.js';
import { checkBoolean, checkInteger, checkOptions } from './validate.js';

export { kernelSettings, type KernelSettings } from '../kernels/config.js';

/**
 * Chooses the kernels: WebAssembly or plain TypeScript, and how many threads (counting the
 * calling one; at most 64 are used). Returns the settings in force before, so a caller can
 * restore them.
 *
 * @example
 * const before = configureKernels({ wasm: false }); // plain TypeScript loops from here on
 * configureKernels(before).wasm // false
 */
export function configureKernels(options: Partial<KernelSettings>): KernelSettings {
  const fn = 'configureKernels';
  const { wasm, threads } = checkOptions(fn, 'options', options);
  return setKernelSettings({
    ...(wasm !== undefined ? { wasm: checkBoolean(fn, 'options.wasm', wasm) } : {}),
    ...(threads !== undefined
      ? { threads: checkInteger(fn, 'options.threads', threads, 1, Number.MAX_SAFE_INTEGER) }
      : {}),
  });
}
