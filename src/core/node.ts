import type { Attrs, OpDef } from './op.js';
import type { Scope } from './scope.js';
import type { Tensor } from './tensor.js';

/** One recorded op application: what made a tensor, from what. Created only by `apply`. */
export interface Node {
  readonly op: OpDef;
  readonly inputs: readonly Tensor[];
  readonly attrs: Attrs;
  readonly saved: unknown;
  /** Where the op came from in an expression (set by the expression builder). */
  span?: { start: number; end: number };
  /** The scope open when the op ran (a named step, a neuron, a layer), if any. */
  scope?: Scope;
}
