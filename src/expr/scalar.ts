import { ParseError } from '../core/errors.js';
import type { OpDef } from '../core/op.js';
import { findOp } from '../ops/registry.js';
import { childrenOf, type Expr } from './ast.js';
import { BUILTIN_FUNCTIONS } from './functions.js';

/**
 * A formula of one number, compiled from an expression tree into plain closures (never `eval`):
 * what a custom gate runs for its forward and its derivative. `decisions`, when given, receives
 * the branch each kinked function took (abs and relu: the sign of their input; maximum and
 * minimum: which input won), so a gradient check can tell when a nudge crossed a kink.
 */
export type ScalarFormula = (x: number, decisions?: number[]) => number;

const OPERATOR_OPS: Readonly<Record<string, string>> = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '^': 'pow',
};

/** The op of an operator or a function, with the scalar rule the Value path runs. */
function scalarOp(name: string): OpDef | undefined {
  const op = findOp(OPERATOR_OPS[name] ?? '') ?? BUILTIN_FUNCTIONS.get(name)?.op;
  return op?.scalar ? op : undefined;
}

/** A gate's formula may nest this deep (x+x+…+x counts one level per +): its closures recurse. */
export const MAX_FORMULA_DEPTH = 200;

/** The depth of a tree, measured without recursion. */
function depthOf(expr: Expr): number {
  let deepest = 0;
  const stack: [Expr, number][] = [[expr, 1]];
  while (stack.length > 0) {
    const [e, d] = stack.pop()!;
    deepest = Math.max(deepest, d);
    for (const c of childrenOf(e)) stack.push([c, d + 1]);
  }
  return deepest;
}

/**
 * Compiles `expr`, a formula of the single variable `variable`, for numbers. Only elementwise
 * functions and operators are allowed (no `@`, reductions, indexing or steps): anything else is
 * a ParseError pointing at it in `source`.
 *
 * @example
 * compileScalar(parse('x/(1+abs(x))'), 'x', 'x/(1+abs(x))')(3) // 0.75
 */
export function compileScalar(expr: Expr, variable: string, source: string): ScalarFormula {
  const refuse = (e: Expr, message: string): never => {
    throw new ParseError(source, e.span, message);
  };
  const depth = depthOf(expr);
  if (depth > MAX_FORMULA_DEPTH) {
    refuse(
      expr,
      `a gate's formula nests ${depth} levels deep; at most ${MAX_FORMULA_DEPTH} are allowed`,
    );
  }
  const compile = (e: Expr): ScalarFormula => {
    switch (e.kind) {
      case 'number': {
        const value = e.value;
        return () => value;
      }
      case 'variable':
        if (e.name !== variable) {
          refuse(e, `a gate's formula uses only its variable ${variable}; '${e.name}' is not it`);
        }
        return (x) => x;
      case 'negate': {
        const arg = compile(e.arg);
        return (x, d) => -arg(x, d);
      }
      case 'binary':
      case 'call': {
        const name = e.kind === 'binary' ? e.op : e.name;
        const op = scalarOp(name);
        if (op === undefined || (e.kind === 'call' && e.axis !== undefined)) {
          return refuse(
            e,
            `a gate works on one number at a time: ${e.kind === 'binary' ? `'${name}'` : `${name}()`} ` +
              'is not elementwise (use +, -, *, /, ^ and functions such as exp, log, abs, tanh, maximum)',
          );
        }
        const [a, b] = childrenOf(e).map(compile) as [ScalarFormula, ScalarFormula | undefined];
        const rule = op.scalar!;
        const decide = op.decisions?.bind(op);
        return (x, d) => {
          const u = a(x, d);
          const v = b ? b(x, d) : 0;
          const y = rule.f(u, v);
          if (d && decide) {
            d.push(
              decide([Float64Array.of(u), Float64Array.of(v)], Float64Array.of(y), undefined)[0]!,
            );
          }
          return y;
        };
      }
      default:
        return refuse(e, `a gate's formula is one expression of ${variable}: no ${e.kind} here`);
    }
  };
  return compile(expr);
}
