import assert from 'node:assert/strict';
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
