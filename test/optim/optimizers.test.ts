import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/random.js';
import { Tensor, tensor, zeros } from '../../src/core/tensor.js';
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
  type OptimizerOptions,
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
    const expected = new Tensor(w.data.slice(), w.shape); // detach() would share w's storage
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

// ——— In place (issue #11: no allocation in hot loops) ———
// The named rules update the parameters and their state arrays in place, with clipping folded
// into the update. The reference below is what Optimizer.step did before: clipGradValue →
// clipGradNorm on copies, then the pure rule on {...hyper, ...state, learningRate}. Equality is
// bit for bit (Object.is per element), state dicts and configs included.

/** The same bits, element by element (−0 and NaN included). */
function assertSameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string) {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i]))
      assert.fail(`${label}[${i}]: got ${actual[i]}, expected ${expected[i]}`);
  }
}

/** A config or a state dict: the same keys in the same order, numbers and tensors bit for bit. */
function assertSameState(actual: object, expected: object, label: string) {
  const [a, e] = [actual as Record<string, unknown>, expected as Record<string, unknown>];
  assert.deepEqual(Object.keys(a), Object.keys(e), `${label}: keys`);
  for (const [key, want] of Object.entries(e)) {
    const got = a[key];
    if (want instanceof Tensor) {
      assert.ok(got instanceof Tensor, `${label}.${key}: a tensor`);
      assert.equal(got.dtype, want.dtype, `${label}.${key}: dtype`);
      assert.deepEqual(got.shape, want.shape, `${label}.${key}: shape`);
      assertSameBits(got.data, want.data, `${label}.${key}`);
    } else
      assert.ok(Object.is(got, want), `${label}.${key}: got ${String(got)}, want ${String(want)}`);
  }
}

type Clip = { clipValue?: number; clipNorm?: number };

/** Optimizer.step as it was: clipped copies of the gradients, then the pure rule. */
class PureReference {
  readonly params: Record<string, Tensor>;
  state: Record<string, OptimConfig> = {};
  steps = 0;
  constructor(
    params: Record<string, Tensor>,
    private readonly rule: UpdateRule,
    private readonly hyper: OptimConfig,
    private readonly clip: Clip,
  ) {
    // Copies (detach() would share the storage the optimizer updates).
    this.params = Object.fromEntries(
      Object.entries(params).map(([k, p]) => [k, new Tensor(p.data.slice(), p.shape)]),
    );
  }
  step(grads: Record<string, Tensor>, learningRate: number): void {
    let found = grads;
    if (this.clip.clipValue !== undefined) found = clipGradValue(found, this.clip.clipValue);
    if (this.clip.clipNorm !== undefined) found = clipGradNorm(found, this.clip.clipNorm).grads;
    for (const [name, g] of Object.entries(found)) {
      const p = this.params[name]!;
      const config = { ...this.hyper, ...this.state[name], learningRate };
      const { next, config: after } = this.rule(p, g, config);
      p.data.set(next.data);
      this.state[name] = after;
    }
    this.steps++;
  }
  /** loadStateDict as it was: each `<param>.<slot>` into a fresh config (t as a number). */
  load(dict: Record<string, Tensor>): void {
    this.state = {};
    for (const [key, t] of Object.entries(dict)) {
      const dot = key.lastIndexOf('.');
      if (dot < 0) continue;
      const [name, slot] = [key.slice(0, dot), key.slice(dot + 1)];
      (this.state[name] ??= {})[slot] =
        slot === 't' ? t.data[0]! : new Tensor(t.data.slice(), t.shape);
    }
  }
  stateDict(learningRate: number): Record<string, Tensor> {
    const scalar = (v: number) => new Tensor(Float64Array.of(v), []);
    const out: Record<string, Tensor> = {
      learningRate: scalar(learningRate),
      steps: scalar(this.steps),
    };
    for (const [name, config] of Object.entries(this.state)) {
      for (const [slot, v] of Object.entries(config)) {
        if (v instanceof Tensor) out[`${name}.${slot}`] = v;
        else if (slot === 't') out[`${name}.${slot}`] = scalar(v as number);
      }
    }
    return out;
  }
}

