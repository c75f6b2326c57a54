import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChainruleError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { Tensor, tensor, zeros } from '../../src/core/tensor.js';
import * as L from '../../src/layers/index.js';
import { affine, affineRelu, l2Penalty, softmaxLoss } from '../../src/nn/index.js';
import { add, mul } from '../../src/ops/index.js';
import { Solver, type Model } from '../../src/optim/index.js';

/** Three Gaussian blobs in the plane: an easy, seeded 3-class problem. */
function blobs(n: number, seed: number): { X: Tensor; y: number[] } {
  const rng = new Rng(seed);
  const centers = [
    [2, 0],
    [-1, 1.7],
    [-1, -1.7],
  ];
  const y = Array.from({ length: n }, (_, i) => i % 3);
  const X = tensor(
    y.map((c) => centers[c]!.map((v) => v + 0.5 * rng.normal())),
    { shape: [n, 2] },
  );
  return { X, y };
}

function init(seed: number, hidden = 16): Record<string, Tensor> {
  const rng = new Rng(seed);
  const weights = (rows: number, cols: number) =>
    tensor(
      Array.from({ length: rows * cols }, () => 0.1 * rng.normal()),
      { shape: [rows, cols] },
    );
  return { W1: weights(2, hidden), b1: zeros([hidden]), W2: weights(hidden, 3), b2: zeros([3]) };
}

/** A two-layer net whose loss is a tensor: the Solver gets the gradients by autograd. */
function autogradNet(reg: number, seed = 1): Model {
  const model: Model = {
    params: init(seed),
    loss(X, y) {
      const { W1, b1, W2, b2 } = model.params;
      const scores = affine(affineRelu(X, W1!, b1!), W2!, b2!);
      if (y === undefined) return scores;
      return add(softmaxLoss(scores, y), l2Penalty([W1!, W2!], reg));
    },
  };
  return model;
}

/** The same net written with the explicit layer pairs, returning { loss, grads } as CS231n. */
function pairsNet(reg: number, seed = 1): Model {
  const model: Model = {
    params: init(seed),
    loss(X, y) {
      const { W1, b1, W2, b2 } = model.params;
      const hidden = L.affineReluForward(X, W1!, b1!);
      const scores = L.affineForward(hidden.out, W2!, b2!);
      if (y === undefined) return scores.out;
      const { loss, dx: dscores } = L.softmaxLoss(scores.out, y);
      const second = L.affineBackward(dscores, scores.cache);
      const first = L.affineReluBackward(second.dx, hidden.cache);
      return {
        loss: loss + l2Penalty([W1!, W2!], reg).item(),
        grads: {
          W1: add(first.dw, mul(W1!, reg)),
          b1: first.db,
          W2: add(second.dw, mul(W2!, reg)),
          b2: second.db,
        },
      };
    },
  };
  return model;
}

const train = blobs(300, 10);
const val = blobs(90, 11);
const data = { XTrain: train.X, yTrain: train.y, XVal: val.X, yVal: val.y };

test('the Solver trains a two-layer net: histories, logs, accuracy, best parameters', () => {
  const lines: string[] = [];
  const model = autogradNet(1e-3);
  const solver = new Solver(model, data, {
    updateRule: 'adam',
    optimConfig: { learningRate: 3e-2 },
    lrDecay: 0.9,
    batchSize: 50,
    numEpochs: 5,
    printEvery: 10,
    log: (line) => lines.push(line),
    seed: 3,
  });
  solver.train();
  // 300 / 50 = 6 iterations per epoch, 30 in all; accuracy at the start and after each epoch.
  assert.equal(solver.lossHistory.length, 30);
  assert.equal(solver.trainAccHistory.length, 6);
  assert.equal(solver.valAccHistory.length, 6);
  assert.equal(solver.epoch, 5);
  assert.ok(
    solver.lossHistory.at(-1)! < solver.lossHistory[0]! / 2,
    `losses ${solver.lossHistory[0]} → ${solver.lossHistory.at(-1)}`,
  );
  assert.ok(solver.bestValAcc > 0.9, `best val acc ${solver.bestValAcc}`);
  assert.equal(solver.bestValAcc, Math.max(...solver.valAccHistory));
  assert.equal(
    solver.checkAccuracy(val.X, val.y),
    solver.bestValAcc,
    'the model ends with the best parameters',
  );
  assert.match(lines[0]!, /^\(Iteration 1 \/ 30\) loss: \d+\.\d{6}$/);
  assert.match(lines[1]!, /^\(Epoch 0 \/ 5\) train acc: \d\.\d{6}; val_acc: \d\.\d{6}$/);
  assert.equal(lines.filter((l) => l.startsWith('(Iteration')).length, 3);
  // The learning rate decays once per epoch.
  assert.ok(Math.abs(solver.optimConfigs.W1!.learningRate! - 3e-2 * 0.9 ** 5) < 1e-15);
  assert.notEqual(solver.bestParams.W1, model.params.W1, 'bestParams are copies');
});

