import { ChainruleError } from '../../core/errors.js';
import { escapeTerminal } from '../../viz/escape.js';
import type { ParsedArgs } from '../args.js';

// Number flags of the training commands: every one is bounded, and a bad value is a one-line
// user error that names the flag and says what it takes.

const bad = (message: string) => new ChainruleError('bad_argument', message);

/** A flag's text value (undefined when absent); a flag given without a value is an error. */
export function textFlag(args: ParsedArgs, name: string): string | undefined {
  const raw = args.flags.get(name);
  if (raw === true) throw bad(`--${name} needs a value`);
  return raw;
}

/** A flag as a number in [lo, hi] (a whole number when `integer`), or its fallback. */
export function rangeFlag(
  args: ParsedArgs,
  name: string,
  fallback: number,
  lo: number,
  hi: number,
  integer = false,
): number {
  const raw = textFlag(args, name);
  if (raw === undefined) return fallback;
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw bad(
      `--${name} must be ${integer ? 'a whole number' : 'a number'} from ${lo} to ${hi}, got '${escapeTerminal(raw)}'`,
    );
  }
  return v;
}

/** An optional flag as a number in [lo, hi] (undefined when absent). */
export function optionalRangeFlag(
  args: ParsedArgs,
  name: string,
  lo: number,
  hi: number,
  integer = false,
): number | undefined {
  return args.flags.has(name) ? rangeFlag(args, name, lo, lo, hi, integer) : undefined;
}

/** `--split 8000,1000,1000` as three whole numbers ≥ 0 (train ≥ 1). */
export function splitFlag(args: ParsedArgs): [number, number, number] | undefined {
  const raw = textFlag(args, 'split');
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (
    parts.length !== 3 ||
    !parts.every((v) => Number.isInteger(v) && v >= 0 && v <= 10_000_000) ||
    parts[0]! < 1
  ) {
    throw bad(
      `--split must be TRAIN,VAL,TEST (three whole numbers, TRAIN ≥ 1), got '${escapeTerminal(raw)}'`,
    );
  }
  return parts as [number, number, number];
}
