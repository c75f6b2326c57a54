import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gradients } from '../../src/core/autograd.js';
import { Rng } from '../../src/core/random.js';
import type { Tensor } from '../../src/core/tensor.js';
import { numericalGradient } from '../../src/graph/gradcheck.js';
import { FullyConnectedNet, ThreeLayerConvNet, TwoLayerNet, randn } from '../../src/nn/index.js';
import { transpose } from '../../src/ops/index.js';
import { assertClose, badArgument } from '../support/assert.js';
import { linspace } from '../support/cs231n.js';

type Cs231nModel = { params: Record<string, Tensor>; loss(X: Tensor, y?: number[]): Tensor };

/**
 * The whole-network check of the assignment: for every parameter, the analytic gradient of
 * model.loss(X, y) against centered differences in float64 (the parameter nudged in place,
 * fourth-order differences). Elements whose nudge crossed a ReLU kink are left out. The error of
 * a parameter is its worst element's |analytic − numeric| relative to the largest gradient
 * element of that parameter (at least 1e-4): tiny elements are not judged by rounding noise, and
 * a gradient that is truly 0 (a bias before batch norm) compares against that floor.
 */
function checkModel(model: Cs231nModel, X: Tensor, y: number[]): Record<string, number> {
  for (const p of Object.values(model.params)) p.requiresGrad = true;
  const analytic = gradients(model.loss(X, y));
  const out: Record<string, number> = {};
  for (const [name, p] of Object.entries(model.params)) {
    const { grad, kinks } = numericalGradient(() => model.loss(X, y).item(), p, { order: 4 });
    const a = analytic.get(p)!.data;
    let worst = 0;
    let scale = 1e-4; // gradients below this are rounding noise of a loss of order 1
    a.forEach((v, i) => {
      scale = Math.max(scale, Math.abs(v), Math.abs(grad[i]!));
      if (!kinks[i]) worst = Math.max(worst, Math.abs(v - grad[i]!));
    });
    out[name] = worst / scale;
  }
  return out;
}

function assertChecks(errors: Record<string, number>, tolerance: number, label: string): void {
  for (const [name, e] of Object.entries(errors)) {
    assert.ok(e < tolerance, `${label}: ${name} relative error ${e} ≥ ${tolerance}`);
  }
}

/** Random inputs and labels, seeded. */
function problem(seed: number, shape: number[], classes: number) {
  const rng = new Rng(seed);
  const X = randn(shape, rng);
  const y = Array.from({ length: shape[0]! }, () => rng.int(0, classes - 1));
  return { X, y };
}

test('TwoLayerNet reproduces the assignment notebook: init, scores, losses', () => {
  const [N, D, H, C] = [3, 5, 50, 7];
  const std = 1e-3;
  const model = new TwoLayerNet({ inputDim: D, hiddenDim: H, numClasses: C, weightScale: std });
  const spread = (t: Tensor) => {
    const values = Array.from(t.data);
    const m = values.reduce((a, b) => a + b, 0) / t.size;
    return Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / t.size);
  };
  assert.ok(Math.abs(spread(model.params.W1!) - std) < std / 10, 'First layer weights');
  assert.ok(Math.abs(spread(model.params.W2!) - std) < std / 10, 'Second layer weights');
  assert.ok(
    model.params.b1!.data.every((v) => v === 0) && model.params.b2!.data.every((v) => v === 0),
  );

  model.params.W1 = linspace(-0.7, 0.3, D * H, [D, H]);
  model.params.b1 = linspace(-0.1, 0.9, H);
  model.params.W2 = linspace(-0.3, 0.4, H * C, [H, C]);
  model.params.b2 = linspace(-0.9, 0.1, C);
  const X = transpose(linspace(-5.5, 4.5, N * D, [D, N]));
  const correctScores = [
    [11.53165108, 12.2917344, 13.05181771, 13.81190102, 14.57198434, 15.33206765, 16.09215096],
    [12.05769098, 12.74614105, 13.43459113, 14.1230412, 14.81149128, 15.49994135, 16.18839143],
    [12.58373087, 13.20054771, 13.81736455, 14.43418138, 15.05099822, 15.66781506, 16.2846319],
  ];
  const scores = model.loss(X).toArray() as number[][];
  const diff = scores.flat().reduce((s, v, i) => s + Math.abs(v - correctScores.flat()[i]!), 0);
  assert.ok(diff < 1e-6, `scores differ by ${diff}`);
  const y = [0, 5, 1];
  assert.ok(Math.abs(model.loss(X, y).item() - 3.4702243556) < 1e-10, 'training-time loss');
  model.reg = 1.0;
  assert.ok(Math.abs(model.loss(X, y).item() - 26.5948426952) < 1e-10, 'regularization loss');
  for (const reg of [0, 0.7]) {
    model.reg = reg;
    assertChecks(checkModel(model, X, y), 1e-7, `TwoLayerNet reg ${reg}`);
  }
});

test('FullyConnectedNet: whole-network gradient checks, plain and with reg (float64)', () => {
  const [N, D, H1, H2, C] = [2, 15, 20, 30, 10];
  const { X, y } = problem(231, [N, D], C);
  for (const reg of [0, 3.14]) {
    const model = new FullyConnectedNet([H1, H2], {
      inputDim: D,
      numClasses: C,
      reg,
      weightScale: 5e-2,
      seed: 1,
    });
    assert.deepEqual(Object.keys(model.params), ['W1', 'b1', 'W2', 'b2', 'W3', 'b3']);
    assertChecks(checkModel(model, X, y), 1e-7, `reg ${reg}`);
  }
});

