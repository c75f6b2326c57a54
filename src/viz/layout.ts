/**
 * Left-to-right layout of a view of a graph snapshot. Each open group is laid out on its own and
 * then placed as one box in the level around it (TensorBoard's recipe), so the cost follows what
 * is visible and a large group never drags the rest of the picture along. Wires that cross a
 * group's frame pass through ports on its border. The levels themselves are laid out by
 * `layered.ts`, our own near-linear layered layout: it replaced dagre, which grew as n^1.85 and
 * overflowed the stack at 10,000 nodes (see bench/layout.ts for the measurements).
 *
 * Layouts are cached by structure (what is drawn and how big), so redrawing the same picture —
 * a new precision, a new frame, the same numbers — does not lay it out again.
 */
import { checkView } from '../graph/check-args.js';
import { checkPictureOptions, checkRender } from './check-render.js';
import {
  flatView,
  nodeIndex,
  viewForks,
  wireName,
  wireNumbers,
  type GraphView,
} from '../graph/view.js';
import type { GraphSnapshot, SnapshotNode, SnapshotValue } from '../graph/types.js';
import { layoutLevel, type LevelEdge, type LevelLayout, type LevelNode } from './layered.js';
import {
  gateRadius,
  gridCaption,
  groupContents,
  groupText,
  METRICS,
  nodeText,
  textWidth,
  TOTAL_LINE,
  totalWidth,
  valueText,
  wireText,
} from './labels.js';
import { gridOf, gridSize } from './tensor-grid.js';

// The text helpers live in labels.ts; re-exported so that existing imports keep working.
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
  /**
   * For interactive pages: reuse the last layout of the same structure while the numbers still
   * fit its boxes, so that editing a value never moves the picture (default false: the layout
   * depends on this call's input alone, so the same input always gives the same bytes).
   */
  reuse?: boolean;
}

export interface Point {
  x: number;
  y: number;
}

/** A node's box; `x`, `y` are its centre. */
export interface NodeBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** A gate's circle, a name, a closed group's box, or the stub of an input used many times. */
  shape: 'circle' | 'label' | 'box' | 'stub';
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

/** An open group's frame; `x`, `y` are its centre. Its name sits in the band at its top. */
export interface FrameBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  /** Boxes of the view's nodes (snapshot node ids, closed group ids, stub ids). */
  nodes: Record<string, NodeBox>;
  /** Routes of the view's wires. */
  edges: Record<string, EdgeRoute>;
  /** The root's output wire and the terminal it ends at, at the right of the root. */
  output: NodeBox & { edge: EdgeRoute };
  /** Frames of the open groups (grouped views only). */
  frames: Record<string, FrameBox>;
}

const MARGIN = 8;
/** The id the output terminal and its wire have inside the layout. */
const TERMINAL = '\u0000output';

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

/** The size of the label box a wire needs for its value and gradient (texts or grids). */
export function labelSize(
  value: SnapshotValue | null,
  grad: SnapshotValue | null,
  opts: Required<LayoutOptions>,
  caption?: string,
  name?: string,
): { width: number; height: number } {
  const f = METRICS.labelFont;
  const valueCaption = namedCaption(value, opts.precision, caption, name);
  const above = opts.values ? gridSize(value, opts.precision, 'value', valueCaption) : null;
  const below = opts.gradients ? gridSize(grad, opts.precision, 'grad', caption) : null;
  const textW = (v: SnapshotValue) => textWidth(wireText(v, opts.precision).text, f);
  const valueW = above
    ? above.width
    : opts.values && value !== null
      ? textWidth(valueText(value, opts.precision, name).text, f)
      : 0;
  const gradW = below
    ? below.width
    : grad !== null && opts.gradients
      ? textW(grad) + METRICS.markWidth
      : 0;
  // Each half holds its text (or grid), its gap to the wire and a little air for descenders.
  const line = f + METRICS.labelGap + 3;
  const upper = above ? above.height + METRICS.labelGap + 3 : opts.values ? line : 4;
  const lower = below ? below.height + METRICS.labelGap + 3 : opts.gradients ? line : 4;
  const half = Math.max(upper, lower, opts.values || opts.gradients ? 0 : 4);
  return { width: Math.max(valueW, gradW, 24) + 14, height: 2 * half };
}

/** The caption over a value's grid: its shape (or bundle), headed by the step's name if any. */
export function namedCaption(
  value: SnapshotValue | null,
  precision: number,
  caption?: string,
  name?: string,
): string | undefined {
  if (name === undefined) return caption;
  const grid = gridOf(value, precision);
  return grid ? gridCaption(grid.shape, name, caption) : caption;
}

