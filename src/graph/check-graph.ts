/**
 * The gradient check on the picture itself: a verdict for every node (its total gradient
 * dL/dnode against centered differences of the whole downstream graph) and for every wire (its
 * contribution local × upstream against centered differences of its gate alone). A wrong
 * derivative lights up exactly the wire of the gate that has it; the nodes upstream of it go
 * wrong with it.
 */
import { badArgument, formatShape } from '../core/errors.js';
import {
  checkChoice,
  checkInteger,
  checkOptions,
  checkStepOptions,
  checkTensor,
  describe,
} from '../core/validate.js';
import { GRAPH_MODES } from '../expr/ast.js';
import { checkSnapshot, checkView } from './check-args.js';
import { gradients, noGrad, topoOrder } from '../core/autograd.js';
import { apply } from '../core/apply.js';
import { Tensor } from '../core/tensor.js';
import { judge, numericalGradient, type CheckStatus, type Judgement } from './gradcheck.js';
import { snapshotWithIds } from './snapshot.js';
import type { GraphSnapshot } from './types.js';
import type { GraphView } from './view.js';

/** A verdict on one node or wire of the picture. */
export type PartCheck = Judgement;

export interface GraphCheck {
  /** The picture the verdicts belong to (ids as in `nodes` and `edges`). */
  snapshot: GraphSnapshot;
  /** Per node id: its gradient dL/dnode judged (constants and label leaves have none). */
  nodes: Record<string, PartCheck>;
  /** Per wire id: its contribution local × upstream judged (wires without a gradient have none). */
  edges: Record<string, PartCheck>;
  /** Nodes and wires left out because the graph is larger than the evaluation budget. */
  unchecked: string[];
  /** True when no node and no wire is 'uncomfortable' or 'wrong'. */
  passed: boolean;
}

export interface GraphCheckOptions {
  /** The finite-difference step (default 1e-5). */
  h?: number;
  /**
   * At most this many op evaluations in all (a node's element costs two passes through the
   * gates after it, a wire's element two of its gate), so a large graph stays fast; what does
   * not fit is listed in `unchecked` (default 50,000, a fraction of a second).
   */
  budget?: number;
  /** Passed through to the snapshot (the expression, the mode). */
  expression?: string;
  mode?: GraphSnapshot['mode'];
}

/**
 * Checks every node and wire of the graph behind a scalar tensor `root` numerically.
 *
 * @example
 * const x = tensor(3, { requiresGrad: true, name: 'x' });
 * checkGraph(mul(x, x)).passed // true
 */
export function checkGraph(root: Tensor, options: GraphCheckOptions = {}): GraphCheck {
  checkTensor('checkGraph', 'root', root);
  if (root.size !== 1) {
    throw badArgument(
      'checkGraph',
      `argument root must be a single number, got shape ${formatShape(root.shape)}`,
    );
  }
  checkStepOptions('checkGraph', options);
  if (options.budget !== undefined) {
    checkInteger('checkGraph', 'options.budget', options.budget, 0, MAX_CHECK_BUDGET);
  }
  if (options.mode !== undefined)
    checkChoice('checkGraph', 'options.mode', options.mode, GRAPH_MODES);
  if (options.expression !== undefined && typeof options.expression !== 'string') {
    throw badArgument(
      'checkGraph',
      `options.expression must be a string, got ${describe(options.expression)}`,
    );
  }
  const { snapshot, idOf } = snapshotWithIds(root, {
    ...(options.expression === undefined ? {} : { expression: options.expression }),
    ...(options.mode === undefined ? {} : { mode: options.mode }),
  });
  const grads = gradients(root);
  const order = topoOrder(root);
  const position = new Map(order.map((t, i) => [t, i]));
  const hasKinks = order.some((t) => t.node?.op.decisions !== undefined);
  const h = options.h === undefined ? {} : { h: options.h };
  let budget = options.budget ?? 50_000;
  const nodes: Record<string, PartCheck> = {};
  const edges: Record<string, PartCheck> = {};
  const unchecked: string[] = [];

  /** L with `t` replaced by `value`: every gate after it that depends on it is recomputed. */
  const replay = (t: Tensor, value: Tensor): number => {
    const replaced = new Map<Tensor, Tensor>([[t, value]]);
    for (let k = position.get(t)! + 1; k < order.length; k++) {
      const node = order[k]!.node;
      if (node === null || !node.inputs.some((x) => replaced.has(x))) continue;
      const inputs = node.inputs.map((x) => replaced.get(x) ?? x);
      replaced.set(order[k]!, apply(node.op, inputs, node.attrs));
    }
    return (replaced.get(root) ?? root).item();
  };

  noGrad(() => {
    for (const t of order) {
      const id = idOf.get(t);
      const analytic = grads.get(t);
      if (id === undefined || analytic === undefined) continue;
      // Two nudges per element, each replaying at most every gate after t.
      const cost = 2 * t.size * Math.max(1, order.length - position.get(t)! - 1);
      if (cost > budget) {
        unchecked.push(id);
        continue;
      }
      budget -= cost;
      const probe = new Tensor(t.data.slice(), t.shape);
      nodes[id] = judge(
        analytic.data,
        numericalGradient(() => replay(t, probe), probe, h),
        hasKinks,
      );
    }
    const byId = new Map(order.flatMap((t) => (idOf.has(t) ? [[idOf.get(t)!, t] as const] : [])));
    for (const edge of snapshot.edges) {
      const to = byId.get(edge.to);
      const node = to?.node;
      const upstream = to && grads.get(to);
      const input = node?.inputs[edge.inputIndex];
      if (!node || !upstream || !input || edge.global === null) continue;
      if (2 * input.size > budget) {
        unchecked.push(edge.id);
        continue;
      }
      budget -= 2 * input.size;
      // The wire's own share: Σ upstream ⊙ gate(inputs with this one nudged), the others fixed.
      const probe = new Tensor(input.data.slice(), input.shape);
      const inputs = node.inputs.map((x, i) => (i === edge.inputIndex ? probe : x));
      const share = () => {
        const y = apply(node.op, inputs, node.attrs).data;
        let s = 0;
        for (let i = 0; i < y.length; i++) s += y[i]! * upstream.data[i]!;
        return s;
      };
      // The gate's own VJP for this input: what backprop sends down the wire.
      const ctx = {
        inputs: node.inputs,
        output: to,
        attrs: node.attrs,
        saved: node.saved,
        needsGrad: node.inputs.map((_, j) => j === edge.inputIndex),
      };
      const analytic = node.op.backward(ctx, upstream)[edge.inputIndex];
      if (!analytic) continue;
      edges[edge.id] = judge(
        analytic.data,
        numericalGradient(share, probe, h),
        node.op.decisions !== undefined,
      );
    }
  });
  const failed = (c: PartCheck) => c.status === 'wrong' || c.status === 'uncomfortable';
  return {
    snapshot,
    nodes,
    edges,
    unchecked,
    passed: !Object.values(nodes).some(failed) && !Object.values(edges).some(failed),
  };
}

