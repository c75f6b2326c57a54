import type { ScopeKind } from '../core/scope.js';
import type { GraphMode } from '../expr/ast.js';

/**
 * The graph snapshot: a plain, serializable picture of one computation, with values and
 * gradients. Everything that draws, animates, explains or exports reads this and nothing else.
 */

/** A number, or a nested array of numbers for a tensor (row-major, like `tensor.toArray()`). */
export type NestedArray = number | NestedArray[];

/** What a large tensor is replaced by in a snapshot: its shape and a few statistics. */
export interface TensorSummary {
  summary: true;
  shape: number[];
  size: number;
  min: number;
  max: number;
  mean: number;
  /** The first few elements in row-major order. */
  head: number[];
}

/** A value in a snapshot: full data for small tensors, a summary for large ones. */
export type SnapshotValue = NestedArray | TensorSummary;

/** A character range [start, end) in the source expression. */
export interface Span {
  start: number;
  end: number;
}

export type NodeKind = 'input' | 'constant' | 'gate';

export interface SnapshotNode {
  /** `n0`, `n1`, … assigned in a deterministic topological order (every input before its users). */
  id: string;
  kind: NodeKind;
  /** The op's registry name (`mul`, `exp`, …), or `input` / `constant` for leaves. */
  op: string;
  /**
   * What the picture shows: a variable's name for inputs, the gate symbol for gates with any
   * folded constant written in (`+1`, `*-1`, `1/x`, `^2`), the number for constants.
   */
  label: string;
  /** The gate's long name (`multiply gate`); gates only. */
  gate?: string;
  /** How the gate treats the gradient (`mul swaps …`); gates only. */
  rule?: string;
  /** Op attributes worth showing (axis, keepDims, exponent…); gates only, omitted when empty. */
  attrs?: Record<string, number | boolean | number[] | string>;
  shape: number[];
  value: SnapshotValue;
  /** dL/d(this node); null when no gradient flows to it (a constant, or a disconnected node). */
  grad: SnapshotValue | null;
  /** Where this node came from in the expression, when it was built from one. */
  span?: Span;
  /** True for the node the gradient starts from. */
  output?: boolean;
  /** The innermost group this node belongs to (see `GraphSnapshot.groups`). */
  group?: string;
  /**
   * A gate's name, when its value was named: the step `dot` of `dot = w*x + b`, a Value's label.
   * Pictures write it on the gate's output wire.
   */
  name?: string;
}

/**
 * What a group stands for: a scope the code opened (`step`, `neuron`, `layer`, `module`), or a
 * structure found in the graph — a chain of adds (`sum`) or a sum of products (`dot`); neurons
 * and layers are also found structurally (an activation of an affine sum; neurons of one depth).
 */
export type GroupKind = ScopeKind | 'sum' | 'dot';

/**
 * A named part of the computation (a step `dot = …`, a neuron, a layer, a module, a long sum),
 * from the scopes open when its gates were made or from the graph's structure. Groups nest
 * through `parent`; a picture can collapse a group into one box.
 */
export interface SnapshotGroup {
  /** `g0`, `g1`, … in order of first appearance (parents before children). */
  id: string;
  kind: GroupKind;
  /** The scope's name (`dot`, `layer1`, `neuron 3`), or what was found (`Σ 1,000 terms`). */
  label: string;
  parent?: string;
}

export interface SnapshotEdge {
  /** `e0`, `e1`, … in the order of their target node, then input index. */
  id: string;
  /** The node whose value travels along this wire. */
  from: string;
  /** The gate that consumes it. */
  to: string;
  /** Which input of `to` this wire feeds. */
  inputIndex: number;
  /** The value carried forward (equal to the `from` node's value). */
  value: SnapshotValue;
  /** The gradient carried back along this wire: `global`, repeated for readers of the design. */
  grad: SnapshotValue | null;
  /**
   * d(to)/d(from) elementwise, when the gate is elementwise (or a plain reduction); null when
   * the local gradient is a full Jacobian (matmul, transpose…) — `vjp` then says what is done.
   */
  local: SnapshotValue | null;
  /** dL/d(to): the gradient arriving at the gate from above. */
  upstream: SnapshotValue | null;
  /** local × upstream: this wire's contribution to dL/d(from). */
  global: SnapshotValue | null;
  /** The vector-Jacobian product in words when `local` is null (`dW = upstream · xᵀ`). */
  vjp?: string;
}

export interface GraphSnapshot {
  version: 1;
  /** The source expression, when the graph came from one. */
  expression?: string;
  /** Staged (every primitive gate) or fused (σ and friends collapsed), when from an expression. */
  mode?: GraphMode;
  /** Id of the output node. */
  root: string;
  nodes: SnapshotNode[];
  edges: SnapshotEdge[];
  /** Present when some gates were made inside scopes (`withScope`). */
  groups?: SnapshotGroup[];
}

/** One step of the forward/backward animation (see `schedule`). */
export type Step =
  | { phase: 'forward'; kind: 'node'; node: string }
  | { phase: 'backward'; kind: 'seed'; node: string }
  | { phase: 'backward'; kind: 'edge'; edge: string; node: string }
  | { phase: 'backward'; kind: 'accumulate'; node: string; edges: string[] };
