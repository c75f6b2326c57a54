import { localTimesUpstream, localTimesUpstream2, map1, map2 } from '../kernels/elementwise.js';
import type { BinaryLoops, UnaryLoops } from '../kernels/loops.js';
import { allocate, type Data, type DType } from '../kernels/types.js';
import { ShapeError, formatShape } from './errors.js';
import { shapesEqual } from './shape.js';
import type * as ElementwiseModule from '../ops/elementwise.js';
import { Tensor } from './tensor.js';

/** Op attributes: plain data, so that snapshots and URLs can carry them. */
export type Attrs = Readonly<
  Record<string, number | boolean | string | readonly number[] | undefined>
>;

/** How the graph view shows an op. */
export interface OpLabel {
  /** The gate's symbol in a picture: `+`, `×`, `exp`, `1/x`, `σ`, `max`. */
  symbol: string;
  /** Its long name: `multiply gate`. */
  gate: string;
  /** What it does to the gradient, in a sentence a learner can remember. */
  rule: string;
  /**
   * The label when one input is a constant `c` folded into the gate, as the slides draw them
   * (`+1`, `*-1`, `1/x`, `^2`). Without it, constants stay separate nodes.
   */
  fold?: (c: string, constantIndex: number) => string;
}

/** Where a numerical gradient check draws input values. */
export type Domain = 'real' | 'positive' | 'nonzero' | readonly [number, number];

/** A tiny seeded source of sizes for gradient-check cases (driven by fast-check in tests). */
export interface CaseRandom {
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  /** A random shape of rank in [minRank, maxRank] with sizes in [1, maxDim]. */
  shape(minRank: number, maxRank: number, maxDim?: number): number[];
}

export interface GradcheckSpec<A extends Attrs = Attrs> {
  /**
   * Random input shapes and attributes for one check; `fixed` gives the values of constant
   * inputs that cannot be random (integer labels), by input index.
   */
  cases: (r: CaseRandom) => {
    shapes: number[][];
    attrs?: A;
    fixed?: Readonly<Record<number, readonly number[]>>;
  };
  /** Value domain per input (or one for all); defaults to 'real'. */
  domain?: Domain | readonly Domain[];
  /** Draw all input values at least 1e-2 apart (ops with ties: max, maximum). */
  distinct?: boolean;
  /** Inputs that are not differentiable (integer labels); they are not perturbed. */
  constantInputs?: readonly number[];
  /** A looser tolerance than 1e-7, with the reason beside it. */
  tolerance?: number;
}

export interface ForwardContext<A extends Attrs = Attrs> {
  readonly inputs: readonly Tensor[];
  readonly attrs: A;
  /** The output shape, from `inferShape`. */
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Keeps a residual for the backward pass (argmax positions, masks…). */
  readonly save: (value: unknown) => void;
}

export interface BackwardContext<A extends Attrs = Attrs> {
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: A;
  readonly saved: unknown;
  /** needsGrad[i] is false when input i does not require a gradient: skip that work. */
  readonly needsGrad: readonly boolean[];
}

/** Elementwise math shared by the scalar (Value) path and the tensor path. */
export interface UnaryMath {
  f: (x: number) => number;
  /** d f / d x, given the input x and the output y = f(x). */
  df: (x: number, y: number) => number;
  /**
   * For ops that training runs over millions of values: the same forward and VJP as loops
   * (kernels/loops.ts), computing bit for bit what f and df give, without a call per element.
   */
  loops?: UnaryLoops;
}

export interface BinaryMath {
  f: (a: number, b: number) => number;
  /** ∂f/∂a and ∂f/∂b given both inputs and the output y. */
  da: (a: number, b: number, y: number) => number;
  db: (a: number, b: number, y: number) => number;
  /** As UnaryMath.loops. */
  loops?: BinaryLoops;
}

/**
 * The scalar form of an elementwise op, read by the Value path. Every rule has the same fields in
 * the same order, so the hot backward loop sees one object shape (fast property access).
 */
export interface ScalarRule {
  readonly op: OpDef;
  /** 1 for x.f(), 2 for a.f(b): how many inputs the op takes (and its methods' arity). */
  readonly arity: 1 | 2;
  readonly f: (a: number, b: number) => number;
  /** ∂y/∂a (for unary ops: dy/dx) given the inputs and the output y. */
  readonly da: (a: number, b: number, y: number) => number;
  /** ∂y/∂b; unused for unary ops. */
  readonly db: (a: number, b: number, y: number) => number;
}

