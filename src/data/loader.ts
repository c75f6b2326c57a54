import { badArgument, formatShape } from '../core/errors.js';
import type { Rng } from '../core/random.js';
import { Tensor, zeros } from '../core/tensor.js';
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOptions,
  checkRng,
  describe,
} from '../core/validate.js';
import { checkDataset, subset, type Dataset } from './dataset.js';

// Minibatches, splits and feature normalization: the plumbing between a dataset and a model.

/**
 * The dataset in minibatches of `batchSize` rows, in a fresh seeded permutation when `rng` is
 * given (else in order); the last batch may be smaller unless dropLast.
 *
 * @example
 * for (const batch of minibatches(data, { batchSize: 32, rng: new Rng(0) })) model.loss(batch.X, batch.y);
 */
export function minibatches(
  data: Dataset,
  options: { batchSize: number; rng?: Rng; dropLast?: boolean },
): Generator<Dataset & { indices: number[] }> {
  // Checked now, not at the first iteration (a generator's body waits for next()).
  const d = checkDataset('minibatches', data);
  options = checkOptions('minibatches', 'options', options);
  const batchSize = checkInteger(
    'minibatches',
    'options.batchSize',
    options.batchSize,
    1,
    1_000_000,
  );
  if (options.rng !== undefined) checkRng('minibatches', 'options.rng', options.rng);
  if (options.dropLast !== undefined)
    checkBoolean('minibatches', 'options.dropLast', options.dropLast);
  const n = d.y.length;
  const order = Array.from({ length: n }, (_, i) => i);
  if (options.rng) options.rng.shuffle(order);
  const dropLast = options.dropLast ?? false;
  return (function* () {
    for (let start = 0; start < n; start += batchSize) {
      const indices = order.slice(start, start + batchSize);
      if (dropLast && indices.length < batchSize) return;
      yield { ...subset(d, indices), indices };
    }
  })();
}

/**
 * Splits a dataset into train, validation and test parts of the given sizes after a seeded
 * shuffle (sizes that add up to less than N leave the rest out).
 *
 * @example
 * const { train, val, test } = splitDataset(data, { train: 80, val: 10, test: 10, rng: new Rng(0) });
 */
export function splitDataset(
  data: Dataset,
  options: { train: number; val: number; test?: number; rng: Rng },
): { train: Dataset; val: Dataset; test: Dataset } {
  const d = checkDataset('splitDataset', data);
  const n = d.y.length;
  options = checkOptions('splitDataset', 'options', options);
  const rng = checkRng('splitDataset', 'options.rng', options.rng);
  const train = checkInteger('splitDataset', 'options.train', options.train, 1, n);
  const val = checkInteger('splitDataset', 'options.val', options.val, 0, n);
  const rest = Math.max(0, n - train - val);
  const test = checkInteger('splitDataset', 'options.test', options.test ?? rest, 0, n);
  if (train + val + test > n) {
    throw badArgument(
      'splitDataset',
      `train ${train} + val ${val} + test ${test} is more than the ${n} examples`,
    );
  }
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  return {
    train: subset(d, order.slice(0, train)),
    val: subset(d, order.slice(train, train + val)),
    test: subset(d, order.slice(train + val, train + val + test)),
  };
}

/** Per-feature statistics and the map that applies them. */
export interface Standardizer {
  /** The mean of each feature (over the rows it was fitted on). */
  mean: Float64Array;
  /** The standard deviation of each feature (1 where a feature is constant). */
  std: Float64Array;
  /** (X − mean) / std per feature, as a new tensor of X's shape and dtype. */
  apply(X: Tensor): Tensor;
}

function rowSizeOf(fn: string, X: unknown): number {
  if (!(X instanceof Tensor) || X.ndim < 1 || X.shape[0]! < 1) {
    throw badArgument(fn, `argument X must be a tensor of N ≥ 1 examples, got ${describe(X)}`);
  }
  return X.size / X.shape[0]!;
}

/**
 * Fits a standardizer on training features: each feature (each position of an example, so each
 * pixel of an image) gets mean 0 and standard deviation 1. Fit on the training set, apply to all.
 *
 * @example
 * const s = fitStandardizer(train.X); const Xval = s.apply(val.X);
 */
export function fitStandardizer(X: Tensor): Standardizer {
  const d = rowSizeOf('fitStandardizer', X);
  const n = X.shape[0]!;
  const bad = X.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    throw badArgument(
      'fitStandardizer',
      `element ${bad} of X is ${describe(X.data[bad])}: statistics need finite features`,
    );
  }
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += X.data[i * d + j]! / n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) std[j]! += (X.data[i * d + j]! - mean[j]!) ** 2 / n;
  for (let j = 0; j < d; j++) std[j] = std[j]! > 1e-24 ? Math.sqrt(std[j]!) : 1;
  return standardizer(mean, std);
}

/**
 * The standardizer with the given statistics (for example loaded with a saved model).
 *
 * @example
 * standardizerOf(Float64Array.of(1), Float64Array.of(2)).apply(tensor([[5]])).toArray() // [[2]]
 */
export function standardizerOf(mean: Float64Array, std: Float64Array): Standardizer {
  if (
    !(mean instanceof Float64Array) ||
    !(std instanceof Float64Array) ||
    mean.length !== std.length
  ) {
    throw badArgument('standardizerOf', 'mean and std must be Float64Arrays of one length');
  }
  std.forEach((s, j) => checkNumber('standardizerOf', `std[${j}]`, s, { min: 0, minOpen: true }));
  mean.forEach((m, j) => checkNumber('standardizerOf', `mean[${j}]`, m));
  return standardizer(mean, std);
}

function standardizer(mean: Float64Array, std: Float64Array): Standardizer {
  return {
    mean,
    std,
    apply(X: Tensor): Tensor {
      const d = rowSizeOf('Standardizer.apply', X);
      if (d !== mean.length) {
        throw badArgument(
          'Standardizer.apply',
          `X ${formatShape(X.shape)} has ${d} features per example, the standardizer ${mean.length}`,
        );
      }
      const out = zeros(X.shape, { dtype: X.dtype });
      for (let i = 0; i < X.size; i++) out.data[i] = (X.data[i]! - mean[i % d]!) / std[i % d]!;
      return out;
    },
  };
}
