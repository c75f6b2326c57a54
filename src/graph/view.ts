/**
 * What a picture shows of a snapshot: every node, or some groups closed into single boxes. A view
 * maps each snapshot node to what stands for it on screen (itself, or the outermost closed group
 * around it), merges the wires that then run between the same two boxes, and draws an input used
 * many times as small stubs beside its users instead of one node with long wires (TensorBoard's
 * "auxiliary nodes"). The layout and the renderers draw views; `flatView` is the plain picture.
 *
 * Where a leaf sits: inside the innermost group that holds all its users, so closing a layer
 * also hides its weights.
 */
import { badArgument } from '../core/errors.js';
import { checkBoolean, checkInteger, checkOptions, describe } from '../core/validate.js';
import { checkSnapshot, checkView, markView } from './check-args.js';
import { isSummary } from './format.js';
import type { GraphSnapshot, NestedArray, SnapshotValue } from './types.js';

/** A thing drawn in a view: a snapshot node, a closed group, or one stub of an auxiliary input. */
export interface ViewNode {
  /** The snapshot node id, the group id, or `n0~e5` for the stub of node n0 on wire e5. */
  id: string;
  kind: 'node' | 'group' | 'stub';
  /** The snapshot node (kinds `node` and `stub`). */
  node?: string;
  /** The group (kind `group`). */
  group?: string;
  /** The open group whose frame it is drawn in; undefined at the top (and in a flat view). */
  parent?: string;
  /** A node whose uses are drawn as stubs (it keeps its place, with its total gradient). */
  aux?: boolean;
}

/** A wire of a view: one snapshot wire, or several that run between the same two boxes. */
export interface ViewEdge {
  /** The id of its first snapshot wire. */
  id: string;
  from: string;
  to: string;
  /** The snapshot wires it stands for. */
  edges: string[];
  /** The distinct snapshot nodes whose values it carries (one, unless wires are bundled). */
  sources: string[];
}

/** An open group drawn as a frame around its parts. */
export interface ViewFrame {
  group: string;
  parent?: string;
}

export interface GraphView {
  snapshot: GraphSnapshot;
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Open groups drawn as frames, parents before children (none in a flat view). */
  frames: ViewFrame[];
  /** The view node the output is drawn as. */
  output: string;
  /** The open groups (every group in a flat view). */
  open: ReadonlySet<string>;
  /** Whether groups are drawn (frames and closed boxes) or the graph is flat. */
  grouped: boolean;
  /** Snapshot node → the view node that shows it (an aux node shows itself). */
  nodeRep: ReadonlyMap<string, string>;
  /** Snapshot wire → the view wire it is part of (absent when inside a closed group). */
  edgeRep: ReadonlyMap<string, string>;
}

export interface ViewOptions {
  /**
   * Draw groups: closed ones as boxes, open ones as frames. When false (the default) the view is
   * flat: every node, no frames, as the lecture draws a graph.
   */
  grouped?: boolean;
  /** With `grouped`: the open groups (`'all'` for every group). Unknown ids are ignored. */
  open?: 'all' | readonly string[];
}

/** An input used at least this many times (visible wires) is drawn as stubs beside its users. */
export const AUX_MIN_USES = 8;
/** The first view of a graph shows at most about this many nodes (closing groups to get there). */
export const AUTO_VIEW_NODES = 150;
/** No view with more nodes or wires than this is laid out or drawn. */
export const MAX_VIEW_NODES = 4000;
export const MAX_VIEW_EDGES = 8000;

/** The group tree of a snapshot, with where each node sits in it. */
interface Tree {
  parent: Map<string, string | undefined>;
  depth: Map<string, number>;
  /** Direct child groups, in snapshot order. */
  children: Map<string | undefined, string[]>;
  /** The group each node is placed in (gates: their group; leaves: around all their users). */
  place: Map<string, string | undefined>;
}

const trees = new WeakMap<GraphSnapshot, Tree>();

