import { ChainruleError, ParseError } from '../../src/core/errors.js';
import { Tensor } from '../../src/core/tensor.js';

// The harness of the bad-input table (test/hardening/bad-inputs.test.ts): each public function
// gets a row with valid arguments and, per argument, the kind of value it takes; the kinds below
// generate the bad values for that kind. A call with one bad argument must throw a
// ChainruleError that names the function — never a raw TypeError/RangeError, a result holding a
// NaN, or a hang of more than 2 s. A function that returns a promise is awaited: its rejection
// is judged as a throw. A ParseError need not start with the function's name: it points into
// the text the user gave (and is shown with a caret under the column).

/** What an argument takes; each kind knows the values that are wrong for it. */
export type Kind =
  | 'tensor'
  | 'operand' // a tensor or a number (numbers are data: NaN and ±Infinity are not errors)
  | 'shape'
  | 'count' // a non-negative integer size
  | 'positiveInt'
  | 'int'
  | 'number' // a finite number
  | 'rate' // a number in [0, 1)
  | 'options'
  | 'function'
  | 'string'
  | 'labels'
  | 'tensors' // a list of tensors
  | 'snapshot'
  | 'module' // an nn Module (a look-alike with a forward method is not one)
  | 'rng' // a seeded Rng (a look-alike with a next method is not one)
  | 'bytes' // a Uint8Array
  | 'any'; // only null/undefined-like garbage is wrong

const GARBAGE: readonly unknown[] = [null, 'a', {}, true, Symbol('s'), 10n];

const BAD: Record<Kind, readonly unknown[]> = {
  tensor: [...GARBAGE, undefined, 1, Number.NaN, [1, 2], new Float64Array(2)],
  operand: [...GARBAGE, undefined, [1, 2], new Float64Array(2)],
  shape: [
    ...GARBAGE,
    undefined,
    5,
    [-1],
    [1.5],
    [Number.NaN],
    [2 ** 31],
    [1e5, 1e5],
    ['2'],
    Array.from({ length: 40 }, () => 1),
  ],
  count: [...GARBAGE, undefined, Number.NaN, Infinity, -1, 1.5, 1e15, '3'],
  positiveInt: [...GARBAGE, undefined, Number.NaN, Infinity, 0, -1, 1.5, 1e15, '3'],
  int: [...GARBAGE, Number.NaN, Infinity, -Infinity, 1.5],
  number: [...GARBAGE, Number.NaN, Infinity, -Infinity, '1'],
  rate: [...GARBAGE, Number.NaN, Infinity, -0.5, 1, 1.5, '0.5'],
  options: ['a', 5, true, [], null],
  function: [null, undefined, 1, 'f', {}],
  string: [null, undefined, 1, {}, []],
  labels: [...GARBAGE, undefined, [0.5], [-1], [1e10], [Number.NaN], [[0], [1, 2]]],
  tensors: [...GARBAGE, undefined, [], [null], [1, 2]],
  snapshot: [null, undefined, 'a', 1, {}, { nodes: 'x', edges: [] }],
  module: [...GARBAGE, undefined, 1, () => 1, { forward: (x: unknown) => x }, [1, 2]],
  rng: [...GARBAGE, undefined, 1, { next: () => 0.5 }, Math.random],
  bytes: [...GARBAGE, undefined, 1, [1, 2], new Float64Array(2), new Uint8Array(3)],
  any: [],
};

/** One public function: how to call it right, and what each argument takes. */
export interface Row {
  /** The export's name (`add`, `Rng.int`, `new MLP`). */
  name: string;
  /** The name its errors must start with (default: `name` without `new `). */
  reports?: string;
  /** Calls it with `args`. */
  call: (...args: unknown[]) => unknown;
  /** Valid arguments (made fresh per call: some functions nudge their inputs). */
  args: () => unknown[];
  /** Per argument: its kind, or null where the table does not vary it. */
  kinds: readonly (Kind | null)[];
  /** Positions that may be left out (undefined is then valid there). */
  optional?: readonly number[];
  /** Further wrong calls (wrong shapes, empty tensors), each expected to throw like the rest. */
  extra?: readonly (() => unknown)[];
  /** Bad values this function accepts by design, with the reason (e.g. a permissive lookup). */
  accepts?: { position: number; values: readonly unknown[]; why: string }[];
  /**
   * Why errors about what the user wrote (a ParseError or an unknown or missing variable, shown
   * with a caret under the expression) may name the place in the text instead of the function.
   */
  textErrors?: string;
  /** Set when another part of the project owns the function and its gaps are still open. */
  pending?: string;
  /** Runs once before the row, untimed (e.g. loading an optional package the function uses). */
  prepare?: () => Promise<unknown>;
}

