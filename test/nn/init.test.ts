import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng, portableLog } from '../../src/core/random.js';
import {
  fansOf,
  initWeight,
  kaimingNormal,
  kaimingUniform,
  randn,
  uniform,
  xavierNormal,
  xavierUniform,
} from '../../src/nn/index.js';
import { badArgument } from '../support/assert.js';

function stats(data: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  const values = Array.from(data);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { mean, std, min: Math.min(...values), max: Math.max(...values) };
}

test('randn draws rng.normal in row-major order: a seed gives the same numbers everywhere', () => {
  const t = randn([3, 4], new Rng(5), { std: 2, mean: 1 });
  const r = new Rng(5);
  assert.deepEqual(
    Array.from(t.data),
    Array.from({ length: 12 }, () => r.normal(1, 2)),
  );
  assert.deepEqual(randn([3, 4], new Rng(5), { std: 2, mean: 1 }).data, t.data);
  assert.notDeepEqual(randn([3, 4], new Rng(6)).data, t.data);
  const big = stats(randn([100, 100], new Rng(1), { std: 1e-3 }).data);
  assert.ok(Math.abs(big.std - 1e-3) < 1e-4 && Math.abs(big.mean) < 1e-4, JSON.stringify(big));
  assert.equal(randn([2], new Rng(0), { dtype: 'float32' }).dtype, 'float32');
  assert.equal(randn([2], new Rng(0), { requiresGrad: true }).requiresGrad, true);
});

test('uniform stays in [low, high) and fills it', () => {
  const s = stats(uniform([10_000], new Rng(2), { low: -3, high: 5 }).data);
  assert.ok(s.min >= -3 && s.max < 5 && s.min < -2.99 && s.max > 4.99, JSON.stringify(s));
  assert.ok(Math.abs(s.mean - 1) < 0.1);
});

test('fans follow chainrule layouts: affine D×M, conv F×C×HH×WW', () => {
  assert.deepEqual(fansOf([784, 100]), { fanIn: 784, fanOut: 100 });
  assert.deepEqual(fansOf([16, 3, 5, 5]), { fanIn: 75, fanOut: 400 });
  assert.throws(() => fansOf([3]), badArgument(/fansOf: fans are defined for/));
});

test('Xavier and Kaiming have the textbook spreads', () => {
  const shape = [400, 200];
  const close = (actual: number, expected: number, what: string) =>
    assert.ok(Math.abs(actual / expected - 1) < 0.03, `${what}: ${actual} vs ${expected}`);
  close(stats(xavierNormal(shape, new Rng(0)).data).std, Math.sqrt(2 / 600), 'xavier normal');
  close(stats(kaimingNormal(shape, new Rng(0)).data).std, Math.sqrt(2 / 400), 'kaiming normal');
  const xu = stats(xavierUniform(shape, new Rng(0)).data);
  close(xu.max, Math.sqrt(6 / 600), 'xavier uniform bound');
  close(xu.std, Math.sqrt(6 / 600) / Math.sqrt(3), 'xavier uniform std');
  const ku = stats(kaimingUniform(shape, new Rng(0), { gain: 1 }).data);
  close(ku.max, Math.sqrt(3 / 400), 'kaiming uniform bound, gain 1');
  close(stats(kaimingNormal([16, 3, 5, 5], new Rng(0)).data).std, Math.sqrt(2 / 75), 'conv fanIn');
  close(
    stats(xavierNormal([100, 100], new Rng(0), { fanIn: 1, fanOut: 1 }).data).std,
    1,
    'explicit fans',
  );
});

test('initWeight: kaiming, xavier or CS231n weightScale·randn, trainable', () => {
  const w = initWeight('Linear', [2, 3], { weightScale: 0.5 }, new Rng(4));
  assert.deepEqual(w.data, randn([2, 3], new Rng(4), { std: 0.5 }).data);
  assert.ok(w.requiresGrad && w.isLeaf);
  assert.deepEqual(
    initWeight('x', [2, 3], 'kaiming', new Rng(4)).data,
    kaimingNormal([2, 3], new Rng(4)).data,
  );
  assert.deepEqual(
    initWeight('x', [2, 3], 'xavier', new Rng(4)).data,
    xavierNormal([2, 3], new Rng(4)).data,
  );
});

test('initialisers check rng, shape and numbers before allocating', () => {
  assert.throws(
    () => randn([2], undefined as never),
    badArgument(/randn: argument rng must be a seeded generator/),
  );
  assert.throws(
    () => randn([2, -1], new Rng(0)),
    badArgument(/randn: argument shape \[.*\] must hold non-negative integers/),
  );
  assert.throws(
    () => randn([1e5, 1e5], new Rng(0)),
    badArgument(/a tensor holds at most 134217728/),
  );
  assert.throws(
    () => randn([2], new Rng(0), { std: -1 }),
    badArgument(/std must be a finite number/),
  );
  assert.throws(
    () => uniform([2], new Rng(0), { low: 1, high: 0 }),
    badArgument(/high must be a finite number ≥ 1/),
  );
  assert.throws(() => kaimingNormal([2, 2], new Rng(0), { gain: NaN }), badArgument(/gain/));
  assert.throws(() => randn([2], new Rng(0), { dtype: 'int8' as never }), badArgument(/dtype/));
});

test('the seeded normal uses a portable logarithm within a few ulps of Math.log', () => {
  const rng = new Rng(2);
  let worst = 0;
  for (let i = 0; i < 20_000; i++) {
    const x = rng.next() * 2 ** rng.int(-1070, 1000);
    if (x === 0) continue;
    worst = Math.max(
      worst,
      Math.abs(portableLog(x) - Math.log(x)) / Math.max(Math.abs(Math.log(x)), 1),
    );
  }
  assert.ok(worst < 2e-15, `worst relative difference ${worst}`);
  assert.equal(portableLog(1), 0);
  const normals = Array.from(
    { length: 50_000 },
    (
      (r) => () =>
        r.normal()
    )(new Rng(3)),
  );
  const s = stats(normals);
  assert.ok(Math.abs(s.mean) < 0.02 && Math.abs(s.std - 1) < 0.02, JSON.stringify(s));
  const tail = normals.filter((v) => Math.abs(v) > 1.96).length / normals.length;
  assert.ok(Math.abs(tail - 0.05) < 0.005, `P(|z| > 1.96) = ${tail}`);
});
