import { badArgument } from '../core/errors.js';
import { checkArray, checkOptions, describe } from '../core/validate.js';
import { apply } from '../core/apply.js';
import type { OpDef } from '../core/op.js';
import { broadcastShapes } from '../core/shape.js';
import type { Tensor } from '../core/tensor.js';
import { expand } from '../ops/movement.js';
import { ALL_OPS } from '../ops/registry.js';

/**
 * A function an expression may call. The built-in ones are read off the op registry (every op
 * whose definition has an `expression` field), so a new op needs no edit here; custom gates
 * (`defineGate` in chainrule/graph) add their own.
 */
export interface FunctionSpec {
  name: string;
  /** Allowed argument counts (not counting `axis=`). */
  arity: readonly number[];
  /** Takes an optional `axis=k`. */
  axis: boolean;
  /** One line for help texts. */
  summary: string;
  /** The op it applies. */
  op: OpDef;
  /** Applies the op to evaluated arguments. */
  call: (args: readonly Tensor[], options: { axis?: number }) => Tensor;
}

/** An elementwise op on NumPy-broadcast arguments, as its public function applies it. */
function elementwise(op: OpDef) {
  return (args: readonly Tensor[]): Tensor => {
    if (args.length === 1) return apply(op, args, {});
    const shape = args.reduce<number[]>((s, t) => broadcastShapes(op.name, s, t.shape), []);
    return apply(
      op,
      args.map((t) => expand(t, shape)),
      {},
    );
  };
}

/** An op definition (from the registry, `findOp`), or a clear error naming `fn`. */
function checkOp(fn: string, op: unknown): void {
  const o = op as Partial<OpDef> | null;
  if (
    o === null ||
    typeof o !== 'object' ||
    typeof o.name !== 'string' ||
    typeof o.label !== 'object'
  ) {
    throw badArgument(
      fn,
      `argument op must be an op definition (findOp('exp')), got ${describe(op)}`,
    );
  }
}

/**
 * The options every reader of expressions takes — `mode` and `functions` (custom gates) — or a
 * clear error naming `fn`.
 */
export function checkExpressionOptions(
  fn: string,
  options: { mode?: unknown; functions?: readonly FunctionSpec[]; source?: unknown } | undefined,
): void {
  const opts = checkOptions(fn, 'options', options);
  if (opts.mode !== undefined && opts.mode !== 'staged' && opts.mode !== 'fused') {
    throw badArgument(fn, `options.mode must be 'staged' or 'fused', got ${describe(opts.mode)}`);
  }
  if (opts.source !== undefined && typeof opts.source !== 'string') {
    throw badArgument(fn, `options.source must be a string, got ${describe(opts.source)}`);
  }
  if (opts.functions !== undefined) {
    checkArray(fn, 'options.functions', opts.functions).forEach((f, i) => {
      const spec = f as Partial<FunctionSpec> | null;
      if (
        spec === null ||
        typeof spec !== 'object' ||
        typeof spec.name !== 'string' ||
        typeof spec.op !== 'object'
      ) {
        throw badArgument(
          fn,
          `options.functions[${i}] must be a gate's function (defineGate(…).function), got ${describe(f)}`,
        );
      }
    });
  }
}

/**
 * The function an op offers to expressions, or undefined when it has none.
 *
 * @example
 * functionOf(findOp('exp')!)?.arity // [1]
 */
export function functionOf(op: OpDef): FunctionSpec | undefined {
  checkOp('functionOf', op);
  const e = op.expression;
  if (e === undefined) return undefined;
  return {
    name: e.name ?? op.name,
    arity: e.arity,
    axis: e.axis ?? false,
    summary: e.summary,
    op,
    call: e.call ?? elementwise(op),
  };
}

/**
 * The ops the expression language writes as syntax rather than as a function call, by op name,
 * with how they are written.
 */
export const SYNTAX: Readonly<Record<string, string>> = {
  add: 'a + b',
  sub: 'a - b',
  mul: 'a * b',
  div: 'a / b',
  pow: 'a ^ b (or a ** b)',
  neg: '-x',
  reciprocal: '1/x',
  matmul: 'A @ B',
  index: 's[y]',
  transpose: 'W.T',
};

/**
 * How an op is written in an expression, for the docs: its syntax and/or its call, or
 * undefined when expressions do not offer it.
 *
 * @example
 * expressionUsage(findOp('sum')!) // 'sum(x), sum(x, axis=k)'
 * expressionUsage(findOp('transpose')!) // 'W.T, transpose(x)'
 */
export function expressionUsage(op: OpDef): string | undefined {
  checkOp('expressionUsage', op);
  const f = functionOf(op);
  const args = (n: number) => ['x', 'y', 'z'].slice(0, n).join(', ');
  const calls = f
    ? f.arity.map((n) => `${f.name}(${n === 2 && op.scalar ? 'a, b' : args(n)})`)
    : [];
  if (f?.axis) calls.push(`${f.name}(x, axis=k)`);
  const forms = [...(SYNTAX[op.name] ? [SYNTAX[op.name]!] : []), ...calls];
  return forms.length > 0 ? forms.join(', ') : undefined;
}

/** The built-in functions, in registry order. */
export const FUNCTIONS: readonly FunctionSpec[] = ALL_OPS.flatMap((op) => functionOf(op) ?? []);

/**
 * A lookup of the functions an expression may call: the built-ins plus any custom gates.
 * Throws nothing; unknown names give undefined.
 */
export class FunctionTable {
  private readonly byName: Map<string, FunctionSpec>;
  constructor(extra: readonly FunctionSpec[] = []) {
    this.byName = new Map([...FUNCTIONS, ...extra].map((f) => [f.name, f]));
  }
  get(name: string): FunctionSpec | undefined {
    return this.byName.get(name);
  }
  has(name: string): boolean {
    return this.byName.has(name);
  }
  names(): string[] {
    return [...this.byName.keys()];
  }
}

/** The table of the built-ins alone. */
export const BUILTIN_FUNCTIONS = new FunctionTable();
