import { ShapeError, formatShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { checkInteger, checkNumber, checkOptions, checkTensor } from '../core/validate.js';
import { allocate, type Data } from '../kernels/types.js';

// Update rules with CS231n's semantics and defaults (cs231n/optim.py). Each is pure: it takes the
// weights, their gradient and the rule's state, and returns the next weights with the next state.
// Nothing passed in is modified; a missing state starts at zero.

/** Any rule's configuration: its hyperparameters and its state (velocity, moments, step count). */
export type OptimConfig = { learningRate?: number } & Record<string, unknown>;

/** An update rule: next weights and next config from the weights, their gradient and the config. */
export type UpdateRule = (
  w: Tensor,
  dw: Tensor,
  config?: OptimConfig,
) => { next: Tensor; config: OptimConfig };

function check(
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

/** A learning rate or weight decay: finite and ≥ 0. */
const nonNegative = (rule: string, name: string, value: unknown): number =>
  checkNumber(rule, `config.${name}`, value, { min: 0 });

/** An epsilon: finite and > 0. */
const positive = (rule: string, name: string, value: unknown): number =>
  checkNumber(rule, `config.${name}`, value, { min: 0, minOpen: true });

/**
 * A decay rate (momentum, β₁, β₂, RMSProp's ρ): in [0, 1). At 1 the running average never
 * forgets (and Adam's bias correction divides by 0); above 1 it grows without bound.
 */
const rate = (rule: string, name: string, value: unknown): number =>
  checkNumber(rule, `config.${name}`, value, { min: 0, max: 1, maxOpen: true });

/** The state array, or zeros when the rule runs for the first time. */
const stateOf = (t: Tensor | undefined, w: Tensor): Data =>
  t ? t.data : allocate('float64', w.size);

export type SgdConfig = { learningRate?: number };

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
  checkOptions('sgd', 'config', config);
  const learningRate = nonNegative(
    'sgd',
    'learningRate',
    config.learningRate ?? DEFAULT_LEARNING_RATE.sgd,
  );
  check('sgd', w, dw, {});
  const next = allocate(w.dtype, w.size);
  for (let i = 0; i < next.length; i++) next[i] = w.data[i]! - learningRate * dw.data[i]!;
  return { next: new Tensor(next, w.shape), config: { ...config, learningRate } };
}

export type MomentumConfig = { learningRate?: number; momentum?: number; velocity?: Tensor };

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
  checkOptions('sgdMomentum', 'config', config);
  const learningRate = nonNegative(
    'sgdMomentum',
    'learningRate',
    config.learningRate ?? DEFAULT_LEARNING_RATE.sgdMomentum,
  );
  const momentum = rate('sgdMomentum', 'momentum', config.momentum ?? 0.9);
  check('sgdMomentum', w, dw, { velocity: config.velocity });
  const v = stateOf(config.velocity, w);
  const next = allocate(w.dtype, w.size);
  const velocity = new Float64Array(w.size);
  for (let i = 0; i < next.length; i++) {
    velocity[i] = momentum * v[i]! - learningRate * dw.data[i]!;
    next[i] = w.data[i]! + velocity[i]!;
  }
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
  checkOptions('rmsprop', 'config', config);
  const learningRate = nonNegative(
    'rmsprop',
    'learningRate',
    config.learningRate ?? DEFAULT_LEARNING_RATE.rmsprop,
  );
  const decayRate = rate('rmsprop', 'decayRate', config.decayRate ?? 0.99);
  const epsilon = positive('rmsprop', 'epsilon', config.epsilon ?? 1e-8);
  check('rmsprop', w, dw, { cache: config.cache });
  const old = stateOf(config.cache, w);
  const next = allocate(w.dtype, w.size);
  const cache = new Float64Array(w.size);
  for (let i = 0; i < next.length; i++) {
    const g = dw.data[i]!;
    cache[i] = decayRate * old[i]! + (1 - decayRate) * g * g;
    next[i] = w.data[i]! - (learningRate * g) / (Math.sqrt(cache[i]!) + epsilon);
  }
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

/** One Adam step on plain arrays; `decay` is AdamW's decoupled weight decay (0 for Adam). */
function adamStep(rule: string, w: Tensor, dw: Tensor, config: AdamConfig, decay: number) {
  checkOptions(rule, 'config', config);
  const learningRate = nonNegative(
    rule,
    'learningRate',
    config.learningRate ?? DEFAULT_LEARNING_RATE.adam,
  );
  const beta1 = rate(rule, 'beta1', config.beta1 ?? 0.9);
  const beta2 = rate(rule, 'beta2', config.beta2 ?? 0.999);
  const epsilon = positive(rule, 'epsilon', config.epsilon ?? 1e-8);
  check(rule, w, dw, { m: config.m, v: config.v });
  // As CS231n: t is incremented before it is used in the bias correction, so the t used is ≥ 1
  // (at t = 0 the correction would divide by 1 − β⁰ = 0).
  const t = checkInteger(rule, 'config.t', config.t ?? 0, 0) + 1;
  const oldM = stateOf(config.m, w);
  const oldV = stateOf(config.v, w);
  const m = new Float64Array(w.size);
  const v = new Float64Array(w.size);
  const next = allocate(w.dtype, w.size);
  for (let i = 0; i < next.length; i++) {
    const g = dw.data[i]!;
    m[i] = beta1 * oldM[i]! + (1 - beta1) * g;
    v[i] = beta2 * oldV[i]! + (1 - beta2) * g * g;
    const mHat = m[i]! / (1 - beta1 ** t);
    const vHat = v[i]! / (1 - beta2 ** t);
    next[i] =
      w.data[i]! -
      learningRate * decay * w.data[i]! -
      (learningRate * mHat) / (Math.sqrt(vHat) + epsilon);
  }
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
  return adamStep('adam', w, dw, config, 0);
}

export type AdamWConfig = AdamConfig & {
  /** Decoupled weight decay λ: each step also subtracts lr·λ·w (default 1e-2, as PyTorch). */
  weightDecay?: number;
};

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
  checkOptions('adamw', 'config', config);
  const weightDecay = nonNegative('adamw', 'weightDecay', config.weightDecay ?? 1e-2);
  const step = adamStep('adamw', w, dw, config, weightDecay);
  return { next: step.next, config: { ...step.config, weightDecay } };
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
