import assert from 'node:assert/strict';
import { test } from 'node:test';
import { grad, mul, pow, tensor, valueAndGrad } from '../../src/index.js';
import { chainruleError } from '../support/assert.js';

const nested = chainruleError('no_gradient', /nested grad .*grad\(grad\(f\)\).*silently be 0/);

test('grad(grad(x => x³))(2) is a clear error, never a silent 0', () => {
  const second = grad((x) => grad((y) => pow(y, 3))(x)[0]!);
  assert.throws(() => second(2), nested);
  assert.throws(() => second(2), /^ChainruleError: grad: /, 'names the function the user called');
  const viaValueAndGrad = valueAndGrad((x) => valueAndGrad((y) => mul(y, y))(x).grads[0]!);
  assert.throws(() => viaValueAndGrad(tensor(1)), /valueAndGrad: nested grad/);
});

test('after a refused nested call, grad works again (the nesting count is restored)', () => {
  assert.throws(() => grad((x) => grad((y) => mul(y, y))(x)[0]!)(1));
  assert.equal(grad((x) => pow(x, 3))(2)[0]!.item(), 12);
  assert.throws(
    () =>
      grad(() => {
        throw new Error('boom');
      })(1),
    /boom/,
  );
  assert.equal(grad((x) => mul(x, x))(3)[0]!.item(), 6);
});

test('a grad inside an outer grad on constants is fine: its result is a true constant', () => {
  // d/dx [x · (d/dy y² at y = 3)] = 6
  const f = grad((x) => mul(x, grad((y) => mul(y, y))(3)[0]!));
  assert.equal(f(5)[0]!.item(), 6);
});
