/**
 * Words for the chain rule on one wire: `global = local × upstream`, and the `+=` of a value used
 * more than once. Every renderer (text, SVG hover titles, the web page's hover cards) builds its
 * explanations from these helpers so that they all say the same thing.
 */
import { badArgument } from '../core/errors.js';
import { checkArray, checkInteger, checkOptions, describe } from '../core/validate.js';
import { findOp } from '../ops/registry.js';
import { checkPart, checkPrecision, checkSnapshot } from './check-args.js';
import { showProduct, showSum } from './equation.js';
import { checkSnapshotValue, formatValue, isSummary } from './format.js';
import { nodeIndex } from './view.js';
import type {
  GraphSnapshot,
  NestedArray,
  SnapshotEdge,
  SnapshotNode,
  SnapshotValue,
} from './types.js';

function checkText(fn: string, name: string, v: unknown): string {
  if (typeof v === 'string') return v;
  throw badArgument(fn, `argument ${name} must be a string, got ${describe(v)}`);
}

/** Refuses a snapshot that is not one, and a node id that is not one of its nodes. */
function checkKnownNode(fn: string, snapshot: GraphSnapshot, id: string, name = 'node'): void {
  checkSnapshot(fn, snapshot);
  if (!nodeIndex(snapshot).has(id)) {
    throw badArgument(fn, `the snapshot has no node ${describe(id)} (${name})`);
  }
}

/** Source text longer than this is replaced by the node id: a long name hides the arithmetic. */
export const MAX_NAME_CHARS = 24;

/**
 * Finds a node by id.
 *
 * @example
 * findNode(snapshot, 'n0')?.label // 'w0'
 */
export function findNode(snapshot: GraphSnapshot, id: string): SnapshotNode | undefined {
  checkSnapshot('findNode', snapshot);
  checkText('findNode', 'id', id);
  return snapshot.nodes.find((n) => n.id === id);
}

/**
 * The wires leaving a node (one per use of its value), in edge order.
 *
 * @example
 * const fork = snapshotExpression('x*x + x', { x: 3 }); // x feeds three wires
 * outgoingEdges(fork, 'n0').map((e) => e.id) // ['e0', 'e1', 'e3']
 */
export function outgoingEdges(snapshot: GraphSnapshot, nodeId: string): SnapshotEdge[] {
  checkKnownNode('outgoingEdges', snapshot, nodeId);
  return snapshot.edges.filter((e) => e.from === nodeId);
}

/**
 * A short human name for a node: the variable name of an input or constant, a named step's name
 * (`dot`), the expression text of a gate's output when it is short, else the node id.
 *
 * @example
 * // snapshot: the CS231n sigmoid neuron, staged
 * nodeName(snapshot, snapshot.nodes[0]!) // 'w0'
 * nodeName(snapshot, snapshot.nodes[2]!) // 'w0*x0'
 * nodeName(snapshot, snapshot.nodes[12]!) // 'n12' (its source text is longer than 24 characters)
 */
export function nodeName(snapshot: GraphSnapshot, node: SnapshotNode): string {
  checkKnownNode('nodeName', snapshot, checkPart('nodeName', 'node', node).id);
  if (node.kind !== 'gate') return node.label;
  if (node.name !== undefined && node.name !== '') return node.name;
  const source = spanText(snapshot, node);
  if (source === undefined || source.length > MAX_NAME_CHARS) return node.id;
  // The staged gates of one function call (sigmoid(y) → *-1, exp, +1, 1/x) share its span;
  // all but the last (whose output is the call's value) are named by their gate.
  const sharing = snapshot.nodes.filter(
    (n) => n.span && node.span && n.span.start === node.span.start && n.span.end === node.span.end,
  );
  return sharing.length > 1 && sharing.at(-1) !== node ? `${node.label} in ${source}` : source;
}

/**
 * The source text of a node's span, when the graph came from an expression, trimmed and without
 * redundant outer parentheses (the parser's span of `(a + b)` includes them).
 *
 * @example
 * spanText(snapshot, snapshot.nodes[8]!) // 'w0*x0+w1*x1+w2' (its span is '(w0*x0+w1*x1+w2)')
 */
