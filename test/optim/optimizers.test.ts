import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { Linear, Sequential, randn } from '../../src/nn/index.js';
import { mul, sum } from '../../src/ops/index.js';
import {
  Adam,
  AdamW,
  EarlyStopping,
  Momentum,
  Optimizer,
  RMSProp,
  RuleOptimizer,
  SGD,
  adam,
  adamw,
  clipGradNorm,
  clipGradValue,
  constantLr,
  cosineDecay,
  rmsprop,
  sgd,
  sgdMomentum,
  stepDecay,
  warmup,
  type OptimConfig,
  type UpdateRule,
} from '../../src/optim/index.js';
import { assertClose, badArgument } from '../support/assert.js';

const cases: [string, (p: Record<string, Tensor>) => Optimizer, UpdateRule, OptimConfig][] = [
  ['SGD', (p) => new SGD(p, { learningRate: 0.1 }), sgd, { learningRate: 0.1 }],
  [
    'Momentum',
    (p) => new Momentum(p, { learningRate: 0.1, momentum: 0.5 }),
    sgdMomentum,
    { learningRate: 0.1, momentum: 0.5 },
  ],
  [
    'RMSProp',
    (p) => new RMSProp(p, { learningRate: 0.01, decayRate: 0.9 }),
    rmsprop,
    { learningRate: 0.01, decayRate: 0.9 },
  ],
  [
    'Adam',
    (p) => new Adam(p, { learningRate: 0.01, beta1: 0.8 }),
    adam,
    { learningRate: 0.01, beta1: 0.8 },
  ],
  [
    'AdamW',
    (p) => new AdamW(p, { learningRate: 0.01, weightDecay: 0.1 }),
    adamw,
    { learningRate: 0.01, weightDecay: 0.1 },
  ],
];

test('each optimizer object takes the steps of its pure rule, in place', () => {
  for (const [name, make, rule, config] of cases) {
    const w = randn([3, 2], new Rng(1), { requiresGrad: true });
    const expected = w.detach();
    const opt = make({ w });
    let state: OptimConfig = { ...config };
    for (let step = 0; step < 3; step++) {
      const g = randn([3, 2], new Rng(10 + step));
      w.grad = g;
      const before = w.data;
      opt.step();
      assert.equal(w.data, before, `${name}: the same storage, updated in place`);
      const next = rule(expected, g, state);
      expected.data.set(next.next.data);
      state = next.config;
      assertClose(Array.from(w.data), Array.from(expected.data), 1e-15, name);
    }
    assert.equal(opt.steps, 3);
  }
});

test('backward, step, zeroGrad: a module trains without copying anything back', () => {
  const rng = new Rng(2);
  const net = new Sequential(new Linear(2, 1, { rng }));
  const opt = new SGD(net, { learningRate: 0.1 });
  const x = tensor([[1, 2]]);
  const loss = () => sum(mul(net.forward(x), net.forward(x)));
  const first = loss().item();
  for (let i = 0; i < 20; i++) {
    opt.zeroGrad();
    loss().backward();
    opt.step();
  }
  assert.ok(loss().item() < first / 100, `${first} → ${loss().item()}`);
  assert.deepEqual(Object.keys(opt.params), ['0.weight', '0.bias']);
  opt.zeroGrad();
  assert.equal(net[0]!.parameters().weight!.grad, null);
  opt.step(); // no gradients: nothing moves
});

test('clipping: by global norm and by value, on new tensors', () => {
  const g = { a: tensor([3, 0]), b: tensor([0, 4]) };
  const { grads, norm } = clipGradNorm(g, 1);
  assert.equal(norm, 5);
  assertClose(grads.a!.toArray(), [0.6, 0], 1e-15);
  assertClose(grads.b!.toArray(), [0, 0.8], 1e-15);
  assert.deepEqual(g.a.toArray(), [3, 0], 'the input is untouched');
  assert.deepEqual(clipGradNorm(g, 10).grads.a!.toArray(), [3, 0]);
  assert.deepEqual(clipGradValue({ w: tensor([-5, 0.5, 2]) }, 1).w!.toArray(), [-1, 0.5, 1]);
  // In an optimizer: the step uses the clipped gradient.
  const w = tensor([0, 0], { requiresGrad: true });
  w.grad = tensor([30, 40]);
  new SGD([w], { learningRate: 1, clipNorm: 5 }).step();
  assertClose(w.toArray(), [-3, -4], 1e-15);
  w.grad = tensor([30, -0.5]);
  new SGD([w], { learningRate: 1, clipValue: 1 }).step();
  assertClose(w.toArray(), [-4, -3.5], 1e-15);
  assert.throws(() => clipGradNorm(g, 0), badArgument(/maxNorm must be a finite number > 0/));
  assert.throws(
    () => clipGradValue({ w: 3 as never }, 1),
    badArgument(/grads\["w"\] must be a tensor/),
  );
});

