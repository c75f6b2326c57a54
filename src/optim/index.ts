/**
 * chainrule/optim: CS231n's update rules as pure functions, optimizers as objects over a model's
 * parameters, learning-rate schedules, gradient clipping, early stopping and the Solver.
 */
export {
  sgd,
  sgdMomentum,
  rmsprop,
  adam,
  adamw,
  type OptimConfig,
  type UpdateRule,
  type SgdConfig,
  type MomentumConfig,
  type RmspropConfig,
  type AdamConfig,
  type AdamWConfig,
  UPDATE_RULES,
  DEFAULT_LEARNING_RATE,
  type RuleName,
} from './rules.js';
export {
  Solver,
  type Model,
  type SolverData,
  type SolverOptions,
  type SolverEvent,
  type Checkpoint,
} from './solver.js';
export {
  Optimizer,
  SGD,
  Momentum,
  RMSProp,
  Adam,
  AdamW,
  RuleOptimizer,
  OPTIMIZERS,
  namedParameters,
  type OptimizerName,
  type OptimizerOptions,
  type ParamSource,
} from './optimizers.js';
export { constantLr, stepDecay, cosineDecay, warmup, type Schedule } from './schedules.js';
export { clipGradNorm, clipGradValue } from './clip.js';
export { EarlyStopping } from './early-stopping.js';
