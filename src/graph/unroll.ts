/**
 * Unrolling: a small tensor computation rewritten as the scalar gates it stands for — a 2×2
 * matmul becomes its four multiplies and two adds per output element — so a learner sees that
 * the vectorized rule is the scalar rule, number for number. Each scalar gate is the same op
 * definition applied to 0-d tensors, and keeps the source span of the tensor op it came from.
 *
 * Covered: every elementwise op, matmul, sum and mean (over any axes), transpose, reshape and
 * broadcasting (which becomes plain fan-out: the copy gate). Anything else (softmax, conv, …)
 * is refused with a message, as is a result bigger than MAX_UNROLL_GATES gates.
 */
import { apply } from '../core/apply.js';
import { topoOrder } from '../core/autograd.js';
import { badArgument } from '../core/errors.js';
import { checkNumerics } from '../core/observe.js';
import { reducedShape, sizeOf, stridesOf } from '../core/shape.js';
import { Tensor, tensor } from '../core/tensor.js';
import { checkExpressionArgs, evaluateExpression, type Bindings } from '../expr/evaluate.js';
import { checkTensor } from '../core/validate.js';
import type { GraphMode } from '../expr/ast.js';
import { addOp, mulOp } from '../ops/elementwise.js';
import { toSnapshot } from './snapshot.js';
import type { GraphSnapshot } from './types.js';

/** No unrolled graph has more gates than this: it is for looking at small ops one by one. */
export const MAX_UNROLL_GATES = 600;

/** One element of an unrolled tensor: a 0-d tensor, or a constant made fresh for each use. */
type Element = Tensor | { constant: number };

function unravel(index: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = index % shape[d]!;
    index = Math.floor(index / shape[d]!);
  }
  return out;
}

function ravel(index: readonly number[], shape: readonly number[]): number {
  const strides = stridesOf(shape);
  let k = 0;
  index.forEach((i, d) => (k += i * strides[d]!));
  return k;
}

/** `W[0,1]`, `x[2]`, or the name itself for a scalar. */
function elementName(name: string, index: readonly number[]): string {
  return index.length === 0 ? name : `${name}[${index.join(',')}]`;
}

/**
 * The scalar graph of a tensor computation: the same result as `root`, made of 0-d gates. The
 * inputs become one leaf per element (`W[0,1]`), named after the tensor's name.
 *
 * @example
 * const W = tensor([[1, 2], [3, 4]], { requiresGrad: true, name: 'W' });
 * const x = tensor([1, -1], { requiresGrad: true, name: 'x' });
 * unroll(sum(matmul(W, x))).item() // -2
 */
export function unroll(root: Tensor): Tensor {
  checkTensor('unroll', 'root', root);
  const elements = new Map<Tensor, Element[]>();
  let gates = 0;
  let inputs = 0;
  const count = (k: number, op: string) => {
    gates += k;
    if (gates > MAX_UNROLL_GATES) {
      throw badArgument(
        'unroll',
        `unrolling ${op} would make more than ${MAX_UNROLL_GATES} scalar gates: ` +
          'unroll works on small tensors (a few elements each)',
      );
    }
  };
  const real = (e: Element): Tensor => (e instanceof Tensor ? e : tensor(e.constant));
  for (const t of topoOrder(root)) {
    const node = t.node;
    if (node === null) {
      // Inputs become one leaf each: bounded as gates are, before any is made.
      inputs += t.size;
      if (inputs > MAX_UNROLL_GATES) {
        throw badArgument(
          'unroll',
          `unrolling would make more than ${MAX_UNROLL_GATES} scalar inputs: ` +
            'unroll works on small tensors (a few elements each)',
        );
      }
      const isConstant = !t.requiresGrad && t.name === undefined;
      elements.set(
        t,
        Array.from(t.data, (x, i): Element =>
          isConstant
            ? { constant: x }
            : tensor(x, {
                requiresGrad: true,
                name: elementName(t.name ?? 'x', unravel(i, t.shape)),
              }),
        ),
      );
      continue;
    }
    const ins = node.inputs.map((x) => elements.get(x)!);
    const tag = (y: Tensor): Tensor => {
      if (y.node && node.span && !y.node.span) y.node.span = { ...node.span };
      return y;
    };
    const op = node.op;
    let out: Element[];
    if (op.scalar) {
      count(t.size, op.name);
      out = Array.from({ length: t.size }, (_, i) =>
        tag(
          apply(
            op,
            ins.map((xs) => real(xs[i]!)),
            node.attrs,
          ),
        ),
      );
    } else if (op.name === 'matmul') {
      out = unrollMatmul(node.inputs[0]!.shape, node.inputs[1]!.shape, ins, real, tag, count);
    } else if (op.name === 'sum' || op.name === 'mean') {
      const attrs = node.attrs as { axes: readonly number[]; keepDims: boolean };
      out = unrollSum(
        node.inputs[0]!.shape,
        attrs.axes,
        ins[0]!,
        op.name === 'mean',
        real,
        tag,
        count,
      );
    } else if (op.name === 'expand') {
      const from = node.inputs[0]!.shape;
      const lead = t.shape.length - from.length;
      out = Array.from({ length: t.size }, (_, i) => {
        const index = unravel(i, t.shape)
          .slice(lead)
          .map((k, d) => (from[d] === 1 ? 0 : k));
        return ins[0]![ravel(index, from)]!;
      });
    } else if (op.name === 'reshape') {
      out = ins[0]!;
    } else if (op.name === 'transpose') {
      const axes = (node.attrs as { axes: readonly number[] }).axes;
      const from = node.inputs[0]!.shape;
      out = Array.from({ length: t.size }, (_, i) => {
        const index = unravel(i, t.shape);
        const source = new Array<number>(from.length);
        axes.forEach((a, d) => (source[a] = index[d]!));
        return ins[0]![ravel(source, from)]!;
      });
    } else {
      throw badArgument(
        'unroll',
        `${op.name} has no scalar form here: unrolling covers elementwise ops, matmul (@), ` +
          'sum, mean, transpose, reshape and broadcasting',
      );
    }
    elements.set(t, out);
  }
  return real(elements.get(root)![0]!);
}

