import assert from 'node:assert/strict';
import { ChainruleError, type ErrorCode } from '../../src/core/errors.js';
import type { NestedArray } from '../../src/core/nested.js';

/** Asserts two numbers or nested arrays agree to within `tol` (absolute or relative). */
export function assertClose(
  actual: NestedArray,
  expected: NestedArray,
  tol = 1e-12,
  path = '',
): void {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number')
      assert.fail(`${path}: expected a number, got ${JSON.stringify(actual)}`);
    const a = actual;
    const ok =
      Object.is(a, expected) ||
      (Number.isNaN(a) && Number.isNaN(expected)) ||
      Math.abs(a - expected) <= tol * Math.max(1, Math.abs(expected));
    assert.ok(ok, `${path || 'value'}: expected ${expected}, got ${a} (tolerance ${tol})`);
    return;
  }
  assert.ok(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`);
  const arr = actual;
  assert.equal(arr.length, expected.length, `${path}: length`);
  expected.forEach((e, i) => assertClose(arr[i]!, e, tol, `${path}[${i}]`));
}

/** For assert.throws: a ChainruleError with this code whose message matches `pattern`. */
export const chainruleError =
  (code: ErrorCode, pattern: RegExp) =>
  (e: unknown): boolean =>
    e instanceof ChainruleError && e.code === code && pattern.test(e.message);

/** For assert.throws: a bad_argument error whose message matches `pattern`. */
export const badArgument = (pattern: RegExp) => chainruleError('bad_argument', pattern);
