/**
 * The graph as a plain-text report for terminals and logs: a table of nodes, then the chain rule
 * on every wire, then the `+=` of every value used more than once.
 */
import { badArgument } from '../core/errors.js';
import { checkArray, describe } from '../core/validate.js';
import { checkRender } from './check-render.js';
import { explainEdge, explainNode, nodeName, outgoingEdges } from '../graph/explain.js';
import { formatValue } from '../graph/format.js';
import type { GraphSnapshot, SnapshotNode } from '../graph/types.js';
import { autoView } from '../graph/view.js';
import { escapeTerminal } from './escape.js';
import { groupContents, groupText, truncate } from './labels.js';

export interface TextOptions {
  /** Decimals of the numbers (default 2). */
  precision?: number;
  /** A first line naming the graph. */
  title?: string;
}

/** Table cells longer than this are cut with an ellipsis (a tensor would make the table wide). */
const MAX_CELL = 36;
/** Graphs with more nodes than this get the collapsed report instead of every node and wire. */
export const TEXT_LIST_LIMIT = 400;

/** Width in terminal columns, counting code points (good enough for the symbols we print). */
function columns(text: string): number {
  return Array.from(text).length;
}

function cell(text: string): string {
  return truncate(escapeTerminal(text), MAX_CELL).text;
}

/**
 * Lays out rows as aligned columns, two spaces apart. Numbers in the columns listed in `right`
 * are padded on the left so their decimal points line up; everything else (text, tensors) is
 * padded on the right.
 *
 * @example
 * alignColumns([['id', 'value'], ['n0', '2.00'], ['n1', '-1.00']], new Set([1]))
 * // ['id  value', 'n0   2.00', 'n1  -1.00']
 */
export function alignColumns(rows: readonly string[][], right: ReadonlySet<number>): string[] {
  checkArray('alignColumns', 'rows', rows).forEach((row, r) => {
    if (!Array.isArray(row) || !row.every((c) => typeof c === 'string')) {
      throw badArgument(
        'alignColumns',
        `rows[${r}] must be a list of strings, got ${describe(row)}`,
      );
    }
  });
  if (!(right instanceof Set)) {
    throw badArgument(
      'alignColumns',
      `argument right must be a Set of column numbers, got ${describe(right)}`,
    );
  }
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, columns(c))));
  }
  return rows.map((row, r) =>
    row
      .map((c, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - columns(c));
        const numeric = r === 0 || /^-?[\d.∞]/.test(c);
        return right.has(i) && numeric ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

function nodeRow(snapshot: GraphSnapshot, node: SnapshotNode, precision: number): string[] {
  const isRoot = node.id === snapshot.root || node.output === true;
  const name = nodeName(snapshot, node);
  return [
    node.id,
    node.kind,
    cell(node.label),
    cell(name === node.label || name === node.id ? '' : name),
    cell(formatValue(node.value, precision)),
    cell(formatValue(node.grad, precision)),
    isRoot ? 'output' : '',
  ];
}

/** Characters of the expression shown in the heading of the text format. */
const HEADING_CHARS = 200;

/**
 * Renders a snapshot as a plain-text report. User text is made terminal-safe (control and bidi
 * characters shown as escapes) but otherwise printed as is: plain text has no markup to escape.
 *
 * @example
 * renderText(sigmoid)
 * // Graph: 1 / (1 + exp(-(w0*x0 + w1*x1 + w2))) (staged)
 * //
 * // id   kind   gate  expression  value  gradient
 * // n0   input  w0                 2.00     -0.20
 * // …
 * // Chain rule on every wire (global gradient = local gradient × upstream gradient):
 * // w0: dL/dw0 = local × upstream = (-1.00) × (0.20) = -0.20
 */
export function renderText(snapshot: GraphSnapshot, options: TextOptions = {}): string {
  checkRender('renderText', snapshot, options);
  const precision = options.precision ?? 2;
  const lines: string[] = [];
  const heading = options.title ?? snapshot.expression;
  if (heading !== undefined) {
    const mode = snapshot.mode === undefined ? '' : ` (${snapshot.mode})`;
    // A 20,000-character expression would fill the terminal: its start is enough to recognise it.
    const shown = truncate(heading, HEADING_CHARS);
    const more = shown.truncated ? ` (${Array.from(heading).length} characters)` : '';
    lines.push(`Graph: ${escapeTerminal(shown.text)}${more}${mode}`, '');
  }

  if (snapshot.nodes.length > TEXT_LIST_LIMIT) return collapsedText(snapshot, precision, lines);

  const rows = [['id', 'kind', 'gate', 'expression', 'value', 'gradient', '']];
  for (const node of snapshot.nodes) rows.push(nodeRow(snapshot, node, precision));
  lines.push(...alignColumns(rows, new Set([4, 5])));

  if (snapshot.edges.length > 0) {
    lines.push(
      '',
      'Chain rule on every wire (global gradient = local gradient × upstream gradient):',
    );
    for (const edge of snapshot.edges) {
      const from = snapshot.nodes.find((n) => n.id === edge.from);
      const name = from === undefined ? edge.from : nodeName(snapshot, from);
      lines.push(
        `${escapeTerminal(name)}: ${escapeTerminal(explainEdge(snapshot, edge, precision))}`,
      );
    }
  }

  const forks = snapshot.nodes.filter((n) => outgoingEdges(snapshot, n.id).length > 1);
  if (forks.length > 0) {
    lines.push('', 'Values used more than once (their gradients add up):');
    for (const node of forks) {
      const name = nodeName(snapshot, node);
      lines.push(
        `${escapeTerminal(name)}: ${escapeTerminal(explainNode(snapshot, node, precision))}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

const count = (k: number) => String(k).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * The report of a big graph: what its collapsed picture shows (the groups at the top, each with
 * what is inside), then every input with its value and gradient, then the output. Linear in the
 * graph, so a 10,000-node graph prints at once.
 */
function collapsedText(snapshot: GraphSnapshot, precision: number, lines: string[]): string {
  lines.push(
    `${count(snapshot.nodes.length)} nodes and ${count(snapshot.edges.length)} wires: too many` +
      ' to list one by one, so this is the collapsed picture',
    '(--format svg draws it; the web page opens each group).',
  );
  const view = autoView(snapshot);
  const groups = new Map((snapshot.groups ?? []).map((g) => [g.id, g]));
  const inside = groupContents(snapshot);
  const boxes = view.nodes.filter((n) => n.kind === 'group');
  if (boxes.length > 0) {
    lines.push('', 'Groups, closed:');
    const rows = boxes.map((b) => {
      const g = groups.get(b.group!)!;
      return [cell(g.label), g.kind, groupText(g, inside.get(g.id)).detail];
    });
    lines.push(...alignColumns(rows, new Set()).map((l) => `  ${l}`));
  }
  const inputs = snapshot.nodes.filter((n) => n.kind === 'input');
  if (inputs.length > 0) {
    lines.push('', 'Inputs:');
    const rows = [['name', 'value', 'gradient']];
    for (const n of inputs) {
      rows.push([
        cell(n.label),
        cell(formatValue(n.value, precision)),
        cell(formatValue(n.grad, precision)),
      ]);
    }
    lines.push(...alignColumns(rows, new Set([1, 2])).map((l) => `  ${l}`));
  }
  const root = snapshot.nodes.find((n) => n.id === snapshot.root);
  if (root) lines.push('', `Output: value ${cell(formatValue(root.value, precision))}`);
  return `${lines.join('\n')}\n`;
}