const round = (x: number): number => Math.round(x * 10) / 10;
const roundBox = <T extends { x: number; y: number; width: number; height: number }>(b: T): T => ({
  ...b,
  x: round(b.x),
  y: round(b.y),
  width: round(b.width),
  height: round(b.height),
});

/** The size and shape of each drawn thing of a view. */
function viewSizes(view: GraphView, opts: Required<LayoutOptions>) {
  const nodes = nodeIndex(view.snapshot);
  const inside = groupContents(view.snapshot);
  const groups = new Map((view.snapshot.groups ?? []).map((g) => [g.id, g]));
  const forks = opts.gradients ? viewForks(view) : new Set<string>();
  const sizes = new Map<string, { width: number; height: number; shape: NodeBox['shape'] }>();
  const rooms = new Map<string, { width: number; height: number }>();
  for (const v of view.nodes) {
    let size: { width: number; height: number; shape: NodeBox['shape'] };
    if (v.kind === 'group') {
      const text = groupText(groups.get(v.group!)!, inside.get(v.group!));
      const w = Math.max(
        textWidth(text.title.text, METRICS.groupFont),
        textWidth(text.detail, METRICS.groupDetailFont),
      );
      size = { width: w + 34, height: 42, shape: 'box' };
    } else if (v.kind === 'stub') {
      const name = nodeText(nodes.get(v.node!)!).text;
      size = {
        width: textWidth(name, METRICS.stubFont) + 8,
        height: METRICS.stubFont + 8,
        shape: 'stub',
      };
    } else {
      size = nodeSize(nodes.get(v.node!)!);
    }
    sizes.set(v.id, size);
    const room = { width: size.width, height: size.height };
    const grad = v.kind === 'node' ? nodes.get(v.node!)?.grad : null;
    if (forks.has(v.id) && grad !== null && grad !== undefined) {
      // A fork's total is drawn under it; the room is reserved on both sides so that its
      // centre, where its wires leave, stays on its name or symbol.
      const total = totalWidth(wireText(grad, opts.precision));
      room.width = Math.max(size.width, total + 4);
      room.height = size.height + 2 * TOTAL_LINE;
    }
    rooms.set(v.id, room);
  }
  return { sizes, rooms };
}

interface Segment {
  /** The level (open group, or undefined for the top) the piece runs in. */
  level: string | undefined;
  from: string;
  to: string;
  /** The level edge's id. */
  id: string;
}

/** A wire's pieces, level by level: out through the frames around its source, across, and in. */
function segments(
  id: string,
  from: string,
  to: string,
  parentOf: (item: string) => string | undefined,
): { pieces: Segment[]; across: number } {
  const up = (item: string) => {
    const chain = [item];
    for (let p = parentOf(item); p !== undefined; p = parentOf(p)) chain.push(p);
    return chain;
  };
  const a = up(from);
  const b = up(to);
  const levelsOfB = new Set(b.map((item) => parentOf(item)));
  // The first frame (or the top) around the source that also holds the target.
  let i = 0;
  while (!levelsOfB.has(parentOf(a[i]!))) i++;
  const level = parentOf(a[i]!);
  let j = 0;
  while (parentOf(b[j]!) !== level) j++;
  const pieces: Segment[] = [];
  for (let k = 0; k < i; k++) {
    pieces.push({ level: parentOf(a[k]!), from: a[k]!, to: `out:${id}`, id: `${id}@${k}` });
  }
  const across = pieces.length;
  pieces.push({ level, from: a[i]!, to: b[j]!, id });
  for (let k = j - 1; k >= 0; k--) {
    pieces.push({ level: parentOf(b[k]!), from: `in:${id}`, to: b[k]!, id: `${id}@in${k}` });
  }
  return { pieces, across };
}

/** The last few layouts, keyed by structure (with the label boxes they were made for). */
const cache = new Map<
  string,
  {
    layout: GraphLayout;
    labels: Map<string, { width: number; height: number }>;
    rooms: Map<string, { width: number; height: number }>;
  }
>();
const CACHE_SIZE = 8;

/** Forgets every cached layout (for benchmarks, which must time the layout itself). */
export function clearLayoutCache(): void {
  cache.clear();
}