function treeOf(snapshot: GraphSnapshot): Tree {
  let tree = trees.get(snapshot);
  if (tree) return tree;
  const parent = new Map<string, string | undefined>();
  const depth = new Map<string, number>();
  const children = new Map<string | undefined, string[]>([[undefined, []]]);
  for (const g of snapshot.groups ?? []) {
    const p = g.parent !== undefined && parent.has(g.parent) ? g.parent : undefined;
    parent.set(g.id, p);
    depth.set(g.id, p === undefined ? 0 : depth.get(p)! + 1);
    children.set(g.id, []);
    children.get(p)!.push(g.id);
  }
  const known = (g: string | undefined) => (g !== undefined && parent.has(g) ? g : undefined);
  const lca = (a: string | undefined, b: string | undefined): string | undefined => {
    while (a !== undefined && b !== undefined && a !== b) {
      if (depth.get(a)! >= depth.get(b)!) a = parent.get(a);
      else b = parent.get(b);
    }
    return a === b ? a : undefined;
  };
  const place = new Map<string, string | undefined>();
  const users = new Map<string, string[]>();
  for (const e of snapshot.edges) {
    const list = users.get(e.from);
    if (list) list.push(e.to);
    else users.set(e.from, [e.to]);
  }
  for (const n of snapshot.nodes) if (n.kind === 'gate') place.set(n.id, known(n.group));
  for (const n of snapshot.nodes) {
    if (n.kind === 'gate') continue;
    const us = users.get(n.id) ?? [];
    let p: string | undefined = us.length > 0 ? place.get(us[0]!) : undefined;
    for (const u of us) p = lca(p, place.get(u));
    place.set(n.id, p);
  }
  tree = { parent, depth, children, place };
  trees.set(snapshot, tree);
  return tree;
}

/**
 * The plain picture: every node, no groups drawn, inputs used many times as stubs.
 *
 * @example
 * flatView(snapshot).nodes.length // 13: every node of the sigmoid neuron
 */
export function flatView(snapshot: GraphSnapshot): GraphView {
  return buildView(checkSnapshot('flatView', snapshot), {});
}

/**
 * A view of a snapshot with some groups open (`open`) and the others closed into boxes.
 *
 * @example
 * // The sigmoid neuron with its dot product w0·x0 + w1·x1 + w2 closed into one box (its
 * // inputs inside it), then *-1, exp, +1, 1/x:
 * buildView(snapshot, { grouped: true, open: [] }).nodes.map((n) => n.id) // ['g0', 'n9', 'n10', 'n11', 'n12']
 */
