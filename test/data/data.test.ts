import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/random.js';
import { tensor } from '../../src/core/tensor.js';
import {
  accuracy,
  blobs,
  circles,
  confusionMatrix,
  fitStandardizer,
  minibatches,
  moons,
  perClassAccuracy,
  spiral,
  splitDataset,
  splitMnist,
  standardizerOf,
  xor,
  type Dataset,
  type MnistDigits,
} from '../../src/data/index.js';
import { assertClose, badArgument } from '../support/assert.js';

const point = (d: Dataset, i: number): [number, number] => [d.X.data[2 * i]!, d.X.data[2 * i + 1]!];

test('spiral follows the CS231n notes: radius linspace(0, 1, N), angle linspace(4j, 4j + 4, N) + noise', () => {
  const N = 100;
  const d = spiral({ rng: new Rng(0), pointsPerClass: N, classes: 3 });
  assert.deepEqual(d.X.shape, [300, 2]);
  assert.deepEqual(
    d.y,
    [0, 1, 2].flatMap((c) => new Array<number>(N).fill(c)),
  );
  for (const i of [0, 1, 50, 99, 150, 299]) {
    const [x, y] = point(d, i);
    assertClose(Math.hypot(x, y), (i % N) / (N - 1), 1e-12); // the noise turns, never stretches
  }
  // Without noise each point sits exactly at its angle: x = r sin t, y = r cos t.
  const exact = spiral({ rng: new Rng(0), pointsPerClass: 5, classes: 2, noise: 0 });
  const [x, y] = point(exact, 7); // class 1, i = 2: r = 0.5, t = 4 + 2
  assertClose(x, 0.5 * Math.sin(6), 1e-15);
  assertClose(y, 0.5 * Math.cos(6), 1e-15);
  // The noise is 0.2·randn on the angle, drawn class by class in order.
  const rng = new Rng(9);
  const noisy = spiral({ rng: new Rng(9), pointsPerClass: 4, classes: 1 });
  const t1 = 4 / 3 + 0.2 * (rng.normal(), rng.normal());
  const [x1, y1] = point(noisy, 1);
  assertClose(Math.atan2(x1, y1), t1, 1e-12);
});

test('the 2-D sets are seeded, shaped and labelled as documented', () => {
  for (const make of [
    (rng: Rng) => moons({ rng, n: 101 }),
    (rng: Rng) => circles({ rng, n: 101 }),
    (rng: Rng) => xor({ rng, n: 101 }),
    (rng: Rng) => blobs({ rng, n: 101 }),
  ]) {
    const a = make(new Rng(3));
    assert.deepEqual(a.X.shape, [101, 2]);
    assert.deepEqual(make(new Rng(3)).X.data, a.X.data, 'the same seed, the same set');
    assert.notDeepEqual(make(new Rng(4)).X.data, a.X.data);
  }
  const c = circles({ rng: new Rng(1), n: 200, noise: 0, factor: 0.5 });
  c.y.forEach((label, i) => assertClose(Math.hypot(...point(c, i)), label === 1 ? 0.5 : 1, 1e-12));
  assert.equal(c.y.filter((v) => v === 1).length, 100);
  const x = xor({ rng: new Rng(1), n: 200 });
  x.y.forEach((label, i) => {
    const [a, b] = point(x, i);
    assert.equal(label, a > 0 !== b > 0 ? 1 : 0);
  });
  const b = blobs({ rng: new Rng(1), n: 90, classes: 3, std: 0 });
  b.y.forEach((label, i) => {
    const angle = (2 * Math.PI * label) / 3;
    assertClose(point(b, i), [2 * Math.cos(angle), 2 * Math.sin(angle)], 1e-12);
  });
  assert.throws(
    () => spiral({ rng: new Rng(0), classes: 0 }),
    badArgument(/spiral: options.classes must be an integer in \[1, 100\]/),
  );
  assert.throws(
    () => moons({ rng: 1 as never }),
    badArgument(/moons: options.rng must be a seeded generator/),
  );
  assert.throws(
    () => blobs({ rng: new Rng(0), n: 1e9 }),
    badArgument(/n must be an integer in \[1, 1000000\]/),
  );
});

test('minibatches cover the set once per pass, shuffled by the seed', () => {
  const d = blobs({ rng: new Rng(2), n: 10 });
  const batches = [...minibatches(d, { batchSize: 4, rng: new Rng(5) })];
  assert.deepEqual(
    batches.map((b) => b.y.length),
    [4, 4, 2],
  );
  assert.deepEqual(
    batches.flatMap((b) => b.indices).sort((a, b) => a - b),
    [...Array(10).keys()],
  );
  const again = [...minibatches(d, { batchSize: 4, rng: new Rng(5) })];
  assert.deepEqual(
    again.map((b) => b.indices),
    batches.map((b) => b.indices),
  );
  const first = batches[0]!;
  assert.deepEqual(Array.from(first.X.data.subarray(0, 2)), point(d, first.indices[0]!));
  assert.equal(first.y[0], d.y[first.indices[0]!]);
  const ordered = [...minibatches(d, { batchSize: 4, dropLast: true })];
  assert.deepEqual(
    ordered.map((b) => b.indices),
    [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ],
  );
  assert.throws(() => [...minibatches(d, { batchSize: 0 })], badArgument(/batchSize/));
  assert.throws(
    () => [...minibatches({ ...d, y: [1] }, { batchSize: 2 })],
    badArgument(/1 labels for X of shape \[10, 2\]/),
  );
});

