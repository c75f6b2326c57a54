import type { DType } from '../kernels/types.js';
import { badArgument, escapeControls, formatShape } from './errors.js';
import { LIMITS } from './limits.js';
import { Rng } from './random.js';
import { Tensor } from './tensor.js';

// The argument checks of the public boundary. Every public function checks its arguments once,
// at its top, with these helpers, so that bad input fails with a ChainruleError naming the
// function the user called and the argument — never a TypeError from deep inside, a NaN or a
// hang. Inner loops and op bodies trust what passed here.

/**
 * User text as a message shows it: in double quotes, with control characters (C0, C1, bidi and
 * line separators) written visibly so that it cannot drive a terminal, and cut after `max`
 * characters. Paths, column names and cells are shown this way.
 *
 * @example
 * quote('a\u001b]0;\u202e') // '"a\\u{1b}]0;\\u{202e}"'
 */
export function quote(text: string, max = 40): string {
  let cut = text;
  if (text.length > max) {
    // Never split a surrogate pair: the half left behind would print as a replacement character.
    const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
    cut = `${text.slice(0, end)}…`;
  }
  return `"${escapeControls(cut.replace(/["\\]/g, '\\$&'), 'show')}"`;
}

/**
 * How a bad value appears in a message: `null`, `NaN`, `the string "a"`, `the list [2, 3]`, `a
 * tensor of shape [2]`.
 *
 * @example
 * describe([2, 3]) // 'the list [2, 3]'
 */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return `the string ${quote(v, 24)}`;
  if (typeof v === 'bigint') return `the bigint ${v}n`;
  if (v instanceof Tensor) return `a tensor of shape ${formatShape(v.shape)}`;
  if (Array.isArray(v)) {
    // A short list of numbers (a shape, a size list) is shown whole: it is usually the point.
    const short = v.length <= 8 && v.every((x) => typeof x === 'number');
    return short ? `the list ${formatShape(v)}` : `a list of ${v.length}`;
  }
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') return `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
  return `a ${typeof v}`;
}

/** `argument x` for a positional argument, or the option path itself (`options.axis`). */
function what(name: string): string {
  return name.includes('.') ? name : `argument ${name}`;
}

/** A Tensor, or a clear error. */
export function checkTensor(fn: string, name: string, v: unknown): Tensor {
  if (v instanceof Tensor) return v;
  throw badArgument(fn, `${what(name)} must be a tensor, got ${describe(v)}`);
}

/** Each named argument is a tensor, or a clear error naming the first that is not. */
export function checkTensors(fn: string, tensors: Readonly<Record<string, unknown>>): void {
  for (const [name, t] of Object.entries(tensors)) checkTensor(fn, name, t);
}

/** A tensor, or a number made into a 0-d constant tensor (numbers are data: NaN may pass). */
export function checkOperand(
  fn: string,
  name: string,
  v: unknown,
  dtype: DType = 'float64',
): Tensor {
  if (v instanceof Tensor) return v;
  if (typeof v === 'number') {
    const t = new Tensor(dtype === 'float32' ? new Float32Array(1) : new Float64Array(1), []);
    t.data[0] = v;
    return t;
  }
  throw badArgument(fn, `${what(name)} must be a tensor or a number, got ${describe(v)}`);
}

export interface NumberRange {
  min?: number | undefined;
  max?: number | undefined;
  /** The lower bound itself is not allowed: (min, …. */
  minOpen?: boolean;
  /** The upper bound itself is not allowed: …, max). */
  maxOpen?: boolean;
  /** A safe integer (|v| ≤ 2⁵³ − 1: larger numbers cannot count one by one). */
  integer?: boolean;
}