export function buildView(snapshot: GraphSnapshot, options: ViewOptions = {}): GraphView {
  checkSnapshot('buildView', snapshot);
  checkOptions('buildView', 'options', options);
  if (options.grouped !== undefined) checkBoolean('buildView', 'options.grouped', options.grouped);
  const given = options.open;
  if (
    given !== undefined &&
    given !== 'all' &&
    !(Array.isArray(given) && given.every((g) => typeof g === 'string'))
  ) {
    throw badArgument(
      'buildView',
      `options.open must be 'all' or a list of group ids, got ${describe(given)}`,
    );
  }
  const tree = treeOf(snapshot);
  const grouped = options.grouped === true;
  const all = !grouped || options.open === 'all';
  const open = new Set<string>(
    all ? tree.parent.keys() : ((options.open as readonly string[] | undefined) ?? []),
  );
  for (const g of open) if (!tree.parent.has(g)) open.delete(g);

  // The outermost closed group around each group (itself included), parents first.
  const closedTop = new Map<string, string | undefined>();
  for (const g of tree.parent.keys()) {
    const p = tree.parent.get(g);
    const above = p === undefined ? undefined : closedTop.get(p);
    closedTop.set(g, above ?? (open.has(g) ? undefined : g));
  }
  const nodes: ViewNode[] = [];
  const byId = new Map<string, ViewNode>();
  const add = (node: ViewNode) => {
    if (byId.has(node.id)) return;
    byId.set(node.id, node);
    nodes.push(node);
  };
  const where = (g: string | undefined) => (grouped && g !== undefined ? { parent: g } : {});
  const nodeRep = new Map<string, string>();
  for (const n of snapshot.nodes) {
    const p = tree.place.get(n.id);
    const closed = p === undefined ? undefined : closedTop.get(p);
    if (closed !== undefined) {
      nodeRep.set(n.id, closed);
      add({ id: closed, kind: 'group', group: closed, ...where(tree.parent.get(closed)) });
    } else {
      nodeRep.set(n.id, n.id);
      add({ id: n.id, kind: 'node', node: n.id, ...where(p) });
    }
  }

  const edges: ViewEdge[] = [];
  const edgeRep = new Map<string, string>();
  const merged = new Map<string, ViewEdge>();
  for (const e of snapshot.edges) {
    const from = nodeRep.get(e.from);
    const to = nodeRep.get(e.to);
    if (from === undefined || to === undefined || from === to) continue;
    // Wires between two drawn nodes stay apart (x*x has two); wires at a closed group merge.
    const key =
      byId.get(from)!.kind === 'node' && byId.get(to)!.kind === 'node'
        ? e.id
        : `${from}\u0000${to}`;
    let edge = merged.get(key);
    if (edge === undefined) {
      edge = { id: e.id, from, to, edges: [], sources: [] };
      merged.set(key, edge);
      edges.push(edge);
    }
    edge.edges.push(e.id);
    if (!edge.sources.includes(e.from)) edge.sources.push(e.from);
    edgeRep.set(e.id, edge.id);
  }

  // Inputs used many times: one stub per wire, beside the box it feeds.
  const outDegree = new Map<string, number>();
  for (const e of edges) outDegree.set(e.from, (outDegree.get(e.from) ?? 0) + 1);
  const kindOf = new Map(snapshot.nodes.map((n) => [n.id, n.kind]));
  for (const e of edges) {
    const from = byId.get(e.from)!;
    if (from.kind !== 'node' || kindOf.get(from.node!) === 'gate') continue;
    if ((outDegree.get(e.from) ?? 0) < AUX_MIN_USES) continue;
    from.aux = true;
    const stub: ViewNode = {
      id: `${from.id}~${e.id}`,
      kind: 'stub',
      node: from.node!,
      ...where(byId.get(e.to)!.parent),
    };
    add(stub);
    e.from = stub.id;
  }

  const frames: ViewFrame[] = [];
  if (grouped) {
    const shown = new Set<string>();
    for (const n of nodes)
      for (let p = n.parent; p !== undefined; p = tree.parent.get(p)) {
        if (shown.has(p)) break;
        shown.add(p);
      }
    for (const g of snapshot.groups ?? []) {
      if (!shown.has(g.id)) continue;
      const parent = tree.parent.get(g.id);
      frames.push({ group: g.id, ...(parent !== undefined ? { parent } : {}) });
    }
  }
  return markView({
    snapshot,
    nodes,
    edges,
    frames,
    output: nodeRep.get(snapshot.root) ?? snapshot.root,
    open,
    grouped,
    nodeRep,
    edgeRep,
  });
}

/**
 * The first view of a snapshot: flat when it has at most `maxNodes` nodes to draw, else grouped
 * with groups opened level by level (the outermost first) while the view stays within
 * `maxNodes`. A graph with no groups to close stays flat whatever its size (the renderers refuse
 * one beyond MAX_VIEW_NODES with a message).
 *
 * @example
 * autoView(snapshot).grouped // false: 13 nodes, drawn as the lecture does
 * const xs = snapshotExpression(Array(1000).fill('x').join('+'), { x: 1 });
 * autoView(xs).nodes.length // 65: the sum's 32 parts, x, and x's stub beside each part
 */
