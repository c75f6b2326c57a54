import { noGrad, valueAndGrad } from '../core/autograd.js';
import { observe } from '../core/observe.js';
import { Tensor } from '../core/tensor.js';
import { checkArray, checkFunction, checkStepOptions, checkTensor } from '../core/validate.js';
import type { NestedArray } from '../core/nested.js';

/**
 * CS231n's verdicts on a relative error: ≤ 1e-7 happy; ≤ 1e-4 ok for functions with kinks (relu,
 * max, abs) but uncomfortable for smooth ones; above that wrong. `kink` marks an element where
 * f(x+h) and f(x−h) took different branches of a max/relu, so the numerical gradient says nothing.
 */
export type CheckStatus = 'happy' | 'ok' | 'uncomfortable' | 'wrong' | 'kink';

/**
 * |a − n| / max(|a|, |n|), and 0 when both are 0 — the relative error of the CS231n notes.
 *
 * @example
 * relativeError(1, 1.000001) // ≈ 1e-6
 */
export function relativeError(a: number, n: number): number {
  const scale = Math.max(Math.abs(a), Math.abs(n));
  return scale === 0 ? 0 : Math.abs(a - n) / scale;
}

export interface NumericalGradient {
  /** (f(x+h) − f(x−h)) / 2h for every element of x. */
  grad: Float64Array;
  /** Per element: true when a max/relu/abs changed its decision between x+h and x−h. */
  kinks: boolean[];
  /** The largest |f| seen, for judging round-off noise. */
  scale: number;
}

/** The decisions (max winners, relu signs) every op with a kink made while running `f`. */
function withDecisions(f: () => number): { y: number; decisions: string } {
  const parts: string[] = [];
  const y = observe(
    {
      forward: ({ op, inputs, output, saved }) => {
        if (op.decisions)
          parts.push(
            Array.from(
              op.decisions(
                inputs.map((t) => t.data),
                output.data,
                saved,
              ),
            ).join(','),
          );
      },
    },
    f,
  );
  return { y, decisions: parts.join('|') };
}

export interface NumericalOptions {
  /** The step (default 1e-5, as in CS231n). */
  h?: number;
  /** Only these flat indices (the others stay 0). */
  indices?: readonly number[];
  /**
   * 2 (default): the centered difference (f(x+h) − f(x−h))/2h of the notes, error ≈ h²·f‴/6.
   * 4: Richardson's extrapolation (4·D(h/2) − D(h))/3, error O(h⁴) — for checks that must not
   * mistake the centered difference's own truncation error for a backprop bug.
   */
  order?: 2 | 4;
}

/**
 * The centered-difference gradient of a scalar function of `x` (x's values are nudged in place
 * and always restored), with kink detection. Runs without recording a graph.
 */
export function numericalGradient(
  f: () => number,
  x: Tensor,
  options: NumericalOptions = {},
): NumericalGradient {
  checkFunction('numericalGradient', 'f', f);
  checkTensor('numericalGradient', 'x', x);
  checkStepOptions('numericalGradient', options);
  const h = options.h ?? 1e-5;
  const data = x.data;
  const indices = options.indices ?? Array.from(data.keys());
  const steps = options.order === 4 ? [h, h / 2] : [h];
  const grad = new Float64Array(data.length);
  const kinks = new Array<boolean>(data.length).fill(false);
  let scale = 0;
  noGrad(() => {
    // The decisions at x itself: a nudge that changes them starts or ends on a kink, even when
    // x+h and x−h agree (abs at exactly 0, where the convention picks the gradient 0).
    const here = indices.length > 0 ? withDecisions(f).decisions : '';
    for (const i of indices) {
      const original = data[i]!;
      try {
        const slopes = steps.map((step) => {
          data[i] = original + step;
          const plus = withDecisions(f);
          data[i] = original - step;
          const minus = withDecisions(f);
          if (plus.decisions !== here || minus.decisions !== here) kinks[i] = true;
          scale = Math.max(scale, Math.abs(plus.y), Math.abs(minus.y));
          return (plus.y - minus.y) / (2 * step);
        });
        grad[i] = slopes.length === 2 ? (4 * slopes[1]! - slopes[0]!) / 3 : slopes[0]!;
      } finally {
        data[i] = original;
      }
    }
  });
  return { grad, kinks, scale };
}

