/**
 * The graph as an SVG picture in the CS231n lecture-4 style: left to right, gates as circles with
 * their symbols, the forward value above each wire in green, the gradient below it in red.
 *
 * The SVG is also an interface: every node group carries `data-node-id`, every wire group
 * `data-edge-id`, and semantic classes (`node`, `gate`, `input`, `constant`, `output`, `edge`,
 * `value`, `grad`) so that a page can highlight or animate it by toggling classes, and tests can
 * read the number on a given wire without guessing coordinates.
 */
import { explainEdge, gateRule, nodeName } from '../graph/explain.js';
import { formatValue } from '../graph/format.js';
import type { GraphSnapshot, SnapshotEdge, SnapshotNode, SnapshotValue } from '../graph/types.js';
import { escapeAttr, escapeXml } from './escape.js';
import {
  layoutSnapshot,
  METRICS,
  nodeText,
  textWidth,
  wireText,
  type EdgeRoute,
  type GraphLayout,
  type LabelText,
  type NodeBox,
  type Point,
} from './layout.js';

export interface SvgOptions {
  /** Decimals of the numbers on the wires (default 2). */
  precision?: number;
  /** Show forward values above the wires (default true). */
  values?: boolean;
  /** Show gradients below the wires (default true); off for a forward-only picture. */
  gradients?: boolean;
  /** A heading drawn above the graph (and used as the SVG's accessible title). */
  title?: string;
  /** Draw the colour legend under the graph (default true). */
  legend?: boolean;
}

/** Options with their defaults filled in (the title stays optional). */
type Resolved = Required<Omit<SvgOptions, 'title'>>;

/** The `data-edge-id` of the root's output wire (snapshot edge ids look like `e0`, `e1`, …). */
export const OUTPUT_EDGE_ID = 'output';

const FONT_FAMILY = "'DejaVu Sans', 'Helvetica Neue', Helvetica, Arial, sans-serif";
const GREEN = '#1a7f37';
const RED = '#c62828';
const PAD = 16;
const TITLE_HEIGHT = 30;
const LEGEND_FONT = 12;
const LEGEND_HEIGHT = 58;

/**
 * Embedded so the SVG stands alone (no external resources). The `hidden`, `dim` and `highlight`
 * classes are hooks for pages that animate the picture by toggling classes.
 */
const STYLE = [
  `.chainrule-graph{font-family:${FONT_FAMILY}}`,
  `.chainrule-graph text{font-family:${FONT_FAMILY}}`,
  '.background{fill:#ffffff}',
  '.heading{font-size:16px;font-weight:bold;fill:#222222}',
  '.wire{fill:none;stroke:#444444;stroke-width:1.5;stroke-linejoin:round;stroke-linecap:round}',
  '.arrow{fill:#444444}',
  `.value{font-size:${METRICS.labelFont}px;fill:${GREEN};font-style:normal}`,
  `.grad{font-size:${METRICS.labelFont}px;fill:${RED};font-style:italic}`,
  `.mark{fill:${RED}}`,
  '.gate .shape{fill:#ffffff;stroke:#333333;stroke-width:1.5}',
  `.symbol{font-size:${METRICS.symbolFont}px;fill:#111111}`,
  `.name{font-size:${METRICS.nameFont}px;fill:#111111}`,
  '.constant .name{fill:#555555}',
  '.legend-box{fill:#fafafa;stroke:#dddddd}',
  `.legend-text{font-size:${LEGEND_FONT}px;fill:#333333}`,
  '.hidden{visibility:hidden}',
  '.dim{opacity:0.25}',
  '.highlight .wire,.highlight .shape{stroke:#1565c0;stroke-width:3}',
].join('');

