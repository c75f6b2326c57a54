/**
 * Left-to-right layered layout of a graph snapshot. This is the only file that imports the layout
 * library (dagre): everything else in `viz/` works on the plain numbers returned here, so the
 * library can be swapped without touching a renderer.
 */
import dagre, { type EdgeLabel, type GraphLabel, type NodeLabel } from '@dagrejs/dagre';
import type { GraphSnapshot, SnapshotNode, SnapshotValue } from '../graph/types.js';
import {
  forkNodes,
  gateRadius,
  METRICS,
  nodeText,
  textWidth,
  TOTAL_LINE,
  totalWidth,
  wireText,
} from './labels.js';

// The text helpers moved to labels.ts; re-exported so that existing imports keep working.
export {
  gateRadius,
  METRICS,
  nodeText,
  textWidth,
  truncate,
  wireText,
  type LabelText,
} from './labels.js';

export interface LayoutOptions {
  /** Decimals of the numbers on the wires (default 2); the boxes are sized for them. */
  precision?: number;
  /** Reserve room for forward values above the wires (default true). */
  values?: boolean;
  /** Reserve room for gradients below the wires (default true). */
  gradients?: boolean;
}

export interface Point {
  x: number;
  y: number;
}

/** A node's box; `x`, `y` are its centre, like dagre's. */
export interface NodeBox {
  x: number;
  y: number;
  width: number;
  height: number;
  shape: 'circle' | 'label';
}

/**
 * A wire: a polyline from the source's border to the target's border. It runs horizontally
 * across its label box, centred at (`labelX`, `labelY`), so the value above and the gradient
 * below sit level with the wire.
 */
export interface EdgeRoute {
  points: Point[];
  labelX: number;
  labelY: number;
  labelWidth: number;
  labelHeight: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: Record<string, NodeBox>;
  edges: Record<string, EdgeRoute>;
  /** The root's output wire and the terminal it ends at, at the right of the root. */
  output: NodeBox & { edge: EdgeRoute };
}

function nodeSize(node: SnapshotNode): { width: number; height: number; shape: NodeBox['shape'] } {
  const { text } = nodeText(node);
  if (node.kind === 'gate') {
    const d = 2 * gateRadius(text);
    return { width: d, height: d, shape: 'circle' };
  }
  return {
    width: textWidth(text, METRICS.nameFont) + 10,
    height: METRICS.nameFont + 10,
    shape: 'label',
  };
}

/** The size of the label box a wire needs for its value and gradient texts. */
function labelSize(
  value: SnapshotValue,
  grad: SnapshotValue | null,
  opts: Required<LayoutOptions>,
): { width: number; height: number } {
  const f = METRICS.labelFont;
  const valueW = opts.values ? textWidth(wireText(value, opts.precision).text, f) : 0;
  const gradW =
    opts.gradients && grad !== null
      ? textWidth(wireText(grad, opts.precision).text, f) + METRICS.markWidth
      : 0;
  // Each half holds one line of text, its gap to the wire and a little air for descenders.
  const half = opts.values || opts.gradients ? f + METRICS.labelGap + 3 : 4;
  return { width: Math.max(valueW, gradW, 24) + 14, height: 2 * half };
}

const round = (x: number): number => Math.round(x * 10) / 10;
const roundPoint = (p: Point): Point => ({ x: round(p.x), y: round(p.y) });
const roundBox = (b: NodeBox): NodeBox => ({
  x: round(b.x),
  y: round(b.y),
  width: round(b.width),
  height: round(b.height),
  shape: b.shape,
});

/**
 * Half the width of every layer (all boxes of a dagre rank share a centre x in LR mode), keyed by
 * that x. Wires cross each layer level and bend only in the gaps between layers, where nothing
 * is drawn: a bend inside a layer could cut through a neighbour's label.
 */
class Columns {
  private readonly half = new Map<number, number>();

  private static key(x: number): number {
    return Math.round(x * 100);
  }

  add(x: number, width: number): void {
    const k = Columns.key(x);
    this.half.set(k, Math.max(this.half.get(k) ?? 0, width / 2));
  }

  halfAt(x: number): number {
    return this.half.get(Columns.key(x)) ?? 0;
  }
}

/**
 * Rebuilds a dagre route so that it leaves the source level with its centre, crosses every layer
 * (including its label's) level, bends only between layers, and ends on the target's shape
 * (on a circle, or at the left edge of the output terminal).
 */
