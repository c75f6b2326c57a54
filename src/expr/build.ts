import { ChainruleError, type Span } from '../core/errors.js';
import { checkNumerics } from '../core/observe.js';
import { Tensor, asTensor } from '../core/tensor.js';
import * as ops from '../ops/index.js';
import { childrenOf, type Expr } from './ast.js';
import { closestName } from './suggest.js';

/**
 * `staged`: every operator is its own gate, as the lecture slides draw them — sigmoid(x) becomes
 * *-1, exp, +1, 1/x. `fused`: sigmoid stays one σ gate, and a written-out 1/(1+exp(-x)) is
 * recognised as one σ gate too (local gradient σ(1−σ), fewer roundings).
 */
export type Mode = 'staged' | 'fused';

export interface BuildOptions {
  mode?: Mode;
  /** The source text, for error messages with a caret. */
  source?: string;
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

function integerArgument(e: Expr, fn: string, source: string | undefined): number {
  const value =
    e.kind === 'number'
      ? e.value
      : e.kind === 'negate' && e.arg.kind === 'number'
        ? -e.arg.value
        : NaN;
  if (!Number.isInteger(value)) {
    throw new ChainruleError(
      'bad_argument',
      `the second argument of ${fn} is an axis: write an integer like ${fn}(x, 0)`,
    ).locate(e.span, source);
  }
  return value;
}

/** Labels the nodes an op just made with the span they came from. */
function tag(t: Tensor, span: Span): Tensor {
  if (t.node && !t.node.span) t.node.span = span;
  return t;
}

/**
 * Turns an expression tree into tensor ops on the given variable values and returns the output
 * tensor; every node it creates remembers its source span. Iterative, so long chains such as
 * x+x+…+x cannot overflow the stack. Throws a NonFiniteError naming the op and its span when a
 * value becomes NaN or infinite.
 */
export function build(
  expr: Expr,
  values: ReadonlyMap<string, Tensor>,
  options: BuildOptions = {},
): Tensor {
  const mode = options.mode ?? 'staged';
  const source = options.source;
  try {
    return checkNumerics(() => buildTree(expr, values, mode, source));
  } catch (e) {
    if (e instanceof ChainruleError && e.span && e.source === undefined) e.source = source;
    throw e;
  }
}

function buildTree(
  root: Expr,
  values: ReadonlyMap<string, Tensor>,
  mode: Mode,
  source: string | undefined,
): Tensor {
  const results = new Map<Expr, Tensor>();
  const stack: { e: Expr; expanded: boolean }[] = [{ e: root, expanded: false }];
  const rewrite = (e: Expr): Expr => {
    if (mode !== 'fused') return e;
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
      const children = childrenOf(e);
      for (let i = children.length - 1; i >= 0; i--)
        stack.push({ e: children[i]!, expanded: false });
      continue;
    }
    stack.pop();
    const arg = (i: number) => results.get(childrenOf(e)[i]!)!;
    try {
      results.set(frame.e, tag(evaluateNode(e, arg, values, mode, source), e.span));
    } catch (err) {
      // Shape errors and missing values learn where in the expression they happened.
      throw err instanceof ChainruleError ? err.locate(e.span, source) : err;
    }
  }
  return results.get(root)!;
}

function evaluateNode(
  e: Expr,
  arg: (i: number) => Tensor,
  values: ReadonlyMap<string, Tensor>,
  mode: Mode,
  source: string | undefined,
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
    case 'call':
      return callFunction(e, arg, mode, source);
  }
  throw new ChainruleError('internal', `unhandled expression node ${(e as Expr).kind}`);
}

function callFunction(
  e: Extract<Expr, { kind: 'call' }>,
  arg: (i: number) => Tensor,
  mode: Mode,
  source: string | undefined,
): Tensor {
  const x = arg(0);
  const n = e.args.length;
  switch (e.name) {
    case 'sigmoid':
      if (mode === 'staged') {
        // The four gates of the CS231n slide: *-1, exp, +1, 1/x.
        return [ops.neg, ops.exp, (t: Tensor) => ops.add(t, 1), ops.reciprocal].reduce(
          (t, f) => tag(f(t), e.span),
          x,
        );
      }
      return ops.sigmoid(x);
    case 'max':
      return n === 2 ? ops.maximum(x, arg(1)) : ops.max(x);
    case 'min':
      return ops.minimum(x, arg(1));
    case 'sum':
      return ops.sum(x, n === 2 ? { axis: integerArgument(e.args[1]!, 'sum', source) } : {});
    case 'mean':
      return ops.mean(x, n === 2 ? { axis: integerArgument(e.args[1]!, 'mean', source) } : {});
    case 'exp':
    case 'log':
    case 'sqrt':
    case 'abs':
    case 'tanh':
    case 'relu':
    case 'sin':
    case 'cos':
      return ops[e.name](x);
  }
  throw new ChainruleError(
    'internal',
    `the function ${e.name} is known to the parser but not to the builder`,
  );
}
