import { ShapeError, formatShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { checkNumber, checkOptions, checkTensor } from '../core/validate.js';
import { allocate, type Data } from '../kernels/types.js';
import { adamUpdate, momentumUpdate, rmspropUpdate, sgdUpdate } from './updates.js';

// Update rules with CS231n's semantics and defaults (cs231n/optim.py). Each is pure: it takes the
// weights, their gradient and the rule's state, and returns the next weights with the next state.
// Nothing passed in is modified; a missing state starts at zero. The arithmetic is updates.ts's,
// run in place on copies; the optimizers run the same functions on their own storage.

/** Any rule's configuration: its hyperparameters and its state (velocity, moments, step count). */
export type OptimConfig = { learningRate?: number } & Record<string, unknown>;

/** An update rule: next weights and next config from the weights, their gradient and the config. */
export type UpdateRule = (
  w: Tensor,
  dw: Tensor,
  config?: OptimConfig,
) => { next: Tensor; config: OptimConfig };

/** The checks of a rule's tensors: w, dw and the state tensors given (shapes equal to w's). */
export function checkRuleTensors(
  rule: string,
  w: Tensor,
  dw: Tensor,
  state: Record<string, Tensor | undefined>,
): void {
  checkTensor(rule, 'w', w);
  checkTensor(rule, 'dw', dw);
  for (const [name, t] of Object.entries(state)) {
    if (t !== undefined) checkTensor(rule, `config.${name}`, t);
  }
  if (!shapesEqual(w.shape, dw.shape)) {
    throw new ShapeError(
      rule,
      [w.shape, dw.shape],
      `dw has shape ${formatShape(dw.shape)} but w has ${formatShape(w.shape)}`,
    );
  }
  for (const [name, t] of Object.entries(state)) {
    if (t !== undefined && !shapesEqual(t.shape, w.shape)) {
      throw new ShapeError(
        rule,
        [w.shape, t.shape],
        `${name} has shape ${formatShape(t.shape)} but w has ${formatShape(w.shape)}`,
      );
    }
  }
}

/** CS231n's default learning rate of each rule (cs231n/optim.py). */
export const DEFAULT_LEARNING_RATE = {
  sgd: 1e-2,
  sgdMomentum: 1e-2,
  rmsprop: 1e-2,
  adam: 1e-3,
  adamw: 1e-3,
} as const;

// The ranges, made once: the optimizers check settings at every step.
const NON_NEGATIVE = { min: 0 };
const POSITIVE = { min: 0, minOpen: true };
const BELOW_ONE = { min: 0, max: 1, maxOpen: true };
const COUNT = { min: 0, integer: true };

/** A learning rate or weight decay: finite and ≥ 0. */
const nonNegative = (rule: string, name: string, value: unknown): number =>
  checkNumber(rule, `config.${name}`, value, NON_NEGATIVE);

/** An epsilon: finite and > 0. */
const positive = (rule: string, name: string, value: unknown): number =>
  checkNumber(rule, `config.${name}`, value, POSITIVE);

/**
 * A decay rate (momentum, β₁, β₂, RMSProp's ρ): in [0, 1). At 1 the running average never
 * forgets (and Adam's bias correction divides by 0); above 1 it grows without bound.
 */
const rate = (rule: string, name: string, value: unknown): number =>
  checkNumber(rule, `config.${name}`, value, BELOW_ONE);

/** A rule's learning rate, checked as the rule checks it (its default when left out). */
export const checkLearningRate = (rule: RuleName, value: unknown): number =>
  checkNumber(rule, 'config.learningRate', value ?? DEFAULT_LEARNING_RATE[rule], NON_NEGATIVE);

/** Adam's step count t before this step, checked as adam checks it (0 when left out). */
export const checkStepCount = (rule: RuleName, value: unknown): number =>
  checkNumber(rule, 'config.t', value ?? 0, COUNT);

/** A copy of w's data, to be updated in place into the next weights. */
function copyOf(w: Tensor): Data {
  const next = allocate(w.dtype, w.size);
  next.set(w.data);
  return next;
}

/** A float64 copy of a state tensor, or zeros when the rule runs for the first time. */
function stateCopy(t: Tensor | undefined, w: Tensor): Float64Array {
  const state = new Float64Array(w.size);
  if (t) state.set(t.data);
  return state;
}

export type SgdConfig = { learningRate?: number };

/** sgd's hyperparameters from a config, checked as sgd checks them, with its defaults. */
export function sgdSettings(config: SgdConfig) {
  checkOptions('sgd', 'config', config);
  return { learningRate: checkLearningRate('sgd', config.learningRate) };
}

/**
 * Vanilla stochastic gradient descent: w − lr·dw (learningRate 1e-2).
 *
 * @example
 * sgd(tensor([1]), tensor([2]), { learningRate: 0.1 }).next.toArray() // [0.8]
 */
export function sgd(
  w: Tensor,
  dw: Tensor,
  config: SgdConfig = {},
): { next: Tensor; config: Required<SgdConfig> } {
  const { learningRate } = sgdSettings(config);
  checkRuleTensors('sgd', w, dw, {});
  const next = copyOf(w);
  sgdUpdate(next, dw.data, learningRate);
  return { next: new Tensor(next, w.shape), config: { ...config, learningRate } };
}

export type MomentumConfig = { learningRate?: number; momentum?: number; velocity?: Tensor };

/** sgdMomentum's hyperparameters from a config, checked as sgdMomentum checks them. */
export function momentumSettings(config: MomentumConfig) {
  checkOptions('sgdMomentum', 'config', config);
  return {
    learningRate: checkLearningRate('sgdMomentum', config.learningRate),
    momentum: rate('sgdMomentum', 'momentum', config.momentum ?? 0.9),
  };
}

/**
 * SGD with momentum: v = μ·v − lr·dw, then w + v (learningRate 1e-2, momentum 0.9, v starts at 0).
 *
 * @example
 * sgdMomentum(tensor([1]), tensor([2]), { learningRate: 0.1 }).next.toArray() // [0.8]
 */
export function sgdMomentum(
  w: Tensor,
  dw: Tensor,
  config: MomentumConfig = {},
): { next: Tensor; config: Required<MomentumConfig> } {
  const { learningRate, momentum } = momentumSettings(config);
  checkRuleTensors('sgdMomentum', w, dw, { velocity: config.velocity });
  const next = copyOf(w);
  const velocity = stateCopy(config.velocity, w);
  momentumUpdate(next, dw.data, velocity, learningRate, momentum);
  return {
    next: new Tensor(next, w.shape),
    config: { ...config, learningRate, momentum, velocity: new Tensor(velocity, w.shape) },
  };
}

export type RmspropConfig = {
  learningRate?: number;
  decayRate?: number;
  epsilon?: number;
  cache?: Tensor;
};

/** rmsprop's hyperparameters from a config, checked as rmsprop checks them. */
export function rmspropSettings(config: RmspropConfig) {
  checkOptions('rmsprop', 'config', config);
  return {
    learningRate: checkLearningRate('rmsprop', config.learningRate),
    decayRate: rate('rmsprop', 'decayRate', config.decayRate ?? 0.99),
    epsilon: positive('rmsprop', 'epsilon', config.epsilon ?? 1e-8),
  };
}

/**
 * RMSProp: cache = ρ·cache + (1 − ρ)·dw², then w − lr·dw / (√cache + ε)
 * (learningRate 1e-2, decayRate 0.99, epsilon 1e-8, cache starts at 0).
 *
 * @example
 * rmsprop(w, dw, { learningRate: 1e-2, cache }).config.cache // the running mean of dw²
 */
export function rmsprop(
  w: Tensor,
  dw: Tensor,
  config: RmspropConfig = {},
): { next: Tensor; config: Required<RmspropConfig> } {
  const { learningRate, decayRate, epsilon } = rmspropSettings(config);
  checkRuleTensors('rmsprop', w, dw, { cache: config.cache });
  const next = copyOf(w);
  const cache = stateCopy(config.cache, w);
  rmspropUpdate(next, dw.data, cache, learningRate, decayRate, epsilon);
  return {
    next: new Tensor(next, w.shape),
    config: { ...config, learningRate, decayRate, epsilon, cache: new Tensor(cache, w.shape) },
  };
}

export type AdamConfig = {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** First moment (mean of dw). */
  m?: Tensor;
  /** Second moment (mean of dw²). */
  v?: Tensor;
  /** Steps taken so far. */
  t?: number;
};

export type AdamWConfig = AdamConfig & {
  /** Decoupled weight decay λ: each step also subtracts lr·λ·w (default 1e-2, as PyTorch). */
  weightDecay?: number;
};

/** Adam's hyperparameters from a config (AdamW's weight decay is 0), checked as adam does. */
export function adamSettings(config: AdamConfig, rule: 'adam' | 'adamw' = 'adam') {
  checkOptions(rule, 'config', config);
  return {
    learningRate: checkLearningRate(rule, config.learningRate),
    beta1: rate(rule, 'beta1', config.beta1 ?? 0.9),
    beta2: rate(rule, 'beta2', config.beta2 ?? 0.999),
    epsilon: positive(rule, 'epsilon', config.epsilon ?? 1e-8),
    weightDecay: 0,
  };
}

/** AdamW's hyperparameters from a config, checked as adamw checks them (the decay first). */
export function adamwSettings(config: AdamWConfig) {
  checkOptions('adamw', 'config', config);
  const weightDecay = nonNegative('adamw', 'weightDecay', config.weightDecay ?? 1e-2);
  return { ...adamSettings(config, 'adamw'), weightDecay };
}

/** One Adam step from checked settings; `weightDecay` is AdamW's (0 for Adam). */
function adamStep(
  rule: 'adam' | 'adamw',
  w: Tensor,
  dw: Tensor,
  config: AdamConfig,
  settings: ReturnType<typeof adamSettings>,
) {
  const { learningRate, beta1, beta2, epsilon, weightDecay } = settings;
  checkRuleTensors(rule, w, dw, { m: config.m, v: config.v });
  // As CS231n: t is incremented before it is used in the bias correction, so the t used is ≥ 1
  // (at t = 0 the correction would divide by 1 − β⁰ = 0).
  const t = checkStepCount(rule, config.t) + 1;
  const next = copyOf(w);
  const m = stateCopy(config.m, w);
  const v = stateCopy(config.v, w);
  adamUpdate(next, dw.data, m, v, t, learningRate, beta1, beta2, epsilon, weightDecay);
  return {
    next: new Tensor(next, w.shape),
    config: {
      ...config,
      learningRate,
      beta1,
      beta2,
      epsilon,
      m: new Tensor(m, w.shape),
      v: new Tensor(v, w.shape),
      t,
    },
  };
}

/**
 * Adam with bias correction, as CS231n: t += 1; m = β₁m + (1 − β₁)dw; v = β₂v + (1 − β₂)dw²;
 * w − lr·m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ)
 * (learningRate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-8).
 *
 * @example
 * adam(tensor([1]), tensor([0.5])).config.t // 1
 */
export function adam(
  w: Tensor,
  dw: Tensor,
  config: AdamConfig = {},
): { next: Tensor; config: Required<AdamConfig> } {
  return adamStep('adam', w, dw, config, adamSettings(config));
}

/**
 * AdamW (Loshchilov & Hutter): Adam plus weight decay applied to the weights directly,
 * w − lr·λ·w − lr·m̂ / (√v̂ + ε), instead of through the gradient.
 *
 * @example
 * adamw(w, dw, { weightDecay: 0.01 }).next
 */
export function adamw(
  w: Tensor,
  dw: Tensor,
  config: AdamWConfig = {},
): { next: Tensor; config: Required<AdamWConfig> } {
  const settings = adamwSettings(config);
  const step = adamStep('adamw', w, dw, config, settings);
  return { next: step.next, config: { ...step.config, weightDecay: settings.weightDecay } };
}

/** The rules by the names the Solver takes (CS231n's `update_rule`). */
export const UPDATE_RULES = {
  sgd: sgd as UpdateRule,
  sgdMomentum: sgdMomentum as UpdateRule,
  rmsprop: rmsprop as UpdateRule,
  adam: adam as UpdateRule,
  adamw: adamw as UpdateRule,
} as const;

export type RuleName = keyof typeof UPDATE_RULES;