export function autoView(snapshot: GraphSnapshot, maxNodes = AUTO_VIEW_NODES): GraphView {
  checkSnapshot('autoView', snapshot);
  checkInteger('autoView', 'maxNodes', maxNodes, 1, MAX_VIEW_NODES);
  const tree = treeOf(snapshot);
  // A flat view draws at least every node: only a small graph (or one with nothing to close)
  // can be flat.
  if (tree.parent.size === 0) return flatView(snapshot);
  if (snapshot.nodes.length <= maxNodes) {
    const flat = flatView(snapshot);
    if (flat.nodes.length <= maxNodes) return flat;
  }
  const open: string[] = [];
  let best = buildView(snapshot, { grouped: true, open });
  let frontier = tree.children.get(undefined) ?? [];
  while (frontier.length > 0) {
    const next = buildView(snapshot, { grouped: true, open: [...open, ...frontier] });
    if (next.nodes.length > maxNodes) break;
    open.push(...frontier);
    best = next;
    frontier = frontier.flatMap((g) => tree.children.get(g) ?? []);
  }
  return best;
}

/** True when a view is too big to lay out and draw (see MAX_VIEW_NODES). */
export function viewTooBig(view: GraphView): boolean {
  checkView('viewTooBig', view);
  return view.nodes.length > MAX_VIEW_NODES || view.edges.length > MAX_VIEW_EDGES;
}

/** The groups inside `group` (itself included), for closing a group with everything in it. */
export function groupAndDescendants(snapshot: GraphSnapshot, group: string): string[] {
  const tree = treeOf(checkSnapshot('groupAndDescendants', snapshot));
  if (!tree.parent.has(group)) {
    throw badArgument('groupAndDescendants', `the snapshot has no group ${describe(group)}`);
  }
  const out: string[] = [];
  const stack = [group];
  for (let g = stack.pop(); g !== undefined; g = stack.pop()) {
    out.push(g);
    stack.push(...(tree.children.get(g) ?? []));
  }
  return out;
}

/** The chain of groups around a node, outermost first (for opening the way to it). */
export function groupsAround(snapshot: GraphSnapshot, node: string): string[] {
  const tree = treeOf(checkSnapshot('groupsAround', snapshot));
  if (!tree.place.has(node)) {
    throw badArgument('groupsAround', `the snapshot has no node ${describe(node)}`);
  }
  const chain: string[] = [];
  for (let g = tree.place.get(node); g !== undefined; g = tree.parent.get(g)) chain.unshift(g);
  return chain;
}

/** Elementwise sum of equally shaped values (null when any is missing or summarised). */
function addValues(a: SnapshotValue | null, b: SnapshotValue | null): SnapshotValue | null {
  if (a === null || b === null || isSummary(a) || isSummary(b)) return null;
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return null;
  const out: NestedArray[] = [];
  for (let i = 0; i < a.length; i++) {
    const s = addValues(a[i]!, b[i]!);
    if (s === null || isSummary(s)) return null;
    out.push(s);
  }
  return out;
}

/**
 * The numbers a view wire shows: for one source, its value and the sum of the gradients of the
 * snapshot wires it stands for (the copy gate adds them); for a bundle of scalar wires, the
 * vector of their values and of their gradients; null where there is nothing to show.
 *
 * @example
 * const v = flatView(snapshot);
 * wireNumbers(v, v.edges[0]!).grad // -0.19661193324148188 (dL/dw0)
 */