export interface InputCheck {
  name: string;
  shape: number[];
  analytic: NestedArray;
  numerical: NestedArray;
  /** The largest relative error over the checked elements (kinks excluded). */
  relError: number;
  /** The largest absolute error over the checked elements (kinks excluded). */
  absError: number;
  status: CheckStatus;
  /** How many elements crossed a kink. */
  kinks: number;
}

export interface GradientCheck {
  inputs: InputCheck[];
  /** Does f contain an op with a kink (relu, max, abs…)? Sets how strict the verdict is. */
  hasKinks: boolean;
  /** True when no input is 'uncomfortable' or 'wrong'. */
  passed: boolean;
}

export interface CheckOptions {
  /** The finite-difference step (default 1e-5, as in CS231n). */
  h?: number;
  /** 2 (default, the notes' centered difference) or 4 (Richardson): see NumericalOptions. */
  order?: 2 | 4;
  /** Names for the report (default x0, x1, …). */
  names?: readonly string[];
}

function verdict(relError: number, hasKinks: boolean): CheckStatus {
  if (relError <= 1e-7) return 'happy';
  if (relError <= 1e-4) return hasKinks ? 'ok' : 'uncomfortable';
  return 'wrong';
}

/**
 * Compares the analytic gradient of f (by backprop) with centered differences, input by input,
 * element by element, in float64 — the gradient check of the CS231n notes. Differences at the
 * level of floating-point round-off (≤ 1e-9·max(1, |f|)) count as agreement, since relative error
 * is meaningless for gradients that are zero up to noise.
 *
 * @example
 * checkGradients((x, y) => mul(x, y), [tensor(4), tensor(-3)]).passed // true
 */
export function checkGradients(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: CheckOptions = {},
): GradientCheck {
  checkFunction('checkGradients', 'f', f);
  checkArray('checkGradients', 'inputs', inputs).forEach((t, i) =>
    checkTensor('checkGradients', `inputs[${i}]`, t),
  );
  checkStepOptions('checkGradients', options);
  const leaves = inputs.map((t) => {
    const leaf = t.detach();
    leaf.requiresGrad = true;
    return leaf;
  });
  let hasKinks = false;
  const { grads } = observe(
    { forward: ({ op }) => void (hasKinks ||= op.decisions !== undefined) },
    () => valueAndGrad(f)(...leaves),
  );
  const results = leaves.map((x, k): InputCheck => {
    const analytic = grads[k]!;
    // Copies: the nudging must not touch the caller's tensors.
    const probe = new Tensor(x.data.slice(), x.shape);
    const others = leaves.map((l, j) => (j === k ? probe : l));
    const numeric = numericalGradient(() => f(...others).item(), probe, {
      ...(options.h === undefined ? {} : { h: options.h }),
      ...(options.order === undefined ? {} : { order: options.order }),
    });
    const noise = 1e-9 * Math.max(1, numeric.scale);
    let relError = 0;
    let absError = 0;
    let kinks = 0;
    for (let i = 0; i < probe.size; i++) {
      if (numeric.kinks[i]) {
        kinks++;
        continue;
      }
      const a = analytic.data[i]!;
      const n = numeric.grad[i]!;
      const abs = Math.abs(a - n);
      absError = Math.max(absError, abs);
      if (abs > noise || Number.isNaN(abs))
        relError = Math.max(relError, Number.isNaN(abs) ? Infinity : relativeError(a, n));
    }
    const status = kinks === probe.size ? 'kink' : verdict(relError, hasKinks);
    return {
      name: options.names?.[k] ?? x.name ?? `x${k}`,
      shape: [...x.shape],
      analytic: analytic.toArray(),
      numerical: new Tensor(numeric.grad, x.shape).toArray(),
      relError,
      absError,
      status,
      kinks,
    };
  });
  return {
    inputs: results,
    hasKinks,
    passed: results.every((r) => r.status !== 'uncomfortable' && r.status !== 'wrong'),
  };
}
