import { gradients, topoOrder } from '../core/autograd.js';
import { observe } from '../core/observe.js';
import type { OpDef } from '../core/op.js';
import { GRAPH_MODES, type GraphMode } from '../expr/ast.js';
import { badArgument } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import {
  checkChoice,
  checkInteger,
  checkOptions,
  checkTensor,
  describe,
} from '../core/validate.js';
import type { Scope } from '../core/scope.js';
import { nodeName } from './explain.js';
import { detectStructure, numberGroups, scopeGroups, type StructureGraph } from './groups.js';
import { fillNames, fillVjpText } from './vjp-text.js';
import { Tensor } from '../core/tensor.js';
import { Constant, Value, topoOrderValues } from '../scalar/value.js';
import type {
  GraphSnapshot,
  SnapshotEdge,
  SnapshotNode,
  SnapshotValue,
  TensorSummary,
} from './types.js';

export interface SnapshotOptions {
  /** The source expression, recorded in the snapshot for pictures and explanations. */
  expression?: string;
  mode?: GraphMode;
  /** Tensors with more elements than this are summarised (default 64). */
  maxElements?: number;
}

/** A tensor's data for a snapshot: nested numbers, or a summary when it is large. */
export function snapshotValue(t: Tensor, maxElements = 64): SnapshotValue {
  checkTensor('snapshotValue', 't', t);
  checkInteger('snapshotValue', 'maxElements', maxElements, 0, LIMITS.maxTensorSize);
  if (t.size <= maxElements) return t.toArray();
  let min = Infinity;
  let max = -Infinity;
  let total = 0;
  for (const x of t.data) {
    min = Math.min(min, x);
    max = Math.max(max, x);
    total += x;
  }
  const summary: TensorSummary = {
    summary: true,
    shape: [...t.shape],
    size: t.size,
    min,
    max,
    mean: total / t.size,
    head: Array.from(t.data.subarray(0, 8)),
  };
  return summary;
}

/** How a folded constant is written inside a gate label: `1`, `-1`, `0.5`, `0.3333`. */
export function formatConstant(c: number): string {
  if (typeof c !== 'number') {
    throw badArgument('formatConstant', `argument c must be a number, got ${describe(c)}`);
  }
  return Number.isInteger(c) ? String(c) : String(Number(c.toPrecision(4)));
}

/** One vertex of the graph being described, whatever engine made it. */
interface Vertex {
  /** The Tensor or Value this vertex describes. */
  source: Tensor | Value;
  kind: SnapshotNode['kind'];
  op: OpDef | null;
  inputs: number[];
  name: string | undefined;
  shape: number[];
  value: SnapshotValue;
  grad: SnapshotValue | null;
  /** The uniform value of a constant (for folding into a gate label), else undefined. */
  constant: number | undefined;
  span?: { start: number; end: number };
  /** The scope its gate was made in, if any. */
  scope: Scope | null;
  attrs?: SnapshotNode['attrs'];
  /** Per input: local, upstream and global as snapshot values. */
  wires: {
    local: SnapshotValue | null;
    upstream: SnapshotValue | null;
    global: SnapshotValue | null;
    vjp?: string;
  }[];
}

function uniformValue(t: Tensor): number | undefined {
  const first = t.data[0];
  return first !== undefined && t.data.every((x) => x === first) ? first : undefined;
}

function plainAttrs(attrs: object): SnapshotNode['attrs'] | undefined {
  const out: NonNullable<SnapshotNode['attrs']> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined)
      out[k] = Array.isArray(v) ? [...(v as number[])] : (v as number | boolean | string);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function tensorVertices(root: Tensor, maxElements: number): Vertex[] {
  const edgeGrads = new Map<Tensor, Tensor[]>();
  let grads = new Map<Tensor, Tensor>();
  if (root.requiresGrad && root.size === 1) {
    // Each wire's own contribution (before the += at forks) is seen through the observer seam.
    observe(
      {
        backwardEdge: ({ output, inputIndex, grad }) => {
          const list = edgeGrads.get(output) ?? [];
          list[inputIndex] = grad;
          edgeGrads.set(output, list);
        },
      },
      () => {
        grads = gradients(root);
      },
    );
  }
  const order = topoOrder(root);
  const index = new Map(order.map((t, i) => [t, i]));
  const value = (t: Tensor | undefined | null) => (t ? snapshotValue(t, maxElements) : null);
  return order.map((t): Vertex => {
    const node = t.node;
    const isConstant = node === null && !t.requiresGrad && t.name === undefined;
    const vertex: Vertex = {
      source: t,
      kind: node !== null ? 'gate' : isConstant ? 'constant' : 'input',
      op: node?.op ?? null,
      inputs: node ? node.inputs.map((x) => index.get(x)!) : [],
      name: t.name,
      shape: [...t.shape],
      value: value(t)!,
      grad: value(grads.get(t)),
      constant: isConstant ? uniformValue(t) : undefined,
      scope: node?.scope ?? null,
      wires: [],
    };
    if (node) {
      if (node.span) vertex.span = { ...node.span };
      const attrs = plainAttrs(node.attrs);
      if (attrs) vertex.attrs = attrs;
      const ctx = {
        inputs: node.inputs,
        output: t,
        attrs: node.attrs,
        saved: node.saved,
        needsGrad: node.inputs.map((x) => x.requiresGrad),
      };
      const upstream = grads.get(t);
      vertex.wires = node.inputs.map((_, i) => {
        const vjp = node.op.vjpText?.[i];
        const global = edgeGrads.get(t)?.[i];
        return {
          local: upstream && node.op.local ? value(node.op.local(ctx, i)) : null,
          upstream: value(upstream),
          global: value(global),
          ...(vjp ? { vjp } : {}),
        };
      });
    }
    return vertex;
  });
}