export function wireNumbers(
  view: GraphView,
  edge: ViewEdge,
): { value: SnapshotValue | null; grad: SnapshotValue | null } {
  const s = checkViewEdge('wireNumbers', view, edge).snapshot;
  const nodes = nodeIndex(s);
  const edges = edgeIndex(s);
  const gradOf = (source: string): SnapshotValue | null => {
    let total: SnapshotValue | null = null;
    let first = true;
    for (const id of edge.edges) {
      const e = edges.get(id);
      if (!e || e.from !== source) continue;
      total = first ? e.grad : addValues(total, e.grad);
      first = false;
    }
    return total;
  };
  if (edge.sources.length === 1) {
    const source = edge.sources[0]!;
    return { value: nodes.get(source)?.value ?? null, grad: gradOf(source) };
  }
  const values = edge.sources.map((id) => nodes.get(id)?.value ?? null);
  const grads = edge.sources.map(gradOf);
  const scalars = (xs: (SnapshotValue | null)[]) =>
    xs.every((x) => typeof x === 'number') ? xs : null;
  return { value: scalars(values), grad: scalars(grads) };
}

/**
 * Nodes of a view whose total gradient is drawn under them (`Σ ◂ 2.06`): snapshot nodes whose
 * value feeds more than one drawn wire that carries a gradient, and inputs drawn as stubs. Each
 * branch wire shows only its own part; the total says that gradients add up at a fork.
 *
 * @example
 * viewForks(flatView(snapshotExpression('(x+y)*x', { x: 3, y: -4 }))) // Set { 'n0' }: x feeds two gates
 */
export function viewForks(view: GraphView): Set<string> {
  checkView('viewForks', view);
  const nodes = nodeIndex(view.snapshot);
  const edges = edgeIndex(view.snapshot);
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  const uses = new Map<string, number>();
  for (const e of view.edges) {
    if (!e.edges.some((id) => edges.get(id)?.grad !== null)) continue;
    const from = byId.get(e.from);
    const owner = from?.kind === 'stub' ? from.node! : e.from;
    uses.set(owner, (uses.get(owner) ?? 0) + 1);
  }
  const forks = new Set<string>();
  for (const n of view.nodes) {
    if (n.kind !== 'node') continue;
    const node = nodes.get(n.node!);
    if (node && node.grad !== null && ((uses.get(n.id) ?? 0) > 1 || n.aux === true)) {
      forks.add(n.id);
    }
  }
  return forks;
}

/**
 * The name written on a view wire: the step name of its source (`dot`), when it carries one
 * value and that value has a name.
 *
 * @example
 * wireName(flatView(snapshot), flatView(snapshot).edges[0]!) // undefined: w0 is not a step
 */
export function wireName(view: GraphView, edge: ViewEdge): string | undefined {
  checkViewEdge('wireName', view, edge);
  if (edge.sources.length !== 1) return undefined;
  return nodeIndex(view.snapshot).get(edge.sources[0]!)?.name;
}

const viewEdges = new WeakMap<GraphView, Set<ViewEdge>>();

/** The view, after checking that `edge` is one of its wires (from `view.edges`). */
function checkViewEdge(fn: string, view: GraphView, edge: ViewEdge): GraphView {
  checkView(fn, view);
  let known = viewEdges.get(view);
  if (!known) viewEdges.set(view, (known = new Set(view.edges)));
  if (!known.has(edge)) {
    throw badArgument(fn, `argument edge must be one of view.edges, got ${describe(edge)}`);
  }
  return view;
}

const nodeIndexes = new WeakMap<GraphSnapshot, Map<string, GraphSnapshot['nodes'][number]>>();
const edgeIndexes = new WeakMap<GraphSnapshot, Map<string, GraphSnapshot['edges'][number]>>();

/** Snapshot nodes by id (cached per snapshot). */
export function nodeIndex(s: GraphSnapshot): Map<string, GraphSnapshot['nodes'][number]> {
  let m = nodeIndexes.get(s);
  if (!m) nodeIndexes.set(s, (m = new Map(s.nodes.map((n) => [n.id, n]))));
  return m;
}

/** Snapshot wires by id (cached per snapshot). */
export function edgeIndex(s: GraphSnapshot): Map<string, GraphSnapshot['edges'][number]> {
  let m = edgeIndexes.get(s);
  if (!m) edgeIndexes.set(s, (m = new Map(s.edges.map((e) => [e.id, e]))));
  return m;
}