function route(
  inner: readonly Point[],
  label: { x: number; y: number; width: number; height: number },
  from: NodeBox,
  to: NodeBox,
  columns: Columns,
): EdgeRoute {
  // Circles and names alike are left level with their centre, at their right edge.
  const points: Point[] = [
    { x: from.x + from.width / 2, y: from.y },
    { x: from.x + columns.halfAt(from.x), y: from.y },
  ];
  for (const p of inner) {
    const half = columns.halfAt(p.x);
    points.push({ x: p.x - half, y: p.y }, { x: p.x + half, y: p.y });
  }
  // Enter the target's layer level, within the target's own band (boxes of one layer never
  // share a band), so the last bend is in the gap too. Wires from above and below meet a circle
  // at slightly different heights, like ports.
  const last = points[points.length - 1] ?? from;
  const left = to.x - columns.halfAt(to.x);
  if (to.shape === 'circle') {
    const r = to.width / 2;
    const dy = Math.max(-0.5 * r, Math.min(0.5 * r, last.y - to.y));
    points.push({ x: left, y: to.y + dy }, { x: to.x - Math.sqrt(r * r - dy * dy), y: to.y + dy });
  } else {
    points.push({ x: left, y: to.y }, { x: to.x - to.width / 2, y: to.y });
  }
  const rounded = points.map(roundPoint);
  // Empty layers (a rank holding only this wire's bend) give repeated points; drop them.
  const unique = rounded.filter((p, i) => {
    const prev = rounded[i - 1];
    return prev === undefined || prev.x !== p.x || prev.y !== p.y;
  });
  return {
    points: unique,
    labelX: round(label.x),
    labelY: round(label.y),
    labelWidth: round(label.width),
    labelHeight: round(label.height),
  };
}

/**
 * Order constraints that put a gate's first input above its second (w0 above x0, as on the
 * slide). dagre drops nodes caught in a cycle of constraints, so a constraint that would close
 * a cycle is skipped: the picture then merely shows that pair the other way round.
 */
function inputOrder(snapshot: GraphSnapshot): Array<{ left: string; right: string }> {
  const after = new Map<string, string[]>();
  const reaches = (from: string, target: string): boolean => {
    const seen = new Set<string>([from]);
    const stack = [from];
    for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
      if (v === target) return true;
      for (const w of after.get(v) ?? []) {
        if (!seen.has(w)) {
          seen.add(w);
          stack.push(w);
        }
      }
    }
    return false;
  };
  const constraints: Array<{ left: string; right: string }> = [];
  const inputsOf = new Map<string, string[]>();
  const byInput = [...snapshot.edges].sort((a, b) => a.inputIndex - b.inputIndex);
  for (const edge of byInput) {
    const list = inputsOf.get(edge.to) ?? [];
    if (!list.includes(edge.from)) list.push(edge.from);
    inputsOf.set(edge.to, list);
  }
  for (const inputs of inputsOf.values()) {
    for (let i = 1; i < inputs.length; i++) {
      const left = inputs[i - 1] as string;
      const right = inputs[i] as string;
      if (reaches(right, left)) continue;
      after.set(left, [...(after.get(left) ?? []), right]);
      constraints.push({ left, right });
    }
  }
  return constraints;
}

/** What dagre reads (`width`, `height`, `labelpos`) and writes (`x`, `y`, `points`) per wire. */
type DagreEdgeLabel = EdgeLabel & { width: number; height: number; labelpos: 'c' };

/**
 * Lays out a snapshot left to right: inputs as names, gates as circles sized for their symbols,
 * and a label box on every wire sized for its formatted value and gradient. Small graphs are
 * laid out twice, with and without keeping each gate's inputs in argument order, and the one with
 * fewer crossings wins. Deterministic: the same snapshot and options give the same numbers
 * (rounded to 0.1 px).
 *
 * @example
 * const l = layoutSnapshot(sigmoid, { precision: 2 });
 * l.nodes.n0;            // { x: 21.4, y: …, width: 28.6, height: 25, shape: 'label' }
 * l.edges.e0.points[0];  // where w0's wire leaves its name
 */
export function layoutSnapshot(snapshot: GraphSnapshot, options: LayoutOptions = {}): GraphLayout {
  const opts: Required<LayoutOptions> = {
    precision: options.precision ?? 2,
    values: options.values ?? true,
    gradients: options.gradients ?? true,
  };
  const free = runLayout(snapshot, opts, []);
  if (snapshot.nodes.length > ORDERED_LAYOUT_MAX_NODES) return free;
  // Argument order (w0 above x0) helps a learner match the picture to the formula, but dagre's
  // constraints sometimes cost crossings; keep whichever picture is cleaner.
  const ordered = runLayout(snapshot, opts, inputOrder(snapshot));
  const score = (l: GraphLayout) => crossings(l) * 100 + inversions(snapshot, l);
  return score(ordered) <= score(free) ? ordered : free;
}

/** Graphs up to this size are laid out twice (with and without argument order) to compare. */
const ORDERED_LAYOUT_MAX_NODES = 80;

/** Pairs of wire segments that cross (touching ends and shared runs do not count). */
function crossings(layout: GraphLayout): number {
  const segments: Array<[Point, Point]> = [];
  for (const e of [...Object.values(layout.edges), layout.output.edge]) {
    e.points.forEach((p, i) => {
      const q = e.points[i + 1];
      if (q) segments.push([p, q]);
    });
  }
  const side = (a: Point, b: Point, c: Point) =>
    Math.sign((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x));
  let count = 0;
  for (let i = 0; i < segments.length; i++) {
    const [a, b] = segments[i] as [Point, Point];
    for (let j = i + 1; j < segments.length; j++) {
      const [c, d] = segments[j] as [Point, Point];
      const proper = side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0;
      if (proper) count++;
    }
  }
  return count;
}