/**
 * Lays out a snapshot left to right (every node, as `flatView` shows it): inputs as names, gates
 * as circles sized for their symbols, and a label box on every wire sized for its value and
 * gradient. Deterministic: the same snapshot and options give the same numbers (rounded to
 * 0.1 px).
 *
 * @example
 * const l = layoutSnapshot(sigmoid, { precision: 2 });
 * l.nodes.n0;            // { x: 21.4, y: …, width: 28.6, height: 25, shape: 'label' }
 * l.edges.e0.points[0];  // where w0's wire leaves its name
 */
export function layoutSnapshot(snapshot: GraphSnapshot, options: LayoutOptions = {}): GraphLayout {
  checkRender('layoutSnapshot', snapshot, options);
  return layoutView(flatView(snapshot), options);
}

/**
 * Lays out a view: closed groups as boxes, open groups as frames around their parts (each laid
 * out on its own), stubs beside the gates they feed.
 *
 * @example
 * layoutView(autoView(bigSnapshot)).frames // { g0: { x, y, width, height }, … }
 */
export function layoutView(view: GraphView, options: LayoutOptions = {}): GraphLayout {
  checkView('layoutView', view);
  checkPictureOptions('layoutView', options);
  const opts: Required<LayoutOptions> = {
    precision: options.precision ?? 2,
    values: options.values ?? true,
    gradients: options.gradients ?? true,
    reuse: options.reuse ?? false,
  };
  const { sizes, rooms } = viewSizes(view, opts);
  const root = nodeIndex(view.snapshot).get(view.snapshot.root);
  const parent = new Map<string, string | undefined>();
  for (const n of view.nodes) parent.set(n.id, n.parent);
  for (const f of view.frames) parent.set(f.group, f.parent);
  parent.set(TERMINAL, undefined);
  const parentOf = (item: string) => parent.get(item);

  const labels = new Map<string, { width: number; height: number }>();
  for (const e of view.edges) {
    const { value, grad } = wireNumbers(view, e);
    labels.set(e.id, labelSize(value, grad, opts, bundleCaption(e), wireName(view, e)));
  }
  const hasRoot = root !== undefined && sizes.has(view.output);
  if (hasRoot) labels.set(TERMINAL, labelSize(root.value, root.grad, opts, undefined, root.name));

  // Editing a value changes no structure and seldom a box: a layout whose label boxes still
  // hold the new numbers is reused as it is. When a number outgrows its box, the picture is laid
  // out again with each box as large as it has ever been, so it settles instead of jumping.
  const key = cacheKey(view, sizes, opts, opts.reuse ? undefined : { rooms, labels });
  const hit = cache.get(key);
  if (hit) {
    if (fits(labels, hit.labels) && fits(rooms, hit.rooms)) return hit.layout;
    grow(labels, hit.labels);
    grow(rooms, hit.rooms);
  }

  // Each wire, split into pieces per level.
  const wires: Array<{ id: string; pieces: Segment[]; across: number }> = [];
  for (const e of view.edges) {
    if (!parent.has(e.from) || !parent.has(e.to)) continue;
    wires.push({ id: e.id, ...segments(e.id, e.from, e.to, parentOf) });
  }
  if (hasRoot) wires.push({ id: TERMINAL, ...segments(TERMINAL, view.output, TERMINAL, parentOf) });

  // Level contents: nodes and frames by parent, then ports, then wires.
  const levelNodes = new Map<string | undefined, LevelNode[]>([[undefined, []]]);
  const levelEdges = new Map<string | undefined, LevelEdge[]>([[undefined, []]]);
  for (const f of view.frames) {
    levelNodes.set(f.group, []);
    levelEdges.set(f.group, []);
  }
  const frameSize = new Map<string, { width: number; height: number }>();
  const pushNode = (level: string | undefined, node: LevelNode) =>
    levelNodes.get(level)?.push(node);
  for (const n of view.nodes) {
    const r = rooms.get(n.id)!;
    pushNode(n.parent, { id: n.id, width: r.width, height: r.height });
  }
  if (hasRoot) pushNode(undefined, { id: TERMINAL, width: METRICS.terminalWidth, height: 2 });
  for (const w of wires) {
    w.pieces.forEach((p, k) => {
      if (p.from.startsWith('in:'))
        pushNode(p.level, { id: p.from, width: 0, height: 2, pin: 'first' });
      if (p.to.startsWith('out:'))
        pushNode(p.level, { id: p.to, width: 0, height: 2, pin: 'last' });
      const label = k === w.across ? labels.get(w.id) : undefined;
      levelEdges
        .get(p.level)
        ?.push({ id: p.id, from: p.from, to: p.to, ...(label ? { label } : {}) });
    });
  }

  // Inside out: a frame's level is laid out before the level it sits in, the top last.
  const levels = new Map<string | undefined, LevelLayout>();
  const pad = METRICS.framePad;
  const order = [...view.frames.map((f) => f.group).reverse(), undefined];
  for (const level of order) {
    const nodes = levelNodes.get(level) ?? [];
    for (const f of view.frames) {
      if (f.parent !== level) continue;
      const s = frameSize.get(f.group)!;
      nodes.push({ id: f.group, width: s.width, height: s.height });
    }
    const laid = layoutLevel(nodes, levelEdges.get(level) ?? []);
    levels.set(level, laid);
    if (level !== undefined) {
      const title = textWidth(frameTitle(view, level), METRICS.groupDetailFont + 1) + 28;
      frameSize.set(level, {
        width: Math.max(laid.width, title) + 2 * pad,
        height: laid.height + METRICS.frameHeader + 2 * pad,
      });
    }
  }

  // Outside in: where each level's origin is on the page.
  const origin = new Map<string | undefined, Point>([[undefined, { x: MARGIN, y: MARGIN }]]);
  const frames: Record<string, FrameBox> = {};
  for (const f of view.frames) {
    const o = origin.get(f.parent)!;
    const c = levels.get(f.parent)!.nodes.get(f.group)!;
    const s = frameSize.get(f.group)!;
    const box = { x: o.x + c.x, y: o.y + c.y, width: s.width, height: s.height };
    frames[f.group] = roundBox(box);
    origin.set(f.group, {
      x: box.x - s.width / 2 + pad,
      y: box.y - s.height / 2 + METRICS.frameHeader + pad,
    });
  }
  const at = (level: string | undefined, id: string) => {
    const c = levels.get(level)!.nodes.get(id)!;
    const o = origin.get(level)!;
    return { x: o.x + c.x, y: o.y + c.y, half: c.half };
  };

  const nodes: Record<string, NodeBox> = {};
  for (const n of view.nodes) {
    const c = at(n.parent, n.id);
    nodes[n.id] = { x: c.x, y: c.y, ...sizes.get(n.id)! };
  }
  const terminal: NodeBox = hasRoot
    ? { ...at(undefined, TERMINAL), width: METRICS.terminalWidth, height: 2, shape: 'label' }
    : { x: MARGIN, y: MARGIN, width: METRICS.terminalWidth, height: 2, shape: 'label' };
  const boxOf = (id: string): NodeBox => (id === TERMINAL ? terminal : nodes[id]!);

  const edges: Record<string, EdgeRoute> = {};
  let output: EdgeRoute = { points: [], labelX: 0, labelY: 0, labelWidth: 0, labelHeight: 0 };
  for (const w of wires) {
    const route = routeWire(w, levels, origin, boxOf, labels.get(w.id)!);
    if (w.id === TERMINAL) output = route;
    else edges[w.id] = route;
  }
  const top = levels.get(undefined)!;
  const layout: GraphLayout = {
    width: round(top.width + 2 * MARGIN),
    height: round(top.height + 2 * MARGIN),
    nodes: Object.fromEntries(Object.entries(nodes).map(([id, b]) => [id, roundBox(b)])),
    edges,
    output: { ...roundBox(terminal), edge: output },
    frames,
  };
  cache.delete(key);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, { layout, labels, rooms });
  return layout;
}

