import assert from 'node:assert/strict';
import { Rng } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { checkGradients } from '../../src/graph/gradcheck.js';
import { mul, sum } from '../../src/ops/index.js';
import { randomInputs } from './random.js';

/** NumPy's linspace(a, b, n) as a tensor of `shape` (default [n]); the notebooks build inputs with it. */
export function linspace(a: number, b: number, n: number, shape: number[] = [n]): Tensor {
  const step = n > 1 ? (b - a) / (n - 1) : 0;
  return tensor(
    Array.from({ length: n }, (_, i) => (i === n - 1 && n > 1 ? b : a + i * step)),
    { shape },
  );
}

/** Random float64 values in [-2, 2] (or the given range), from a seeded generator. */
export function randn(rng: Rng, shape: number[], lo = -2, hi = 2): Tensor {
  return randomInputs(rng, [shape], [[lo, hi]])[0]!;
}

export interface GradcheckResult {
  /**
   * The largest relative error over all inputs that is above float64 noise (elements that
   * crossed a kink excluded).
   */
  relError: number;
  kinks: number;
}

/**
 * Gradient-checks f at `inputs` (only the first `differentiable` of them, default all) in float64
 * against centered differences, on L = Σ f(x)·dy for a random dy so the whole Jacobian is
 * covered. Elements whose nudge crossed a kink (a relu/max decision changed) are excluded by the
 * checker; they are counted in `kinks`.
 */
export function gradcheck(
  rng: Rng,
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  differentiable = inputs.length,
  h?: number,
): GradcheckResult {
  const probe = f(...inputs);
  const dy = randomInputs(rng, [probe.shape])[0]!;
  const fixed = inputs.slice(differentiable);
  const report = checkGradients(
    (...xs) =>
      probe.size === 1 && probe.ndim === 0 ? f(...xs, ...fixed) : sum(mul(f(...xs, ...fixed), dy)),
    inputs.slice(0, differentiable),
    h === undefined ? {} : { h },
  );
  return {
    relError: Math.max(
      ...report.inputs.map((r) => (r.belowNoise || Number.isNaN(r.relError) ? 0 : r.relError)),
    ),
    kinks: report.inputs.reduce((n, r) => n + r.kinks, 0),
  };
}

/** Asserts a gradient check passes below `tolerance` (1e-7 unless a reason is given). */
export function assertGradients(
  rng: Rng,
  f: (...xs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options: { differentiable?: number; tolerance?: number; label?: string; h?: number } = {},
): GradcheckResult {
  const result = gradcheck(rng, f, inputs, options.differentiable, options.h);
  const tolerance = options.tolerance ?? 1e-7;
  assert.ok(
    result.relError < tolerance,
    `${options.label ?? 'gradient check'}: relative error ${result.relError} ≥ ${tolerance} ` +
      `(shapes ${JSON.stringify(inputs.map((t) => t.shape))})`,
  );
  return result;
}

/**
 * Values on a shuffled grid over [-2, 2], all at least 4/size apart: no two nearly tie (so no
 * max flips under a nudge) and no group of them has a variance anywhere near a norm layer's eps.
 */
export function spread(rng: Rng, shape: number[]): Tensor {
  const n = shape.reduce((a, d) => a * d, 1);
  return tensor(rng.shuffle(Array.from({ length: n }, (_, i) => (4 * (i + 0.5)) / n - 2)), {
    shape,
  });
}

// conv_forward_naive's check from CS231n assignment 2 (ConvolutionalNetworks.ipynb).
export const CONV_EXPECTED = [
  [
    [
      [-0.08759809, -0.10987781],
      [-0.18387192, -0.2109216],
    ],
    [
      [0.21027089, 0.21661097],
      [0.22847626, 0.23004637],
    ],
    [
      [0.50813986, 0.54309974],
      [0.64082444, 0.67101435],
    ],
  ],
  [
    [
      [-0.98053589, -1.03143541],
      [-1.19128892, -1.24695841],
    ],
    [
      [0.69108355, 0.66880383],
      [0.59480972, 0.56776003],
    ],
    [
      [2.36270298, 2.36904306],
      [2.38090835, 2.38247847],
    ],
  ],
];