/**
 * How the expression language offers an op as a function (`exp(x)`, `sum(x, axis=1)`). The
 * parser's function table is read off the registry, so an op with this field is callable from
 * expressions with no other change.
 */
export interface ExpressionSpec {
  /** The function's name in expressions (default: the op's name). */
  name?: string;
  /** One line for help texts and the docs: what it computes. */
  summary: string;
  /** How many arguments it takes (not counting `axis=`). */
  arity: readonly number[];
  /** Takes an optional `axis=k` keyword (negative counts from the end). */
  axis?: boolean;
  /**
   * Applies the op to its evaluated arguments. Elementwise ops leave it out: they are applied
   * with NumPy broadcasting (explicit expand nodes), like their public functions.
   */
  call?: (args: readonly Tensor[], options: { axis?: number }) => Tensor;
}

/**
 * Everything about one op, in one object: name, label, shape rule, forward, backward (the
 * vector-Jacobian product) and how to check it numerically.
 */
export interface OpDef<A extends Attrs = Attrs> {
  /** Stable id, equal to the exported function's name. */
  name: string;
  label: OpLabel;
  // Method syntax (not properties) on purpose: an OpDef<ReduceAttrs> then counts as an OpDef of
  // plain Attrs, so that ALL_OPS can list every op without casts.
  inferShape(shapes: readonly (readonly number[])[], attrs: A): number[];
  forward(ctx: ForwardContext<A>): Data;
  /** One gradient per input (null where none flows), each the shape of its input. */
  backward(ctx: BackwardContext<A>, upstream: Tensor): (Tensor | null)[];
  /**
   * d(output)/d(input i) elementwise, for ops whose Jacobian is diagonal (or a broadcast of it),
   * so the graph view can show `global = local × upstream` per wire.
   */
  local?(ctx: BackwardContext<A>, inputIndex: number): Tensor | null;
  /** The VJP in words for ops without an elementwise local gradient, per input. */
  vjpText?: readonly string[];
  /**
   * The discrete choices the op made (max winners, relu signs), so a gradient check can tell
   * when f(x+h) and f(x−h) took different branches: a kink was crossed.
   */
  decisions?(inputs: readonly Data[], output: Data, saved: unknown): ArrayLike<number>;
  gradcheck: GradcheckSpec<A>;
  /** Present when expressions may call the op as a function. */
  expression?: ExpressionSpec;
  /** Present on elementwise ops: what the scalar Value path runs. */
  scalar?: ScalarRule;
  /**
   * Elementwise ops that training runs over millions of values: forward and VJP as whole-array
   * loops (kernels/loops.ts), bit for bit what the scalar rule gives (a test holds them to it).
   */
  loops?: UnaryLoops | BinaryLoops;
}

/**
 * An elementwise op: its name as a literal type and its arity, so that the `Tensor` and `Value`
 * methods can be derived from the registry with precise types (see `ElementwiseMethods`).
 */
export interface ElementwiseOp<N extends string = string, K extends 1 | 2 = 1 | 2> extends OpDef {
  readonly name: N;
  readonly scalar: ScalarRule & { readonly arity: K };
}

/** Every elementwise op, read from the exports of ops/elementwise.ts (where they all live). */
export type ElementwiseOps = Extract<
  (typeof ElementwiseModule)[keyof typeof ElementwiseModule],
  ElementwiseOp
>;

/**
 * The elementwise methods of a class (`Tensor`, `Value`) derived from a union of op types:
 * `x.relu()` for every op of arity 1, `a.add(b)` for every op of arity 2.
 */
export type ElementwiseMethods<Ops, Self, Other> = {
  [O in Extract<Ops, ElementwiseOp<string, 1>> as O['name']]: () => Self;
} & {
  [O in Extract<Ops, ElementwiseOp<string, 2>> as O['name']]: (other: Other) => Self;
};

/** Identity helper that keeps attribute types precise. */
export function defineOp<A extends Attrs>(def: OpDef<A>): OpDef<A> {
  return def;
}

type ElementwiseSpec<A extends Attrs> = Pick<
  OpDef<A>,
  'name' | 'label' | 'gradcheck' | 'decisions'