type Sizes = Map<string, { width: number; height: number }>;

/** Each box of `now` made at least as large as it was `before`. */
function grow(now: Sizes, before: Sizes): void {
  for (const [id, size] of before) {
    const current = now.get(id);
    if (current) {
      now.set(id, {
        width: Math.max(current.width, size.width),
        height: Math.max(current.height, size.height),
      });
    }
  }
}

/** Whether every label box needed now fits in the one laid out before. */
function fits(
  now: Map<string, { width: number; height: number }>,
  before: Map<string, { width: number; height: number }>,
): boolean {
  for (const [id, size] of now) {
    const old = before.get(id);
    if (!old || size.width > old.width + 1e-9 || size.height > old.height + 1e-9) return false;
  }
  return true;
}

/**
 * A wire's polyline: it leaves its source level with the source's centre, crosses every column
 * it passes level (its label's included), bends only in the gaps between columns, passes frame
 * borders through its ports, and ends on its target's shape (on a circle, or at the left edge of
 * a name, a box or the output terminal).
 */
function routeWire(
  wire: { id: string; pieces: Segment[]; across: number },
  levels: Map<string | undefined, LevelLayout>,
  origin: Map<string | undefined, Point>,
  boxOf: (id: string) => NodeBox,
  label: { width: number; height: number },
): EdgeRoute {
  // Points are rounded as they come, and a point equal to the last one (an empty column) is
  // dropped: one array, no second pass.
  const points: Point[] = [];
  const push = (px: number, py: number) => {
    const x = round(px);
    const y = round(py);
    const last = points[points.length - 1];
    if (last === undefined || last.x !== x || last.y !== y) points.push({ x, y });
  };
  const run = (x0: number, x1: number, y: number) => {
    push(x0, y);
    push(x1, y);
  };
  const at = (level: string | undefined, id: string) => {
    const c = levels.get(level)!.nodes.get(id)!;
    const o = origin.get(level)!;
    return { x: o.x + c.x, y: o.y + c.y, half: c.half };
  };
  let labelAt: Point = { x: 0, y: 0 };
  const first = wire.pieces[0]!;
  const source = at(first.level, first.from);
  run(source.x + boxOf(first.from).width / 2, source.x + source.half, source.y);
  wire.pieces.forEach((piece, k) => {
    const crossings = levels.get(piece.level)!.edges.get(piece.id) ?? [];
    const o = origin.get(piece.level)!;
    for (const c of crossings) {
      run(o.x + c.x - c.half, o.x + c.x + c.half, o.y + c.y);
      if (c.label) labelAt = { x: o.x + c.x, y: o.y + c.y };
    }
    const next = wire.pieces[k + 1];
    if (piece.to.startsWith('out:')) {
      // Out through the frame's right border, across the rest of the frame's column.
      const port = at(piece.level, piece.to);
      const frame = at(next!.level, next!.from);
      run(port.x - port.half, frame.x + frame.half, port.y);
    } else if (next !== undefined) {
      // In through the target frame's left border, across the first column inside.
      const frame = at(piece.level, piece.to);
      const port = at(next.level, next.from);
      run(frame.x - frame.half, port.x + port.half, port.y);
    } else {
      const t = at(piece.level, piece.to);
      const box = boxOf(piece.to);
      const last = points[points.length - 1]!;
      if (box.shape === 'circle') {
        // Wires from above and below meet a circle at slightly different heights, like ports.
        const r = box.width / 2;
        const off = Math.max(-0.5 * r, Math.min(0.5 * r, last.y - t.y));
        run(t.x - t.half, t.x - Math.sqrt(r * r - off * off), t.y + off);
      } else {
        run(t.x - t.half, t.x - box.width / 2, t.y);
      }
    }
  });
  return {
    points,
    labelX: round(labelAt.x),
    labelY: round(labelAt.y),
    labelWidth: round(label.width),
    labelHeight: round(label.height),
  };
}

