import { noGrad, valueAndGrad } from '../core/autograd.js';
import { observe } from '../core/observe.js';
import { Tensor } from '../core/tensor.js';
import {
  checkArray,
  checkBoolean,
  checkFunction,
  checkOptions,
  checkStepOptions,
  checkTensor,
  describe,
} from '../core/validate.js';
import { badArgument } from '../core/errors.js';
import type { NestedArray } from '../core/nested.js';

/**
 * CS231n's verdicts on a relative error: ≤ 1e-7 happy; ≤ 1e-4 ok for functions with kinks (relu,
 * max, abs) but uncomfortable for smooth ones; above that wrong. `kink` marks an element where
 * f(x+h) and f(x−h) took different branches of a max/relu, so the numerical gradient says nothing.
 */
export type CheckStatus = 'happy' | 'ok' | 'uncomfortable' | 'wrong' | 'kink';

/**
 * |a − n| / max(|a|, |n|), and 0 when both are 0 — the relative error of the CS231n notes (the
 * assignments' notebooks use another one: `relErrorOverSum`).
 *
 * @example
 * relErrorOverMax(2, 2.000002) // ≈ 1e-6
 */
export function relErrorOverMax(a: number, n: number): number {
  // NaN and ±Infinity are data here (a NaN gives a NaN error); anything else is a bug upstream.
  for (const [name, v] of [
    ['a', a],
    ['n', n],
  ] as const) {
    if (typeof v !== 'number') {
      throw badArgument('relErrorOverMax', `argument ${name} must be a number, got ${describe(v)}`);
    }
  }
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

/**
 * How one gradient fared against centered differences: the numbers behind a verdict, for an
 * input, a node or a wire.
 */
export interface Judgement {
  /**
   * The largest relative error |a − n| / max(|a|, |n|), as measured — never rounded to 0 — over
   * the elements whose difference is above the noise floor, or over all of them when every one
   * is below it (`belowNoise`); elements at a kink are left out. NaN when every element sits at
   * a kink (nothing was compared).
   */
  relError: number;
  /** The largest absolute error |a − n| over the same elements. */
  absError: number;
  /**
   * The absolute difference that float64 round-off alone can make in a centered difference
   * here (1e-9 · max(1, |f|)); smaller differences say nothing about backprop.
   */
  noiseFloor: number;
  /** True when every compared difference is within the noise floor. */
  belowNoise: boolean;
  status: CheckStatus;
  /** How many elements crossed a kink. */
  kinks: number;
  /** The flat index of the element `relError` comes from (or of the first kink). */
  worst: number;
}

export interface InputCheck extends Judgement {
  name: string;
  shape: number[];
  analytic: NestedArray;
  numerical: NestedArray;
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
 * Judges an analytic gradient against a numerical one, element by element. Differences within
 * float64 round-off (the noise floor) count as agreement for the verdict — a relative error is
 * meaningless for gradients that are zero up to noise — but the relative error reported is the
 * one measured.
 *
 * @example
 * judge([0.5], numericalGradient(() => 0, tensor([1])), false).status // 'wrong'
 */
function checkJudgeArgs(analytic: unknown, numeric: NumericalGradient, hasKinks: unknown): void {
  const numbers = (v: unknown) =>
    (Array.isArray(v) || v instanceof Float64Array || v instanceof Float32Array) &&
    Array.prototype.every.call(v, (x) => typeof x === 'number');
  if (!numbers(analytic)) {
    throw badArgument(
      'judge',
      `argument analytic must be a list of numbers, got ${describe(analytic)}`,
    );
  }
  const n = checkOptions('judge', 'numeric', numeric);
  if (
    !numbers(n.grad) ||
    !Array.isArray(n.kinks) ||
    typeof n.scale !== 'number' ||
    n.grad.length !== (analytic as ArrayLike<number>).length ||
    n.kinks.length !== n.grad.length
  ) {
    throw badArgument(
      'judge',
      `argument numeric must be a numerical gradient (from numericalGradient) as long as analytic, got ${describe(numeric)}`,
    );
  }
  checkBoolean('judge', 'hasKinks', hasKinks);
}

export function judge(
  analytic: ArrayLike<number>,
  numeric: NumericalGradient,
  hasKinks: boolean,
): Judgement {
  checkJudgeArgs(analytic, numeric, hasKinks);
  const noiseFloor = 1e-9 * Math.max(1, numeric.scale);
  // The worst element above the noise floor, and the worst of all (used when every one is below).
  const above = { rel: -1, at: -1 };
  const all = { rel: -1, at: -1 };
  let absError = 0;
  let kinks = 0;
  for (let i = 0; i < analytic.length; i++) {
    if (numeric.kinks[i]) {
      kinks++;
      continue;
    }
    const a = analytic[i]!;
    const n = numeric.grad[i]!;
    const abs = Math.abs(a - n);
    // NaN on either side is as wrong as it gets.
    const rel = Number.isNaN(abs) ? Infinity : relErrorOverMax(a, n);
    absError = Math.max(absError, Number.isNaN(abs) ? Infinity : abs);
    if (rel > all.rel) Object.assign(all, { rel, at: i });
    if (!(abs <= noiseFloor) && rel > above.rel) Object.assign(above, { rel, at: i });
  }
  const compared = analytic.length - kinks;
  const belowNoise = compared > 0 && above.at < 0;
  const worst = belowNoise ? all : above;
  return {
    relError: compared === 0 ? (kinks > 0 ? NaN : 0) : worst.rel,
    absError,
    noiseFloor,
    belowNoise,
    status: compared === 0 && kinks > 0 ? 'kink' : verdict(belowNoise ? 0 : worst.rel, hasKinks),
    kinks,
    worst: worst.at >= 0 ? worst.at : Math.max(0, Array.from(numeric.kinks).indexOf(true)),
  };
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
    return {
      name: options.names?.[k] ?? x.name ?? `x${k}`,
      shape: [...x.shape],
      analytic: analytic.toArray(),
      numerical: new Tensor(numeric.grad, x.shape).toArray(),
      ...judge(analytic.data, numeric, hasKinks),
    };
  });
  return {
    inputs: results,
    hasKinks,
    passed: results.every((r) => r.status !== 'uncomfortable' && r.status !== 'wrong'),
  };
}

