import { ShapeError, badArgument, formatShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { checkOptions, checkTensor, describe } from '../core/validate.js';
import { add, mul, neg, relu, softplus, sub } from '../ops/elementwise.js';
import { checkLabels, oneHot, pick, type Indices } from '../ops/indexing.js';
import { reshape } from '../ops/movement.js';
import { mean, sum } from '../ops/reduce.js';
import { logSoftmax } from '../ops/softmax.js';

// Losses are compositions of ops, so their gradients come from the ops' VJPs. Stability comes
// from the fused log-softmax and softplus: scores of ±1000 give finite, exact losses.

export interface LossOptions {
  /** 'mean' (default) averages over the batch; 'sum' adds up. */
  reduction?: 'mean' | 'sum';
}

function reduce(fn: string, perItem: Tensor, reduction: LossOptions['reduction'] = 'mean'): Tensor {
  if (reduction === 'mean' && perItem.size === 0) {
    throw badArgument(
      fn,
      `the batch is empty (shape ${formatShape(perItem.shape)}): an empty batch has no mean loss`,
    );
  }
  if (reduction === 'mean') return mean(perItem);
  if (reduction === 'sum') return sum(perItem);
  throw badArgument(fn, `reduction must be 'mean' or 'sum', got ${JSON.stringify(reduction)}`);
}

/** Scores must be N×C with at least one class; returns [N, C]. */
function scoresShape(fn: string, scores: Tensor, options: LossOptions): [number, number] {
  checkTensor(fn, 'scores', scores);
  checkOptions(fn, 'options', options);
  if (scores.ndim !== 2 || scores.shape[1] === 0) {
    throw new ShapeError(
      fn,
      [scores.shape],
      `scores must be N×C (one row of class scores per example), got ${formatShape(scores.shape)}`,
    );
  }
  return scores.shape as [number, number];
}

/**
 * Softmax cross-entropy on raw class scores: mean over rows of −log softmax(scores)[label],
 * computed through the stable log-softmax. Zero scores over C classes give exactly ln C.
 *
 * @example
 * softmaxLoss(zeros([4, 10]), [0, 1, 2, 3]).item() // 2.302585092994046 (ln 10)
 */
export function softmaxLoss(scores: Tensor, labels: Indices, options: LossOptions = {}): Tensor {
  const [n, c] = scoresShape('softmaxLoss', scores, options);
  const rows = checkLabels('softmaxLoss', labels, n, c);
  return reduce('softmaxLoss', neg(pick(logSoftmax(scores, { axis: 1 }), rows)), options.reduction);
}

export interface SvmOptions extends LossOptions {
  /** The margin Δ each wrong class must stay below the right one by (default 1). */
  margin?: number;
}

/**
 * The multiclass SVM (Weston–Watkins) hinge loss of CS231n: per row Σ_{j ≠ y} max(0, s_j − s_y + Δ),
 * then the mean over rows. Zero scores over C classes give exactly C − 1.
 *
 * @example
 * svmLoss(tensor([[13, -7, 11]]), [0], { margin: 10 }).item() // 8
 */
export function svmLoss(scores: Tensor, labels: Indices, options: SvmOptions = {}): Tensor {
  const [n, c] = scoresShape('svmLoss', scores, options);
  const rows = checkLabels('svmLoss', labels, n, c);
  const margin = options.margin ?? 1;
  if (typeof margin !== 'number' || !Number.isFinite(margin) || margin < 0) {
    throw badArgument('svmLoss', `margin must be a finite number ≥ 0, got ${describe(margin)}`);
  }
  const correct = reshape(pick(scores, rows), [n, 1]);
  const margins = relu(add(sub(scores, correct), margin));
  // The correct class is left out of the sum (its margin would be Δ): a constant 0/1 mask.
  const wrongClasses = sub(1, oneHot(rows, c));
  return reduce('svmLoss', sum(mul(margins, wrongClasses), { axis: 1 }), options.reduction);
}

function sameShapes(fn: string, a: Tensor, b: Tensor, names: [string, string]): void {
  checkTensor(fn, names[0], a);
  checkTensor(fn, names[1], b);
  if (!shapesEqual(a.shape, b.shape)) {
    throw new ShapeError(
      fn,
      [a.shape, b.shape],
      `${names[0]} has shape ${formatShape(a.shape)} but ${names[1]} has shape ${formatShape(b.shape)}; they must match`,
    );
  }
}

/**
 * Mean squared error: the mean over all elements of (pred − target)², as PyTorch's MSELoss.
 *
 * @example
 * mseLoss(tensor([1, 2]), tensor([0, 0])).item() // 2.5
 */
export function mseLoss(pred: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  sameShapes('mseLoss', pred, target, ['pred', 'target']);
  checkOptions('mseLoss', 'options', options);
  const diff = sub(pred, target);
  return reduce('mseLoss', mul(diff, diff), options.reduction);
}

/**
 * Binary cross-entropy on logits, as PyTorch's BCEWithLogitsLoss: the mean over elements of
 * softplus(x) − x·t = −[t·log σ(x) + (1 − t)·log(1 − σ(x))], exact at logits of ±1000.
 *
 * @example
 * bceWithLogits(tensor([0]), tensor([1])).item() // 0.6931471805599453 (ln 2)
 */
export function bceWithLogits(logits: Tensor, targets: Tensor, options: LossOptions = {}): Tensor {
  sameShapes('bceWithLogits', logits, targets, ['logits', 'targets']);
  checkOptions('bceWithLogits', 'options', options);
  const bad = targets.data.findIndex((t) => !(t >= 0 && t <= 1));
  if (bad >= 0) {
    throw badArgument(
      'bceWithLogits',
      `targets must lie in [0, 1], but element ${bad} is ${targets.data[bad]}`,
    );
  }
  return reduce('bceWithLogits', sub(softplus(logits), mul(logits, targets)), options.reduction);
}

/**
 * L2 regularization as in CS231n assignment 2: 0.5 · reg · Σ w² over all given weights (the ½
 * makes its gradient reg · w).
 *
 * @example
 * l2Penalty([tensor([1, 2]), tensor([3])], 0.1).item() // 0.7
 */
export function l2Penalty(
  weights: Tensor | readonly Tensor[] | Readonly<Record<string, Tensor>>,
  reg: number,
): Tensor {
  if (typeof reg !== 'number' || !Number.isFinite(reg) || reg < 0) {
    throw badArgument('l2Penalty', `reg must be a finite number ≥ 0, got ${describe(reg)}`);
  }
  const list: readonly Tensor[] =
    weights instanceof Tensor
      ? [weights]
      : Array.isArray(weights)
        ? weights
        : Object.values(checkOptions('l2Penalty', 'weights', weights));
  list.forEach((w, i) => checkTensor('l2Penalty', `weights[${i}]`, w));
  const squares = list.map((w) => sum(mul(w, w)));
  const total = squares.reduce((acc: Tensor | null, s) => (acc ? add(acc, s) : s), null);
  return mul(total ?? new Tensor(new Float64Array(1), []), 0.5 * reg);
}

/** Checks labels for N rows of C classes (integers in [0, C), N of them); re-exported for users. */
export { checkLabels };
