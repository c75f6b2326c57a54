import { badArgument } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { checkExpressionOptions } from './functions.js';
import { ChainruleError, type Span } from '../core/errors.js';
import { checkNumerics } from '../core/observe.js';
import { withScope } from '../core/scope.js';
import { Tensor, asTensor } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import { checkExpr, childrenOf, type Expr, type GraphMode } from './ast.js';
import { BUILTIN_FUNCTIONS, FunctionTable, type FunctionSpec } from './functions.js';
import { closestName } from './suggest.js';

export interface BuildOptions {
  /** Staged (default) or fused: see `GraphMode`. */
  mode?: GraphMode;
  /** The source text, for error messages with a caret. */
  source?: string;
  /** Functions beyond the built-ins (custom gates), as given to `parse`. */
  functions?: readonly FunctionSpec[];
}

/** 1/(1+exp(-E)) or 1/(exp(-E)+1) → E, else undefined. */
function sigmoidArgument(e: Expr): Expr | undefined {
  if (e.kind !== 'binary' || e.op !== '/' || e.left.kind !== 'number' || e.left.value !== 1)
    return undefined;
  const den = e.right;
  if (den.kind !== 'binary' || den.op !== '+') return undefined;
  const isOne = (x: Expr) => x.kind === 'number' && x.value === 1;
  const expPart = isOne(den.left) ? den.right : isOne(den.right) ? den.left : undefined;
  if (expPart?.kind !== 'call' || expPart.name !== 'exp' || expPart.args.length !== 1)
    return undefined;
  const neg = expPart.args[0]!;
  return neg.kind === 'negate' ? neg.arg : undefined;
}

/** Labels the nodes an op just made with the span they came from. */
function tag(t: Tensor, span: Span): Tensor {
  if (t.node && !t.node.span) t.node.span = span;
  return t;
}

/** What the builder carries from node to node. */
interface Context {
  mode: GraphMode;
  source: string | undefined;
  functions: FunctionTable;
}

/**
 * Turns an expression tree into tensor ops on the given variable values and returns the output
 * tensor; every node it creates remembers its source span. A program's steps are built one after
 * the other, each inside a scope named after it (so a snapshot groups its gates), and each
 * step's value is named after the step (so a picture can label its wire). Iterative, so long
 * chains such as x+x+…+x cannot overflow the stack. Throws a NonFiniteError naming the op and
 * its span when a value becomes NaN or infinite.
 */
export function build(
  expr: Expr,
  values: ReadonlyMap<string, Tensor>,
  options: BuildOptions = {},
): Tensor {
  checkExpr('build', expr);
  if (!(values instanceof Map) || ![...values.values()].every((v) => v instanceof Tensor)) {
    throw badArgument(
      'build',
      `argument values must be a Map from names to tensors, got ${describe(values)}`,
    );
  }
  checkExpressionOptions('build', options);
  const ctx: Context = {
    mode: options.mode ?? 'staged',
    source: options.source,
    functions: options.functions?.length ? new FunctionTable(options.functions) : BUILTIN_FUNCTIONS,
  };
  try {
    return checkNumerics(() => buildProgram(expr, values, ctx));
  } catch (e) {
    if (e instanceof ChainruleError && e.span && e.source === undefined) e.source = ctx.source;
    throw e;
  }
}

function buildProgram(expr: Expr, values: ReadonlyMap<string, Tensor>, ctx: Context): Tensor {
  if (expr.kind !== 'steps') return buildTree(expr, values, ctx);
  const env = new Map(values);
  let last: Tensor | undefined;
  for (const step of expr.steps) {
    const name = step.name;
    if (name === undefined) {
      last = buildTree(step.value, env, ctx);
      continue;
    }
    const t = withScope(name, 'step', () => buildTree(step.value, env, ctx));
    // Name the gate that computes the step; a step that only renames a value leaves it alone.
    if (t.node !== null && t.name === undefined) t.name = name;
    env.set(name, t);
    last = t;
  }
  return last!;
}