> & {
  /** Offer the op as a function in expressions: its summary (and name, if not the op's). */
  expression?: Pick<ExpressionSpec, 'name' | 'summary'>;
};

function sameShapes(op: string, shapes: readonly (readonly number[])[]): number[] {
  const first = shapes[0]!;
  for (const s of shapes) {
    if (!shapesEqual(s, first)) {
      throw new ShapeError(
        op,
        shapes,
        `inputs must have the same shape, got ${shapes.map(formatShape).join(' and ')}`,
      );
    }
  }
  return [...first];
}

/**
 * An elementwise op of one input, from its function and its local derivative. The VJP
 * (upstream × local) and the per-wire local gradient are derived here, once for all such ops.
 */
export function unaryOp<N extends string>(
  spec: ElementwiseSpec<Attrs> & UnaryMath & { name: N },
): ElementwiseOp<N, 1> {
  const { expression, f, df, loops, ...rest } = spec;
  const local = (ctx: BackwardContext): Tensor => {
    const x = ctx.inputs[0]!;
    const y = ctx.output;
    const out = allocate(y.dtype, y.size);
    for (let i = 0; i < out.length; i++) out[i] = df(x.data[i]!, y.data[i]!);
    return new Tensor(out, y.shape);
  };
  const op: OpDef & { name: N } = {
    ...rest,
    inferShape: (shapes) => sameShapes(spec.name, shapes),
    forward: ({ inputs, dtype }) => {
      const x = inputs[0]!.data;
      const out = allocate(dtype, x.length);
      if (loops) loops.forward(x, out);
      else map1(x, f, out);
      return out;
    },
    backward: (ctx, g) => {
      const x = ctx.inputs[0]!;
      const out = allocate(g.dtype, g.size);
      if (loops) loops.vjp(x.data, ctx.output.data, g.data, out);
      else localTimesUpstream(x.data, ctx.output.data, g.data, df, out);
      return [new Tensor(out, x.shape)];
    },
    local,
    ...(loops ? { loops } : {}),
    ...(expression ? { expression: { ...expression, arity: [1] } } : {}),
  };
  const scalar = {
    op,
    arity: 1 as const,
    f: (a: number) => f(a),
    da: (a: number, _b: number, y: number) => df(a, y),
    db: () => 0,
  };
  return Object.assign(op, { scalar });
}

/**
 * An elementwise op of two same-shaped inputs (broadcasting happens before, as explicit expand
 * nodes), from its function and its two partial derivatives.
 */
export function binaryOp<N extends string>(
  spec: ElementwiseSpec<Attrs> & BinaryMath & { name: N },
): ElementwiseOp<N, 2> {
  const { expression, f, da, db, loops, ...rest } = spec;
  const partials = [da, db] as const;
  const vjp = (ctx: BackwardContext, g: Tensor, i: 0 | 1): Tensor => {
    const [a, b] = ctx.inputs as [Tensor, Tensor];
    const out = allocate(g.dtype, g.size);
    if (loops) loops.vjp[i](a.data, b.data, ctx.output.data, g.data, out);
    else localTimesUpstream2(a.data, b.data, ctx.output.data, g.data, partials[i], out);
    return new Tensor(out, g.shape);
  };
  const op: OpDef & { name: N } = {
    ...rest,
    inferShape: (shapes) => sameShapes(spec.name, shapes),
    forward: ({ inputs, dtype }) => {
      const [a, b] = [inputs[0]!.data, inputs[1]!.data];
      const out = allocate(dtype, a.length);
      if (loops) loops.forward(a, b, out);
      else map2(a, b, f, out);
      return out;
    },
    backward: (ctx, g) => [
      ctx.needsGrad[0] ? vjp(ctx, g, 0) : null,
      ctx.needsGrad[1] ? vjp(ctx, g, 1) : null,
    ],
    local: (ctx, i) => {
      const [a, b] = ctx.inputs as [Tensor, Tensor];
      const y = ctx.output;
      const d = partials[i === 0 ? 0 : 1];
      const out = allocate(y.dtype, y.size);
      for (let k = 0; k < out.length; k++) out[k] = d(a.data[k]!, b.data[k]!, y.data[k]!);
      return new Tensor(out, y.shape);
    },
    ...(loops ? { loops } : {}),
    ...(expression ? { expression: { ...expression, arity: [2] } } : {}),
  };
  return Object.assign(op, { scalar: { op, arity: 2 as const, f, da, db } });
}
