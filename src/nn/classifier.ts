import { withScope } from '../core/scope.js';
import type { Tensor } from '../core/tensor.js';
import { add } from '../ops/elementwise.js';
import { checkLabels, oneHot, type Indices } from '../ops/indexing.js';
import { ShapeError, badArgument, formatShape, within } from '../core/errors.js';
import { l2Penalty, mseLoss, softmaxLoss, svmLoss } from './losses.js';
import { Module } from './module.js';
import type { Layer } from './modules.js';
import { checkPhase, type Phase } from './phase.js';
import { checkChoice, checkNumber, checkOptions, checkTensor, describe } from '../core/validate.js';

/** The classification losses: softmax cross-entropy, multiclass SVM, or MSE to one-hot targets. */
export type LossName = 'softmax' | 'svm' | 'mse';

export const LOSSES: readonly LossName[] = ['softmax', 'svm', 'mse'];

/**
 * A network plus a classification loss, in CS231n's model shape (what the Solver trains):
 * `loss(X)` gives the scores in eval phase, `loss(X, y)` the training loss in train phase, with
 * 0.5·reg·Σ w² over the weights (the parameters of rank ≥ 2; biases and norm scales are left out,
 * as CS231n). `params` are the network's parameters by path.
 *
 * @example
 * const model = new Classifier(new Sequential(new Linear(2, 3, { rng })), { loss: 'softmax', reg: 1e-3 });
 * model.loss(X, y).item(); // the data loss plus the L2 penalty
 */
export class Classifier extends Module {
  readonly net: Layer;
  readonly lossName: LossName;
  reg: number;

  constructor(net: Layer, options: { loss?: LossName; reg?: number } = {}) {
    super();
    options = checkOptions('Classifier', 'options', options);
    if (!(net instanceof Module))
      throw badArgument('Classifier', `argument net must be a Module, got ${describe(net)}`);
    this.net = net;
    this.lossName = checkChoice('Classifier', 'options.loss', options.loss ?? 'softmax', LOSSES);
    this.reg = checkNumber('Classifier', 'options.reg', options.reg ?? 0, { min: 0 });
  }

  /** The network's parameters by path (`0.weight`, …), live: updates show through. */
  get params(): Record<string, Tensor> {
    return this.net.parameters();
  }

  /** The class scores of X in `phase` (default: the module's phase). */
  override forward(X: Tensor, phase: Phase = this.phase): Tensor {
    checkTensor('Classifier.forward', 'X', X);
    checkPhase('Classifier.forward', phase, 'phase');
    const previous = this.net.phase;
    this.net.train(phase);
    try {
      return this.net.forward(X);
    } finally {
      this.net.train(previous);
    }
  }

  /** Scores (eval phase) without labels; the regularized loss (train phase) with them. */
  loss(X: Tensor, y?: Indices): Tensor {
    const fn = 'Classifier.loss';
    return within(fn, () => {
      if (y === undefined) return this.forward(X, 'eval');
      const scores = this.forward(X, 'train');
      if (scores.ndim !== 2) {
        throw new ShapeError(
          fn,
          [scores.shape],
          `the net must give N×C class scores, got ${formatShape(scores.shape)}`,
        );
      }
      const [n, c] = scores.shape as [number, number];
      const labels = checkLabels(fn, y, n, c);
      return withScope('loss', 'step', () => {
        const data =
          this.lossName === 'softmax'
            ? softmaxLoss(scores, labels)
            : this.lossName === 'svm'
              ? svmLoss(scores, labels)
              : mseLoss(scores, oneHot(labels, c));
        const weights = Object.values(this.params).filter((p) => p.ndim >= 2);
        return this.reg === 0 ? data : add(data, l2Penalty(weights, this.reg));
      });
    });
  }
}
