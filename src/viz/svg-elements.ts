/**
 * The pieces of the SVG picture: text, wires with their numbers, gates, names, fork totals, the
 * legend. `svg.ts` assembles them into a document (and documents the class vocabulary they
 * carry); a `Decoration` adds the classes of a frame or of an animation.
 */
import { explainEdge, gateRule, gradSymbol, nodeName } from '../graph/explain.js';
import { formatValue } from '../graph/format.js';
import type { GraphSnapshot, SnapshotGroup, SnapshotNode, SnapshotValue } from '../graph/types.js';
import {
  edgeIndex,
  nodeIndex,
  wireName,
  wireNumbers,
  type GraphView,
  type ViewEdge,
  type ViewNode,
} from '../graph/view.js';
import { escapeAttr as escapeAttrFully, escapeXml as escapeXmlFully } from './escape.js';

/**
 * Most texts of a picture are numbers and ids with nothing to escape: they skip the escaping
 * passes (a 3,000-node picture has some 20,000 of them). Anything else goes through escape.ts.
 */
// eslint-disable-next-line no-control-regex -- control characters must take the full path
const NEEDS_ESCAPE = /[&<>"'\u0000-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const escapeXml = (text: string): string => (NEEDS_ESCAPE.test(text) ? escapeXmlFully(text) : text);
const escapeAttr = (text: string): string =>
  NEEDS_ESCAPE.test(text) ? escapeAttrFully(text) : text;
import { OUTPUT_EDGE_ID } from './frame.js';
import {
  groupContents,
  groupText,
  METRICS,
  nodeText,
  textWidth,
  TOTAL_SIGMA,
  totalWidth,
  truncate,
  valueText,
  wireText,
  type LabelText,
} from './labels.js';
import {
  bundleCaption,
  namedCaption,
  type EdgeRoute,
  type FrameBox,
  type GraphLayout,
  type NodeBox,
  type Point,
} from './layout.js';
import { drawGrid, gridSize } from './tensor-grid.js';

/** The drawing options with their defaults filled in. */
export interface Resolved {
  precision: number;
  values: boolean;
  gradients: boolean;
  legend: boolean;
  /** Hover titles on wires and nodes (left out of very big pictures: they cost more than they give). */
  titles?: boolean;
}

/** Extra classes for the parts and groups of one picture (`hidden`, `highlight`, timings…). */
export interface Decoration {
  /** Classes for a wire's value or gradient part, or a fork node's total. */
  part?: (kind: 'value' | 'grad' | 'total', id: string) => string | undefined;
  /** Classes for a node or wire group. */
  group?: (kind: 'node' | 'edge', id: string) => string | undefined;
  /** More CSS for the embedded sheet. */
  style?: string;
  /** Markup drawn under the wires and nodes (in graph coordinates), given the layout. */
  underlay?: (layout: GraphLayout) => string;
  /** A band under the graph: its width (for the picture's size) and what to draw at (x, baseline). */
  caption?: { width: number; draw: (x: number, baseline: number) => string };
}

export const LEGEND_FONT = 12;
export const LEGEND_HEIGHT = 58;

/** Coordinates rounded to 0.1 px, printed without `-0`, so equal inputs give equal bytes. */
export function n(x: number): string {
  const r = Math.round(x * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** `class="a b"` from a base class and optional extras. */
export function cls(base: string, extra: string | undefined): string {
  return extra === undefined || extra === '' ? base : `${base} ${extra}`;
}

/** `<text>` with escaped content; a cut text carries its full version in a `<title>` child. */
export function textEl(
  c: string,
  x: number,
  y: number,
  label: LabelText,
  anchor = 'middle',
): string {
  const title = label.truncated ? `<title>${escapeXml(label.full)}</title>` : '';
  return (
    `<text class="${c}" x="${n(x)}" y="${n(y)}" text-anchor="${anchor}">` +
    `${title}${escapeXml(label.text)}</text>`
  );
}

export function pathData(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(p.x)} ${n(p.y)}`).join(' ');
}

/** The ◂ mark drawn left of a gradient: it flows backward. A shape, not a glyph, so any font works. */
function gradMark(x: number, baseline: number, c = 'grad mark'): string {
  const h = METRICS.labelFont * 0.36;
  const cy = baseline - METRICS.labelFont * 0.36;
  const d = `M${n(x)} ${n(cy)} L${n(x + h * 1.3)} ${n(cy - h)} L${n(x + h * 1.3)} ${n(cy + h)} Z`;
  return `<path class="${c}" d="${d}"/>`;
}

/** Extra classes of a wire's value and gradient parts. */
interface WireParts {
  value?: string | undefined;
  grad?: string | undefined;
}

/** The value above and the gradient below a wire, centred on its label box: texts or grids. */
function wireLabels(
  route: EdgeRoute,
  value: SnapshotValue | null,
  grad: SnapshotValue | null,
  opts: Resolved,
  extra: WireParts = {},
  caption?: string,
  name?: string,
): string {
  const parts: string[] = [];
  const gap = METRICS.labelGap;
  if (opts.values && value !== null) {
    const heading = namedCaption(value, opts.precision, caption, name);
    const grid = gridSize(value, opts.precision, 'value', heading);
    if (grid) {
      const top = route.labelY - gap - grid.height;
      const c = cls('value', extra.value);
      parts.push(drawGrid(value, opts.precision, 'value', route.labelX, top, c, gradMark, heading));
    } else {
      const label = valueText(value, opts.precision, name);
      parts.push(textEl(cls('value', extra.value), route.labelX, route.labelY - gap, label));
    }
  }
  if (opts.gradients && grad !== null) {
    const grid = gridSize(grad, opts.precision, 'grad', caption);
    if (grid) {
      const c = cls('grad', extra.grad);
      const mark = (x: number, baseline: number) =>
        gradMark(x, baseline, cls('grad mark', extra.grad));
      parts.push(
        drawGrid(grad, opts.precision, 'grad', route.labelX, route.labelY + gap, c, mark, caption),
      );
    } else {
      const label = wireText(grad, opts.precision);
      // Cap height of digits is about 0.73em: hang the gradient just below the wire.
      const baseline = route.labelY + gap + METRICS.labelFont * 0.76;
      const total = METRICS.markWidth + textWidth(label.text, METRICS.labelFont);
      const left = route.labelX - total / 2;
      parts.push(gradMark(left, baseline, cls('grad mark', extra.grad)));
      parts.push(
        textEl(cls('grad', extra.grad), left + METRICS.markWidth, baseline, label, 'start'),
      );
    }
  }
  return parts.join('');
}

/** The hover text of a view wire: the chain rule on it, or what a merged or bundled wire adds. */
function edgeTitle(view: GraphView, edge: ViewEdge, precision: number): string {
  const s = view.snapshot;
  const edges = edgeIndex(s);
  if (edge.edges.length === 1) {
    const e = edges.get(edge.edges[0]!);
    return e ? explainEdge(s, e, precision) : '';
  }
  const { grad } = wireNumbers(view, edge);
  const k = edge.edges.length;
  if (edge.sources.length === 1) {
    const from = nodeIndex(s).get(edge.sources[0]!);
    const name = from ? nodeName(s, from) : edge.sources[0]!;
    return `${gradSymbol(name)} += the sum of the ${k} wires it feeds in here = ${formatValue(grad, precision)}`;
  }
  return `${edge.sources.length} values on ${k} wires; their gradients: ${formatValue(grad, precision)}`;
}

export function edgeGroup(
  view: GraphView,
  edge: ViewEdge,
  route: EdgeRoute,
  opts: Resolved,
  deco: Decoration,
): string {
  const title =
    opts.gradients && opts.titles !== false ? edgeTitle(view, edge, opts.precision) : '';
  const parts = { value: deco.part?.('value', edge.id), grad: deco.part?.('grad', edge.id) };
  const { value, grad } = wireNumbers(view, edge);
  const merged = edge.edges.length > 1 ? ` data-wires="${edge.edges.length}"` : '';
  return (
    `<g class="${cls('edge', deco.group?.('edge', edge.id))}" data-edge-id="${escapeAttr(edge.id)}"` +
    ` data-from="${escapeAttr(edge.from)}" data-to="${escapeAttr(edge.to)}"${merged}>` +
    (title === '' ? '' : `<title>${escapeXml(title)}</title>`) +
    `<path class="wire" d="${pathData(route.points)}"/>` +
    wireLabels(route, value, grad, opts, parts, bundleCaption(edge), wireName(view, edge)) +
    '</g>'
  );
}

export function outputGroup(
  root: SnapshotNode,
  from: string,
  layout: GraphLayout,
  opts: Resolved,
  deco: Decoration,
): string {
  const route = layout.output.edge;
  const end = route.points[route.points.length - 1] ?? { x: 0, y: 0 };
  const tip = { x: end.x + METRICS.terminalWidth, y: end.y };
  const arrow = `M${n(tip.x)} ${n(tip.y)} L${n(end.x)} ${n(end.y - 4.5)} L${n(end.x)} ${n(end.y + 4.5)} Z`;
  const title =
    `output: value ${formatValue(root.value, opts.precision)}` +
    (opts.gradients ? `, dL/dL = ${formatValue(root.grad, opts.precision)} (the seed)` : '');
  const id = OUTPUT_EDGE_ID;
  const parts = { value: deco.part?.('value', id), grad: deco.part?.('grad', id) };
  return (
    `<g class="${cls('edge output', deco.group?.('edge', id))}" data-edge-id="${id}"` +
    ` data-from="${escapeAttr(from)}">` +
    `<title>${escapeXml(title)}</title>` +
    `<path class="wire" d="${pathData(route.points)}"/>` +
    `<path class="arrow" d="${arrow}"/>` +
    wireLabels(route, root.value, root.grad, opts, parts, undefined, root.name) +
    '</g>'
  );
}

/** A node's hover text: what it is, its value and gradient, and how it treats the gradient. */
function nodeTitle(snapshot: GraphSnapshot, node: SnapshotNode, precision: number): string {
  const what = node.kind === 'gate' ? `${node.label} (${node.gate ?? node.op})` : node.label;
  const name = nodeName(snapshot, node);
  return [
    node.kind === 'gate' && name !== node.id ? `${what}: ${name}` : `${what} [${node.kind}]`,
    `value ${formatValue(node.value, precision)}`,
    `gradient ${formatValue(node.grad, precision)}`,
    gateRule(node),
  ].join('\n');
}

/**
 * A fork's total gradient under its node, `Σ ◂ 2.06`: each branch wire shows only its own
 * contribution, and the gradients add up at the fork.
 */
function forkTotal(box: NodeBox, grad: SnapshotValue, precision: number, extra?: string): string {
  const label = wireText(grad, precision);
  const f = METRICS.labelFont;
  const baseline = box.y + box.height / 2 + METRICS.labelGap + f * 0.76;
  const left = box.x - totalWidth(label) / 2;
  const mark = left + textWidth(`${TOTAL_SIGMA} `, f);
  return (
    `<g class="${cls('total grad', extra)}">` +
    textEl('sigma', left, baseline, truncate(TOTAL_SIGMA, 1), 'start') +
    gradMark(mark, baseline, 'mark') +
    textEl('sum', mark + METRICS.markWidth, baseline, label, 'start') +
    '</g>'
  );
}

export function nodeGroup(
  snapshot: GraphSnapshot,
  node: SnapshotNode,
  box: NodeBox,
  opts: Resolved,
  fork: boolean,
  deco: Decoration,
  aux = false,
): string {
  const classes = ['node', node.kind];
  if (node.id === snapshot.root || node.output === true) classes.push('output');
  if (aux) classes.push('aux');
  const label = nodeText(node);
  const title =
    opts.titles === false
      ? ''
      : `<title>${escapeXml(nodeTitle(snapshot, node, opts.precision))}</title>`;
  const head =
    `<g class="${cls(classes.join(' '), deco.group?.('node', node.id))}"` +
    ` data-node-id="${escapeAttr(node.id)}" data-op="${escapeAttr(node.op)}">${title}`;
  const total =
    fork && opts.gradients && node.grad !== null
      ? forkTotal(box, node.grad, opts.precision, deco.part?.('total', node.id))
      : '';
  if (box.shape === 'circle') {
    const baseline = box.y + METRICS.symbolFont * 0.36;
    return (
      `${head}<circle class="shape" cx="${n(box.x)}" cy="${n(box.y)}" r="${n(box.width / 2)}"/>` +
      `${textEl('symbol', box.x, baseline, { ...label, truncated: false })}${total}</g>`
    );
  }
  const baseline = box.y + METRICS.nameFont * 0.36;
  return `${head}${textEl('name', box.x, baseline, label)}${total}</g>`;
}

/** The legend: a sample wire with a value above and a gradient below, and what each means. */
export function legend(x: number, y: number, opts: Resolved): string {
  const route: EdgeRoute = {
    points: [
      { x: x + 10, y: y + LEGEND_HEIGHT / 2 },
      { x: x + 80, y: y + LEGEND_HEIGHT / 2 },
    ],
    labelX: x + 45,
    labelY: y + LEGEND_HEIGHT / 2,
    labelWidth: 70,
    labelHeight: 40,
  };
  const lines = legendLines(opts);
  const textX = x + 92;
  const rows = lines.map((line, i) => {
    const rowY = lines.length === 1 ? route.labelY + 4 : route.labelY + (i === 0 ? -6 : 14);
    return `<text class="legend-text" x="${n(textX)}" y="${n(rowY)}">${escapeXml(line)}</text>`;
  });
  return (
    `<g class="legend">` +
    `<rect class="legend-box" x="${n(x)}" y="${n(y)}" width="${n(legendWidth(opts))}"` +
    ` height="${LEGEND_HEIGHT}" rx="4"/>` +
    `<path class="wire" d="${pathData(route.points)}"/>` +
    wireLabels(route, 2, -0.2, opts) +
    rows.join('') +
    '</g>'
  );
}

function legendLines(opts: Resolved): string[] {
  const lines: string[] = [];
  if (opts.values) lines.push('green, upright, above the wire: forward value');
  if (opts.gradients) lines.push('red, italic ◂, below the wire: gradient dL/d·');
  return lines;
}

export function legendWidth(opts: Resolved): number {
  const widest = Math.max(0, ...legendLines(opts).map((l) => textWidth(l, LEGEND_FONT)));
  return 92 + widest + 12;
}

/** One use of an input drawn beside its user: its name, small, like TensorBoard's stubs. */
export function stubGroup(
  snapshot: GraphSnapshot,
  stub: ViewNode,
  box: NodeBox,
  deco: Decoration,
): string {
  const node = nodeIndex(snapshot).get(stub.node!);
  if (!node) return '';
  const title = `${node.label}: used ${useCount(snapshot, node.id)} times, drawn beside each use`;
  return (
    `<g class="${cls(`node stub ${node.kind}`, deco.group?.('node', stub.id))}"` +
    ` data-node-id="${escapeAttr(stub.id)}" data-of="${escapeAttr(node.id)}"` +
    ` data-op="${escapeAttr(node.op)}"><title>${escapeXml(title)}</title>` +
    `<rect class="stub-box" x="${n(box.x - box.width / 2)}" y="${n(box.y - box.height / 2)}"` +
    ` width="${n(box.width)}" height="${n(box.height)}" rx="3"/>` +
    textEl('name', box.x, box.y + METRICS.stubFont * 0.36, nodeText(node)) +
    '</g>'
  );
}

const uses = new WeakMap<GraphSnapshot, Map<string, number>>();

/** How many wires leave a node (counted once per snapshot). */
function useCount(snapshot: GraphSnapshot, id: string): number {
  let counts = uses.get(snapshot);
  if (!counts) {
    counts = new Map();
    for (const e of snapshot.edges) counts.set(e.from, (counts.get(e.from) ?? 0) + 1);
    uses.set(snapshot, counts);
  }
  return counts.get(id) ?? 0;
}

/** A closed group: a box with its name and what is inside; a click (in a page) opens it. */
export function groupBox(
  snapshot: GraphSnapshot,
  group: SnapshotGroup,
  box: NodeBox,
  deco: Decoration,
): string {
  const text = groupText(group, groupContents(snapshot).get(group.id));
  const x0 = box.x - box.width / 2;
  const y0 = box.y - box.height / 2;
  const title = `${group.label} (${group.kind}): ${text.detail}`;
  return (
    `<g class="${cls(`group-box ${group.kind}`, deco.group?.('node', group.id))}"` +
    ` data-group-id="${escapeAttr(group.id)}" data-kind="${escapeAttr(group.kind)}"` +
    (group.parent === undefined ? '' : ` data-parent="${escapeAttr(group.parent)}"`) +
    `><title>${escapeXml(title)}</title>` +
    `<rect class="box" x="${n(x0)}" y="${n(y0)}" width="${n(box.width)}" height="${n(box.height)}" rx="6"/>` +
    `<rect class="box-inner" x="${n(x0 + 3)}" y="${n(y0 + 3)}" width="${n(box.width - 6)}"` +
    ` height="${n(box.height - 6)}" rx="4"/>` +
    textEl('group-title', box.x - 8, box.y - 3, text.title) +
    textEl('group-detail', box.x - 8, box.y + 12, truncate(text.detail, 60)) +
    `<text class="toggle" x="${n(x0 + box.width - 13)}" y="${n(box.y + 5)}" text-anchor="middle">+</text>` +
    '</g>'
  );
}

/** An open group's frame: a light box around its parts, its name in a band at the top. */
export function frameGroup(group: SnapshotGroup, box: FrameBox): string {
  const x0 = box.x - box.width / 2;
  const y0 = box.y - box.height / 2;
  return (
    `<g class="frame ${escapeAttr(group.kind)}" data-group-id="${escapeAttr(group.id)}">` +
    `<rect class="frame-box" x="${n(x0)}" y="${n(y0)}" width="${n(box.width)}"` +
    ` height="${n(box.height)}" rx="8"/>` +
    `<rect class="frame-head" x="${n(x0)}" y="${n(y0)}" width="${n(box.width)}"` +
    ` height="${n(METRICS.frameHeader)}" rx="8"/>` +
    `<text class="frame-title" x="${n(x0 + 10)}" y="${n(y0 + 15)}">` +
    `${escapeXml(group.label)}</text>` +
    `<text class="toggle" x="${n(x0 + box.width - 12)}" y="${n(y0 + 15)}" text-anchor="middle">−</text>` +
    '</g>'
  );
}