/** A row whose arguments are all of the given kinds. */
export function row(
  name: string,
  call: (...args: never[]) => unknown,
  args: () => unknown[],
  kinds: readonly (Kind | null)[],
  more: Partial<Row> = {},
): Row {
  return { name, call: call as Row['call'], args, kinds, ...more };
}

export interface Failure {
  row: string;
  what: string;
  problem: string;
}

function show(v: unknown): string {
  if (typeof v === 'symbol') return 'Symbol';
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Tensor) return `tensor${JSON.stringify(v.shape)}`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v) && v.length > 8) return `[${v.length} items]`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function hasNaN(x: unknown, depth = 0): boolean {
  if (depth > 4) return false;
  if (typeof x === 'number') return Number.isNaN(x);
  if (x instanceof Tensor) return x.data.some((v) => Number.isNaN(v));
  if (Array.isArray(x)) return x.some((v) => hasNaN(v, depth + 1));
  if (x !== null && typeof x === 'object') {
    return Object.values(x).some((v) => hasNaN(v, depth + 1));
  }
  return false;
}

const TEXT_ERRORS: readonly string[] = ['parse_error', 'unknown_name', 'missing_value'];

/** Runs one call and returns what was wrong with its outcome, or null when it failed properly. */
async function judge(row: Row, call: () => unknown, valueWasBad: boolean): Promise<string | null> {
  const expected = row.reports ?? row.name.replace(/^new /, '');
  const started = performance.now();
  let result: unknown;
  try {
    result = call();
    if (result instanceof Promise) result = await result;
  } catch (e) {
    const ms = performance.now() - started;
    if (ms > 2000) return `took ${ms.toFixed(0)} ms to fail`;
    if (!(e instanceof ChainruleError)) {
      return `raw ${(e as Error)?.constructor?.name ?? typeof e}: ${String((e as Error)?.message ?? e).slice(0, 160)}`;
    }
    // A ParseError points at the column of what the user wrote, whichever function parsed it.
    const inText =
      e instanceof ParseError || (row.textErrors !== undefined && TEXT_ERRORS.includes(e.code));
    if (!e.message.startsWith(`${expected}:`) && !inText) {
      return `the error does not name ${expected}: ${e.message.slice(0, 160)}`;
    }
    return null;
  }
  const ms = performance.now() - started;
  if (ms > 2000) return `took ${ms.toFixed(0)} ms`;
  if (!valueWasBad) return null;
  return hasNaN(result) ? 'returned a NaN' : 'accepted it';
}

/** Every failure of one row: each bad value in each varied position, and the extra calls. */
export async function checkRow(row: Row): Promise<Failure[]> {
  const failures: Failure[] = [];
  // The valid call must work (or the row is wrong).
  const ok = await judge(row, () => row.call(...row.args()), false);
  if (ok !== null) failures.push({ row: row.name, what: 'the valid call', problem: ok });
  for (const [position, kind] of row.kinds.entries()) {
    if (kind === null) continue;
    const accepted = row.accepts?.filter((a) => a.position === position).flatMap((a) => a.values);
    for (const bad of BAD[kind]) {
      if (bad === undefined && row.optional?.includes(position)) continue;
      if (accepted?.some((a) => Object.is(a, bad) || show(a) === show(bad))) continue;
      const args = row.args();
      args[position] = bad;
      const problem = await judge(row, () => row.call(...args), true);
      if (problem !== null) {
        failures.push({ row: row.name, what: `argument ${position} = ${show(bad)}`, problem });
      }
    }
  }
  for (const [i, call] of (row.extra ?? []).entries()) {
    const problem = await judge(row, call, true);
    if (problem !== null) failures.push({ row: row.name, what: `extra case ${i}`, problem });
  }
  return failures;
}

/** How many bad calls a row makes (for the report). */
export function countCalls(row: Row): number {
  let n = row.extra?.length ?? 0;
  row.kinds.forEach((kind, position) => {
    if (kind === null) return;
    n += BAD[kind].filter((b) => !(b === undefined && row.optional?.includes(position))).length;
  });
  return n;
}
