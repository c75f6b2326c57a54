import { badArgument } from '../core/errors.js';
import { describe } from '../core/validate.js';
import type { Span } from '../core/errors.js';

/**
 * How an expression becomes gates. `staged`: every operator is its own gate, as the lecture
 * slides draw them — sigmoid(x) becomes *-1, exp, +1, 1/x. `fused`: sigmoid stays one σ gate, and
 * a written-out 1/(1+exp(-x)) is recognised as one σ gate too (local gradient σ(1−σ), fewer
 * roundings). Snapshots record the mode they were drawn in.
 */
export type GraphMode = 'staged' | 'fused';

/** The graph modes, in the order a menu shows them. */
export const GRAPH_MODES: readonly GraphMode[] = ['staged', 'fused'];

/** The expression tree. Every node keeps the source span it was read from. */
export type Expr =
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'variable'; name: string; span: Span }
  | { kind: 'negate'; arg: Expr; span: Span }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr; span: Span }
  | {
      kind: 'call';
      name: string;
      args: Expr[];
      /** The `axis=k` keyword, when given. */
      axis?: number;
      span: Span;
      nameSpan: Span;
    }
  /** `s[y]`: the element of `target` that the integer `index` names (one per row for a batch). */
  | { kind: 'index'; target: Expr; index: Expr; span: Span }
  /** A program of named steps, `dot = w*x + b; f = sigmoid(dot)`: the last step is the output. */
  | { kind: 'steps'; steps: Step[]; span: Span };

/** One step of a program: `name = value` (only the last step may leave out its name). */
export interface Step {
  name: string | undefined;
  /** Where the name is written (the value's span for an unnamed last step). */
  nameSpan: Span;
  value: Expr;
  span: Span;
}

export type BinaryOperator = '+' | '-' | '*' | '/' | '^' | '@';

/** The sub-expressions of a node, left to right. */
const EXPR_KINDS: ReadonlySet<string> = new Set([
  'number',
  'variable',
  'negate',
  'binary',
  'call',
  'index',
  'steps',
]);

/** A parsed expression (from `parse`), or a clear error naming `fn`. */
export function checkExpr(fn: string, expr: unknown, name = 'expr'): Expr {
  const kind = (expr as { kind?: unknown } | null)?.kind;
  if (
    expr === null ||
    typeof expr !== 'object' ||
    typeof kind !== 'string' ||
    !EXPR_KINDS.has(kind)
  ) {
    throw badArgument(
      fn,
      `argument ${name} must be an expression from parse, got ${describe(expr)}`,
    );
  }
  return expr as Expr;
}

export function childrenOf(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'negate':
      return [e.arg];
    case 'binary':
      return [e.left, e.right];
    case 'call':
      return e.args;
    case 'index':
      return [e.target, e.index];
    case 'steps':
      return e.steps.map((s) => s.value);
    default:
      return [];
  }
}

/** The names a program's steps define (empty for a plain expression). */
export function stepNames(expr: Expr): string[] {
  checkExpr('stepNames', expr);
  return expr.kind === 'steps'
    ? expr.steps.flatMap((s) => (s.name === undefined ? [] : [s.name]))
    : [];
}

/**
 * The variable names an expression uses, in order of first appearance; a program's step names
 * are not variables (their values are computed by the steps).
 *
 * @example
 * variablesOf(parse('dot = w*x + b; f = 1/(1+exp(-dot))')) // ['w', 'x', 'b']
 */
export function variablesOf(expr: Expr): string[] {
  checkExpr('variablesOf', expr);
  const steps = new Set(stepNames(expr));
  const seen = new Set<string>();
  const stack: Expr[] = [expr];
  const order: string[] = [];
  // Left-to-right pre-order, iteratively, so deep expressions cannot overflow the stack.
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'variable' && !seen.has(e.name) && !steps.has(e.name)) {
      seen.add(e.name);
      order.push(e.name);
    }
    const children = childrenOf(e);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return order;
}

/**
 * The variables used as integer labels (`y` in `s[y]`): they pick elements and take no gradient.
 *
 * @example
 * labelsOf(parse('L = -log(softmax(W@x)[y])')) // ['y']
 */
export function labelsOf(expr: Expr): string[] {
  checkExpr('labelsOf', expr);
  const out = new Set<string>();
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'index' && e.index.kind === 'variable') out.add(e.index.name);
    stack.push(...childrenOf(e));
  }
  return variablesOf(expr).filter((name) => out.has(name));
}