const STATUSES: readonly CheckStatus[] = ['happy', 'ok', 'uncomfortable', 'wrong', 'kink'];

/** The most op evaluations a graph check may spend (about ten seconds of work). */
export const MAX_CHECK_BUDGET = 5_000_000;

/** A GraphCheck (from checkGraph or checkExpression(…).graph), or a clear error naming `fn`. */
export function checkGraphCheck(fn: string, check: GraphCheck): GraphCheck {
  const c = checkOptions(fn, 'check', check);
  checkSnapshot(fn, c.snapshot, 'check.snapshot');
  for (const key of ['nodes', 'edges'] as const) {
    const parts: unknown = c[key];
    if (
      parts === null ||
      typeof parts !== 'object' ||
      !Object.values(parts).every((p) =>
        STATUSES.includes((p as Partial<PartCheck> | null)?.status as CheckStatus),
      )
    ) {
      throw badArgument(fn, `check.${key} must map ids to verdicts, got ${describe(parts)}`);
    }
  }
  return check;
}

/** The class a picture gives a part with this verdict: `verdict-happy`, `verdict-wrong`, … */
export function verdictClass(status: CheckStatus): string {
  checkChoice('verdictClass', 'status', status, STATUSES);
  return `verdict-${status}`;
}

/**
 * How much a verdict says is wrong, for summing up a closed group or a bundle of wires: the worst
 * compared verdict wins; 'kink' (not compared) only when nothing was compared.
 */
const SEVERITY: Readonly<Record<CheckStatus, number>> = {
  kink: 0,
  happy: 1,
  ok: 2,
  uncomfortable: 3,
  wrong: 4,
};

const worse = (a: CheckStatus | undefined, b: CheckStatus): CheckStatus =>
  a === undefined || SEVERITY[b] > SEVERITY[a] ? b : a;

/**
 * The class of every checked node and wire, by id, for a page or a renderer to colour the
 * picture with (`g.node[data-node-id]`, `g.edge[data-edge-id]` in the SVG). Given the `view` the
 * picture draws, a closed group's box gets the worst verdict of the nodes and gate wires inside
 * it and a bundle of wires the worst of its wires, so a wrong derivative shows before its group
 * is opened.
 *
 * @example
 * verdictClasses(checkExpression('x * y', { x: 4, y: -3 }).graph).edges.e0 // 'verdict-happy'
 */
export function verdictClasses(
  check: GraphCheck,
  view?: GraphView,
): {
  nodes: Record<string, string>;
  edges: Record<string, string>;
} {
  checkGraphCheck('verdictClasses', check);
  if (view !== undefined) checkView('verdictClasses', view);
  const nodes = statuses(check.nodes);
  const edges = statuses(check.edges);
  if (view !== undefined) {
    // A group sums up its nodes and the wires into its gates (a wrong local derivative shows
    // on its gate's input wire), in every group around them.
    const parents = new Map((check.snapshot.groups ?? []).map((g) => [g.id, g.parent]));
    const groupOf = new Map(check.snapshot.nodes.map((n) => [n.id, n.group]));
    const closed = new Map<string, CheckStatus>();
    const fold = (node: string, status: CheckStatus | undefined) => {
      if (status === undefined) return;
      for (let g = groupOf.get(node); g !== undefined; g = parents.get(g)) {
        closed.set(g, worse(closed.get(g), status));
      }
    };
    for (const node of check.snapshot.nodes) fold(node.id, nodes[node.id]);
    for (const edge of check.snapshot.edges) fold(edge.to, edges[edge.id]);
    for (const v of view.nodes) {
      const status = v.kind === 'group' && v.group !== undefined ? closed.get(v.group) : undefined;
      if (status !== undefined) nodes[v.id] = status;
    }
    for (const e of view.edges) {
      let status: CheckStatus | undefined;
      for (const id of e.edges) if (edges[id] !== undefined) status = worse(status, edges[id]);
      if (status !== undefined) edges[e.id] = status;
    }
  }
  const classes = (parts: Record<string, CheckStatus>) =>
    Object.fromEntries(Object.entries(parts).map(([id, status]) => [id, verdictClass(status)]));
  return { nodes: classes(nodes), edges: classes(edges) };
}

function statuses(parts: Record<string, PartCheck>): Record<string, CheckStatus> {
  return Object.fromEntries(Object.entries(parts).map(([id, c]) => [id, c.status]));
}