/** Coordinates rounded to 0.1 px, printed without `-0`, so equal inputs give equal bytes. */
function n(x: number): string {
  const r = Math.round(x * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** `<text>` with escaped content; a cut text carries its full version in a `<title>` child. */
function textEl(cls: string, x: number, y: number, label: LabelText, anchor = 'middle'): string {
  const title = label.truncated ? `<title>${escapeXml(label.full)}</title>` : '';
  return (
    `<text class="${cls}" x="${n(x)}" y="${n(y)}" text-anchor="${anchor}">` +
    `${title}${escapeXml(label.text)}</text>`
  );
}

function pathData(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(p.x)} ${n(p.y)}`).join(' ');
}

/** The ◂ mark drawn left of a gradient: it flows backward. A shape, not a glyph, so any font works. */
function gradMark(x: number, baseline: number): string {
  const h = METRICS.labelFont * 0.36;
  const cy = baseline - METRICS.labelFont * 0.36;
  const d = `M${n(x)} ${n(cy)} L${n(x + h * 1.3)} ${n(cy - h)} L${n(x + h * 1.3)} ${n(cy + h)} Z`;
  return `<path class="grad mark" d="${d}"/>`;
}

/** The value above and the gradient below a wire, centred on its label box. */
function wireLabels(
  route: EdgeRoute,
  value: SnapshotValue,
  grad: SnapshotValue | null,
  opts: Resolved,
): string {
  const parts: string[] = [];
  const gap = METRICS.labelGap;
  if (opts.values) {
    parts.push(textEl('value', route.labelX, route.labelY - gap, wireText(value, opts.precision)));
  }
  if (opts.gradients && grad !== null) {
    const label = wireText(grad, opts.precision);
    // Cap height of digits is about 0.73em: hang the gradient just below the wire.
    const baseline = route.labelY + gap + METRICS.labelFont * 0.76;
    const total = METRICS.markWidth + textWidth(label.text, METRICS.labelFont);
    const left = route.labelX - total / 2;
    parts.push(gradMark(left, baseline));
    parts.push(textEl('grad', left + METRICS.markWidth, baseline, label, 'start'));
  }
  return parts.join('');
}

function edgeGroup(
  snapshot: GraphSnapshot,
  edge: SnapshotEdge,
  route: EdgeRoute,
  opts: Resolved,
): string {
  const title = opts.gradients ? explainEdge(snapshot, edge, opts.precision) : '';
  return (
    `<g class="edge" data-edge-id="${escapeAttr(edge.id)}" data-from="${escapeAttr(edge.from)}"` +
    ` data-to="${escapeAttr(edge.to)}">` +
    (title === '' ? '' : `<title>${escapeXml(title)}</title>`) +
    `<path class="wire" d="${pathData(route.points)}"/>` +
    wireLabels(route, edge.value, edge.grad, opts) +
    '</g>'
  );
}

function outputGroup(root: SnapshotNode, layout: GraphLayout, opts: Resolved): string {
  const route = layout.output.edge;
  const end = route.points[route.points.length - 1] ?? { x: 0, y: 0 };
  const tip = { x: end.x + METRICS.terminalWidth, y: end.y };
  const arrow = `M${n(tip.x)} ${n(tip.y)} L${n(end.x)} ${n(end.y - 4.5)} L${n(end.x)} ${n(end.y + 4.5)} Z`;
  const title =
    `output: value ${formatValue(root.value, opts.precision)}` +
    (opts.gradients ? `, dL/dL = ${formatValue(root.grad, opts.precision)} (the seed)` : '');
  return (
    `<g class="edge output" data-edge-id="${OUTPUT_EDGE_ID}" data-from="${escapeAttr(root.id)}">` +
    `<title>${escapeXml(title)}</title>` +
    `<path class="wire" d="${pathData(route.points)}"/>` +
    `<path class="arrow" d="${arrow}"/>` +
    wireLabels(route, root.value, root.grad, opts) +
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

function nodeGroup(
  snapshot: GraphSnapshot,
  node: SnapshotNode,
  box: NodeBox,
  precision: number,
): string {
  const classes = ['node', node.kind];
  if (node.id === snapshot.root || node.output === true) classes.push('output');
  const label = nodeText(node);
  const title = `<title>${escapeXml(nodeTitle(snapshot, node, precision))}</title>`;
  const head =
    `<g class="${classes.join(' ')}" data-node-id="${escapeAttr(node.id)}"` +
    ` data-op="${escapeAttr(node.op)}">${title}`;
  if (box.shape === 'circle') {
    const baseline = box.y + METRICS.symbolFont * 0.36;
    return (
      `${head}<circle class="shape" cx="${n(box.x)}" cy="${n(box.y)}" r="${n(box.width / 2)}"/>` +
      `${textEl('symbol', box.x, baseline, { ...label, truncated: false })}</g>`
    );
  }
  const baseline = box.y + METRICS.nameFont * 0.36;
  return `${head}${textEl('name', box.x, baseline, label)}</g>`;
}

/** The legend: a sample wire with a value above and a gradient below, and what each means. */
function legend(x: number, y: number, opts: Resolved): string {
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

function legendWidth(opts: Resolved): number {
  const widest = Math.max(0, ...legendLines(opts).map((l) => textWidth(l, LEGEND_FONT)));
  return 92 + widest + 12;
}

/**
 * Renders a snapshot as a standalone SVG document (no external resources; byte-identical for
 * the same input). All user text is escaped.
 *
 * @example
 * const svg = renderSvg(snapshot, { precision: 2, title: 'σ neuron' });
 * svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') // true
 * // w0's wire: <g class="edge" data-edge-id="e0" …>…<text class="grad" …>-0.20</text></g>
 */
export function renderSvg(snapshot: GraphSnapshot, options: SvgOptions = {}): string {
  const opts = {
    precision: options.precision ?? 2,
    values: options.values ?? true,
    gradients: options.gradients ?? true,
    legend: options.legend ?? true,
  };
  const layout = layoutSnapshot(snapshot, opts);
  const showLegend = opts.legend && (opts.values || opts.gradients);
  const top = PAD + (options.title !== undefined ? TITLE_HEIGHT : 0);
  const titleW = options.title !== undefined ? textWidth(options.title, 16) : 0;
  const width = Math.ceil(
    Math.max(layout.width, showLegend ? legendWidth(opts) : 0, titleW) + 2 * PAD,
  );
  const legendY = top + layout.height + 8;
  const height = Math.ceil(legendY + (showLegend ? LEGEND_HEIGHT + PAD : PAD - 8));
  const accessible = options.title ?? snapshot.expression ?? 'computational graph';

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chainrule-graph" width="${width}"` +
      ` height="${height}" viewBox="0 0 ${width} ${height}" role="img"` +
      ` font-family="${escapeAttr(FONT_FAMILY)}">`,
    `<title>${escapeXml(accessible)}</title>`,
    `<style>${STYLE}</style>`,
    `<rect class="background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (options.title !== undefined) {
    out.push(`<text class="heading" x="${PAD}" y="${PAD + 16}">${escapeXml(options.title)}</text>`);
  }
  out.push(`<g class="graph" transform="translate(${PAD} ${top})">`, '<g class="edges">');
  for (const edge of snapshot.edges) {
    const route = layout.edges[edge.id];
    if (route) out.push(edgeGroup(snapshot, edge, route, opts));
  }
  const root = snapshot.nodes.find((node) => node.id === snapshot.root);
  if (root) out.push(outputGroup(root, layout, opts));
  out.push('</g>', '<g class="nodes">');
  for (const node of snapshot.nodes) {
    const box = layout.nodes[node.id];
    if (box) out.push(nodeGroup(snapshot, node, box, opts.precision));
  }
  out.push('</g>', '</g>');
  if (showLegend) out.push(legend(PAD, legendY, opts));
  out.push('</svg>');
  return out.join('\n') + '\n';
}
