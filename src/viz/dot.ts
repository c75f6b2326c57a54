/**
 * The graph as Graphviz DOT text, for people who want to lay it out with `dot` themselves or
 * paste it into another tool. Same conventions as the SVG: left to right, gates as circles,
 * inputs as plain names, the forward value above each wire in green and the gradient below in
 * red italics.
 */
import { checkRender } from './check-render.js';
import { explainEdge, gateRule } from '../graph/explain.js';
import { formatValue } from '../graph/format.js';
import type { GraphSnapshot, SnapshotEdge, SnapshotNode, SnapshotValue } from '../graph/types.js';
import { escapeXml, quoteDot } from './escape.js';
import { nodeText, wireText } from './layout.js';

export interface DotOptions {
  /** Decimals of the numbers on the wires (default 2). */
  precision?: number;
  /** Show forward values on the wires (default true). */
  values?: boolean;
  /** Show gradients on the wires (default true). */
  gradients?: boolean;
  /** A graph label drawn at the top. */
  title?: string;
}

/** Options with their defaults filled in (the title stays optional). */
type Resolved = Required<Omit<DotOptions, 'title'>>;

const GREEN = '#1a7f37';
const RED = '#c62828';
const FONT = 'DejaVu Sans';

/** `key="value"` pairs with every value quoted and escaped, in the order given. */
function attrs(pairs: ReadonlyArray<readonly [string, string]>): string {
  return `[${pairs.map(([k, v]) => `${k}=${quoteDot(v)}`).join(', ')}]`;
}

/**
 * An HTML-like DOT label (`<…>`) for a wire: the value in green over the gradient in red
 * italics. Inside `<…>` Graphviz reads XML, so the text is XML-escaped, not DOT-escaped.
 */
function wireLabel(
  value: SnapshotValue,
  grad: SnapshotValue | null,
  opts: Resolved,
): string | undefined {
  const rows: string[] = [];
  if (opts.values) {
    const text = escapeXml(wireText(value, opts.precision).text);
    rows.push(`<font color="${GREEN}">${text}</font>`);
  }
  if (opts.gradients && grad !== null) {
    const text = escapeXml(wireText(grad, opts.precision).text);
    rows.push(`<font color="${RED}"><i>◂ ${text}</i></font>`);
  }
  return rows.length === 0 ? undefined : `<${rows.join('<br/>')}>`;
}

function nodeLine(snapshot: GraphSnapshot, node: SnapshotNode, precision: number): string {
  const isRoot = node.id === snapshot.root || node.output === true;
  const classes = ['node', node.kind, ...(isRoot ? ['output'] : [])].join(' ');
  const tooltip = [
    `${node.label} [${node.gate ?? node.kind}]`,
    `value ${formatValue(node.value, precision)}`,
    `gradient ${formatValue(node.grad, precision)}`,
    gateRule(node),
  ].join('\n');
  const shape = node.kind === 'gate' ? 'circle' : 'plaintext';
  const pairs: Array<[string, string]> = [
    ['label', nodeText(node).text],
    ['shape', shape],
    ['class', classes],
    ['tooltip', tooltip],
  ];
  if (node.kind === 'constant') pairs.push(['fontcolor', '#555555']);
  return `  ${quoteDot(node.id)} ${attrs(pairs)};`;
}

function edgeLine(snapshot: GraphSnapshot, edge: SnapshotEdge, opts: Resolved): string {
  const pairs: Array<[string, string]> = [
    ['id', edge.id],
    ['class', 'edge'],
  ];
  if (opts.gradients) pairs.push(['tooltip', explainEdge(snapshot, edge, opts.precision)]);
  const label = wireLabel(edge.value, edge.grad, opts);
  const quoted = attrs(pairs).slice(0, -1);
  return `  ${quoteDot(edge.from)} -> ${quoteDot(edge.to)} ${quoted}${label ? `, label=${label}` : ''}];`;
}

/**
 * Renders a snapshot as Graphviz DOT (`dot -Tsvg graph.dot`). Every id and quoted string is
 * escaped for DOT (`"` and `\`), HTML-like wire labels are XML-escaped; the output is
 * byte-identical for the same input.
 *
 * @example
 * renderDot(snapshot).split('\n')[0] // 'digraph "chainrule" {'
 * // w0's wire: '  "n0" -> "n2" [id="e0", class="edge", …, label=<<font …>2.00</font><br/>…>];'
 */
export function renderDot(snapshot: GraphSnapshot, options: DotOptions = {}): string {
  checkRender('renderDot', snapshot, options);
  const opts = {
    precision: options.precision ?? 2,
    values: options.values ?? true,
    gradients: options.gradients ?? true,
  };
  const graphAttrs: Array<[string, string]> = [
    ['rankdir', 'LR'],
    ['bgcolor', 'white'],
    ['fontname', FONT],
    ['nodesep', '0.3'],
    ['ranksep', '0.5'],
    // Keeps a gate's inputs in argument order (w0 above x0), as in the SVG.
    ['ordering', 'in'],
  ];
  if (options.title !== undefined) graphAttrs.push(['label', options.title], ['labelloc', 't']);
  const lines = [
    'digraph "chainrule" {',
    `  graph ${attrs(graphAttrs)};`,
    `  node ${attrs([
      ['fontname', FONT],
      ['fontsize', '14'],
      ['width', '0.45'],
      ['fixedsize', 'false'],
    ])};`,
    `  edge ${attrs([
      ['fontname', FONT],
      ['fontsize', '11'],
      ['arrowhead', 'none'],
      ['color', '#444444'],
    ])};`,
  ];
  for (const node of snapshot.nodes) lines.push(nodeLine(snapshot, node, opts.precision));
  for (const edge of snapshot.edges) lines.push(edgeLine(snapshot, edge, opts));

  const root = snapshot.nodes.find((n) => n.id === snapshot.root);
  if (root) {
    // The output wire needs a node to end at; pick a name no snapshot node uses.
    let terminal = 'output';
    while (snapshot.nodes.some((n) => n.id === terminal)) terminal += '_';
    lines.push(
      `  ${quoteDot(terminal)} ${attrs([
        ['shape', 'point'],
        ['width', '0.01'],
        ['label', ''],
      ])};`,
    );
    const label = wireLabel(root.value, root.grad, opts);
    const pairs = attrs([
      ['id', 'output'],
      ['class', 'edge output'],
      ['arrowhead', 'normal'],
    ]).slice(0, -1);
    lines.push(
      `  ${quoteDot(root.id)} -> ${quoteDot(terminal)} ${pairs}${label ? `, label=${label}` : ''}];`,
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
