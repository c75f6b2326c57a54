/**
 * chainrule/optim: CS231n's update rules as pure functions, and its Solver.
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
} from './rules.js';
export { Solver, UPDATE_RULES, type Model, type SolverData, type SolverOptions } from './solver.js';
