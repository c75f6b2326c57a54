import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gradients, noGrad } from '../../src/core/autograd.js';
import { Rng } from '../../src/core/random.js';
import { forwardRecycled, releaseGraph } from '../../src/core/recycle.js';
import { Tensor } from '../../src/core/tensor.js';
import { allocate, recycle, recycledBytes } from '../../src/kernels/types.js';
import { Classifier, randn } from '../../src/nn/index.js';
import { buildModel } from '../../src/nn/spec.js';
import { matmul, mul, relu, reshape, sum } from '../../src/ops/index.js';
import { Solver } from '../../src/optim/index.js';

// Recycled storage: a training step's dead intermediates and gradients are reused by the next
// step, never anything still alive (parameters, inputs, storage an op shares with them, the
// update rule's state), and reuse changes no number.

/** Takes everything out of the pool, so a test sees only what it put there. */
function drain(): void {
  // Arrays of every size the tests use come back out; whatever is left is another test's.
  while (recycledBytes() > 0) {
    const before = recycledBytes();
    for (const n of [1, 2, 3, 4, 6, 8, 12, 16, 24]) {
      allocate('float64', n);
      allocate('float32', n);
    }
    if (recycledBytes() === before) break;
  }
}

test('allocate reuses a recycled array of the same type and length, zeroed', () => {
  drain();
  const a = new Float64Array([1, 2, 3]);
  recycle([a]);
  assert.equal(allocate('float32', 3) === (a as unknown), false, 'another type');
  const b = allocate('float64', 3);
  assert.equal(b, a);
  assert.deepEqual([...b], [0, 0, 0]);
  assert.notEqual(allocate('float64', 3), a, 'handed out once');
});

test('recycle skips views, empty arrays, and an array already waiting', () => {
  drain();
  const whole = new Float64Array(8);
  recycle([whole.subarray(0, 4), new Float64Array(0)]);
  assert.equal(recycledBytes(), 0);
  recycle([whole, whole]);
  assert.equal(recycledBytes(), 64);
  assert.equal(allocate('float64', 8), whole);
  assert.notEqual(allocate('float64', 8), whole);
});

test('releaseGraph frees intermediates and gradients, never leaves, storage shared with them, or what is kept', () => {
  drain();
  const rng = new Rng(3);
  const w = randn([3, 4], rng);
  w.requiresGrad = true;
  const x = randn([2, 3], rng);
  const wFlat = reshape(w, [12]); // shares the storage of the parameter w
  const xFlat = reshape(x, [6]); // and of the input x
  const h = relu(matmul(x, w));
  const kept = relu(h);
  const loss = sum(mul(mul(sum(kept), sum(xFlat)), sum(wFlat)));
  const grads = gradients(loss);
  releaseGraph(loss, grads.values(), [kept]);
  assert.ok(recycledBytes() > 0);
  const got = new Set<unknown>();
  for (let i = 0; i < 40; i++) {
    for (const n of [1, 6, 8, 12]) got.add(allocate('float64', n));
  }
  for (const alive of [w.data, x.data, kept.data]) assert.ok(!got.has(alive), 'a live array');
  assert.ok(got.has(h.data), 'an intermediate came back');
  assert.ok(got.has(grads.get(w)!.data), 'the gradient came back');
});

test('forwardRecycled returns a copy of the result and recycles what the pass made', () => {
  drain();
  const rng = new Rng(4);
  const w = randn([3, 4], rng);
  const x = randn([2, 3], rng);
  const plain = relu(matmul(x, w));
  const out = noGrad(() => forwardRecycled(() => relu(matmul(x, w))));
  assert.deepEqual(out.toArray(), plain.toArray());
  assert.ok(recycledBytes() > 0);
  const reused = allocate('float64', 8);
  assert.notEqual(reused, out.data);
  reused.fill(7);
  assert.deepEqual(out.toArray(), plain.toArray(), 'the copy does not share storage');
});

test('a Solver reusing buffers trains to exactly the same numbers as one that does not', () => {
  const rng = new Rng(5);
  const X = randn([40, 1, 8, 8], rng);
  const y = Array.from({ length: 40 }, () => rng.int(0, 2));
  const data = { XTrain: X, yTrain: y, XVal: X, yVal: y };
  const run = (reuseBuffers: boolean) => {
    const { model: net } = buildModel('conv(4,3)-relu-pool(2)-affine(6)-relu-affine', {
      inputShape: [1, 8, 8],
      numClasses: 3,
      rng: new Rng(0),
    });
    const model = new Classifier(net, { reg: 1e-3 });
    const solver = new Solver(model, data, {
      updateRule: 'adam',
      optimConfig: { learningRate: 1e-2 },
      batchSize: 8,
      numEpochs: 3,
      numTrainSamples: 20,
      verbose: false,
      reuseBuffers,
    });
    solver.train();
    const params = Object.values(model.params).map((p: Tensor) => [...p.data]);
    return { loss: solver.lossHistory, acc: solver.trainAccHistory, params };
  };
  const fresh = run(false);
  assert.deepEqual(run(true), fresh);
  assert.ok(recycledBytes() > 0, 'the reusing run recycled something');
});

test('the Solver never recycles a gradient the update rule keeps in its state', () => {
  // A rule that remembers the last gradient (as some momentum variants do) and uses it.
  const rule = (w: Tensor, dw: Tensor, config: Record<string, unknown> = {}) => {
    const prev = (config.prev as Tensor | undefined)?.data;
    const next = w.data.map((v, i) => v - 0.1 * (dw.data[i]! + (prev?.[i] ?? 0)));
    return { next: new Tensor(next, w.shape), config: { ...config, prev: dw } };
  };
  const rng = new Rng(6);
  const X = randn([12, 5], rng);
  const y = Array.from({ length: 12 }, () => rng.int(0, 1));
  const run = (reuseBuffers: boolean) => {
    const { model: net } = buildModel('affine(4)-relu-affine', {
      inputShape: [5],
      numClasses: 2,
      rng: new Rng(0),
    });
    const model = new Classifier(net);
    const solver = new Solver(
      model,
      { XTrain: X, yTrain: y, XVal: X, yVal: y },
      {
        updateRule: rule,
        batchSize: 4,
        numEpochs: 3,
        verbose: false,
        reuseBuffers,
      },
    );
    solver.train();
    return solver.lossHistory;
  };
  assert.deepEqual(run(true), run(false));
});
