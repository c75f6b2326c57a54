import { ShapeError, badArgument, formatShape, within } from '../core/errors.js';
import type { Rng } from '../core/random.js';
import { Tensor } from '../core/tensor.js';
import {
  checkNumber,
  checkOptions,
  checkRng,
  checkShapeArg,
  checkTensor,
} from '../core/validate.js';
import { conv2d, type Conv2dOptions } from '../ops/conv.js';
import { add, mul } from '../ops/elementwise.js';
import { flatten, where } from '../ops/indexing.js';
import { matmul } from '../ops/matmul.js';
import { maxPool2d, type PoolOptions } from '../ops/pool.js';
import { checkPhase, type Phase } from './phase.js';

// CS231n's layers as plain functions of ops: their gradients are the ops' VJPs, chained by the
// engine. Parameters are ordinary tensors (created with requiresGrad: true).

/**
 * The fully connected layer: each example of x (N×d₁×…×d_k) is flattened to a row of
 * D = d₁⋯d_k numbers, then out = x·w + b with w D×M and b M.
 *
 * @example
 * affine(tensor([[1, 2]]), tensor([[1], [1]]), tensor([0.5])).toArray() // [[3.5]]
 */
export function affine(x: Tensor, w: Tensor, b: Tensor): Tensor {
  checkTensor('affine', 'x', x);
  checkTensor('affine', 'w', w);
  checkTensor('affine', 'b', b);
  if (x.ndim < 1) {
    throw new ShapeError(
      'affine',
      [x.shape],
      'x must hold N examples (rank ≥ 1), got a 0-d tensor',
    );
  }
  const rows = within('affine', () => flatten(x));
  const d = rows.shape[1]!;
  if (w.ndim !== 2 || w.shape[0] !== d) {
    throw new ShapeError(
      'affine',
      [x.shape, w.shape],
      `x ${formatShape(x.shape)} has ${d} features per example, so w must be ${d}×M, got ${formatShape(w.shape)}`,
    );
  }
  if (b.ndim !== 1 || b.shape[0] !== w.shape[1]) {
    throw new ShapeError(
      'affine',
      [w.shape, b.shape],
      `b must have shape [${w.shape[1]}] to match w ${formatShape(w.shape)}, got ${formatShape(b.shape)}`,
    );
  }
  return add(matmul(rows, w), b);
}

/**
 * max(slope·x, x) for a small slope (default 0.01): negative inputs keep a little gradient.
 * At 0 the gradient is the slope, as PyTorch's leaky_relu.
 *
 * @example
 * leakyRelu(tensor([-2, 3]), 0.1).toArray() // [-0.2, 3]
 */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  checkTensor('leakyRelu', 'x', x);
  checkNumber('leakyRelu', 'slope', slope);
  const positive = new Tensor(
    Float64Array.from(x.data, (v) => (v > 0 ? 1 : 0)),
    x.shape,
  );
  return where(positive, x, mul(x, slope));
}

export interface DropoutOptions {
  /** The probability of keeping each unit, p in (0, 1] (CS231n's dropout_keep_ratio). */
  keep: number;
  /** 'train' (default) drops units; 'eval' is the identity. */
  mode?: Phase;
  /** The seeded generator that draws the mask (required in train mode). */
  rng?: Rng;
}

/** The probability of keeping a unit: in (0, 1] (1 keeps every unit). */
function checkKeep(fn: string, name: string, keep: unknown): number {
  return checkNumber(fn, name, keep, { min: 0, minOpen: true, max: 1 });
}

/**
 * The inverted-dropout mask: each entry is 1/p with probability p (kept, rescaled so the
 * expected activation is unchanged) and 0 otherwise.
 *
 * @example
 * dropoutMask([4], 0.5, new Rng(1)).toArray() // entries are 0 or 2
 */
export function dropoutMask(shape: readonly number[], keep: number, rng: Rng): Tensor {
  // The size is bounded before the loop: a huge shape used to spin for minutes drawing numbers.
  const dims = checkShapeArg('dropoutMask', 'shape', shape);
  checkKeep('dropoutMask', 'keep', keep);
  checkRng('dropoutMask', 'rng', rng);
  const size = dims.reduce((a, d) => a * d, 1);
  const mask = new Float64Array(size);
  for (let i = 0; i < size; i++) mask[i] = rng.next() < keep ? 1 / keep : 0;
  return new Tensor(mask, dims);
}

/**
 * Inverted dropout: in train mode x × mask with mask = (u < p) / p for uniform u from `rng`; in
 * eval mode x unchanged. Test-time code needs no rescaling.
 *
 * @example
 * dropout(x, { keep: 0.5, rng: new Rng(0) }); // about half the units zeroed, the rest doubled
 */
export function dropout(x: Tensor, options: DropoutOptions): Tensor {
  checkTensor('dropout', 'x', x);
  checkOptions('dropout', 'options', options);
  const keep = checkKeep('dropout', 'options.keep', options.keep);
  const mode = checkPhase('dropout', options.mode ?? 'train', 'options.mode');
  if (mode === 'eval') return x;
  if (options.rng === undefined) {
    throw badArgument(
      'dropout',
      'train mode needs a seeded generator: pass { rng: new Rng(seed) }',
    );
  }
  const rng = checkRng('dropout', 'options.rng', options.rng);
  return mul(x, dropoutMask(x.shape, keep, rng));
}

/**
 * The convolutional layer: conv2d of x (N×C×H×W) with filters w (F×C×HH×WW) plus bias b (F).
 *
 * @example
 * conv(x, w, b, { stride: 1, pad: 1 }).shape // [N, F, H, W] for 3×3 filters
 */
export function conv(x: Tensor, w: Tensor, b: Tensor, options: Conv2dOptions = {}): Tensor {
  // The layer always has a bias (conv2d also takes none, or its options in b's place).
  checkTensor('conv', 'b', b);
  return within('conv', () => conv2d(x, w, b, options));
}

/**
 * The max-pooling layer (default 2×2 windows with stride 2).
 *
 * @example
 * maxPool(zeros([1, 1, 4, 4])).shape // [1, 1, 2, 2]
 */
export function maxPool(x: Tensor, options: PoolOptions = {}): Tensor {
  return within('maxPool', () => maxPool2d(x, options));
}
