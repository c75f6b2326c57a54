// Every elementwise op (`reluOp`) and its function (`relu`): a new one needs no line here.
export * from './elementwise.js';
export { sum, mean, max, logsumexp, type ReduceOptions } from './reduce.js';
export { index } from './labels.js';
export { matmul } from './matmul.js';
export { reshape, transpose, expand, sumTo } from './movement.js';
export { conv2d, type Conv2dOptions, type PerAxis } from './conv.js';
export { maxPool2d, avgPool2d, type PoolOptions } from './pool.js';
export { softmax, logSoftmax, type AxisOptions } from './softmax.js';
export {
  gather,
  pick,
  oneHot,
  argmax,
  flatten,
  where,
  clip,
  checkLabels,
  type Indices,
} from './indexing.js';
export { slice, concat, stack, type SliceOptions } from './slicing.js';
export { ALL_OPS, findOp } from './registry.js';
