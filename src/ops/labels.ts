import { apply } from '../core/apply.js';
import { ShapeError, badArgument, formatShape } from '../core/errors.js';
import { defineOp, type CaseRandom } from '../core/op.js';
import { sizeOf } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { gather, scatterAdd } from '../kernels/strided.js';
import { allocate } from '../kernels/types.js';
import { readIndices, type Indices } from './indexing.js';

// s[y]: the score of the correct class, as the CS231n losses write it. The labels are the op's
// second input (not an attribute), so a graph shows them as a named leaf `y` wired into the gate;
// no gradient flows to them.

/** The output shape of x[labels]: labels' shape for a vector, one element per row for a matrix. */
function indexShape(x: readonly number[], labels: readonly number[]): number[] {
  if (x.length === 1) return [...labels];
  if (x.length === 2 && labels.length === 1 && labels[0] === x[0]) return [x[0]!];
  throw new ShapeError(
    'index',
    [x, labels],
    x.length === 2
      ? `a matrix of ${x[0]} rows needs one label per row (shape [${x[0]}]), got labels of shape ${formatShape(labels)}`
      : `indexes a vector (any labels) or an N×C matrix (N labels), got x of shape ${formatShape(x)}`,
  );
}

/** For every output element, the offset in x it reads (labels along the last axis). */
function offsets(x: readonly number[], labels: ArrayLike<number>): Int32Array {
  const out = new Int32Array(labels.length);
  const row = x.length === 2 ? x[1]! : 0;
  for (let i = 0; i < out.length; i++) out[i] = i * row + labels[i]!;
  return out;
}

export const indexOp = defineOp({
  name: 'index',
  label: {
    symbol: '[y]',
    gate: 'index gate (s[y])',
    rule: 'index routes: each chosen element gets the upstream gradient, the others 0; the labels get none',
  },
  inferShape: ([x, labels]) => indexShape(x!, labels!),
  forward: ({ inputs, shape, dtype }) => {
    const [x, labels] = inputs as [Tensor, Tensor];
    return gather(x.data, offsets(x.shape, labels.data), allocate(dtype, sizeOf(shape)));
  },
  backward: ({ inputs, needsGrad }, g) => {
    const [x, labels] = inputs as [Tensor, Tensor];
    if (!needsGrad[0]) return [null, null];
    const dx = scatterAdd(g.data, offsets(x.shape, labels.data), allocate(g.dtype, x.size));
    return [new Tensor(dx, x.shape), null];
  },
  vjpText: [
    'dx = zeros with the upstream gradient added at the chosen elements',
    'none: labels are integers',
  ],
  gradcheck: {
    cases: (r: CaseRandom) => {
      const c = r.int(1, 4);
      const shape = r.int(0, 1) === 0 ? [c] : [r.int(1, 4), c];
      const labelShape = shape.length === 2 ? [shape[0]!] : r.shape(0, 2, 4);
      const labels = Array.from({ length: sizeOf(labelShape) }, () => r.int(0, c - 1));
      return { shapes: [shape, labelShape], fixed: { 1: labels } };
    },
    constantInputs: [1],
  },
});

/**
 * x[labels]: for a vector x, the elements the labels name (any shape of labels); for an N×C
 * matrix of scores, each row's element at its label (N labels), as CS231n's
 * `scores[np.arange(N), y]`. Labels are integers in [0, C); a labels tensor becomes the gate's
 * second input (drawn as a leaf), and takes no gradient.
 *
 * @example
 * index(tensor([1, 2, 3]), 2).item() // 3
 * index(tensor([[1, 2, 3], [4, 5, 6]]), [2, 0]).toArray() // [3, 4]
 */
export function index(x: Tensor, labels: Indices | Tensor | number): Tensor {
  if (!(x instanceof Tensor)) throw badArgument('index', 'x must be a tensor');
  const given = typeof labels === 'number' ? [labels] : labels;
  const { values, shape } = readIndices('index', 'labels', given);
  const read = typeof labels === 'number' ? [] : shape;
  indexShape(x.shape, read);
  const size = x.shape[x.ndim - 1]!;
  const bad = values.findIndex((v) => v < 0 || v >= size);
  if (bad >= 0) {
    throw badArgument(
      'index',
      `label ${values[bad]} is out of range: x of shape ${formatShape(x.shape)} has ${size} classes, so labels are 0…${size - 1}`,
    );
  }
  const tensorLabels =
    labels instanceof Tensor ? labels : new Tensor(Float64Array.from(values), read);
  return apply(indexOp, [x, tensorLabels], {});
}
