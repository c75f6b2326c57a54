import type { ElementwiseOp } from './op.js';

// Where the elementwise methods of Tensor and Value come from. Each op file turns its elementwise
// ops into public functions (`relu`, `add`) and announces each here; Tensor and Value install a
// method per announced op. Either side may come first — modules load in whatever order a
// program imports them — so each late-comer catches up with what is already there. This module
// imports nothing at run time, so it is complete before anything that uses it runs.

/** An elementwise op with the public function that runs it on tensors. */
export interface ElementwiseEntry {
  readonly op: ElementwiseOp;
  /** `relu(x)` or `add(a, b)`: checks its arguments, broadcasts, applies the op. */
  readonly fn: (...args: never[]) => unknown;
}

type Installer = (entry: ElementwiseEntry) => void;

const entries: ElementwiseEntry[] = [];
const installers: Installer[] = [];

/** Announces an elementwise op; every installed class gets its method. */
export function announceElementwise(entry: ElementwiseEntry): void {
  entries.push(entry);
  for (const install of installers) install(entry);
}

/**
 * Installs a method on a class for every elementwise op, announced so far or later. `source` is
 * the namespace of ops/elementwise.ts, where the ops announce themselves: naming it here is what
 * makes that module load, and keeps a bundler from dropping it as unused. Its value is never
 * read: inside the import cycle a bundle may not have built the namespace object yet.
 */
export function installElementwise(source: unknown, install: Installer): void {
  void source;
  installers.push(install);
  for (const entry of entries) install(entry);
}

/** Every announced elementwise op (for tests: each must be in ALL_OPS). */
export function announcedElementwise(): readonly ElementwiseEntry[] {
  return entries;
}