function buildTree(root: Expr, values: ReadonlyMap<string, Tensor>, ctx: Context): Tensor {
  const results = new Map<Expr, Tensor>();
  const stack: { e: Expr; expanded: boolean }[] = [{ e: root, expanded: false }];
  const rewrite = (e: Expr): Expr => {
    if (ctx.mode !== 'fused') return e;
    const arg = sigmoidArgument(e);
    return arg ? { kind: 'call', name: 'sigmoid', args: [arg], span: e.span, nameSpan: e.span } : e;
  };
  const fused = new Map<Expr, Expr>();
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const e = fused.get(frame.e) ?? rewrite(frame.e);
    if (e !== frame.e) fused.set(frame.e, e);
    if (!frame.expanded) {
      frame.expanded = true;
      // A program builds its own steps (buildProgram); as a child it is a leaf here.
      const children = e.kind === 'steps' ? [] : childrenOf(e);
      for (let i = children.length - 1; i >= 0; i--)
        stack.push({ e: children[i]!, expanded: false });
      continue;
    }
    stack.pop();
    const arg = (i: number) => results.get(childrenOf(e)[i]!)!;
    try {
      results.set(frame.e, tag(evaluateNode(e, arg, values, ctx), e.span));
    } catch (err) {
      // Shape errors and missing values learn where in the expression they happened.
      throw err instanceof ChainruleError ? err.locate(e.span, ctx.source) : err;
    }
  }
  return results.get(root)!;
}

function evaluateNode(
  e: Expr,
  arg: (i: number) => Tensor,
  values: ReadonlyMap<string, Tensor>,
  ctx: Context,
): Tensor {
  switch (e.kind) {
    case 'number':
      return asTensor(e.value);
    case 'variable': {
      const v = values.get(e.name);
      if (!v) {
        const suggestion = closestName(e.name, values.keys());
        throw new ChainruleError(
          'missing_value',
          `no value for the variable '${e.name}': give it as ${e.name}=<number or array>` +
            (suggestion ? ` (or did you mean '${suggestion}'?)` : ''),
        );
      }
      return v;
    }
    case 'negate': {
      const x = arg(0);
      // A negative literal is a constant, not a *-1 gate.
      return e.arg.kind === 'number' ? asTensor(-e.arg.value) : ops.neg(x);
    }
    case 'binary': {
      const [a, b] = [arg(0), arg(1)];
      switch (e.op) {
        case '+':
          return ops.add(a, b);
        case '-':
          return ops.sub(a, b);
        case '*':
          return ops.mul(a, b);
        case '/':
          // 1/x is the reciprocal gate of the slides (and what PyTorch runs for 1/t).
          return e.left.kind === 'number' && e.left.value === 1 ? ops.reciprocal(b) : ops.div(a, b);
        case '^':
          return ops.pow(a, b);
        case '@':
          return ops.matmul(a, b);
      }
      break;
    }
    case 'index':
      return ops.index(arg(0), e.index.kind === 'number' ? e.index.value : arg(1));
    case 'call':
      return callFunction(e, arg, ctx);
    case 'steps':
      return buildProgram(e, values, ctx);
  }
  throw new ChainruleError('internal', `unhandled expression node ${(e as Expr).kind}`);
}

function callFunction(
  e: Extract<Expr, { kind: 'call' }>,
  arg: (i: number) => Tensor,
  ctx: Context,
): Tensor {
  const spec = ctx.functions.get(e.name);
  if (spec === undefined) {
    // Only a tree that did not come from parse() with the same functions gets here.
    throw new ChainruleError(
      'unknown_name',
      `unknown function '${e.name}': pass its gate in the options (functions) of both parse and build`,
    ).locate(e.nameSpan, ctx.source);
  }
  const args = e.args.map((_, i) => arg(i));
  if (spec.op.name === 'sigmoid' && ctx.mode === 'staged') {
    // The four gates of the CS231n slide: *-1, exp, +1, 1/x.
    return [ops.neg, ops.exp, (t: Tensor) => ops.add(t, 1), ops.reciprocal].reduce(
      (t, f) => tag(f(t), e.span),
      args[0]!,
    );
  }
  return spec.call(args, e.axis === undefined ? {} : { axis: e.axis });
}