test('stateDict and loadStateDict round-trip an optimizer; a mismatch changes nothing', () => {
  const w = randn([2, 2], new Rng(3), { requiresGrad: true });
  const opt = new Adam({ w }, { learningRate: 0.01 });
  w.grad = randn([2, 2], new Rng(4));
  opt.step();
  opt.step();
  const dict = opt.stateDict();
  assert.deepEqual(Object.keys(dict).sort(), ['learningRate', 'steps', 'w.m', 'w.t', 'w.v']);
  const w2 = w.detach();
  w2.requiresGrad = true;
  const copy = new Adam({ w: w2 });
  copy.loadStateDict(dict);
  assert.equal(copy.learningRate, 0.01);
  assert.equal(copy.steps, 2);
  w.grad = w2.grad = randn([2, 2], new Rng(5));
  opt.step();
  copy.step();
  assert.deepEqual(w2.data, w.data, 'the restored optimizer continues bit for bit');
  const wrong = { ...dict, 'w.m': tensor([1, 2, 3]) };
  assert.throws(
    () => copy.loadStateDict(wrong),
    badArgument(/"w.m" has shape \[3\] but the parameter "w" has \[2, 2\]/),
  );
  assert.throws(
    () => copy.loadStateDict({ ...dict, 'x.m': dict['w.m']! }),
    badArgument(/no parameter "x"/),
  );
  assert.equal(copy.steps, 3, 'a refused state leaves the optimizer as it was');
});

test('optimizers check their parameters and settings at construction', () => {
  const w = tensor([1], { requiresGrad: true });
  assert.throws(
    () => new SGD({ w }, { learningRate: -1 }),
    badArgument(/SGD: options.learningRate must be a finite number ≥ 0/),
  );
  assert.throws(
    () => new Adam({ w }, { beta1: 1 }),
    badArgument(/Adam: options.beta1 must be a finite number in \[0, 1\)/),
  );
  assert.throws(() => new Momentum({ w }, { momentum: NaN }), badArgument(/momentum/));
  assert.throws(() => new SGD({}), badArgument(/no parameters to optimize/));
  assert.throws(
    () => new SGD({ w: mul(w, 2) }),
    badArgument(/parameter "w" was computed by an op/),
  );
  assert.throws(() => new SGD(5 as never), badArgument(/params must be a Module/));
  assert.throws(
    () => new RuleOptimizer('sgd' as never, { w }),
    badArgument(/RuleOptimizer: argument rule must be a function/),
  );
  const opt = new SGD({ w });
  w.grad = tensor([1, 2]);
  assert.throws(
    () => opt.step(),
    badArgument(/the gradient of "w" must be a tensor of shape \[1\], got a tensor of shape \[2\]/),
  );
});

test('learning-rate schedules', () => {
  assert.equal(constantLr(0.1)(999), 0.1);
  const step = stepDecay(1, { every: 10, gamma: 0.5 });
  assert.deepEqual([0, 9, 10, 25].map(step), [1, 1, 0.5, 0.25]);
  const cos = cosineDecay(1, { steps: 100, minLr: 0.1 });
  assertClose([0, 50, 100, 200].map(cos), [1, 0.55, 0.1, 0.1], 1e-12);
  const warm = warmup(constantLr(1), { steps: 4 });
  assert.deepEqual([0, 1, 3, 4, 100].map(warm), [0.25, 0.5, 1, 1, 1]);
  const both = warmup(stepDecay(1, { every: 2, gamma: 0.1 }), { steps: 2 });
  assertClose([0, 1, 2, 3, 4].map(both), [0.5, 1, 1, 1, 0.1], 1e-15);
  assert.throws(
    () => stepDecay(1, { every: 0, gamma: 0.5 }),
    badArgument(/options.every must be an integer ≥ 1/),
  );
  assert.throws(() => cosineDecay(1, { steps: 10, minLr: 2 }), badArgument(/minLr/));
  assert.throws(() => step(-1), badArgument(/argument t must be an integer ≥ 0/));
});

test('early stopping waits `patience` epochs without a better score', () => {
  const stop = new EarlyStopping({ patience: 2 });
  assert.deepEqual(
    [0.5, 0.6, 0.6, 0.59, 0.7].map((s) => stop.update(s)),
    [false, false, false, true, false],
  );
  assert.equal(stop.best, 0.7);
  assert.equal(stop.bestEpoch, 4);
  const strict = new EarlyStopping({ patience: 1, minDelta: 0.05 });
  assert.deepEqual(
    [0.5, 0.52].map((s) => strict.update(s)),
    [false, true],
  );
  assert.throws(() => new EarlyStopping({ patience: 0 }), badArgument(/patience/));
});