export function spanText(snapshot: GraphSnapshot, node: SnapshotNode): string | undefined {
  checkKnownNode('spanText', snapshot, checkPart('spanText', 'node', node).id);
  if (snapshot.expression === undefined || node.span === undefined) return undefined;
  let text = snapshot.expression.slice(node.span.start, node.span.end).trim();
  while (wrappedInParens(text)) text = text.slice(1, -1).trim();
  return text === '' ? undefined : text;
}

/** True for `(…)` where the first parenthesis closes at the very end: `(a)+(b)` is not. */
function wrappedInParens(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    if (depth === 0 && i < text.length - 1) return false;
  }
  return depth === 0;
}

/**
 * The derivative symbol for a name: `dL/dx0`, or `dL/d(w0*x0)` when the name is not a single
 * identifier (so that `dL/dw0*x0` is never misread as `(dL/dw0)·x0`).
 *
 * @example
 * gradSymbol('x0')    // 'dL/dx0'
 * gradSymbol('w0*x0') // 'dL/d(w0*x0)'
 */
export function gradSymbol(name: string): string {
  checkText('gradSymbol', 'name', name);
  return /^[\p{L}_][\p{L}\p{N}_']*$/u.test(name) ? `dL/d${name}` : `dL/d(${name})`;
}

/**
 * A printed value as a factor in a product: numbers in parentheses (so a minus sign never reads
 * as subtraction), arrays bare since their brackets already group them.
 *
 * @example
 * asFactor('-0.50') // '(-0.50)'
 * asFactor('[1.0, 2.0]') // '[1.0, 2.0]'
 */
export function asFactor(text: string): string {
  checkText('asFactor', 'text', text);
  return text.startsWith('[') ? text : `(${text})`;
}

/**
 * A printed value as a term of a sum: negative numbers get parentheses (`2.00 + (-0.50)`).
 *
 * @example
 * asTerm('-0.50') // '(-0.50)'
 */
export function asTerm(text: string): string {
  checkText('asTerm', 'text', text);
  return text.startsWith('-') ? `(${text})` : text;
}

/** How many times, in words: `once`, `twice`, `3 times`. */
function times(count: number): string {
  if (count === 1) return 'once';
  if (count === 2) return 'twice';
  return `${count} times`;
}

/**
 * The chain rule on one wire: what this edge contributes to the gradient of its source node.
 * Uses `+=` when the source value is used more than once, since then the wire carries only one of
 * several contributions. The factors get the digits it takes for their product to round to the
 * printed result (`showProduct`).
 *
 * @example
 * explainEdge(sigmoid, edgeFromX0)
 * // 'dL/dx0 = local × upstream = (2.00) × (0.197) = 0.39'
 * explainEdge(tensorGraph, matmulEdge)
 * // 'dL/dW = Xᵀ · upstream = [[0.10, …]]'
 */
export function explainEdge(snapshot: GraphSnapshot, edge: SnapshotEdge, precision = 2): string {
  checkKnownNode('explainEdge', snapshot, checkPart('explainEdge', 'edge', edge).from, 'edge.from');
  checkPrecision('explainEdge', precision);
  const from = findNode(snapshot, edge.from);
  const name = from === undefined ? edge.from : nodeName(snapshot, from);
  const fork = outgoingEdges(snapshot, edge.from).length > 1;
  const lhs = `${gradSymbol(name)} ${fork ? '+=' : '='}`;
  if (edge.global === null) {
    return `${lhs} nothing: no gradient flows along this wire${from?.kind === 'constant' ? ' (a constant)' : ''}`;
  }
  const result = formatValue(edge.global, precision);
  if (edge.local === null) {
    const vjp = edge.vjp ?? 'the vector-Jacobian product of upstream';
    return `${lhs} ${vjp} = ${result}`;
  }
  // A summarised tensor has no numbers to multiply out: only the result is shown.
  const { local, upstream, global } = edge;
  if (upstream === null || isSummary(local) || isSummary(upstream) || isSummary(global)) {
    return `${lhs} local × upstream = ${result}`;
  }
  const eq = showProduct(local, upstream, global, precision);
  const [a, b] = eq.operands.map(asFactor);
  return `${lhs} local × upstream = ${a} × ${b} ${eq.relation} ${eq.result}`;
}

/**
 * The gradient of a node in words. A value used several times shows the `+=` of its branches
 * (the copy gate adds the gradients); the output shows the seed; anything else shows its single
 * wire's `local × upstream`.
 *
 * @example
 * explainNode(fork, xNode)
 * // 'dL/dx = 2.00 + (-1.00) = 1.00 (a value used twice: the copy gate adds the gradients)'
 */
export function explainNode(snapshot: GraphSnapshot, node: SnapshotNode, precision = 2): string {
  checkKnownNode('explainNode', snapshot, checkPart('explainNode', 'node', node).id);
  checkPrecision('explainNode', precision);
  const name = nodeName(snapshot, node);
  const total = formatValue(node.grad, precision);
  if (node.id === snapshot.root || node.output === true) {
    return `dL/dL = ${total} (the output: backpropagation starts from this seed)`;
  }
  const uses = outgoingEdges(snapshot, node.id);
  const [only] = uses;
  if (node.grad === null) return `${gradSymbol(name)}: no gradient flows to this node`;
  if (only === undefined) return `${gradSymbol(name)} = ${total} (not used by the output)`;
  if (uses.length === 1) return explainEdge(snapshot, only, precision);
  return `${gradSymbol(name)} = ${forkSum(uses, node.grad, precision)} (${forkNote(uses.length)})`;
}

/**
 * The sum of a fork's branch gradients and its total, as written: `2.00 + (-1.00) = 1.00`. The
 * terms get the digits it takes for their sum to round to the printed total (`showSum`).
 *
 * @example
 * forkSum([{ global: 0.396 }, { global: 0.396 }] as SnapshotEdge[], 0.792) // '0.396 + 0.396 = 0.79'
 */
export function forkSum(
  edges: readonly SnapshotEdge[],
  total: SnapshotValue,
  precision = 2,
): string {
  // Only the branches' gradients are read: any objects with a `global` will do.
  checkArray('forkSum', 'edges', edges).forEach((e, i) => {
    checkOptions('forkSum', `edges[${i}]`, e);
    if (e.global !== null) checkSnapshotValue('forkSum', `edges[${i}].global`, e.global);
  });
  if (edges.length === 0)
    throw badArgument('forkSum', 'argument edges must hold the wires of a fork');
  checkSnapshotValue('forkSum', 'total', total);
  checkPrecision('forkSum', precision);
  const terms = edges.map((e) => e.global);
  if (isSummary(total) || terms.some((t) => t === null || isSummary(t))) {
    return `${terms.map((t) => asTerm(formatValue(t, precision))).join(' + ')} = ${formatValue(total, precision)}`;
  }
  const eq = showSum(terms as NestedArray[], total, precision);
  return `${eq.operands.map(asTerm).join(' + ')} ${eq.relation} ${eq.result}`;
}

/**
 * Why a fork's gradients add up.
 *
 * @example
 * forkNote(2) // 'a value used twice: the copy gate adds the gradients'
 */
export function forkNote(uses: number): string {
  checkInteger('forkNote', 'uses', uses, 1);
  return `a value used ${times(uses)}: the copy gate adds the gradients`;
}

/**
 * How a node treats the gradient: the snapshot's `rule` when present, else the rule on the op's
 * own definition (the registry), else the chain rule in general.
 *
 * @example
 * gateRule(snapshot.nodes[2]!) // 'mul swaps: each input gets the other input’s value × the upstream gradient'
 */
export function gateRule(node: SnapshotNode): string {
  checkPart('gateRule', 'node', node);
  if (node.rule !== undefined && node.rule !== '') return node.rule;
  if (node.kind === 'input') return 'an input: its gradient is the sum over all its uses';
  if (node.kind === 'constant') return 'a constant: no gradient is needed';
  return findOp(node.op)?.label.rule ?? `${node.op}: gradient = local gradient × upstream gradient`;
}
