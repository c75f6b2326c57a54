/**
 * Numbers that add up: an equation shown to a learner (`(2.00) × (0.197) = 0.39`, `2.00 + (-1.00)
 * = 1.00`) must check out at the precision printed. Rounding every number to two decimals does
 * not: 2 × 0.19661 = 0.39, but its factors print as 2.00 and 0.20, whose product is 0.40. So the
 * operands get as many digits as it takes for their exact product (or sum) to round to the
 * printed result; where no reasonable number of digits does (a result a hair from a rounding
 * boundary), the relation is printed as `≈`.
 */
import { badArgument } from '../core/errors.js';
import { checkArray, describe } from '../core/validate.js';
import { checkNested, checkPrecision } from './check-args.js';
import { formatNumber, formatValue } from './format.js';
import type { NestedArray } from './types.js';

/** An equation as printed: its operands, the relation and the result. */
export interface ShownEquation {
  /** Each operand, formatted as `formatValue` does at the digits chosen for it. */
  operands: string[];
  /** `=` when the printed operands give the printed result; `≈` when the result was rounded. */
  relation: '=' | '≈';
  result: string;
}

/** Operands get at most this many digits more than the result before `≈` is used instead. */
const EXTRA_DIGITS = 6;

function flat(v: NestedArray): number[] {
  if (typeof v === 'number') return [v];
  const out: number[] = [];
  const stack: NestedArray[] = [v];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (typeof x === 'number') out.push(x);
    else for (let i = x.length - 1; i >= 0; i--) stack.push(x[i]!);
  }
  return out;
}

/**
 * Half a unit of the last digit of a printed number: how far the true value may be from it.
 *
 * @example
 * roundingRadius('0.39')     // 0.005
 * roundingRadius('1.50e+6')  // 5000
 */
export function roundingRadius(text: string): number {
  if (typeof text !== 'string') {
    throw badArgument('roundingRadius', `argument text must be a string, got ${describe(text)}`);
  }
  const m = /^-?\d+(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!m) return 0;
  const decimals = m[1]?.length ?? 0;
  const exponent = m[2] === undefined ? 0 : Number(m[2]);
  return 0.5 * 10 ** (exponent - decimals);
}

/** A printed number as an exact decimal m·10^e (BigInt m), or undefined for ∞ and NaN. */
function decimal(text: string): { m: bigint; e: number } | undefined {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!match) return undefined;
  const fraction = match[3] ?? '';
  const m = BigInt(match[2]! + fraction) * (match[1] === '-' ? -1n : 1n);
  return { m, e: (match[4] === undefined ? 0 : Number(match[4])) - fraction.length };
}

/**
 * Does a value given exactly as m·10^e round to the printed `result`, the way people round
 * (and toFixed does): to the nearest, halves away from zero?
 */
function roundsTo(value: { m: bigint; e: number }, result: string): boolean {
  const r = decimal(result);
  if (r === undefined) return false;
  // Compare |value − r| with half a unit of r's last digit, 5·10^(r.e − 1), on one exponent.
  const base = Math.min(value.e, r.e - 1);
  const scale = (m: bigint, e: number) => m * 10n ** BigInt(e - base);
  const [v, shown, half] = [scale(value.m, value.e), scale(r.m, r.e), scale(5n, r.e - 1)];
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const diff = abs(v - shown);
  return diff < half || (diff === half && abs(shown) > abs(v));
}

/** The elements of a printed value, as printed: `[0.10, -2.00]` → ['0.10', '-2.00']. */
function printedElements(v: NestedArray, digits: number): string[] {
  return flat(v).map((x) => formatNumber(x, digits));
}

/** Element i of an operand paired with element i of the result (a single element repeats). */
const pick = <T>(xs: readonly T[], i: number): T => xs[xs.length === 1 ? 0 : i]!;

/** Can each result element be paired with one element of every operand (same size, or one)? */
function pairable(operands: readonly number[][], result: readonly number[]): boolean {
  return operands.every((x) => x.length === result.length || x.length === 1);
}

/** The largest |x − x as printed with `digits`| over the elements. */
function printError(xs: readonly number[], digits: number): number {
  let worst = 0;
  for (const x of xs) worst = Math.max(worst, Math.abs(x - Number(formatNumber(x, digits))));
  return worst;
}

const largest = (xs: readonly number[]) => xs.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/**
 * How much room the printed result leaves: the smallest distance, over its elements, from the
 * true value to the edge of the interval that rounds to the printed number.
 */
function room(result: readonly number[], precision: number): number {
  let margin = Infinity;
  for (const r of result) {
    const text = formatNumber(r, precision);
    margin = Math.min(margin, roundingRadius(text) - Math.abs(r - Number(text)));
  }
  return margin;
}

/**
 * Chooses digits per operand, greedily refining the operand whose rounding costs the most (by
 * `cost`, each operand's share of an upper bound on how far the printed operands' result can be
 * from the true one), until the printed operands give the printed result: checked exactly by
 * `exact` when elements pair up, else by the bound fitting in the room the result leaves.
 * Returns the digits and whether they fit.
 */
