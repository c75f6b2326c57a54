import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MLP, Rng, Value, add, exp, mul, neg, reciprocal, tensor, value } from '../../src/index.js';

test("micrograd's README expression: g = 24.7041, a.grad = 138.8338, b.grad = 645.5773", () => {
  const a = value(-4);
  const b = value(2);
  let c = a.add(b);
  let d = a.mul(b).add(b.pow(3));
  c = c.add(c.add(1));
  c = c.add(value(1).add(c).add(a.neg()));
  d = d.add(d.mul(2).add(b.add(a).relu()));
  d = d.add(value(3).mul(d).add(b.sub(a).relu()));
  const e = c.sub(d);
  const f = e.pow(2);
  let g = f.div(2);
  g = g.add(value(10).div(f));
  g.backward();
  assert.equal(g.data.toFixed(4), '24.7041');
  assert.equal(a.grad.toFixed(4), '138.8338');
  assert.equal(b.grad.toFixed(4), '645.5773');
});

test("micrograd's sanity check agrees with a centered difference", () => {
  const fn = (xv: number) => {
    const x = value(xv);
    const z = value(2).mul(x).add(2).add(x);
    const q = z.relu().add(z.mul(x));
    const h = z.mul(z).relu();
    const y = h.add(q).add(q.mul(x));
    return { x, y };
  };
  const { x, y } = fn(-4);
  y.backward();
  assert.equal(y.data, -20);
  const h = 1e-6;
  const numeric = (fn(-4 + h).y.data - fn(-4 - h).y.data) / (2 * h);
  assert.ok(Math.abs(x.grad - numeric) < 1e-6, `${x.grad} vs ${numeric}`);
});

test('the scalar path and the tensor path give identical sigmoid-neuron gradients', () => {
  const inputs = { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 };
  const v = Object.fromEntries(Object.entries(inputs).map(([k, n]) => [k, value(n, k)]));
  const vy = v.w0!.mul(v.x0!).add(v.w1!.mul(v.x1!)).add(v.w2!).neg().exp().add(1).reciprocal();
  vy.backward();
  const t = Object.fromEntries(
    Object.entries(inputs).map(([k, n]) => [k, tensor(n, { requiresGrad: true })]),
  );
  const ty = reciprocal(add(exp(neg(add(add(mul(t.w0!, t.x0!), mul(t.w1!, t.x1!)), t.w2!))), 1));
  ty.backward();
  assert.equal(vy.data, ty.item());
  for (const k of Object.keys(inputs)) assert.equal(v[k]!.grad, t[k]!.grad!.item(), k);
  assert.equal(vy.data.toFixed(2), '0.73');
  assert.deepEqual(
    ['w0', 'x0', 'w1', 'x1', 'w2'].map((k) => v[k]!.grad.toFixed(2)),
    ['-0.20', '0.39', '-0.39', '-0.59', '0.20'],
  );
});

test('leaves accumulate across backward calls, op outputs are recomputed', () => {
  const x = value(3);
  const y = x.mul(x);
  y.backward();
  y.backward();
  assert.equal(x.grad, 12);
  assert.equal(y.grad, 1);
});

test('relu has gradient 0 at 0; maximum routes the gradient to the first input on ties', () => {
  const x = value(0);
  x.relu().backward();
  assert.equal(x.grad, 0);
  const a = value(2);
  const b = value(2);
  a.maximum(b).backward();
  assert.deepEqual([a.grad, b.grad], [1, 0]);
});

test('a chain of 1,000,000 scalar ops backpropagates (no recursion)', () => {
  const x = value(0.5);
  let y: Value = x;
  for (let i = 0; i < 1_000_000; i++) y = y.tanh();
  y.backward();
  assert.ok(x.grad > 0 && x.grad < 1);
});

test('MLP 2-16-16-1 has 337 parameters, is seeded and learns a toy problem', () => {
  const net = new MLP(2, [16, 16, 1], { rng: new Rng(7) });
  assert.equal(net.parameters().length, 337);
  const again = new MLP(2, [16, 16, 1], { rng: new Rng(7) });
  assert.deepEqual(
    net.parameters().map((p) => p.data),
    again.parameters().map((p) => p.data),
  );
  const xs = [
    [2, 3],
    [3, -1],
    [0.5, 1],
    [1, 1],
  ];
  const ys = [1, -1, -1, 1];
  const loss = () =>
    xs.map((x, i) => net.call(x)[0]!.sub(ys[i]!).pow(2)).reduce((s, l) => s.add(l), value(0));
  const before = loss().data;
  for (let k = 0; k < 30; k++) {
    const l = loss();
    net.zeroGrad();
    l.backward();
    for (const p of net.parameters()) p.data -= 0.01 * p.grad;
  }
  assert.ok(loss().data < before, 'training lowers the loss');
});

test('bad arguments are clear errors', () => {
  assert.throws(
    () => value('2' as unknown as number),
    /^ChainruleError: value: argument data must be a number, got the string "2"/,
  );
  assert.throws(
    () => value(1).add({} as unknown as number),
    /Value\.add: argument other must be a Value or a number, got an object/,
  );
});
