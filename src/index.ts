/**
 * chainrule: backpropagation you can run, see and trust.
 *
 * The core: tensors on typed arrays with reverse-mode autograd, the scalar Value path, and every
 * op defined once (forward, backward, graph label, gradient-check domain). No runtime
 * dependencies.
 */
export { Tensor, tensor, asTensor, full, zeros, ones, type TensorOptions } from './core/tensor.js';
export {
  noGrad,
  isGradEnabled,
  grad,
  valueAndGrad,
  gradients,
  backward,
  topoOrder,
} from './core/autograd.js';
export {
  observe,
  checkNumerics,
  type Observer,
  type ForwardEvent,
  type BackwardEdgeEvent,
} from './core/observe.js';
export {
  ChainruleError,
  ShapeError,
  NonFiniteError,
  type ErrorCode,
  type Span,
} from './core/errors.js';
export type { NestedArray } from './core/nested.js';
export type { OpDef, OpLabel, Attrs, Domain, GradcheckSpec } from './core/op.js';
export type { Node } from './core/node.js';
export type { DType } from './kernels/types.js';
export { configureKernels, kernelSettings, type KernelSettings } from './core/kernels.js';
export { broadcastShapes } from './core/shape.js';
export { Rng } from './core/random.js';
export { withScope, currentScope, type Scope, type ScopeKind } from './core/scope.js';
export * from './ops/index.js';
export { Value, value } from './scalar/value.js';
export { Neuron, Layer, MLP } from './scalar/nn.js';
