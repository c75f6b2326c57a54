import { within } from '../core/errors.js';
import { checkTensors } from '../core/validate.js';
import type { Tensor } from '../core/tensor.js';
import type { Indices } from '../ops/indexing.js';
import * as nn from '../nn/losses.js';
import { backpropTape, record } from './tape.js';

// CS231n's loss layers: the loss and its gradient with respect to the scores in one call,
// computed by the same loss definitions as chainrule/nn.

/**
 * Softmax cross-entropy and dscores = (softmax(scores) − onehot(labels)) / N.
 *
 * @example
 * softmaxLoss(zeros([2, 10]), [0, 1]).loss // 2.302585092994046 (ln 10)
 */
export function softmaxLoss(scores: Tensor, labels: Indices): { loss: number; dx: Tensor } {
  return within('softmaxLoss', () => {
    checkTensors('softmaxLoss', { scores });
    const { out, tape } = record((s) => nn.softmaxLoss(s, labels), [scores]);
    return { loss: out.item(), dx: backpropTape(tape, 1, 'softmaxLoss')[0]! };
  });
}

/**
 * The multiclass SVM loss of CS231n and dscores: +1/N for every wrong class with a positive
 * margin, −(number of such classes)/N for the correct one.
 *
 * @example
 * svmLoss(zeros([2, 10]), [0, 1]).loss // 9
 */
export function svmLoss(
  scores: Tensor,
  labels: Indices,
  options: { margin?: number } = {},
): { loss: number; dx: Tensor } {
  return within('svmLoss', () => {
    checkTensors('svmLoss', { scores });
    const { out, tape } = record((s) => nn.svmLoss(s, labels, options), [scores]);
    return { loss: out.item(), dx: backpropTape(tape, 1, 'svmLoss')[0]! };
  });
}
