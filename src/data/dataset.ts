import { badArgument, formatShape } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { describe } from '../core/validate.js';

/** Examples with integer class labels: what the training code takes. */
export interface Dataset {
  /** N examples: N×D features, or N×C×H×W images. */
  X: Tensor;
  /** N labels in [0, numClasses). */
  y: number[];
  numClasses: number;
  /** Names of the classes, when the data has them (a CSV's label strings). */
  classNames?: string[];
}

/**
 * Checks that `data` is a dataset: X with N rows, N integer labels in [0, numClasses).
 *
 * @example
 * checkDataset('minibatches', { X: zeros([2, 2]), y: [0, 1], numClasses: 2 }); // passes
 */
export function checkDataset(fn: string, data: unknown): Dataset {
  const d = data as Partial<Dataset> | null;
  if (d === null || typeof d !== 'object' || !(d.X instanceof Tensor) || d.X.ndim < 1) {
    throw badArgument(
      fn,
      `the dataset must be { X: tensor, y: labels, numClasses }, got ${describe(data)}`,
    );
  }
  const n = d.X.shape[0]!;
  if (!Array.isArray(d.y) || d.y.length !== n) {
    throw badArgument(
      fn,
      `the dataset has ${Array.isArray(d.y) ? d.y.length : 'no'} labels for X of shape ${formatShape(d.X.shape)}`,
    );
  }
  const c = d.numClasses;
  if (typeof c !== 'number' || !Number.isInteger(c) || c < 1) {
    throw badArgument(fn, `numClasses must be a positive integer, got ${describe(c)}`);
  }
  const bad = d.y.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= c);
  if (bad >= 0)
    throw badArgument(fn, `label ${bad} is ${describe(d.y[bad])}, not an integer in [0, ${c})`);
  return d as Dataset;
}

/**
 * Copies of the rows `index` of X (N×…) as a new constant tensor of X's dtype.
 *
 * @example
 * takeRows(tensor([[1, 2], [3, 4], [5, 6]]), [2, 0]).toArray() // [[5, 6], [1, 2]]
 */
export function takeRows(X: Tensor, rows: readonly number[]): Tensor {
  return takeRowsAs('takeRows', X, rows);
}

function takeRowsAs(fn: string, X: Tensor, rows: readonly number[]): Tensor {
  if (!(X instanceof Tensor) || X.ndim < 1) {
    throw badArgument(fn, `argument X must be a tensor of rows, got ${describe(X)}`);
  }
  const n = X.shape[0]!;
  const index: readonly number[] = rows;
  if (!Array.isArray(rows) || !index.every((r) => Number.isInteger(r) && r >= 0 && r < n)) {
    throw badArgument(
      fn,
      `argument rows must list rows of X (integers from 0 to ${n - 1}), got ${describe(rows)}`,
    );
  }
  const rowSize = X.size / Math.max(n, 1);
  const out = new (X.data.constructor as Float64ArrayConstructor)(index.length * rowSize);
  index.forEach((r, i) => out.set(X.data.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize));
  return new Tensor(out, [index.length, ...X.shape.slice(1)]);
}

/** The rows `index` of a dataset, copied. */
export function subset(data: Dataset, index: readonly number[]): Dataset {
  checkDataset('subset', data);
  const result: Dataset = {
    X: takeRowsAs('subset', data.X, index),
    y: index.map((i) => data.y[i]!),
    numClasses: data.numClasses,
  };
  if (data.classNames) result.classNames = data.classNames;
  return result;
}