test('splitDataset and the standardizer', () => {
  const d = blobs({ rng: new Rng(3), n: 20 });
  const { train, val, test: rest } = splitDataset(d, { train: 12, val: 5, rng: new Rng(0) });
  assert.deepEqual([train.y.length, val.y.length, rest.y.length], [12, 5, 3]);
  assert.throws(
    () => splitDataset(d, { train: 15, val: 10, rng: new Rng(0) }),
    badArgument(/train 15 \+ val 10 \+ test/),
  );
  const s = fitStandardizer(train.X);
  const z = s.apply(train.X);
  for (const j of [0, 1]) {
    const col = Array.from(z.data).filter((_, i) => i % 2 === j);
    assertClose(col.reduce((a, b) => a + b, 0) / col.length, 0, 1e-12);
    assertClose(Math.sqrt(col.reduce((a, b) => a + b * b, 0) / col.length), 1, 1e-12);
  }
  const constant = fitStandardizer(
    tensor([
      [1, 5],
      [2, 5],
    ]),
  );
  assert.deepEqual(Array.from(constant.std), [0.5, 1], 'a constant feature keeps std 1');
  assert.deepEqual(
    standardizerOf(Float64Array.of(1), Float64Array.of(2))
      .apply(tensor([[5]]))
      .toArray(),
    [[2]],
  );
  assert.throws(
    () => s.apply(tensor([[1, 2, 3]])),
    badArgument(/has 3 features per example, the standardizer 2/),
  );
});

test('confusion matrix, per-class accuracy and accuracy', () => {
  const m = confusionMatrix([0, 1, 1, 2, 0], [0, 1, 0, 2, 2], 4);
  assert.deepEqual(m, [
    [1, 1, 0, 0],
    [0, 1, 0, 0],
    [1, 0, 1, 0],
    [0, 0, 0, 0],
  ]);
  assert.deepEqual(perClassAccuracy(m), [0.5, 1, 0.5, null]);
  assert.equal(accuracy([0, 1, 1, 2, 0], [0, 1, 0, 2, 2]), 0.6);
  assert.throws(
    () => confusionMatrix([0, 5], [0, 1], 3),
    badArgument(/predicted\[1\] is 5, not a class in \[0, 3\)/),
  );
  assert.throws(() => accuracy([], []), badArgument(/at least one/));
  assert.throws(() => perClassAccuracy([[1, 2]]), badArgument(/square confusion matrix/));
});

/** A stand-in for the mnist package: digit d has 3 + d samples whose pixels all equal d/10 + k/1000. */
const fakeDigits: MnistDigits = Array.from({ length: 10 }, (_, d) => ({
  length: 3 + d,
  range(start: number, end: number) {
    // As mnist 1.1.0: both ends included.
    return Array.from({ length: end - start + 1 }, (_, k) =>
      new Array<number>(784).fill(d / 10 + (start + k) / 1000),
    );
  },
}));

test('splitMnist: every digit read with range(), one seeded shuffle, exact sizes, no Math.random', (t) => {
  t.mock.method(Math, 'random', () => {
    throw new Error('Math.random must not be used');
  });
  const total = Array.from({ length: 10 }, (_, d) => 3 + d).reduce((a, b) => a + b, 0); // 75
  const a = splitMnist(fakeDigits, { train: 50, val: 15, test: 10, seed: 1 });
  assert.deepEqual(a.train.X.shape, [50, 1, 28, 28]);
  assert.deepEqual([a.val.y.length, a.test.y.length], [15, 10]);
  // Every sample appears exactly once, and its label is its digit.
  const seen = [a.train, a.val, a.test].flatMap((d) =>
    d.y.map((label, i) => {
      const v = d.X.data[i * 784]!;
      assert.equal(Math.floor(v * 10 + 1e-9), label);
      return v;
    }),
  );
  assert.equal(new Set(seen).size, total);
  const b = splitMnist(fakeDigits, { train: 50, val: 15, test: 10, seed: 1 });
  assert.deepEqual(b.test.y, a.test.y);
  assert.notDeepEqual(
    splitMnist(fakeDigits, { train: 50, val: 15, test: 10, seed: 2 }).test.y,
    a.test.y,
  );
  assert.throws(
    () => splitMnist(fakeDigits, { train: 70, val: 10, test: 10 }),
    badArgument(/= 90, but the mnist package has 75/),
  );
});