/** The caption of a bundle of wires drawn as one (`8 wires`), undefined for a single wire. */
export function bundleCaption(edge: { sources: readonly string[] }): string | undefined {
  return edge.sources.length > 1 ? `${edge.sources.length} wires` : undefined;
}

/** The name written in a frame's band. */
export function frameTitle(view: GraphView, group: string): string {
  const g = view.snapshot.groups?.find((x) => x.id === group);
  return g?.label ?? group;
}

function cacheKey(
  view: GraphView,
  sizes: Sizes,
  opts: Required<LayoutOptions>,
  exact?: { rooms: Sizes; labels: Sizes },
): string {
  // What is drawn, where, and how big the boxes are. Names and gates do not change with values;
  // wire labels and fork totals do: they are part of an exact key, else compared on a hit.
  const head = `${opts.precision}|${opts.values}|${opts.gradients}|${opts.reuse}|${view.output}`;
  const parts: string[] = [head];
  if (exact) {
    for (const [id, r] of exact.rooms) parts.push(`r${id}|${r.width}|${r.height}`);
    for (const [id, l] of exact.labels) parts.push(`l${id}|${l.width}|${l.height}`);
  }
  for (const n of view.nodes) {
    const r = sizes.get(n.id)!;
    parts.push(`${n.id}|${n.parent ?? ''}|${round(r.width)}|${round(r.height)}`);
  }
  for (const f of view.frames) parts.push(`[${f.group}|${f.parent ?? ''}`);
  for (const e of view.edges) parts.push(`${e.id}|${e.from}|${e.to}`);
  return parts.join('\n');
}
