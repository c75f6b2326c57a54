import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ChainruleError,
  ShapeError,
  add,
  backward,
  expand,
  grad,
  gradients,
  matmul,
  mul,
  noGrad,
  sin,
  sum,
  tanh,
  tensor,
  valueAndGrad,
} from '../../src/index.js';
import { assertClose } from '../support/assert.js';

test('backward accumulates into leaves like PyTorch; zeroGrad resets', () => {
  const x = tensor(3, { requiresGrad: true });
  const y = mul(x, x);
  y.backward();
  assert.equal(x.grad!.item(), 6);
  mul(x, x).backward();
  assert.equal(x.grad!.item(), 12, 'a second backward adds to the leaf gradient');
  x.zeroGrad();
  mul(x, 2).backward();
  assert.equal(x.grad!.item(), 2);
});

test('intermediate tensors hold the gradient of the latest pass (not accumulated)', () => {
  const x = tensor(2, { requiresGrad: true });
  const h = mul(x, 3);
  const y = mul(h, h);
  y.backward();
  assert.equal(h.grad!.item(), 12);
  y.backward();
  assert.equal(h.grad!.item(), 12);
  assert.equal(x.grad!.item(), 72);
});

test('grad and valueAndGrad return fresh gradients and touch no .grad', () => {
  const f = (x: ReturnType<typeof tensor>, y: ReturnType<typeof tensor>) => mul(add(x, y), y);
  const x = tensor(-2, { requiresGrad: true });
  const first = grad(f)(x, 5).map((g) => g.item());
  const second = grad(f)(x, 5).map((g) => g.item());
  assert.deepEqual(first, [5, 8]);
  assert.deepEqual(second, first, 'calling twice gives the same gradients');
  assert.equal(x.grad, null, 'the argument .grad is untouched');
  const { value, grads } = valueAndGrad((a) => sin(a))(0);
  assert.equal(value.item(), 0);
  assert.equal(grads[0]!.item(), 1);
});

test('a gradient of an unused argument is zero', () => {
  const [, gy] = grad((x) => mul(x, 2))(1, tensor([1, 2]));
  assert.deepEqual(gy!.toArray(), [0, 0]);
});

test('a value used twice gets the sum of both branches (the copy gate adds)', () => {
  const x = tensor(3, { requiresGrad: true });
  const y = add(mul(x, 2), mul(x, 5));
  y.backward();
  assert.equal(x.grad!.item(), 7);
});

test('broadcasting is an expand node whose VJP sums over the copies', () => {
  const b = tensor([1, 2, 3], { requiresGrad: true });
  const x = tensor(
    [
      [1, 1, 1],
      [2, 2, 2],
    ],
    { requiresGrad: true },
  );
  const y = sum(mul(add(x, b), 2));
  y.backward();
  assert.deepEqual(b.grad!.toArray(), [4, 4, 4]);
  assert.equal(add(x, b).node!.inputs[1]!.node!.op.name, 'expand');
  const e = expand(tensor([[1], [2]], { requiresGrad: true }), [3, 2, 4]);
  assert.deepEqual(e.shape, [3, 2, 4]);
});

test('noGrad records nothing and restores the previous mode even after a throw', () => {
  const x = tensor(1, { requiresGrad: true });
  const y = noGrad(() => mul(x, 2));
  assert.equal(y.node, null);
  assert.equal(y.requiresGrad, false);
  assert.throws(() =>
    noGrad(() => {
      throw new Error('boom');
    }),
  );
  assert.notEqual(mul(x, 2).node, null, 'recording is back on');
});

test('backward on a non-scalar needs an upstream gradient of the same shape', () => {
  const x = tensor([1, 2], { requiresGrad: true });
  const y = mul(x, x);
  assert.throws(() => y.backward(), /needs a single number/);
  assert.throws(() => y.backward(tensor([1, 2, 3])), ShapeError);
  y.backward(tensor([1, 10]));
  assert.deepEqual(x.grad!.toArray(), [2, 40]);
});

test('backward from a tensor that does not require grad is a clear error', () => {
  assert.throws(
    () => tensor(1).backward(),
    (e: unknown) => e instanceof ChainruleError && e.code === 'no_gradient',
  );
});

test('shape mismatches name the op and both shapes', () => {
  assert.throws(
    () => matmul(tensor([[1, 2, 3]]), tensor([[1, 2]])),
    (e: unknown) =>
      e instanceof ShapeError && e.op === 'matmul' && /\[1, 3\] @ \[1, 2\]/.test(e.message),
  );
  assert.throws(
    () => add(tensor([1, 2, 3]), tensor([1, 2])),
    (e: unknown) => e instanceof ShapeError && /add: .*\[3\] and \[2\]/.test(e.message),
  );
});

test('a chain of 1,000,000 tensor ops backpropagates without overflowing the stack', () => {
  const x = tensor(0.5, { requiresGrad: true });
  let y = x;
  for (let i = 0; i < 1_000_000; i++) y = tanh(y);
  const g = gradients(y).get(x)!.item();
  assert.ok(Number.isFinite(g) && g > 0 && g < 1);
});

test('gradients match between float32 and float64 to float32 precision', () => {
  const f = (w: ReturnType<typeof tensor>) => sum(tanh(matmul(w, w)));
  const w64 = tensor([
    [0.1, -0.4],
    [0.3, 0.2],
  ]);
  const w32 = tensor(w64.toArray(), { dtype: 'float32' });
  const g64 = grad(f)(w64)[0]!;
  const g32 = grad(f)(w32)[0]!;
  assert.equal(g32.dtype, 'float32');
  assertClose(g32.toArray(), g64.toArray(), 1e-6);
});

test('backward() on the engine function equals the method', () => {
  const x = tensor(2, { requiresGrad: true });
  backward(mul(x, x));
  assert.equal(x.grad!.item(), 4);
});

test('checkNumerics names the op that first produced a NaN, forward or backward', async () => {
  const { checkNumerics, log, sqrt, NonFiniteError } = await import('../../src/index.js');
  assert.throws(
    () => checkNumerics(() => log(tensor(-1))),
    (e: unknown) => e instanceof NonFiniteError && e.op === 'log' && e.phase === 'forward',
  );
  const x = tensor(0, { requiresGrad: true, name: 'x' });
  const y = sqrt(x);
  assert.throws(
    () => checkNumerics(() => gradients(y)),
    (e: unknown) =>
      e instanceof NonFiniteError &&
      e.op === 'sqrt' &&
      e.phase === 'backward' &&
      /gradient for x/.test(e.message),
  );
});