function valueVertices(root: Value): Vertex[] {
  const order = topoOrderValues(root);
  const index = new Map(order.map((v, i) => [v, i]));
  return order.map((v): Vertex => {
    const rule = v.rule;
    const inputs = v.inputs();
    return {
      source: v,
      kind: rule ? 'gate' : v instanceof Constant ? 'constant' : 'input',
      op: rule?.op ?? null,
      inputs: inputs.map((x) => index.get(x)!),
      name: v.label || undefined,
      shape: [],
      value: v.data,
      grad: v instanceof Constant ? null : v.grad,
      constant: v instanceof Constant ? v.data : undefined,
      scope: v.scope,
      wires: inputs.map((_, i) => {
        const b = v.b?.data ?? 0;
        const local = rule ? (i === 0 ? rule.da : rule.db)(v.a!.data, b, v.data) : 0;
        return { local, upstream: v.grad, global: local * v.grad };
      }),
    };
  });
}

/**
 * A plain, serializable description of the graph behind `root`, with every node's value and
 * gradient and, on every wire, the local gradient, the upstream gradient and their product.
 * Ids follow a deterministic topological order, so the same computation always gives the same
 * snapshot. Constants fed into a gate that can show them (`+1`, `*-1`, `1/x`, `^2`) are folded
 * into its label, as the CS231n slides draw them.
 *
 * For a tensor root the gradients are computed here (nothing is accumulated into `.grad`); for
 * a scalar Value, call `backward()` first: its `.grad` fields are read as they are.
 */
export function toSnapshot(root: Tensor | Value, options: SnapshotOptions = {}): GraphSnapshot {
  return withIds('toSnapshot', root, options).snapshot;
}

/**
 * toSnapshot, plus which snapshot id each tensor or value got (for tools that link the picture
 * back to the live graph, and for tests that compare the schedule with a real backward pass).
 */
export function snapshotWithIds(
  root: Tensor | Value,
  options: SnapshotOptions = {},
): { snapshot: GraphSnapshot; idOf: Map<Tensor | Value, string> } {
  return withIds('snapshotWithIds', root, options);
}

/** The arguments of toSnapshot and snapshotWithIds, or a clear error naming `fn`. */
function checkSnapshotArgs(fn: string, root: unknown, options: SnapshotOptions): void {
  if (!(root instanceof Tensor) && !(root instanceof Value)) {
    throw badArgument(fn, `argument root must be a tensor or a Value, got ${describe(root)}`);
  }
  checkOptions(fn, 'options', options);
  if (options.maxElements !== undefined) {
    checkInteger(fn, 'options.maxElements', options.maxElements, 0, LIMITS.maxTensorSize);
  }
  if (options.mode !== undefined) checkChoice(fn, 'options.mode', options.mode, GRAPH_MODES);
  if (options.expression !== undefined && typeof options.expression !== 'string') {
    throw badArgument(
      fn,
      `options.expression must be a string, got ${describe(options.expression)}`,
    );
  }
}