/** Pairs of a gate's inputs that arrive in the wrong vertical order (input 1 above input 0). */
function inversions(snapshot: GraphSnapshot, layout: GraphLayout): number {
  const arrivals = new Map<string, Array<{ index: number; y: number }>>();
  for (const edge of snapshot.edges) {
    const end = layout.edges[edge.id]?.points.at(-1);
    if (end === undefined) continue;
    const list = arrivals.get(edge.to) ?? [];
    list.push({ index: edge.inputIndex, y: end.y });
    arrivals.set(edge.to, list);
  }
  let count = 0;
  for (const list of arrivals.values()) {
    for (const a of list) for (const b of list) if (a.index < b.index && a.y > b.y) count++;
  }
  return count;
}

function runLayout(
  snapshot: GraphSnapshot,
  opts: Required<LayoutOptions>,
  constraints: Array<{ left: string; right: string }>,
): GraphLayout {
  const g = new dagre.graphlib.Graph<GraphLabel, NodeLabel, EdgeLabel>({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 22, edgesep: 14, ranksep: 44, marginx: 8, marginy: 8 });

  const sizes = new Map<string, ReturnType<typeof nodeSize>>();
  const rooms = new Map<string, { width: number; height: number }>();
  const forks = opts.gradients ? forkNodes(snapshot) : new Set<string>();
  for (const node of snapshot.nodes) {
    const size = nodeSize(node);
    sizes.set(node.id, size);
    const room = { width: size.width, height: size.height };
    if (forks.has(node.id) && node.grad !== null) {
      // A fork's total is drawn under it. dagre reserves that line on both sides, so that the
      // centre, where the node's wires leave, stays on its name or symbol.
      const total = totalWidth(wireText(node.grad, opts.precision));
      room.width = Math.max(size.width, total + 4);
      room.height = size.height + 2 * TOTAL_LINE;
    }
    rooms.set(node.id, room);
    g.setNode(node.id, room);
  }
  // The output terminal needs a key that no snapshot node uses.
  let terminal = '⊣output';
  while (sizes.has(terminal)) terminal += '′';
  g.setNode(terminal, { width: METRICS.terminalWidth, height: 2 });

  const edgeLabels = new Map<string, DagreEdgeLabel>();
  for (const edge of snapshot.edges) {
    // dagre would invent a sizeless node for a dangling id and fail later; skip such wires.
    if (!sizes.has(edge.from) || !sizes.has(edge.to)) continue;
    const label: DagreEdgeLabel = { ...labelSize(edge.value, edge.grad, opts), labelpos: 'c' };
    edgeLabels.set(edge.id, label);
    g.setEdge(edge.from, edge.to, label, edge.id);
  }
  const root = snapshot.nodes.find((n) => n.id === snapshot.root);
  const outLabel: DagreEdgeLabel = {
    ...labelSize(root?.value ?? 0, root?.grad ?? null, opts),
    labelpos: 'c',
  };
  if (root) g.setEdge(root.id, terminal, outLabel, terminal);

  dagre.layout(g, { constraints });

  // Boxes stay unrounded until the end so that every box of a layer keys the same column.
  const raw: Record<string, NodeBox> = {};
  for (const node of snapshot.nodes) {
    const placed = g.node(node.id);
    const size = sizes.get(node.id);
    if (placed?.x === undefined || placed.y === undefined || size === undefined) continue;
    raw[node.id] = { x: placed.x, y: placed.y, ...size };
  }
  const term = g.node(terminal);
  const terminalBox: NodeBox = {
    x: term?.x ?? 0,
    y: term?.y ?? 0,
    width: METRICS.terminalWidth,
    height: 2,
    shape: 'label',
  };
  const columns = new Columns();
  for (const [id, box] of Object.entries(raw))
    columns.add(box.x, rooms.get(id)?.width ?? box.width);
  columns.add(terminalBox.x, terminalBox.width);
  for (const label of [...edgeLabels.values(), outLabel]) columns.add(label.x ?? 0, label.width);
  const routeOf = (label: DagreEdgeLabel, from: NodeBox, to: NodeBox): EdgeRoute => {
    const box = { x: label.x ?? 0, y: label.y ?? 0, width: label.width, height: label.height };
    // dagre's first and last points are its own border clips; only the bends are kept.
    return route((label.points ?? []).slice(1, -1), box, from, to, columns);
  };

  const edges: Record<string, EdgeRoute> = {};
  for (const edge of snapshot.edges) {
    const label = edgeLabels.get(edge.id);
    const from = raw[edge.from];
    const to = raw[edge.to];
    if (label && from && to) edges[edge.id] = routeOf(label, from, to);
  }
  const outEdge = routeOf(outLabel, raw[snapshot.root] ?? terminalBox, terminalBox);
  const nodes: Record<string, NodeBox> = {};
  for (const [id, box] of Object.entries(raw)) nodes[id] = roundBox(box);
  const size = g.graph();
  return {
    width: round(size.width ?? 0),
    height: round(size.height ?? 0),
    nodes,
    edges,
    output: { ...roundBox(terminalBox), edge: outEdge },
  };
}
