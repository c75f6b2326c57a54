import type { Span } from '../core/errors.js';

/** The expression tree. Every node keeps the source span it was read from. */
export type Expr =
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'variable'; name: string; span: Span }
  | { kind: 'negate'; arg: Expr; span: Span }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr; span: Span }
  | { kind: 'call'; name: string; args: Expr[]; span: Span; nameSpan: Span };

export type BinaryOperator = '+' | '-' | '*' | '/' | '^' | '@';

/** The sub-expressions of a node, left to right. */
export function childrenOf(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'negate':
      return [e.arg];
    case 'binary':
      return [e.left, e.right];
    case 'call':
      return e.args;
    default:
      return [];
  }
}

/** The variable names an expression uses, in order of first appearance. */
export function variablesOf(expr: Expr): string[] {
  const seen = new Set<string>();
  const stack: Expr[] = [expr];
  const order: string[] = [];
  // Left-to-right pre-order, iteratively, so deep expressions cannot overflow the stack.
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'variable' && !seen.has(e.name)) {
      seen.add(e.name);
      order.push(e.name);
    }
    const children = childrenOf(e);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return order;
}