function withIds(
  fn: string,
  root: Tensor | Value,
  options: SnapshotOptions = {},
): { snapshot: GraphSnapshot; idOf: Map<Tensor | Value, string> } {
  checkSnapshotArgs(fn, root, options);
  const vertices =
    root instanceof Value ? valueVertices(root) : tensorVertices(root, options.maxElements ?? 64);
  const uses = new Array<number>(vertices.length).fill(0);
  for (const v of vertices) for (const i of v.inputs) uses[i]!++;

  // Fold a constant into its gate when it feeds only that gate and the gate can show it.
  const folded = new Set<number>();
  const labels = vertices.map((v) => v.op?.label.symbol ?? '');
  vertices.forEach((v, k) => {
    const fold = v.op?.label.fold;
    if (!fold || v.inputs.length !== 2) return;
    const candidates = v.inputs
      .map((i, position) => ({ i, position }))
      .filter(({ i }) => vertices[i]!.constant !== undefined && uses[i] === 1);
    if (candidates.length !== 1) return;
    const { i, position } = candidates[0]!;
    folded.add(i);
    labels[k] = fold(formatConstant(vertices[i]!.constant!), position);
  });

  const ids = new Map<number, string>();
  vertices.forEach((_, k) => {
    if (!folded.has(k)) ids.set(k, `n${ids.size}`);
  });

  const structure: StructureGraph = {
    op: vertices.map((v) => v.op?.name ?? null),
    inputs: vertices.map((v) => v.inputs),
    span: vertices.map((v) => v.span),
    ...scopeGroups(vertices.map((v) => v.scope)),
    ...(options.expression !== undefined ? { source: options.expression } : {}),
  };
  detectStructure(structure);
  const { groups, idOf: groupId } = numberGroups(structure, [...ids.keys()]);

  const nodes: SnapshotNode[] = [];
  const edges: SnapshotEdge[] = [];
  vertices.forEach((v, k) => {
    const id = ids.get(k);
    if (id === undefined) return;
    const node: SnapshotNode = {
      id,
      kind: v.kind,
      op: v.op?.name ?? v.kind,
      label:
        v.kind === 'gate'
          ? labels[k]!
          : v.kind === 'constant'
            ? v.constant !== undefined
              ? formatConstant(v.constant)
              : 'const'
            : (v.name ?? id),
      shape: v.shape,
      value: v.value,
      grad: v.grad,
    };
    if (v.op) {
      node.gate = v.op.label.gate;
      node.rule = v.op.label.rule;
    }
    if (v.attrs) node.attrs = v.attrs;
    if (v.span) node.span = v.span;
    if (v.kind === 'gate' && v.name !== undefined) node.name = v.name;
    if (k === vertices.length - 1) node.output = true;
    const group = groupId(structure.group[k]!);
    if (group !== undefined) node.group = group;
    nodes.push(node);
    v.inputs.forEach((from, inputIndex) => {
      const fromId = ids.get(from);
      if (fromId === undefined) return;
      const wire = v.wires[inputIndex]!;
      edges.push({
        id: `e${edges.length}`,
        from: fromId,
        to: id,
        inputIndex,
        value: vertices[from]!.value,
        grad: wire.global,
        local: wire.local,
        upstream: wire.upstream,
        global: wire.global,
        ...(wire.vjp ? { vjp: wire.vjp } : {}),
      });
    });
  });

  const snapshot: GraphSnapshot = { version: 1, root: ids.get(vertices.length - 1)!, nodes, edges };
  if (options.expression !== undefined) snapshot.expression = options.expression;
  nameOperands(snapshot);
  if (options.mode) snapshot.mode = options.mode;
  if (groups.length > 0) snapshot.groups = groups;
  const idOf = new Map<Tensor | Value, string>();
  for (const [k, id] of ids) idOf.set(vertices[k]!.source, id);
  return { snapshot, idOf };
}

/**
 * Fills the VJP templates of the wires (`upstream · {B}ᵀ | up · Bᵀ → A`) with the names and
 * shapes of the gate's real operands: `upstream · xᵀ  (2×1 · 1×3 → 2×3)`.
 */
function nameOperands(snapshot: GraphSnapshot): void {
  const templated = snapshot.edges.filter((e) => e.vjp !== undefined);
  const rules = snapshot.nodes.filter((n) => n.rule?.includes('{') === true);
  if (templated.length === 0 && rules.length === 0) return;
  const byId = new Map(snapshot.nodes.map((n) => [n.id, n]));
  const inputs = new Map<string, SnapshotNode[]>();
  for (const e of snapshot.edges) {
    const list = inputs.get(e.to) ?? [];
    list[e.inputIndex] = byId.get(e.from)!;
    inputs.set(e.to, list);
  }
  for (const e of templated) {
    const operands = inputs.get(e.to) ?? [];
    const names = [0, 1].map((i) => (operands[i] ? nodeName(snapshot, operands[i]) : undefined));
    const shapes = [0, 1].map((i) => operands[i]?.shape);
    e.vjp = fillVjpText(e.vjp!, names, shapes);
  }
  for (const node of rules) {
    const operands = inputs.get(node.id) ?? [];
    const names = [0, 1].map((i) => (operands[i] ? nodeName(snapshot, operands[i]) : undefined));
    node.rule = fillNames(node.rule!, names);
  }
}