/** The named rules, with the hyperparameters each optimizer hands its rule (defaults filled). */
const inPlaceCases: [
  string,
  (p: Record<string, Tensor>, o: OptimizerOptions) => Optimizer,
  UpdateRule,
  OptimConfig,
][] = [
  ['SGD', (p, o) => new SGD(p, o), sgd, {}],
  ['Momentum', (p, o) => new Momentum(p, { ...o, momentum: 0.5 }), sgdMomentum, { momentum: 0.5 }],
  [
    'RMSProp',
    (p, o) => new RMSProp(p, { ...o, decayRate: 0.9 }),
    rmsprop,
    { decayRate: 0.9, epsilon: 1e-8 },
  ],
  [
    'Adam',
    (p, o) => new Adam(p, { ...o, beta1: 0.8 }),
    adam,
    { beta1: 0.8, beta2: 0.999, epsilon: 1e-8 },
  ],
  [
    'AdamW',
    (p, o) => new AdamW(p, { ...o, weightDecay: 0.1 }),
    adamw,
    { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1 },
  ],
  // The Solver's way in: a RuleOptimizer given a named rule runs in place too.
  [
    'RuleOptimizer(adam)',
    (p, o) => new RuleOptimizer(adam, p, { ...o, beta2: 0.99 }),
    adam,
    { beta2: 0.99 },
  ],
];

const clips: Clip[] = [
  {},
  { clipValue: 0.8 },
  { clipNorm: 1.5 },
  { clipValue: 0.8, clipNorm: 1.5 },
];
/** Per step: the learning rate (a schedule changes it) and the gradients' scale. */
const lrs = [0.1, 0.05, 0.2, 0.01, 0.3];
const scales = [0.1, 2, 0.5, 3, 0.05];

const makeParams = (dtype: 'float64' | 'float32', seed: number) => ({
  a: randn([3, 2], new Rng(seed), { dtype, requiresGrad: true }),
  b: randn([4], new Rng(seed + 1), { dtype, requiresGrad: true }),
});

/** Step k's gradients; at k = 2 only `a` has one (b is skipped and left out of the norm). */
function gradsAt(k: number, dtype: 'float64' | 'float32'): Record<string, Tensor> {
  const grads: Record<string, Tensor> = {
    a: randn([3, 2], new Rng(100 + k), { dtype, std: scales[k]! }),
    b: randn([4], new Rng(200 + k), { dtype, std: scales[k]! }),
  };
  if (k === 2) delete grads.b;
  return grads;
}

/** Gives the optimizer step k's gradients: by .grad on odd steps, as step(grads) on even ones. */
function stepWith(
  opt: Optimizer,
  params: Record<string, Tensor>,
  k: number,
  grads: Record<string, Tensor>,
) {
  opt.learningRate = lrs[k]!;
  if (k % 2 === 0) return opt.step(grads);
  for (const [name, p] of Object.entries(params)) p.grad = grads[name] ?? null;
  opt.step();
}

/**
 * The storage that must survive the steps: each parameter's data, each state tensor and its
 * data (and, with `configs`, each parameter's config object).
 */
function storage(opt: Optimizer, configs = false): unknown[] {
  const out: unknown[] = Object.values(opt.params).map((p) => p.data);
  for (const config of Object.values(opt.state)) {
    if (configs) out.push(config);
    for (const v of Object.values(config)) if (v instanceof Tensor) out.push(v, v.data);
  }
  return out;
}

