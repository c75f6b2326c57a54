/**
 * chainrule/nn: CS231n's building blocks as functions of ops — layers, normalizations, losses,
 * sandwich layers and a small Module base. Their gradients are the ops' VJPs chained by the engine.
 */
export {
  affine,
  leakyRelu,
  dropout,
  dropoutMask,
  conv,
  maxPool,
  type Mode,
  type DropoutOptions,
} from './layers.js';
export { relu, sigmoid, tanh } from '../ops/elementwise.js';
export {
  batchNorm,
  batchNormState,
  spatialBatchNorm,
  layerNorm,
  groupNorm,
  standardize,
  type BatchNormState,
  type LayerNormOptions,
  type Standardized,
} from './norm.js';
export {
  softmaxLoss,
  svmLoss,
  mseLoss,
  bceWithLogits,
  l2Penalty,
  checkLabels,
  type LossOptions,
  type SvmOptions,
} from './losses.js';
export {
  affineRelu,
  affineNormRelu,
  convRelu,
  convReluPool,
  type Normalization,
} from './sandwich.js';
export { Module } from './module.js';
