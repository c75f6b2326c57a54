import { checkFunction, checkInteger, checkNumber, checkOptions } from '../core/validate.js';

// Learning-rate schedules: plain functions from the step count (0, 1, 2, …; the caller decides
// whether a step is an iteration or an epoch) to the learning rate. They compose: warmup wraps
// any schedule.

/** The learning rate at step t (t = 0, 1, 2, …). */
export type Schedule = (t: number) => number;

function checkStep(fn: string, t: number): number {
  return checkInteger(fn, 't', t, 0);
}

/**
 * The same rate at every step.
 *
 * @example
 * constantLr(0.1)(1000) // 0.1
 */
export function constantLr(lr: number): Schedule {
  checkNumber('constantLr', 'lr', lr, { min: 0 });
  return (t) => (checkStep('constantLr', t), lr);
}

/**
 * Step decay: lr · gamma^⌊t / every⌋ (CS231n's lr_decay per epoch is every = iterations per
 * epoch).
 *
 * @example
 * stepDecay(1, { every: 10, gamma: 0.5 })(25) // 0.25
 */
export function stepDecay(lr: number, options: { every: number; gamma: number }): Schedule {
  checkNumber('stepDecay', 'lr', lr, { min: 0 });
  options = checkOptions('stepDecay', 'options', options);
  const every = checkInteger('stepDecay', 'options.every', options.every, 1);
  const gamma = checkNumber('stepDecay', 'options.gamma', options.gamma, { min: 0, max: 1 });
  return (t) => lr * gamma ** Math.floor(checkStep('stepDecay', t) / every);
}

/**
 * Cosine annealing from lr down to minLr over `steps` steps, minLr after:
 * minLr + (lr − minLr)·(1 + cos(π·t / steps)) / 2.
 *
 * @example
 * cosineDecay(1, { steps: 100 })(50) // 0.5
 */
export function cosineDecay(lr: number, options: { steps: number; minLr?: number }): Schedule {
  checkNumber('cosineDecay', 'lr', lr, { min: 0 });
  options = checkOptions('cosineDecay', 'options', options);
  const steps = checkInteger('cosineDecay', 'options.steps', options.steps, 1);
  const minLr = checkNumber('cosineDecay', 'options.minLr', options.minLr ?? 0, {
    min: 0,
    max: lr,
  });
  return (t) => {
    const s = Math.min(checkStep('cosineDecay', t), steps);
    return minLr + ((lr - minLr) * (1 + Math.cos((Math.PI * s) / steps))) / 2;
  };
}

/**
 * Linear warm-up: for the first `steps` steps the rate climbs from then(0)/steps to then(0), then
 * `then` continues from its own step 0.
 *
 * @example
 * warmup(constantLr(1), { steps: 4 })(1) // 0.5
 */
export function warmup(then: Schedule, options: { steps: number }): Schedule {
  checkFunction('warmup', 'then', then);
  options = checkOptions('warmup', 'options', options);
  const steps = checkInteger('warmup', 'options.steps', options.steps, 1);
  return (t) => {
    checkStep('warmup', t);
    // `then` is the caller's function: a rate it gets wrong is named here, not as a NaN later.
    const rate = (k: number) => checkNumber('warmup', `then(${k})`, then(k), { min: 0 });
    return t < steps ? (rate(0) * (t + 1)) / steps : rate(t - steps);
  };
}
