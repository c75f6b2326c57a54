import { ShapeError, badArgument, formatShape } from '../core/errors.js';
import { normalizeAxes, shapesEqual } from '../core/shape.js';
import { Tensor, zeros } from '../core/tensor.js';
import {
  checkInteger,
  checkNumber,
  checkOptions,
  checkShapeArg,
  checkTensor,
  checkTensors,
  describe,
} from '../core/validate.js';
import { add, div, mul, sqrt, sub } from '../ops/elementwise.js';
import { reshape, transpose } from '../ops/movement.js';
import { mean } from '../ops/reduce.js';
import { checkPhase, type Phase } from './phase.js';

// Normalization layers, all built on one `standardize` (x − mean) / √(var + eps) with the biased
// variance, composed of ops so that backprop through them is the engine's chain rule.

/** The pieces of a standardization, kept for the explicit backward passes of `chainrule/layers`. */
export interface Standardized {
  /** (x − mean) / √(variance + eps) */
  xhat: Tensor;
  mean: Tensor;
  /** The biased variance: mean of (x − mean)², dividing by the count, not count − 1. */
  variance: Tensor;
}

/** eps: a small positive number (1e-5 is usual). */
function checkEps(fn: string, name: string, eps: unknown): number {
  return checkNumber(fn, name, eps, { min: 0, minOpen: true });
}

/**
 * Standardizes x over `axes` (kept as size-1 axes in mean and variance).
 *
 * @example
 * standardize(tensor([[1], [3]]), [0], 1e-5).xhat.toArray() // ≈ [[-1], [1]]
 */
export function standardize(x: Tensor, axes: readonly number[], eps: number): Standardized {
  checkTensor('standardize', 'x', x);
  if (!Array.isArray(axes) || axes.length === 0) {
    throw badArgument(
      'standardize',
      `argument axes must list at least one axis, got ${describe(axes)}`,
    );
  }
  normalizeAxes('standardize', axes, x.ndim);
  checkEps('standardize', 'eps', eps);
  const mu = mean(x, { axis: axes, keepDims: true });
  const centered = sub(x, mu);
  const variance = mean(mul(centered, centered), { axis: axes, keepDims: true });
  return { xhat: div(centered, sqrt(add(variance, eps))), mean: mu, variance };
}

/**
 * The state of a batch-norm layer, passed explicitly (no global training flag). In train mode
 * batchNorm replaces runningMean and runningVar with the updated averages.
 */
export interface BatchNormState {
  mode: Phase;
  /** Weight of the old running average (default 0.9, as CS231n). */
  momentum: number;
  eps: number;
  /** Zeros until the first training batch, as CS231n's bn_param. */
  runningMean: Tensor | undefined;
  runningVar: Tensor | undefined;
}

/**
 * A fresh batch-norm state: mode 'train', momentum 0.9, eps 1e-5, running statistics zero.
 *
 * @example
 * const state = batchNormState({ momentum: 0.9 });
 * batchNorm(x, gamma, beta, state); // state.runningMean is now 0.1 × the batch mean
 */
export function batchNormState(
  options: Partial<Pick<BatchNormState, 'mode' | 'momentum' | 'eps'>> = {},
): BatchNormState {
  const fn = 'batchNormState';
  options = checkOptions(fn, 'options', options);
  return {
    mode: checkPhase(fn, options.mode ?? 'train', 'options.mode'),
    momentum: checkMomentum(fn, 'options.momentum', options.momentum ?? 0.9),
    eps: checkEps(fn, 'options.eps', options.eps ?? 1e-5),
    runningMean: undefined,
    runningVar: undefined,
  };
}

/** The weight of the old running average: in [0, 1]. */
function checkMomentum(fn: string, name: string, momentum: unknown): number {
  return checkNumber(fn, name, momentum, { min: 0, max: 1 });
}

