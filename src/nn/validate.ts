import { badArgument, formatShape } from '../core/errors.js';

// Argument checks shared by the training code (nn, optim, data, io): each names the function the
// user called and the argument, and bounds sizes before anything is allocated.

/** The most elements one tensor made by the training code may hold (2²⁷, 1 GiB of float64). */
export const MAX_ELEMENTS = 2 ** 27;

/**
 * `value` if it is an integer in [lo, hi], else a clear error.
 *
 * @example
 * checkInt('Linear', 'inFeatures', 3, 1) // 3
 */
export function checkInt(
  fn: string,
  name: string,
  value: unknown,
  lo: number,
  hi = MAX_ELEMENTS,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
    throw badArgument(fn, `${name} must be an integer from ${lo} to ${hi}, got ${show(value)}`);
  }
  return value;
}

/**
 * `value` if it is a finite number in [lo, hi] (open at an end when `open` says so), else a
 * clear error.
 *
 * @example
 * checkNumber('SGD', 'learningRate', 0.1, 0) // 0.1
 */
export function checkNumber(
  fn: string,
  name: string,
  value: unknown,
  lo = -Infinity,
  hi = Infinity,
  open: { lo?: boolean; hi?: boolean } = {},
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (open.lo ? value > lo : value >= lo) &&
    (open.hi ? value < hi : value <= hi);
  if (!ok) {
    const range = `${open.lo ? '(' : '['}${lo}, ${hi}${open.hi ? ')' : ']'}`;
    throw badArgument(fn, `${name} must be a finite number in ${range}, got ${show(value)}`);
  }
  return value;
}

/**
 * A copy of `shape` if it holds non-negative integers with at most MAX_ELEMENTS in all.
 *
 * @example
 * checkShapeArg('randn', 'shape', [2, 3]) // [2, 3]
 */
export function checkShapeArg(fn: string, name: string, shape: unknown): number[] {
  if (!Array.isArray(shape) || shape.length > 8) {
    throw badArgument(fn, `${name} must be an array of at most 8 sizes, got ${show(shape)}`);
  }
  let size = 1;
  for (const d of shape as unknown[]) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw badArgument(fn, `${name} must hold non-negative integers, got ${show(shape)}`);
    }
    size *= d;
  }
  if (size > MAX_ELEMENTS) {
    throw badArgument(
      fn,
      `${name} ${formatShape(shape as number[])} has ${size} elements, more than the ${MAX_ELEMENTS} allowed`,
    );
  }
  return [...(shape as number[])];
}

/**
 * A short, safe rendering of a bad value for a message: strings quoted with control characters
 * escaped (and cut after `max` characters), arrays and objects summarised.
 *
 * @example
 * show('a\u001b[31m') // '"a\\u001b[31m"'
 */
export function show(value: unknown, max = 40): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  if (typeof value === 'string')
    return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
  if (Array.isArray(value)) {
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch {
      text = undefined;
    }
    return text === undefined || text.length > 80 ? `an array of ${value.length}` : text;
  }
  return typeof value === 'object' ? (value.constructor?.name ?? 'an object') : typeof value;
}

/**
 * An options argument: `{}` when it is left out, itself when it is an object, else a clear error
 * (a null or a number where an object belongs would otherwise crash on the first field read).
 *
 * @example
 * optionsOf('Linear', undefined) // {}
 */
export function optionsOf<T extends object>(
  fn: string,
  options: T | undefined,
  name = 'options',
): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw badArgument(fn, `${name} must be an object, got ${show(options)}`);
  }
  return options;
}