function unrollMatmul(
  a: readonly number[],
  b: readonly number[],
  [A, B]: Element[][],
  real: (e: Element) => Tensor,
  tag: (t: Tensor) => Tensor,
  count: (k: number, op: string) => void,
): Element[] {
  // Vectors as a row (left) or a column (right), as the op itself reads them.
  const [m, k] = a.length === 1 ? [1, a[0]!] : [a[0]!, a[1]!];
  const n = b.length === 1 ? 1 : b[1]!;
  count(m * n * (2 * k - 1), 'matmul');
  const out: Element[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc: Tensor | null = null;
      for (let p = 0; p < k; p++) {
        const prod = tag(apply(mulOp, [real(A![i * k + p]!), real(B![p * n + j]!)], {}));
        acc = acc === null ? prod : tag(apply(addOp, [acc, prod], {}));
      }
      out.push(acc!);
    }
  }
  return out;
}

function unrollSum(
  shape: readonly number[],
  axes: readonly number[],
  xs: Element[],
  mean: boolean,
  real: (e: Element) => Tensor,
  tag: (t: Tensor) => Tensor,
  count: (k: number, op: string) => void,
): Element[] {
  const kept = reducedShape(shape, axes, true);
  const groups: Element[][] = Array.from({ length: sizeOf(kept) }, () => []);
  xs.forEach((x, i) => {
    const index = unravel(i, shape).map((k, d) => (axes.includes(d) ? 0 : k));
    groups[ravel(index, kept)]!.push(x);
  });
  count(xs.length, mean ? 'mean' : 'sum');
  return groups.map((terms) => {
    let acc = real(terms[0]!);
    for (const x of terms.slice(1)) acc = tag(apply(addOp, [acc, real(x)], {}));
    return mean ? tag(apply(mulOp, [acc, tensor(1 / terms.length)], {})) : acc;
  });
}

/**
 * The snapshot of an expression unrolled into scalar gates (see `unroll`): the same values and
 * gradients as `snapshotExpression` gives, element by element.
 *
 * @example
 * const s = snapshotUnrolled('sum(W@x)', { W: [[1, 2], [3, 4]], x: [1, -1] });
 * s.nodes.filter((n) => n.kind === 'input').map((n) => n.label) // ['W[0,0]', 'x[0]', 'W[0,1]', 'x[1]', 'W[1,0]', 'W[1,1]']
 */
export function snapshotUnrolled(
  source: string,
  values: Bindings,
  options: { mode?: GraphMode } = {},
): GraphSnapshot {
  checkExpressionArgs('snapshotUnrolled', source, values, options);
  const mode = options.mode ?? 'staged';
  const { root } = evaluateExpression(source, values, { mode });
  if (root.size !== 1) {
    throw badArgument(
      'snapshotUnrolled',
      `the expression must give one number, got shape [${root.shape.join(', ')}]`,
    );
  }
  return checkNumerics(() => toSnapshot(unroll(root), { expression: source, mode }));
}