function rangeText({ min, max, minOpen, maxOpen }: NumberRange): string {
  if (min !== undefined && max !== undefined) {
    return ` in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
  }
  if (min !== undefined) return minOpen ? ` > ${min}` : ` ≥ ${min}`;
  if (max !== undefined) return maxOpen ? ` < ${max}` : ` ≤ ${max}`;
  return '';
}

/** A finite number (an integer, with `integer`) inside `range`, or a clear error. */
export function checkNumber(fn: string, name: string, v: unknown, range: NumberRange = {}): number {
  const { min, max, minOpen, maxOpen, integer } = range;
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!integer || Number.isSafeInteger(v)) &&
    (min === undefined || (minOpen ? v > min : v >= min)) &&
    (max === undefined || (maxOpen ? v < max : v <= max));
  if (ok) return v;
  const kind = integer ? 'an integer' : 'a finite number';
  throw badArgument(fn, `${what(name)} must be ${kind}${rangeText(range)}, got ${describe(v)}`);
}

/** A (safe) integer in [min, max] (a bound left out is open), or a clear error. */
export function checkInteger(
  fn: string,
  name: string,
  v: unknown,
  min?: number,
  max?: number,
): number {
  return checkNumber(fn, name, v, { min, max, integer: true });
}

/**
 * A seeded generator, or a clear error: randomness in chainrule always comes from an explicit
 * `Rng`, never from Math.random.
 */
export function checkRng(fn: string, name: string, v: unknown): Rng {
  if (v instanceof Rng) return v;
  throw badArgument(
    fn,
    `${what(name)} must be a seeded generator (new Rng(seed)), got ${describe(v)}`,
  );
}

/** A boolean, or a clear error. */
export function checkBoolean(fn: string, name: string, v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  throw badArgument(fn, `${what(name)} must be true or false, got ${describe(v)}`);
}

/** A function, or a clear error. */
export function checkFunction<F>(fn: string, name: string, v: F): F {
  if (typeof v === 'function') return v;
  throw badArgument(fn, `${what(name)} must be a function, got ${describe(v)}`);
}

/** An options object (undefined gives {}), or a clear error. */
export function checkOptions<T extends object>(fn: string, name: string, v: T | undefined): T {
  if (v === undefined) return {} as T;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Tensor)) return v;
  throw badArgument(fn, `${what(name)} must be an options object, got ${describe(v)}`);
}

/** An array, or a clear error. */
export function checkArray<T>(fn: string, name: string, v: readonly T[]): readonly T[] {
  if (Array.isArray(v)) return v as readonly T[];
  throw badArgument(fn, `${what(name)} must be a list, got ${describe(v)}`);
}

/** One of `choices`, or a clear error. */
export function checkChoice<T extends string>(
  fn: string,
  name: string,
  v: unknown,
  choices: readonly T[],
): T {
  if (choices.includes(v as T)) return v as T;
  throw badArgument(
    fn,
    `${what(name)} must be ${choices.map((c) => `'${c}'`).join(' or ')}, got ${describe(v)}`,
  );
}

/** Refuses a tensor of more than LIMITS.maxTensorSize elements before it is allocated. */
export function checkSize(fn: string, size: number, shown: string): void {
  if (!(size <= LIMITS.maxTensorSize)) {
    throw badArgument(
      fn,
      `${shown} would hold ${size} elements; a tensor holds at most ${LIMITS.maxTensorSize} ` +
        '(see docs/limits.md)',
    );
  }
}

/**
 * A shape given by a user: a list of at most LIMITS.maxRank non-negative integers whose product
 * stays within LIMITS.maxTensorSize. Returns a fresh copy.
 */
export function checkShapeArg(fn: string, name: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) {
    throw badArgument(fn, `${what(name)} must be a list of sizes, got ${describe(shape)}`);
  }
  if (shape.length > LIMITS.maxRank) {
    throw badArgument(
      fn,
      `${what(name)} has ${shape.length} axes; a tensor has at most ${LIMITS.maxRank}`,
    );
  }
  let size = 1;
  for (const d of shape as unknown[]) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      const shown = (shape as unknown[]).map((x) => (typeof x === 'number' ? x : describe(x)));
      throw badArgument(fn, `${what(name)} [${shown.join(', ')}] must hold non-negative integers`);
    }
    size *= d;
  }
  checkSize(fn, size, `shape ${formatShape(shape as number[])}`);
  return [...(shape as number[])];
}

/**
 * The finite-difference options of the gradient checks: a step h in (0, 1] (0, NaN or Infinity
 * would make every difference NaN) and an order of 2 or 4 (nothing else is implemented).
 */
export function checkStepOptions<T extends { h?: number; order?: number }>(
  fn: string,
  options: T | undefined,
): T {
  const opts = checkOptions(fn, 'options', options);
  if (opts.h !== undefined) checkNumber(fn, 'options.h', opts.h, { min: 0, minOpen: true, max: 1 });
  if (opts.order !== undefined && opts.order !== 2 && opts.order !== 4) {
    throw badArgument(fn, `options.order must be 2 or 4, got ${describe(opts.order)}`);
  }
  return opts;
}
