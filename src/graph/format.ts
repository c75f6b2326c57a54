import { badArgument } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { checkNested, checkPrecision } from './check-args.js';
import type { SnapshotValue, TensorSummary } from './types.js';

/** A snapshot value (a number, nested numbers, or a summary of a big tensor), or a clear error. */
export function checkSnapshotValue(fn: string, name: string, v: unknown): SnapshotValue {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const s = v as Partial<TensorSummary>;
    const numbers = [s.size, s.min, s.max, s.mean];
    if (
      s.summary === true &&
      Array.isArray(s.shape) &&
      numbers.every((x) => typeof x === 'number')
    ) {
      return v as TensorSummary;
    }
    throw badArgument(
      fn,
      `argument ${name} must be a value or a tensor summary, got ${describe(v)}`,
    );
  }
  return checkNested(fn, name, v);
}

/**
 * Formats a number the way the CS231n slides print them: fixed decimals (`-0.20`), no negative
 * zero, exponent notation only for very large magnitudes.
 *
 * @example
 * formatNumber(-0.19661193324148185) // '-0.20'
 * formatNumber(-1e-9)                // '0.00'
 */
export function formatNumber(x: number, precision = 2): string {
  if (typeof x !== 'number') {
    throw badArgument('formatNumber', `argument x must be a number, got ${describe(x)}`);
  }
  checkPrecision('formatNumber', precision);
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '-∞';
  if (Math.abs(x) >= 1e6) return x.toExponential(precision);
  const s = x.toFixed(precision);
  // toFixed keeps the sign of tiny negatives ('-0.00'); a learner reads that as a different number.
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

export function isSummary(v: SnapshotValue): v is TensorSummary {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Formats a snapshot value: a number, a bracketed (nested) array, or a summary of a large tensor.
 *
 * @example
 * formatValue([[1, 2], [3, 4.5]], 1) // '[[1.0, 2.0], [3.0, 4.5]]'
 */
export function formatValue(v: SnapshotValue | null, precision = 2): string {
  if (v !== null) checkSnapshotValue('formatValue', 'v', v);
  checkPrecision('formatValue', precision);
  return show(v, precision);
}

function show(v: SnapshotValue | null, precision: number): string {
  if (v === null) return '–';
  if (typeof v === 'number') return formatNumber(v, precision);
  if (isSummary(v)) {
    const f = (x: number) => formatNumber(x, precision);
    return `${v.shape.join('×')} tensor (min ${f(v.min)}, mean ${f(v.mean)}, max ${f(v.max)})`;
  }
  return `[${v.map((x) => show(x, precision)).join(', ')}]`;
}
