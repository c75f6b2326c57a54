import { Rng } from '../core/random.js';
import { flattenNested, type NestedArray } from '../core/nested.js';
import { ShapeError, badArgument, formatShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { checkFunction, checkInteger, checkStepOptions, checkTensor } from '../core/validate.js';
import { numericalGradient } from './gradcheck.js';

// The gradient-checking helpers of the CS231n assignments (cs231n/gradient_check.py), in float64,
// on the same centered differences (and kink detection) as checkGradients.

export interface StepOptions {
  /** The finite-difference step (default 1e-5). */
  h?: number;
}

/**
 * The numerical gradient of a scalar function f at x by centered differences,
 * (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h for every element i. x is nudged in place and restored.
 *
 * @example
 * evalNumericalGradient((x) => x.data[0] ** 2, tensor([3])).toArray() // ≈ [6]
 */
export function evalNumericalGradient(
  f: (x: Tensor) => number,
  x: Tensor,
  options: StepOptions = {},
): Tensor {
  checkFunction('evalNumericalGradient', 'f', f);
  checkTensor('evalNumericalGradient', 'x', x);
  checkStepOptions('evalNumericalGradient', options);
  const { grad } = numericalGradient(
    () => f(x),
    x,
    options.h === undefined ? {} : { h: options.h },
  );
  return new Tensor(grad, [...x.shape]);
}

/** Σ a·b over two arrays of the same length, in float64. */
function dot(fn: string, a: Tensor, b: Tensor): number {
  checkTensor(fn, 'f(x)', a);
  if (!shapesEqual(a.shape, b.shape)) {
    throw new ShapeError(
      fn,
      [a.shape, b.shape],
      `f(x) has shape ${formatShape(a.shape)} but dout has ${formatShape(b.shape)}`,
    );
  }
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.data[i]! * b.data[i]!;
  return s;
}

/**
 * The numerical vector-Jacobian product of a tensor-valued f at x: Σⱼ dout[j] · ∂f(x)[j]/∂x[i]
 * for every i, by centered differences — what a layer's backward pass must return as dx.
 *
 * @example
 * evalNumericalGradientArray((x) => mul(x, 2), tensor([1, 2]), tensor([1, 1])).toArray() // ≈ [2, 2]
 */
export function evalNumericalGradientArray(
  f: (x: Tensor) => Tensor,
  x: Tensor,
  dout: Tensor,
  options: StepOptions = {},
): Tensor {
  const fn = 'evalNumericalGradientArray';
  checkFunction(fn, 'f', f);
  checkTensor(fn, 'x', x);
  checkTensor(fn, 'dout', dout);
  checkStepOptions(fn, options);
  return evalNumericalGradient((t) => dot(fn, f(t), dout), x, options);
}

/** One row of a sparse gradient check. */
export interface SparseCheckRow {
  /** The element checked, as a multi-index into x. */
  index: number[];
  analytic: number;
  numeric: number;
  /** |a − n| / max(1e-8, |a| + |n|): the assignments' relative error, for this element. */
  relError: number;
  /** True when f(x + h) and f(x − h) took different branches of a max/relu: the numbers differ for a good reason. */
  kink: boolean;
}

/**
 * Compares the analytic gradient with centered differences at `numChecks` random elements of x
 * (CS231n's grad_check_sparse), drawn with a seeded generator.
 *
 * @example
 * gradCheckSparse((x) => loss(x), W, dW, { numChecks: 5, seed: 0 }).map((r) => r.relError)
 */
export function gradCheckSparse(
  f: (x: Tensor) => number,
  x: Tensor,
  analyticGrad: Tensor,
  options: StepOptions & { numChecks?: number; seed?: number } = {},
): SparseCheckRow[] {
  const fn = 'gradCheckSparse';
  checkFunction(fn, 'f', f);
  checkTensor(fn, 'x', x);
  checkTensor(fn, 'analyticGrad', analyticGrad);
  checkStepOptions(fn, options);
  if (options.seed !== undefined) checkInteger(fn, 'options.seed', options.seed);
  if (!shapesEqual(x.shape, analyticGrad.shape)) {
    throw new ShapeError(
      'gradCheckSparse',
      [x.shape, analyticGrad.shape],
      `the analytic gradient has shape ${formatShape(analyticGrad.shape)} but x has ${formatShape(x.shape)}`,
    );
  }
  const numChecks = checkInteger(fn, 'options.numChecks', options.numChecks ?? 10, 0, 1_000_000);
  if (x.size === 0) return [];
  const rng = new Rng(options.seed ?? 0);
  const picks = Array.from({ length: numChecks }, () => rng.int(0, x.size - 1));
  const h = options.h === undefined ? {} : { h: options.h };
  const strides = x.strides;
  return picks.map((i) => {
    const { grad, kinks } = numericalGradient(() => f(x), x, { ...h, indices: [i] });
    const analytic = analyticGrad.data[i]!;
    const numeric = grad[i]!;
    return {
      index: strides.map((s, d) => Math.floor(i / s) % x.shape[d]!),
      analytic,
      numeric,
      relError: relErrorOverSum(analytic, numeric),
      kink: kinks[i]!,
    };
  });
}

function values(v: Tensor | NestedArray): number[] {
  if (v instanceof Tensor) return Array.from(v.data);
  return flattenNested('relErrorOverSum', v).values;
}

/**
 * The assignments' relative error, max over elements of |a − b| / max(1e-8, |a| + |b|) — the
 * `rel_error` of the CS231n notebooks (the notes' gradient check uses `relErrorOverMax`).
 *
 * @example
 * relErrorOverSum(tensor([1, 2]), [1, 2.000002]) // ≈ 5e-7
 */
export function relErrorOverSum(a: Tensor | NestedArray, b: Tensor | NestedArray): number {
  const x = values(a);
  const y = values(b);
  if (x.length !== y.length) {
    throw badArgument(
      'relErrorOverSum',
      `the two arguments have ${x.length} and ${y.length} elements`,
    );
  }
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const e = Math.abs(x[i]! - y[i]!) / Math.max(1e-8, Math.abs(x[i]!) + Math.abs(y[i]!));
    worst = Number.isNaN(e) ? NaN : Math.max(worst, e);
    if (Number.isNaN(worst)) return NaN;
  }
  return worst;
}