function chooseDigits(
  count: number,
  precision: number,
  cost: (digits: readonly number[]) => number[],
  exact: ((digits: readonly number[]) => boolean) | undefined,
  margin: number,
  radius: number,
): { digits: number[]; fits: boolean } {
  const digits = new Array<number>(count).fill(precision);
  let near: number[] | undefined;
  for (;;) {
    const costs = cost(digits);
    const total = costs.reduce((a, b) => a + b, 0);
    if (exact ? exact(digits) : total < margin) return { digits, fits: true };
    if (near === undefined && total < radius) near = [...digits];
    let pick = -1;
    costs.forEach((c, i) => {
      if (digits[i]! < precision + EXTRA_DIGITS && (pick < 0 || c > costs[pick]!)) pick = i;
    });
    if (pick < 0 || costs[pick] === 0) {
      return { digits: near ?? new Array<number>(count).fill(precision), fits: false };
    }
    digits[pick]!++;
  }
}

function finite(xs: readonly number[]): boolean {
  return xs.every(Number.isFinite);
}

/**
 * `a × b = product` as printed at `precision`: the factors get enough digits that their exact
 * product rounds to the printed product (elementwise; arrays may broadcast against each other).
 *
 * @example
 * showProduct(2, 0.19661193324148185, 0.3932238664829637, 2)
 * // { operands: ['2.00', '0.197'], relation: '=', result: '0.39' }
 */
export function showProduct(
  a: NestedArray,
  b: NestedArray,
  product: NestedArray,
  precision = 2,
): ShownEquation {
  checkNested('showProduct', 'a', a);
  checkNested('showProduct', 'b', b);
  checkNested('showProduct', 'product', product);
  checkPrecision('showProduct', precision);
  const [xa, xb, xp] = [flat(a), flat(b), flat(product)];
  const result = formatValue(product, precision);
  if (!finite([...xa, ...xb, ...xp])) {
    return {
      operands: [formatValue(a, precision), formatValue(b, precision)],
      relation: '=',
      result,
    };
  }
  const [ma, mb] = [largest(xa), largest(xb)];
  // The engine's product is the correctly rounded a·b: allow for that last bit.
  const slack = 2.3e-16 * ma * mb;
  const printed = printedElements(product, precision);
  const exact = pairable([xa, xb], xp)
    ? ([da, db]: readonly number[]) => {
        const [pa, pb] = [printedElements(a, da!), printedElements(b, db!)];
        return printed.every((r, i) => {
          const [x, y] = [decimal(pick(pa, i)), decimal(pick(pb, i))];
          return x !== undefined && y !== undefined && roundsTo({ m: x.m * y.m, e: x.e + y.e }, r);
        });
      }
    : undefined;
  const { digits, fits } = chooseDigits(
    2,
    precision,
    ([da, db]) => {
      const [ea, eb] = [printError(xa, da!), printError(xb, db!)];
      // |ã·b̃ − a·b| ≤ |Δa|·|b| + |a|·|Δb| + |Δa|·|Δb|, for any pairing of elements.
      return [ea * mb + (ea * eb) / 2, ma * eb + (ea * eb) / 2];
    },
    exact,
    room(xp, precision) - slack,
    Math.min(...xp.map((p) => roundingRadius(formatNumber(p, precision)))),
  );
  return {
    operands: [formatValue(a, digits[0]), formatValue(b, digits[1])],
    relation: fits ? '=' : '≈',
    result,
  };
}

/**
 * `t₁ + t₂ + … = total` as printed at `precision`: the terms get enough digits that their exact
 * sum rounds to the printed total (elementwise).
 *
 * @example
 * showSum([0.396, 0.396], 0.792, 2)
 * // { operands: ['0.396', '0.396'], relation: '=', result: '0.79' }
 */
export function showSum(
  terms: readonly NestedArray[],
  total: NestedArray,
  precision = 2,
): ShownEquation {
  checkArray('showSum', 'terms', terms).forEach((t, i) => checkNested('showSum', `terms[${i}]`, t));
  if (terms.length === 0)
    throw badArgument('showSum', 'argument terms must hold at least one term');
  checkNested('showSum', 'total', total);
  checkPrecision('showSum', precision);
  const xs = terms.map(flat);
  const xt = flat(total);
  const result = formatValue(total, precision);
  if (!finite([...xs.flat(), ...xt])) {
    return { operands: terms.map((t) => formatValue(t, precision)), relation: '=', result };
  }
  // A float sum of n terms is off from the exact one by at most about n·ε·Σ|t|.
  const slack = 2.3e-16 * terms.length * xs.reduce((s, x) => s + largest(x), 0);
  const printed = printedElements(total, precision);
  const exact = pairable(xs, xt)
    ? (d: readonly number[]) => {
        const shown = terms.map((t, k) => printedElements(t, d[k]!));
        return printed.every((r, i) => {
          const parts = shown.map((p) => decimal(pick(p, i)));
          if (parts.some((p) => p === undefined)) return false;
          const base = Math.min(...parts.map((p) => p!.e));
          const m = parts.reduce((s, p) => s + p!.m * 10n ** BigInt(p!.e - base), 0n);
          return roundsTo({ m, e: base }, r);
        });
      }
    : undefined;
  const { digits, fits } = chooseDigits(
    terms.length,
    precision,
    (d) => xs.map((x, i) => printError(x, d[i]!)),
    exact,
    room(xt, precision) - slack,
    Math.min(...xt.map((t) => roundingRadius(formatNumber(t, precision)))),
  );
  return {
    operands: terms.map((t, i) => formatValue(t, digits[i])),
    relation: fits ? '=' : '≈',
    result,
  };
}