/** A relative error, two significant digits: `3e-11`, `2.5e-7`, `0.67`, `0`. */
function significant(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return '∞';
  return x >= 0.01 ? x.toPrecision(2) : x.toExponential(1).replace(/\.0e/, 'e');
}

/**
 * A relative error as a report prints it: the measured value (never rounded to 0), marked
 * `below noise` when the difference is within float64 round-off of centered differences, and
 * `—` with the reason when nothing could be compared (every element on a kink).
 *
 * @example
 * describeRelError({ relError: 3.2e-11, belowNoise: true, status: 'happy', kinks: 0 }) // '3.2e-11 (below noise)'
 * describeRelError({ relError: NaN, belowNoise: false, status: 'kink', kinks: 1 }) // '— (at a kink)'
 */
export function describeRelError(
  check: Pick<Judgement, 'relError' | 'belowNoise' | 'status' | 'kinks'>,
): string {
  const c = checkOptions('describeRelError', 'check', check);
  if (
    typeof c.relError !== 'number' ||
    typeof c.belowNoise !== 'boolean' ||
    !Number.isInteger(c.kinks) ||
    !(c.status in VERDICT_TEXT)
  ) {
    throw badArgument(
      'describeRelError',
      `argument check must be a judgement ({ relError, belowNoise, status, kinks }), got ${describe(check)}`,
    );
  }
  if (check.status === 'kink') return '— (at a kink)';
  const notes = [
    ...(check.belowNoise && check.relError > 0 ? ['below noise'] : []),
    ...(check.kinks > 0
      ? [`${check.kinks} element${check.kinks === 1 ? '' : 's'} at a kink left out`]
      : []),
  ];
  return `${significant(check.relError)}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/** The CS231n verdicts in words, as reports print them. */
export const VERDICT_TEXT: Readonly<Record<CheckStatus, string>> = {
  happy: 'happy (≤ 1e-7)',
  ok: 'ok (≤ 1e-4, the function has kinks)',
  uncomfortable: 'TOO HIGH for a smooth function (> 1e-7)',
  wrong: 'WRONG (> 1e-4)',
  kink: 'not compared: f(x+h) and f(x−h) fall on two sides of a kink (relu, max, abs)',
};