function checkAffineParams(
  fn: string,
  x: readonly number[],
  expected: readonly number[],
  gamma: Tensor,
  beta: Tensor,
): void {
  for (const [name, p] of [
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    if (!shapesEqual(p.shape, expected)) {
      throw new ShapeError(
        fn,
        [x, p.shape],
        `${name} must have shape ${formatShape(expected)} for x of shape ${formatShape(x)}, got ${formatShape(p.shape)}`,
      );
    }
  }
}

/** momentum·running + (1 − momentum)·batch, as a new constant tensor of shape [D]. */
function runningAverage(running: Tensor, batch: Tensor, momentum: number): Tensor {
  const out = new Float64Array(running.size);
  for (let i = 0; i < out.length; i++)
    out[i] = momentum * running.data[i]! + (1 - momentum) * batch.data[i]!;
  return new Tensor(out, running.shape);
}

/**
 * Batch normalization of x (N×D), as CS231n: in train mode each feature is standardized with the
 * batch mean and biased variance, then scaled by gamma and shifted by beta (both D), and the
 * running averages are updated as running = momentum·running + (1 − momentum)·batch; in eval
 * mode the running averages are used instead.
 *
 * @example
 * const state = batchNormState();
 * batchNorm(x, ones([D]), zeros([D]), state); // each column of the result has mean 0, variance ≈ 1
 */
export function batchNorm(x: Tensor, gamma: Tensor, beta: Tensor, state: BatchNormState): Tensor {
  return batchNormParts(x, gamma, beta, state, 'batchNorm').out;
}

/**
 * batchNorm, also returning the standardized input and the variance it divided by (the batch's
 * in train mode, the running one in eval mode): what a closed-form backward pass needs.
 */
export function batchNormParts(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  state: BatchNormState,
  fn = 'batchNorm',
): { out: Tensor; xhat: Tensor; variance: Tensor } {
  checkTensors(fn, { x, gamma, beta });
  if (state === null || typeof state !== 'object' || Array.isArray(state)) {
    throw badArgument(
      fn,
      `argument state must be a batch-norm state (batchNormState()), got ${describe(state)}`,
    );
  }
  if (x.ndim !== 2) {
    throw new ShapeError(fn, [x.shape, gamma.shape], `x must be N×D, got ${formatShape(x.shape)}`);
  }
  const d = x.shape[1]!;
  checkAffineParams(fn, x.shape, [d], gamma, beta);
  const eps = checkEps(fn, 'state.eps', state.eps);
  const momentum = checkMomentum(fn, 'state.momentum', state.momentum);
  const mode = checkPhase(fn, state.mode, 'state.mode');
  const running = (name: 'runningMean' | 'runningVar'): Tensor => {
    const t = state[name];
    if (t === undefined) return zeros([d]);
    checkTensor(fn, `state.${name}`, t);
    if (!shapesEqual(t.shape, [d])) {
      throw new ShapeError(
        fn,
        [t.shape, [d]],
        `state.${name} has shape ${formatShape(t.shape)}, but x has ${d} features`,
      );
    }
    return t;
  };
  const runningMean = running('runningMean');
  const runningVar = running('runningVar');
  let xhat: Tensor;
  let variance: Tensor;
  if (mode === 'train') {
    if (x.shape[0] === 0) {
      throw badArgument(fn, 'the batch is empty: batch statistics need at least one example');
    }
    const batch = standardize(x, [0], eps);
    ({ xhat, variance } = batch);
    state.runningMean = runningAverage(runningMean, batch.mean, momentum);
    state.runningVar = runningAverage(runningVar, batch.variance, momentum);
  } else {
    xhat = div(sub(x, runningMean), sqrt(add(runningVar, eps)));
    variance = runningVar;
  }
  return { out: add(mul(xhat, gamma), beta), xhat, variance };
}

function checkImages(fn: string, x: Tensor, gamma: Tensor): [number, number, number, number] {
  checkTensors(fn, { x, gamma });
  if (x.ndim !== 4) {
    throw new ShapeError(
      fn,
      [x.shape, gamma.shape],
      `x must be N×C×H×W, got ${formatShape(x.shape)}`,
    );
  }
  return x.shape as [number, number, number, number];
}

/**
 * Batch normalization of images x (N×C×H×W) per channel: statistics over N, H and W; gamma and
 * beta have shape [C].
 *
 * @example
 * spatialBatchNorm(zeros([2, 3, 4, 4]), ones([3]), zeros([3]), batchNormState()).shape // [2, 3, 4, 4]
 */
export function spatialBatchNorm(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  state: BatchNormState,
): Tensor {
  const fn = 'spatialBatchNorm';
  const [n, c, h, w] = checkImages(fn, x, gamma);
  checkTensor(fn, 'beta', beta);
  checkAffineParams(fn, x.shape, [c], gamma, beta);
  // Channels last, then one row per pixel: plain batch norm over N·H·W rows of C features.
  const rows = reshape(transpose(x, [0, 2, 3, 1]), [n * h * w, c]);
  const out = batchNormParts(rows, gamma, beta, state, fn).out;
  return transpose(reshape(out, [n, h, w, c]), [0, 3, 1, 2]);
}

export interface LayerNormOptions {
  eps?: number;
  /** The trailing dims to normalize over when gamma is not given (default: the last axis). */
  normalizedShape?: readonly number[];
}

/**
 * Layer normalization: each example is standardized over its trailing dims (those of gamma's
 * shape), then scaled by gamma and shifted by beta, in train and eval alike.
 *
 * @example
 * layerNorm(tensor([[1, 3]]), ones([2]), zeros([2])).toArray() // ≈ [[-1, 1]]
 */
export function layerNorm(
  x: Tensor,
  gamma?: Tensor,
  beta?: Tensor,
  options: LayerNormOptions = {},
): Tensor {
  const fn = 'layerNorm';
  checkTensor(fn, 'x', x);
  if (gamma !== undefined) checkTensor(fn, 'gamma', gamma);
  if (beta !== undefined) checkTensor(fn, 'beta', beta);
  options = checkOptions(fn, 'options', options);
  const normalized =
    gamma?.shape ??
    (options.normalizedShape === undefined
      ? x.shape.slice(-1)
      : checkShapeArg(fn, 'options.normalizedShape', options.normalizedShape));
  const k = normalized.length;
  const trailing = x.shape.slice(x.ndim - k);
  if (k === 0 || k > x.ndim || !shapesEqual(trailing, normalized)) {
    throw new ShapeError(
      'layerNorm',
      [x.shape, normalized],
      `gamma ${formatShape(normalized)} must equal the trailing dims of x ${formatShape(x.shape)}`,
    );
  }
  if (beta && !shapesEqual(beta.shape, normalized)) {
    throw new ShapeError(
      'layerNorm',
      [normalized, beta.shape],
      `beta must have the shape of gamma ${formatShape(normalized)}, got ${formatShape(beta.shape)}`,
    );
  }
  const eps = checkEps(fn, 'options.eps', options.eps ?? 1e-5);
  const axes = Array.from({ length: k }, (_, i) => x.ndim - k + i);
  let out = standardize(x, axes, eps).xhat;
  if (gamma) out = mul(out, gamma);
  if (beta) out = add(out, beta);
  return out;
}

/**
 * Group normalization of images x (N×C×H×W): the C channels are split into `groups` groups and
 * each example's group is standardized over its channels and pixels; gamma and beta have shape
 * [C] or [1, C, 1, 1].
 *
 * @example
 * groupNorm(x, ones([1, 6, 1, 1]), zeros([1, 6, 1, 1]), 2).shape // x.shape
 */
export function groupNorm(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  groups: number,
  options: { eps?: number } = {},
): Tensor {
  const fn = 'groupNorm';
  const [n, c, h, w] = checkImages(fn, x, gamma);
  checkTensor(fn, 'beta', beta);
  checkInteger(fn, 'groups', groups, 1);
  if (c % groups !== 0) {
    throw badArgument(fn, `argument groups must divide the ${c} channels, got ${groups}`);
  }
  const perChannel = shapesEqual(gamma.shape, [c]) ? [c] : [1, c, 1, 1];
  checkAffineParams(fn, x.shape, perChannel, gamma, beta);
  options = checkOptions(fn, 'options', options);
  const eps = checkEps(fn, 'options.eps', options.eps ?? 1e-5);
  const grouped = reshape(x, [n, groups, (c / groups) * h * w]);
  const xhat = reshape(standardize(grouped, [2], eps).xhat, x.shape);
  return add(mul(xhat, reshape(gamma, [1, c, 1, 1])), reshape(beta, [1, c, 1, 1]));
}
