import { badArgument, formatShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { Module } from '../nn/module.js';
import { checkFunction, checkNumber, checkOptions, describe, quote } from '../core/validate.js';
import { clipGradNorm, clipGradValue } from './clip.js';
import { inPlaceStepper, type InPlaceStepper } from './in-place.js';
import { readState, saveState } from './state-dict.js';
import {
  DEFAULT_LEARNING_RATE,
  adam,
  adamw,
  rmsprop,
  sgd,
  sgdMomentum,
  type OptimConfig,
  type RuleName,
  type UpdateRule,
} from './rules.js';

// Optimizers as objects over named parameters, as in PyTorch: `loss.backward(); opt.step();
// opt.zeroGrad()`. The named rules run in place (in-place.ts): the parameter's own storage and
// its state arrays are updated, so a module's fields keep pointing at its (updated) parameters and
// a training loop allocates nothing per step. A user's own rule runs pure, as rules.ts's, and
// its result is copied into the parameter.

/** Where the parameters come from: a module, named tensors, or a list (named 0, 1, …). */
export type ParamSource = Module | Readonly<Record<string, Tensor>> | readonly Tensor[];

/** Settings every optimizer takes. */
export interface OptimizerOptions {
  learningRate?: number;
  /** Scale all gradients together to at most this global L2 norm before each step. */
  clipNorm?: number;
  /** Clamp each gradient element into [−clipValue, clipValue] before each step. */
  clipValue?: number;
}

/** The trainable tensors of `source` by name, checked: leaves, one name each. */
export function namedParameters(fn: string, source: ParamSource): Record<string, Tensor> {
  let named: Record<string, unknown>;
  if (source instanceof Module) named = source.parameters();
  else if (Array.isArray(source)) named = Object.fromEntries(source.map((t, i) => [String(i), t]));
  else if (source !== null && typeof source === 'object') named = { ...source };
  else
    throw badArgument(
      fn,
      `argument params must be a Module, an object of tensors or a list, got ${describe(source)}`,
    );
  const out: Record<string, Tensor> = {};
  for (const [name, p] of Object.entries(named)) {
    if (!(p instanceof Tensor))
      throw badArgument(fn, `parameter ${quote(name)} must be a tensor, got ${describe(p)}`);
    if (!p.isLeaf) {
      throw badArgument(
        fn,
        `parameter ${quote(name)} was computed by an op; parameters must be leaf tensors`,
      );
    }
    out[name] = p;
  }
  if (Object.keys(out).length === 0) throw badArgument(fn, 'there are no parameters to optimize');
  return out;
}

/** Decay rates that must stay below 1 (at 1, Adam's bias correction divides by 0). */
const BELOW_ONE = new Set(['beta1', 'beta2', 'decayRate', 'momentum']);

/** Settings that must stay above 0 (an epsilon of 0 can divide by 0). */
const ABOVE_ZERO = new Set(['epsilon']);

/**
 * The base of SGD, Momentum, RMSProp, Adam and AdamW: named parameters, a learning rate (change
 * it between steps for a schedule), optional gradient clipping, and each parameter's rule state.
 */
export abstract class Optimizer {
  readonly params: Record<string, Tensor>;
  learningRate: number;
  /** Steps taken. */
  steps = 0;
  /** The update rule's state per parameter (velocity, moments, step count). */
  state: Record<string, OptimConfig> = {};
  protected readonly clipNorm: number | undefined;
  protected readonly clipValue: number | undefined;
  /** The rule's hyperparameters other than the learning rate. */
  protected readonly hyper: OptimConfig;
  protected abstract readonly rule: UpdateRule;
  private readonly kind: string;
  /** `${kind}.step`, made once. */
  private readonly stepName: string;
  /** The in-place stepping of a named rule (null: a user's rule), made at the first use. */
  private stepper: InPlaceStepper | null | undefined;

  protected constructor(
    kind: string,
    source: ParamSource,
    options: OptimizerOptions,
    defaultLr: number,
    hyper: OptimConfig,
    checkHyper = true,
    optionsName = 'options',
  ) {
    this.kind = kind;
    this.stepName = `${kind}.step`;
    options = checkOptions(kind, optionsName, options);
    this.params = namedParameters(kind, source);
    const option = (name: string) => `${optionsName}.${name}`;
    this.learningRate = checkNumber(
      kind,
      option('learningRate'),
      options.learningRate ?? defaultLr,
      { min: 0 },
    );
    const positive = { min: 0, minOpen: true };
    this.clipNorm =
      options.clipNorm === undefined
        ? undefined
        : checkNumber(kind, option('clipNorm'), options.clipNorm, positive);
    this.clipValue =
      options.clipValue === undefined
        ? undefined
        : checkNumber(kind, option('clipValue'), options.clipValue, positive);
    for (const [name, value] of Object.entries(hyper)) {
      // A custom rule checks its own configuration; the named ones are checked here, at once.
      if (checkHyper) {
        const range = BELOW_ONE.has(name)
          ? { min: 0, max: 1, maxOpen: true }
          : { min: 0, minOpen: ABOVE_ZERO.has(name) };
        checkNumber(kind, option(name), value, range);
      }
    }
    this.hyper = hyper;
  }

  /**
   * Updates every parameter in place from its gradient: `grads[name]` when given (as the Solver
   * does with gradients()), else the `.grad` that backward() left. Parameters without a
   * gradient are skipped.
   */
  step(grads?: Readonly<Record<string, Tensor>>): void {
    if (grads !== undefined) checkOptions(this.stepName, 'grads', grads);
    const stepper = this.inPlace();
    if (stepper) this.stepInPlace(stepper, grads);
    else this.stepPure(grads);
    this.steps++;
  }

  /** The gradient step() uses for parameter `name`, checked, or undefined when it has none. */
  private gradientOf(name: string, grads: Readonly<Record<string, Tensor>> | undefined) {
    const p = this.params[name]!;
    const g = grads ? grads[name] : (p.grad ?? undefined);
    if (g !== undefined && (!(g instanceof Tensor) || !shapesEqual(g.shape, p.shape))) {
      throw badArgument(
        this.stepName,
        `the gradient of ${quote(name)} must be a tensor of shape ${formatShape(p.shape)}, got ${describe(g)}`,
      );
    }
    return g;
  }

  private inPlace(): InPlaceStepper | null {
    if (this.stepper === undefined)
      this.stepper = inPlaceStepper(this.rule, this.clipValue, this.clipNorm);
    return this.stepper;
  }

  /** A named rule's step, in place. Loops with for…in: no list of the parameters is made. */
  private stepInPlace(
    stepper: InPlaceStepper,
    grads: Readonly<Record<string, Tensor>> | undefined,
  ): void {
    // Every gradient is checked before anything moves; the same pass sums their squares for
    // clipNorm, in the order clipGradNorm sums them.
    let found = false;
    let squares = 0;
    for (const name in this.params) {
      const g = this.gradientOf(name, grads);
      if (g === undefined) continue;
      found = true;
      if (stepper.needsSquares) squares = stepper.sumSquares(squares, g);
    }
    if (!found) return; // as the pure path: no rule runs, so nothing is checked
    stepper.begin(this.hyper, this.learningRate, squares);
    for (const name in this.params) {
      const g = this.gradientOf(name, grads);
      if (g !== undefined)
        this.state[name] = stepper.update(this.params[name]!, g, this.state[name], this.hyper);
    }
  }

  /** A user's rule: pure, on clipped copies of the gradients; the result copied into p. */
  private stepPure(grads: Readonly<Record<string, Tensor>> | undefined): void {
    let found: Record<string, Tensor> = {};
    for (const name of Object.keys(this.params)) {
      const g = this.gradientOf(name, grads);
      if (g !== undefined) found[name] = g;
    }
    if (this.clipValue !== undefined) found = clipGradValue(found, this.clipValue);
    if (this.clipNorm !== undefined) found = clipGradNorm(found, this.clipNorm).grads;
    for (const [name, g] of Object.entries(found)) {
      const p = this.params[name]!;
      const config = { ...this.hyper, ...this.state[name], learningRate: this.learningRate };
      const { next, config: nextConfig } = this.rule(p, g, config);
      p.data.set(next.data);
      this.state[name] = nextConfig;
    }
  }

  /** Forgets every parameter's `.grad`. */
  zeroGrad(): void {
    for (const p of Object.values(this.params)) p.zeroGrad();
  }

  /**
   * The state to save, as tensors: `<param>.<slot>` for each rule slot (velocity, m, v, t…)
   * plus `learningRate` and `steps`. Copies: the optimizer goes on updating its own in place.
   */
  stateDict(): Record<string, Tensor> {
    return saveState(this.learningRate, this.steps, this.state);
  }

  /**
   * Checks a saved state against these parameters and returns the function that installs it:
   * nothing changes until that is called, so a caller can validate everything first.
   */
  prepareLoad(dict: Readonly<Record<string, Tensor>>): () => void {
    const loaded = readState(`${this.kind}.loadStateDict`, dict, this.params);
    return () => {
      this.learningRate = loaded.learningRate;
      this.steps = loaded.steps;
      this.state = loaded.state;
      // readState's copies are the state the next steps update in place.
      const stepper = this.inPlace();
      for (const [name, config] of Object.entries(loaded.state)) {
        for (const value of Object.values(config))
          if (value instanceof Tensor) stepper?.own(value, this.params[name]!);
      }
    };
  }

  /** Installs a saved state (see stateDict), all or nothing. */
  loadStateDict(dict: Readonly<Record<string, Tensor>>): void {
    this.prepareLoad(dict)();
  }
}

/**
 * Vanilla SGD: w ← w − lr·dw (learningRate 1e-2, as CS231n).
 *
 * @example
 * const opt = new SGD(model, { learningRate: 0.1 });
 * loss.backward(); opt.step(); opt.zeroGrad();
 */
export class SGD extends Optimizer {
  /** The rule's name for the Solver. */
  static readonly ruleName: RuleName = 'sgd';
  protected readonly rule = sgd as UpdateRule;
  constructor(params: ParamSource, options: OptimizerOptions = {}) {
    super('SGD', params, options, DEFAULT_LEARNING_RATE.sgd, {});
  }
}

/**
 * SGD with momentum: v ← μ·v − lr·dw; w ← w + v (momentum 0.9, learningRate 1e-2).
 *
 * @example
 * new Momentum(model, { learningRate: 0.05, momentum: 0.9 });
 */
export class Momentum extends Optimizer {
  /** The rule's name for the Solver. */
  static readonly ruleName: RuleName = 'sgdMomentum';
  protected readonly rule = sgdMomentum as UpdateRule;
  constructor(params: ParamSource, options: OptimizerOptions & { momentum?: number } = {}) {
    options = checkOptions('Momentum', 'options', options);
    super('Momentum', params, options, DEFAULT_LEARNING_RATE.sgdMomentum, {
      momentum: options.momentum ?? 0.9,
    });
  }
}

/**
 * RMSProp: cache ← ρ·cache + (1 − ρ)·dw²; w ← w − lr·dw / (√cache + ε) (decayRate 0.99,
 * epsilon 1e-8, learningRate 1e-2).
 *
 * @example
 * new RMSProp(model, { learningRate: 1e-3 });
 */
export class RMSProp extends Optimizer {
  /** The rule's name for the Solver. */
  static readonly ruleName: RuleName = 'rmsprop';
  protected readonly rule = rmsprop as UpdateRule;
  constructor(
    params: ParamSource,
    options: OptimizerOptions & { decayRate?: number; epsilon?: number } = {},
  ) {
    options = checkOptions('RMSProp', 'options', options);
    super('RMSProp', params, options, DEFAULT_LEARNING_RATE.rmsprop, {
      decayRate: options.decayRate ?? 0.99,
      epsilon: options.epsilon ?? 1e-8,
    });
  }
}

type AdamOptions = OptimizerOptions & { beta1?: number; beta2?: number; epsilon?: number };

const adamHyper = (options: AdamOptions) => ({
  beta1: options.beta1 ?? 0.9,
  beta2: options.beta2 ?? 0.999,
  epsilon: options.epsilon ?? 1e-8,
});

/**
 * Adam with bias correction (learningRate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-8).
 *
 * @example
 * new Adam(model, { learningRate: 1e-3 });
 */
export class Adam extends Optimizer {
  /** The rule's name for the Solver. */
  static readonly ruleName: RuleName = 'adam';
  protected readonly rule = adam as UpdateRule;
  constructor(params: ParamSource, options: AdamOptions = {}) {
    options = checkOptions('Adam', 'options', options);
    super('Adam', params, options, DEFAULT_LEARNING_RATE.adam, adamHyper(options));
  }
}

/**
 * AdamW: Adam with decoupled weight decay, w ← w − lr·λ·w − lr·m̂/(√v̂ + ε) (weightDecay 1e-2).
 *
 * @example
 * new AdamW(model, { learningRate: 1e-3, weightDecay: 1e-2 });
 */
export class AdamW extends Optimizer {
  /** The rule's name for the Solver. */
  static readonly ruleName: RuleName = 'adamw';
  protected readonly rule = adamw as UpdateRule;
  constructor(params: ParamSource, options: AdamOptions & { weightDecay?: number } = {}) {
    options = checkOptions('AdamW', 'options', options);
    super('AdamW', params, options, DEFAULT_LEARNING_RATE.adamw, {
      ...adamHyper(options),
      weightDecay: options.weightDecay ?? 1e-2,
    });
  }
}

/**
 * An optimizer for any update rule with the signature of rules.ts (CS231n's custom rules), with
 * `config` holding its learning rate and hyperparameters.
 *
 * @example
 * new RuleOptimizer(sgdMomentum, model, { learningRate: 0.1, momentum: 0.5 });
 */
export class RuleOptimizer extends Optimizer {
  protected readonly rule: UpdateRule;
  constructor(rule: UpdateRule, params: ParamSource, config: OptimConfig & OptimizerOptions = {}) {
    checkFunction('RuleOptimizer', 'rule', rule);
    const { learningRate, clipNorm, clipValue, ...hyper } = checkOptions(
      'RuleOptimizer',
      'config',
      config,
    );
    const options: OptimizerOptions = {};
    if (learningRate !== undefined) options.learningRate = learningRate;
    if (clipNorm !== undefined) options.clipNorm = clipNorm;
    if (clipValue !== undefined) options.clipValue = clipValue;
    super('RuleOptimizer', params, options, DEFAULT_LEARNING_RATE.sgd, hyper, false, 'config');
    this.rule = rule;
  }
}

/** The optimizers by their CLI and Solver names. */
export const OPTIMIZERS = {
  sgd: SGD,
  momentum: Momentum,
  rmsprop: RMSProp,
  adam: Adam,
  adamw: AdamW,
} as const;

export type OptimizerName = keyof typeof OPTIMIZERS;