test('FullyConnectedNet with batchnorm and layernorm passes the whole-network check', () => {
  const [N, D, H1, H2, C] = [2, 15, 20, 30, 10];
  const { X, y } = problem(232, [N, D], C);
  for (const normalization of ['batchnorm', 'layernorm'] as const) {
    for (const reg of [0, 3.14]) {
      const model = new FullyConnectedNet([H1, H2], {
        inputDim: D,
        numClasses: C,
        reg,
        weightScale: 5e-2,
        normalization,
        seed: 2,
      });
      assert.deepEqual(Object.keys(model.params).slice(0, 4), ['W1', 'b1', 'gamma1', 'beta1']);
      // With N = 2, batch norm centres exactly: the bias before it has gradient 0, and its
      // numeric estimate is rounding noise of ~1e-10 (the notebook shows the same for b1).
      assertChecks(checkModel(model, X, y), 1e-5, `${normalization} reg ${reg}`);
    }
  }
});

test('FullyConnectedNet with dropout (a fixed mask, as the notebook seed) passes the check', () => {
  const [N, D, H1, H2, C] = [2, 15, 20, 30, 10];
  const { X, y } = problem(233, [N, D], C);
  for (const keep of [1, 0.75, 0.5]) {
    const model = new FullyConnectedNet([H1, H2], {
      inputDim: D,
      numClasses: C,
      weightScale: 5e-2,
      dropoutKeepRatio: keep,
      dropoutSeed: 123,
      seed: 3,
    });
    assertChecks(checkModel(model, X, y), 1e-6, `dropout keep ${keep}`);
  }
  // Without a dropout seed, each training pass draws a new mask; test time drops nothing.
  const streamed = new FullyConnectedNet([H1], {
    inputDim: D,
    numClasses: C,
    dropoutKeepRatio: 0.5,
  });
  assert.notEqual(streamed.loss(X, y).item(), streamed.loss(X, y).item());
  assert.deepEqual(streamed.loss(X).data, streamed.loss(X).data);
});

test('batch norm in a FullyConnectedNet: test time uses the running averages', () => {
  const { X, y } = problem(234, [50, 6], 3);
  const model = new FullyConnectedNet([8], {
    inputDim: 6,
    numClasses: 3,
    normalization: 'batchnorm',
  });
  const before = model.loss(X).data.slice();
  model.loss(X, y); // a training pass moves the running averages
  assert.notDeepEqual(model.loss(X).data, before);
  assert.deepEqual(Object.keys(model.buffers()), [
    'bnParams.0.runningMean',
    'bnParams.0.runningVar',
  ]);
});

test('initial losses are about ln C with small weights, higher with reg', () => {
  const { X, y } = problem(235, [10, 3, 8, 8], 10);
  const conv = new ThreeLayerConvNet({
    inputDim: [3, 8, 8],
    numFilters: 4,
    filterSize: 3,
    hiddenDim: 10,
  });
  assertClose(conv.loss(X, y).item(), Math.log(10), 1e-3);
  conv.reg = 0.5;
  assert.ok(conv.loss(X, y).item() > Math.log(10));
  const fc = new FullyConnectedNet([20], { inputDim: 192, weightScale: 1e-4 });
  assertClose(fc.loss(X, y).item(), Math.log(10), 1e-4);
});

test('ThreeLayerConvNet passes the whole-network check of the notebook (float64)', () => {
  const { X, y } = problem(236, [2, 3, 16, 16], 10);
  const model = new ThreeLayerConvNet({
    inputDim: [3, 16, 16],
    numFilters: 3,
    filterSize: 3,
    hiddenDim: 7,
    weightScale: 1e-2,
    seed: 4,
  });
  assert.deepEqual(model.params.W2!.shape, [3 * 8 * 8, 7]);
  assertChecks(checkModel(model, X, y), 1e-6, 'ThreeLayerConvNet');
});

test('the CS231n models check their options', () => {
  assert.throws(
    () => new TwoLayerNet({ hiddenDim: 0 }),
    badArgument(/TwoLayerNet: options.hiddenDim must be an integer/),
  );
  assert.throws(() => new TwoLayerNet({ reg: -1 }), badArgument(/reg must be a finite number ≥ 0/));
  assert.throws(
    () => new FullyConnectedNet([10], { normalization: 'groupnorm' as never }),
    badArgument(/normalization must be 'batchnorm', 'layernorm' or null/),
  );
  assert.throws(
    () => new FullyConnectedNet([10], { dropoutKeepRatio: 0 }),
    badArgument(/dropoutKeepRatio/),
  );
  assert.throws(
    () => new FullyConnectedNet('10' as never),
    badArgument(/hiddenDims must be a list/),
  );
  assert.throws(
    () => new ThreeLayerConvNet({ filterSize: 4 }),
    badArgument(/filterSize must be odd/),
  );
  assert.throws(
    () => new ThreeLayerConvNet({ inputDim: [3, 1, 1] as never }),
    badArgument(/too small for 2×2 pooling/),
  );
});