test('in place: each named rule equals the pure rules and clip functions bit for bit, and reuses its arrays', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    for (const [name, make, rule, hyper] of inPlaceCases) {
      for (const clip of clips) {
        const label = `${name} ${dtype} ${JSON.stringify(clip)}`;
        const params = makeParams(dtype, 1);
        const reference = new PureReference(params, rule, hyper, clip);
        const opt = make(params, { learningRate: 0.5, ...clip });
        let kept: unknown[] = [];
        for (let k = 0; k < 5; k++) {
          const grads = gradsAt(k, dtype);
          const before = Object.fromEntries(
            Object.entries(grads).map(([n, g]) => [n, g.data.slice()]),
          );
          stepWith(opt, params, k, grads);
          reference.step(grads, lrs[k]!);
          for (const [n, g] of Object.entries(grads))
            assertSameBits(g.data, before[n]!, `${label} step ${k + 1}: gradient ${n} untouched`);
          for (const [n, p] of Object.entries(params)) {
            assertSameBits(p.data, reference.params[n]!.data, `${label} step ${k + 1}: ${n}`);
            assert.equal(p.dtype, dtype);
            assertSameState(
              opt.state[n]!,
              reference.state[n]!,
              `${label} step ${k + 1}: state ${n}`,
            );
          }
          assertSameState(
            opt.stateDict(),
            reference.stateDict(lrs[k]!),
            `${label} step ${k + 1}: stateDict`,
          );
          for (const config of Object.values(opt.state)) {
            for (const v of Object.values(config))
              if (v instanceof Tensor)
                assert.equal(v.dtype, 'float64', `${label}: state stays float64`);
          }
          // Nothing re-allocated: the same arrays and tensors after steps 1, 2 and 5.
          if (k === 0) kept = storage(opt, true);
          if (k === 1 || k === 4) {
            const now = storage(opt, true);
            assert.equal(now.length, kept.length, `${label} step ${k + 1}: as many arrays`);
            now.forEach((x, i) =>
              assert.ok(x === kept[i], `${label} step ${k + 1}: array ${i} reused`),
            );
          }
        }
      }
    }
  }
});

test('in place: loadStateDict then step continues as the pure rules; saved states are snapshots', () => {
  const clip = { clipValue: 0.8, clipNorm: 1.5 };
  for (const [name, make, rule, hyper] of inPlaceCases) {
    const params = makeParams('float64', 5);
    const reference = new PureReference(params, rule, hyper, clip);
    const opt = make(params, clip);
    for (let k = 0; k < 3; k++) {
      const grads = gradsAt(k, 'float64');
      stepWith(opt, params, k, grads);
      reference.step(grads, lrs[k]!);
    }
    const dict = opt.stateDict();
    const saved = Object.fromEntries(Object.entries(dict).map(([k, t]) => [k, t.data.slice()]));
    stepWith(opt, params, 3, gradsAt(3, 'float64'));
    for (const [k, t] of Object.entries(dict))
      assertSameBits(t.data, saved[k]!, `${name}: a saved ${k} does not move with later steps`);

    const copies = Object.fromEntries(
      Object.entries(reference.params).map(([k, p]) => [
        k,
        new Tensor(p.data.slice(), p.shape, { requiresGrad: true }),
      ]),
    );
    const restored = make(copies, clip);
    restored.loadStateDict(dict);
    reference.load(dict);
    const loaded = storage(restored);
    for (let k = 3; k < 5; k++) {
      const grads = gradsAt(k, 'float64');
      stepWith(restored, copies, k, grads);
      reference.step(grads, lrs[k]!);
      for (const n of Object.keys(copies)) {
        assertSameBits(
          copies[n]!.data,
          reference.params[n]!.data,
          `${name} after load, step ${k + 1}: ${n}`,
        );
        assertSameState(
          restored.state[n]!,
          reference.state[n]!,
          `${name} after load, step ${k + 1}`,
        );
      }
      assertSameState(
        restored.stateDict(),
        reference.stateDict(lrs[k]!),
        `${name} after load: stateDict`,
      );
    }
    // The loaded arrays were copied once, by loadStateDict, and are the state the steps update.
    storage(restored).forEach((x, i) =>
      assert.ok(x === loaded[i], `${name}: loaded array ${i} kept`),
    );
    for (const [k, t] of Object.entries(dict))
      assertSameBits(t.data, saved[k]!, `${name}: the loaded dict is left alone`);
  }
});

