/**
 * chainrule/layers: CS231n's explicit forward/backward pairs, for learners. Each forward returns
 * { out, cache }; each backward turns dout into the input gradients. They run the same op
 * definitions as autograd (the backward passes replay the ops' VJPs), so they always agree.
 */
export { record, backpropTape, opVjp, type Tape } from './tape.js';
export {
  affineForward,
  affineBackward,
  reluForward,
  reluBackward,
  sigmoidForward,
  sigmoidBackward,
  affineReluForward,
  affineReluBackward,
  type AffineCache,
  type ActivationCache,
} from './affine.js';
export { softmaxLoss, svmLoss } from './losses.js';
export {
  batchnormForward,
  batchnormBackward,
  batchnormBackwardAlt,
  layernormForward,
  layernormBackward,
  spatialBatchnormForward,
  spatialBatchnormBackward,
  spatialGroupnormForward,
  spatialGroupnormBackward,
  type BatchnormCache,
  type NormCache,
} from './norm.js';
export { dropoutForward, dropoutBackward, type DropoutCache } from './dropout.js';
export {
  convForwardNaive,
  convBackwardNaive,
  convForwardFast,
  convBackwardFast,
  maxPoolForwardNaive,
  maxPoolBackwardNaive,
  maxPoolForwardFast,
  maxPoolBackwardFast,
  type ConvParam,
  type PoolParam,
  type ConvCache,
  type PoolCache,
} from './conv.js';
