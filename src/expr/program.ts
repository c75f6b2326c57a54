/**
 * The rules of a program of named steps and of label variables, checked once it is parsed:
 * each step is named once, used only after it is defined, and feeds the output; a variable used
 * as labels (`y` in `s[y]`) is nothing else. Errors point at the offending name.
 */
import { ParseError, type Span } from '../core/errors.js';
import { childrenOf, type Expr, type Step } from './ast.js';

/** Steps are named once, used only after they are defined, and all feed the output. */
export function checkSteps(source: string, steps: readonly Step[]): void {
  const defined = new Map<string, Step>();
  const used = new Set<string>();
  // Where each name is first defined, so a use can tell "later" without scanning the rest.
  const firstAt = new Map<string, number>();
  steps.forEach((s, k) => {
    if (s.name !== undefined && !firstAt.has(s.name)) firstAt.set(s.name, k);
  });
  steps.forEach((step, k) => {
    if (step.name === undefined && k < steps.length - 1) {
      throw new ParseError(
        source,
        step.span,
        'only the last step may be a bare expression: name this one (name = …)',
      );
    }
    for (const v of variableUses(step.value)) {
      if (defined.has(v.name)) used.add(v.name);
      else if ((firstAt.get(v.name) ?? -1) >= k) {
        throw new ParseError(
          source,
          v.span,
          `'${v.name}' is used before the step that defines it: move that step up`,
        );
      }
    }
    if (step.name !== undefined) {
      if (defined.has(step.name)) {
        throw new ParseError(
          source,
          step.nameSpan,
          `the step '${step.name}' is defined twice: give each step its own name`,
        );
      }
      defined.set(step.name, step);
    }
  });
  for (const step of steps.slice(0, -1)) {
    if (!used.has(step.name!)) {
      throw new ParseError(
        source,
        step.nameSpan,
        `the step '${step.name}' is never used: every step but the last must feed a later one`,
      );
    }
  }
  checkLabels(
    source,
    steps.map((s) => s.value),
    new Set(defined.keys()),
  );
}

/** Every variable node in an expression, in source order. */
function variableUses(expr: Expr): Extract<Expr, { kind: 'variable' }>[] {
  const out: Extract<Expr, { kind: 'variable' }>[] = [];
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'variable') out.push(e);
    const children = childrenOf(e);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

/**
 * Label variables (`y` in `s[y]`) hold integers and take no gradient: they may not also be used
 * as numbers, and a step's computed value cannot be a label.
 */
export function checkLabels(
  source: string,
  roots: readonly Expr[],
  steps: ReadonlySet<string>,
): void {
  const labels = new Map<string, Span>();
  const values = new Map<string, Span>();
  const stack = [...roots];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.kind === 'index') {
      if (e.index.kind === 'variable') {
        if (steps.has(e.index.name)) {
          throw new ParseError(
            source,
            e.index.span,
            `'${e.index.name}' is a computed step; an index must be given labels (a variable) or a whole number`,
          );
        }
        if (!labels.has(e.index.name)) labels.set(e.index.name, e.index.span);
      }
      stack.push(e.target);
      continue;
    }
    if (e.kind === 'variable' && !values.has(e.name)) values.set(e.name, e.span);
    stack.push(...childrenOf(e));
  }
  for (const [name, span] of values) {
    if (labels.has(name)) {
      throw new ParseError(
        source,
        span,
        `'${name}' holds labels (it indexes […${name}]), so it cannot also be used as a number`,
      );
    }
  }
}