test('in place: float32 gradients are clipped with the roundings of clipGradValue → clipGradNorm', () => {
  // Most of w's elements hit the limit, whose float32 rounding then meets a different norm
  // factor at every step: double rounding shows here if one stage is skipped. u's gradient is
  // float64 and small, so the norm adds up two parameters of two dtypes.
  for (const dtype of ['float32', 'float64'] as const) {
    for (const rule of [sgd, adam] as UpdateRule[]) {
      const clip = { clipValue: 0.1, clipNorm: 0.25 };
      const params = {
        w: zeros([8], { dtype, requiresGrad: true }),
        u: zeros([5], { dtype, requiresGrad: true }),
      };
      const reference = new PureReference(params, rule, {}, clip);
      const opt = new RuleOptimizer(rule, params, { learningRate: 1, ...clip });
      for (let k = 0; k < 40; k++) {
        const grads = {
          w: randn([8], new Rng(300 + k), { dtype: 'float32' }),
          u: randn([5], new Rng(400 + k), { std: 0.1 }),
        };
        opt.step(grads);
        reference.step(grads, 1);
        for (const [n, p] of Object.entries(params))
          assertSameBits(
            p.data,
            reference.params[n]!.data,
            `${dtype} ${n}, ${rule.name} step ${k + 1}`,
          );
      }
    }
  }
});

test('in place: a custom rule keeps the pure path; a named rule checks as the pure rule does', () => {
  // A custom rule (even one that calls a named rule) runs pure: its configs are replaced.
  const custom: UpdateRule = (w, dw, config) => sgdMomentum(w, dw, config);
  const clip = { clipValue: 0.8, clipNorm: 1.5 };
  const params = makeParams('float64', 7);
  const reference = new PureReference(params, sgdMomentum, { momentum: 0.5 }, clip);
  const opt = new RuleOptimizer(custom, params, { momentum: 0.5, ...clip });
  let previous: OptimConfig | undefined;
  for (let k = 0; k < 3; k++) {
    const grads = gradsAt(k, 'float64');
    stepWith(opt, params, k, grads);
    reference.step(grads, lrs[k]!);
    assertSameBits(params.a.data, reference.params.a!.data, `custom step ${k + 1}`);
    assertSameState(opt.state.a!, reference.state.a!, `custom step ${k + 1}`);
    assert.notEqual(opt.state.a, previous, 'the pure path makes a new config per step');
    previous = opt.state.a;
  }
  const sign: UpdateRule = (w, dw, config = {}) => ({
    next: new Tensor(
      w.data.map((v, i) => v - 0.5 * Math.sign(dw.data[i]!)),
      w.shape,
    ),
    config,
  });
  const w = tensor([1, 2], { requiresGrad: true });
  w.grad = tensor([-3, 0.1]);
  new RuleOptimizer(sign, [w]).step();
  assert.deepEqual(w.toArray(), [1.5, 1.5]);

  // The in-place path reports what the pure rule reported, and moves nothing when it does.
  const p = tensor([1, 2], { requiresGrad: true });
  p.grad = tensor([1, 1]);
  const momentum = new Momentum([p]);
  momentum.step();
  const after = p.data.slice();
  momentum.learningRate = -1;
  assert.throws(
    () => momentum.step(),
    badArgument(/sgdMomentum: config.learningRate must be a finite number ≥ 0, got -1/),
  );
  assertSameBits(p.data, after, 'nothing moved');
  assert.throws(
    () => new RuleOptimizer(adam, [p], { beta1: 2 }).step(),
    badArgument(/adam: config.beta1 must be a finite number in \[0, 1\), got 2/),
  );
  // A state tensor put in by hand is checked, copied into float64 and never written to.
  momentum.learningRate = 0.1;
  const velocity = tensor([0.5, -0.5], { dtype: 'float32' });
  momentum.state['0'] = { velocity };
  momentum.step();
  assert.deepEqual(velocity.toArray(), [0.5, -0.5]);
  const kept = momentum.state['0'].velocity;
  assert.ok(kept instanceof Tensor && kept !== velocity && kept.dtype === 'float64');
  momentum.state['0'] = { velocity: tensor([1, 2, 3]) };
  assert.throws(() => momentum.step(), /sgdMomentum: velocity has shape \[3\] but w has \[2\]/);
});
