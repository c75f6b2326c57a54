import { ShapeError, badArgument, formatShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor, zeros } from '../core/tensor.js';
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

function checkEps(fn: string, eps: number): void {
  if (!(eps > 0) || !Number.isFinite(eps)) {
    throw badArgument(fn, `eps must be a small positive number (1e-5 is usual), got ${eps}`);
  }
}

/**
 * Standardizes x over `axes` (kept as size-1 axes in mean and variance).
 *
 * @example
 * standardize(tensor([[1], [3]]), [0], 1e-5).xhat.toArray() // ≈ [[-1], [1]]
 */
export function standardize(x: Tensor, axes: readonly number[], eps: number): Standardized {
  checkEps('standardize', eps);
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
  return {
    mode: options.mode ?? 'train',
    momentum: options.momentum ?? 0.9,
    eps: options.eps ?? 1e-5,
    runningMean: undefined,
    runningVar: undefined,
  };
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
  return batchNormParts(x, gamma, beta, state).out;
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
): { out: Tensor; xhat: Tensor; variance: Tensor } {
  if (x.ndim !== 2) {
    throw new ShapeError(
      'batchNorm',
      [x.shape, gamma.shape],
      `x must be N×D, got ${formatShape(x.shape)}`,
    );
  }
  const d = x.shape[1]!;
  checkAffineParams('batchNorm', x.shape, [d], gamma, beta);
  checkEps('batchNorm', state.eps);
  if (!(state.momentum >= 0 && state.momentum <= 1)) {
    throw badArgument('batchNorm', `momentum must lie in [0, 1], got ${state.momentum}`);
  }
  const runningMean = state.runningMean ?? zeros([d]);
  const runningVar = state.runningVar ?? zeros([d]);
  let xhat: Tensor;
  let variance: Tensor;
  if (checkPhase('batchNorm', state.mode) === 'train') {
    const batch = standardize(x, [0], state.eps);
    ({ xhat, variance } = batch);
    state.runningMean = runningAverage(runningMean, batch.mean, state.momentum);
    state.runningVar = runningAverage(runningVar, batch.variance, state.momentum);
  } else {
    xhat = div(sub(x, runningMean), sqrt(add(runningVar, state.eps)));
    variance = runningVar;
  }
  return { out: add(mul(xhat, gamma), beta), xhat, variance };
}

function checkImages(fn: string, x: Tensor, gamma: Tensor): [number, number, number, number] {
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
  const [n, c, h, w] = checkImages('spatialBatchNorm', x, gamma);
  checkAffineParams('spatialBatchNorm', x.shape, [c], gamma, beta);
  // Channels last, then one row per pixel: plain batch norm over N·H·W rows of C features.
  const rows = reshape(transpose(x, [0, 2, 3, 1]), [n * h * w, c]);
  const out = batchNorm(rows, gamma, beta, state);
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
  const normalized = gamma?.shape ?? options.normalizedShape ?? x.shape.slice(-1);
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
  const eps = options.eps ?? 1e-5;
  checkEps('layerNorm', eps);
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
  const [n, c, h, w] = checkImages('groupNorm', x, gamma);
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0) {
    throw badArgument(
      'groupNorm',
      `groups must be a positive integer dividing the ${c} channels, got ${groups}`,
    );
  }
  const perChannel = shapesEqual(gamma.shape, [c]) ? [c] : [1, c, 1, 1];
  checkAffineParams('groupNorm', x.shape, perChannel, gamma, beta);
  const eps = options.eps ?? 1e-5;
  checkEps('groupNorm', eps);
  const grouped = reshape(x, [n, groups, (c / groups) * h * w]);
  const xhat = reshape(standardize(grouped, [2], eps).xhat, x.shape);
  return add(mul(xhat, reshape(gamma, [1, c, 1, 1])), reshape(beta, [1, c, 1, 1]));
}
