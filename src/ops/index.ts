export {
  add,
  sub,
  mul,
  div,
  pow,
  maximum,
  minimum,
  neg,
  exp,
  log,
  sqrt,
  abs,
  reciprocal,
  tanh,
  sigmoid,
  relu,
  sin,
  cos,
} from './elementwise.js';
export { sum, mean, max, type ReduceOptions } from './reduce.js';
export { matmul } from './matmul.js';
export { reshape, transpose, expand, sumTo } from './movement.js';
export { ALL_OPS, findOp } from './registry.js';