test('explicit-pairs and autograd models follow the same trajectory; seeds make runs repeat', () => {
  const options = {
    updateRule: 'sgdMomentum' as const,
    optimConfig: { learningRate: 0.05 },
    batchSize: 30,
    numEpochs: 2,
    seed: 9,
    verbose: false,
  };
  const a = new Solver(autogradNet(1e-2), data, options);
  const b = new Solver(pairsNet(1e-2), data, options);
  a.train();
  b.train();
  assert.equal(a.lossHistory.length, 20);
  a.lossHistory.forEach((l, i) => assert.ok(Math.abs(l - b.lossHistory[i]!) < 1e-12, `step ${i}`));
  const again = new Solver(autogradNet(1e-2), data, options);
  again.train();
  assert.deepEqual(again.lossHistory, a.lossHistory);
});

test('every named update rule runs, and a custom rule can be passed', () => {
  for (const updateRule of ['sgd', 'sgdMomentum', 'rmsprop', 'adam', 'adamw'] as const) {
    const solver = new Solver(autogradNet(0), data, {
      updateRule,
      batchSize: 100,
      numEpochs: 1,
      verbose: false,
    });
    solver.train();
    assert.equal(solver.lossHistory.length, 3, updateRule);
  }
  let calls = 0;
  const custom = new Solver(autogradNet(0), data, {
    updateRule: (w, dw, config = {}) => {
      calls++;
      return { next: w.sub(dw.mul(0.1)), config };
    },
    batchSize: 150,
    numEpochs: 1,
    verbose: false,
  });
  custom.step();
  assert.equal(calls, 4, 'one call per parameter');
});

test('a named rule steps in place; optimConfigs and checkpoints are snapshots', () => {
  const model = autogradNet(0);
  const W1 = model.params.W1!;
  const solver = new Solver(model, data, {
    updateRule: 'adam',
    optimConfig: { learningRate: 1e-2 },
    clipNorm: 1,
    batchSize: 50,
    verbose: false,
  });
  const storage = W1.data;
  solver.step();
  const { m, v } = solver.optimizer.state.W1 as { m: Tensor; v: Tensor };
  const configs = solver.optimConfigs;
  const checkpoint = solver.checkpoint();
  const saved = [configs.W1!.m as Tensor, checkpoint.optimizer['W1.m']!].map((t) => t.data.slice());
  solver.step();
  solver.step();
  assert.equal(W1.data, storage, 'the parameter keeps its storage');
  const now = solver.optimizer.state.W1 as { m: Tensor; v: Tensor; t: number };
  assert.ok(now.m === m && now.v === v && now.m.data === m.data, 'the same state tensors');
  assert.equal(now.t, 3);
  assert.notDeepEqual(now.m.data, saved[0]);
  assert.deepEqual((configs.W1!.m as Tensor).data, saved[0], 'optimConfigs: a copy');
  assert.deepEqual(checkpoint.optimizer['W1.m']!.data, saved[1], 'a checkpoint: a copy');
});

test('checkAccuracy subsamples with the seeded generator; bad settings are rejected', () => {
  const solver = new Solver(autogradNet(0), data, { verbose: false });
  const acc = solver.checkAccuracy(train.X, train.y, 50, 7);
  assert.ok(
    acc >= 0 && acc <= 1 && Math.abs(acc * 50 - Math.round(acc * 50)) < 1e-9,
    `accuracy ${acc}`,
  );
  const bad = (fn: () => unknown, pattern: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof ChainruleError && pattern.test(e.message));
  bad(
    () => new Solver(autogradNet(0), { ...data, yTrain: [0, 1] }),
    /Solver: yTrain has 2 labels for 300 examples/,
  );
  bad(
    () => new Solver(autogradNet(0), data, { updateRule: 'nesterov' as 'sgd' }),
    /options.updateRule must be 'sgd' or .*, got the string "nesterov"/,
  );
  bad(
    () => new Solver(autogradNet(0), data, { batchSize: 0 }),
    /options.batchSize must be an integer in \[1, /,
  );
  const broken: Model = {
    params: init(1),
    loss: (X, y) => (y ? { loss: 1, grads: {} } : zeros([X.shape[0]!, 3])),
  };
  bad(
    () => new Solver(broken, data, { verbose: false }).step(),
    /model.loss returned no gradient for parameter "W1"/,
  );
});
