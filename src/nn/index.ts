/**
 * chainrule/nn: CS231n's building blocks as functions of ops — layers, normalizations, losses,
 * sandwich layers — and as modules (Module, Sequential, Linear, Conv2d, …), seeded weight
 * initialisers and CS231n's models. Their gradients are the ops' VJPs chained by the engine.
 */
export {
  affine,
  leakyRelu,
  dropout,
  dropoutMask,
  conv,
  maxPool,
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
export { checkPhase, type Phase } from './phase.js';
export {
  Sequential,
  Linear,
  Conv2d,
  MaxPool2d,
  BatchNorm1d,
  BatchNorm2d,
  LayerNorm,
  Dropout,
  ReLU,
  Tanh,
  Sigmoid,
  Flatten,
  type Layer,
  type WeightOptions,
  type BatchNormOptions,
} from './modules.js';
export {
  randn,
  uniform,
  xavierNormal,
  xavierUniform,
  kaimingNormal,
  kaimingUniform,
  fansOf,
  initWeight,
  type Fans,
  type InitOptions,
  type WeightInit,
} from './init.js';
export {
  TwoLayerNet,
  FullyConnectedNet,
  ThreeLayerConvNet,
  type Cs231nOptions,
  type NormalizationKind,
} from './cs231n.js';
export { Classifier, LOSSES, type LossName } from './classifier.js';
export {
  parseModelSpec,
  buildModel,
  SPEC_LAYERS,
  type LayerSpec,
  type BuildOptions,
  type BuiltModel,
} from './spec.js';
