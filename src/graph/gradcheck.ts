import { noGrad, valueAndGrad } from '../core/autograd.js';
import { observe } from '../core/observe.js';
import { Tensor } from '../core/tensor.js';
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

/**
 * The centered-difference gradient of a scalar function of `x` (x's values are nudged in place
 * and always restored), with kink detection. Runs without recording a graph.
 */
export function numericalGradient(
  f: () => number,
  x: Tensor,
  options: { h?: number; indices?: readonly number[] } = {},
): NumericalGradient {
  const h = options.h ?? 1e-5;
  const data = x.data;
  const indices = options.indices ?? Array.from(data.keys());
  const grad = new Float64Array(data.length);
  const kinks = new Array<boolean>(data.length).fill(false);
  let scale = 0;
  noGrad(() => {
    for (const i of indices) {
      const original = data[i]!;
      try {
        data[i] = original + h;
        const plus = withDecisions(f);
        data[i] = original - h;
        const minus = withDecisions(f);
        grad[i] = (plus.y - minus.y) / (2 * h);
        kinks[i] = plus.decisions !== minus.decisions;
        scale = Math.max(scale, Math.abs(plus.y), Math.abs(minus.y));
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
    const numeric = numericalGradient(
      () => f(...others).item(),
      probe,
      options.h === undefined ? {} : { h: options.h },
    );
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
