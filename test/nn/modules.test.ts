import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/random.js';
import { Tensor, ones, tensor, zeros } from '../../src/core/tensor.js';
import { toSnapshot } from '../../src/graph/index.js';
import {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  LayerNorm,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
  Sigmoid,
  Tanh,
  affine,
  batchNorm,
  batchNormState,
  conv,
  layerNorm,
  maxPool,
  randn,
  relu,
  sigmoid,
  tanh,
} from '../../src/nn/index.js';
import { mul, sum } from '../../src/ops/index.js';
import { assertClose, badArgument } from '../support/assert.js';
import { assertGradients } from '../support/cs231n.js';

const rng = () => new Rng(7);

test('parameters are found in fields, arrays, plain objects and Maps, named by path', () => {
  const p = (v: number) => tensor([v], { requiresGrad: true });
  class Net extends Module {
    w = p(1);
    list = [p(2), { inner: p(3) }];
    table = new Map<string, Tensor>([['bias', p(4)]]);
    nested = { deep: { er: [p(5)] } };
    buffer = tensor([6]);
    label = 'not a tensor';
  }
  const net = new Net();
  assert.deepEqual(Object.keys(net.parameters()), [
    'w',
    'list.0',
    'list.1.inner',
    'table.bias',
    'nested.deep.er.0',
  ]);
  assert.deepEqual(Object.keys(net.buffers()), ['buffer']);
  assert.equal(net.parameterCount(), 5);
});

test('a tensor kept twice (tied weights) is one parameter, under its first name', () => {
  const shared = tensor([1, 2], { requiresGrad: true });
  class Tied extends Module {
    encoder = { w: shared };
    decoder = { w: shared };
  }
  assert.deepEqual(Object.keys(new Tied().parameters()), ['encoder.w']);
});

test('what would hide a parameter is refused where it is assigned: at construction', () => {
  const leaf = () => tensor([1], { requiresGrad: true });
  class InSet extends Module {
    s = new Set([leaf()]);
  }
  assert.throws(() => new InSet(), badArgument(/InSet: field 's' keeps tensors .* inside a Set/));
  class Computed extends Module {
    w = mul(leaf(), 0.01);
  }
  assert.throws(
    () => new Computed(),
    badArgument(/Computed: field 'w' holds a tensor computed by the op 'mul'.*leaves/),
  );
  class Dotted extends Module {
    params = { 'fc.w': leaf() };
  }
  assert.throws(() => new Dotted(), badArgument(/'fc\.w' .* contains a dot/));
  class ObjectKeys extends Module {
    m = new Map([[{}, leaf()]]);
  }
  assert.throws(() => new ObjectKeys(), badArgument(/a Map with a non-string key/));
  class Opaque extends Module {
    holder = new (class Holder {
      w = leaf();
    })();
  }
  assert.throws(() => new Opaque(), badArgument(/inside a Holder.*extend Module/));
  // Later assignments are checked too.
  const ok = new Sequential(new ReLU());
  assert.throws(
    () => {
      (ok as unknown as { extra: Tensor }).extra = mul(leaf(), 2);
    },
    badArgument(/field 'extra' holds a tensor computed/),
  );
});

test('train() and eval() set the phase of every module in the tree', () => {
  const net = new Sequential(
    new Linear(2, 3, { rng: rng() }),
    new Sequential(new Dropout({ keep: 0.5, rng: rng() }), new ReLU()),
  );
  net.eval();
  assert.deepEqual(
    Object.values(net.children()).map((m) => m.phase),
    ['eval', 'eval', 'eval', 'eval'],
  );
  net.train();
  assert.equal((net[1] as Sequential)[0]!.phase, 'train');
  assert.throws(() => net.train('test' as 'eval'), badArgument(/phase must be 'train' or 'eval'/));
});

test('forward runs inside a scope: a snapshot shows the layers as groups', () => {
  const net = new Sequential(
    new Linear(2, 4, { rng: rng() }),
    new ReLU(),
    new Sequential(new Linear(4, 3, { rng: rng() })),
  );
  const y = sum(net.forward(tensor([[1, 2]])));
  const { groups, nodes } = toSnapshot(y);
  assert.deepEqual(
    groups?.map(({ kind, label }) => `${kind} ${label}`),
    [
      'module Sequential',
      'layer 0: Linear',
      'layer 1: ReLU',
      'module 2: Sequential',
      'layer 0: Linear',
    ],
  );
  const matmuls = nodes.filter((n) => n.op === 'matmul').map((n) => n.group);
  assert.deepEqual(matmuls, ['g1', 'g4'], 'each matmul sits in its own layer group');
  assert.equal(nodes.find((n) => n.op === 'sum')?.group, undefined, 'the loss is outside');
});

test('layers compute what the functional layers compute', () => {
  const r = rng();
  const x = randn([3, 4], r);
  const lin = new Linear(4, 2, { rng: r });
  assert.deepEqual(lin.forward(x).toArray(), affine(x, lin.weight, lin.bias!).toArray());
  const noBias = new Linear(4, 2, { rng: r, bias: false });
  assert.equal(noBias.bias, null);
  assert.deepEqual(Object.keys(noBias.parameters()), ['weight']);
  const img = randn([2, 3, 6, 6], r);
  const c = new Conv2d(3, 5, 3, { rng: r, pad: 1, stride: 2 });
  assert.deepEqual(
    c.forward(img).toArray(),
    conv(img, c.weight, c.bias!, { pad: 1, stride: 2 }).toArray(),
  );
  assert.deepEqual(c.forward(img).shape, [2, 5, 3, 3]);
  assert.deepEqual(new MaxPool2d(2).forward(img).toArray(), maxPool(img).toArray());
  assert.deepEqual(new ReLU().forward(x).toArray(), relu(x).toArray());
  assert.deepEqual(new Tanh().forward(x).toArray(), tanh(x).toArray());
  assert.deepEqual(new Sigmoid().forward(x).toArray(), sigmoid(x).toArray());
  assert.deepEqual(new Flatten().forward(img).shape, [2, 108]);
  const ln = new LayerNorm(4);
  assert.deepEqual(ln.forward(x).toArray(), layerNorm(x, ones([4]), zeros([4])).toArray());
});

test('batch norm: batch statistics in train, running averages (CS231n momentum) in eval', () => {
  const x = randn([8, 3], rng(), { mean: 2, std: 3 });
  const bn = new BatchNorm1d(3, { momentum: 0.9 });
  const state = batchNormState({ momentum: 0.9 });
  assert.deepEqual(bn.forward(x).toArray(), batchNorm(x, ones([3]), zeros([3]), state).toArray());
  assertClose(Array.from(bn.runningMean.data), Array.from(state.runningMean!.data), 0);
  // After one batch the running mean is 0.1 × the batch mean (it starts at 0).
  const batchMean = [0, 1, 2].map(
    (j) => [0, 1, 2, 3, 4, 5, 6, 7].reduce((s, i) => s + x.data[3 * i + j]!, 0) / 8,
  );
  assertClose(
    Array.from(bn.runningMean.data),
    batchMean.map((m) => 0.1 * m),
    1e-12,
  );
  bn.eval();
  const expected = x.data.map(
    (v, i) => (v - bn.runningMean.data[i % 3]!) / Math.sqrt(bn.runningVar.data[i % 3]! + 1e-5),
  );
  assertClose(Array.from(bn.forward(x).data), Array.from(expected), 1e-12);
  const before = bn.runningMean.data.slice();
  bn.forward(x);
  assert.deepEqual(bn.runningMean.data, before, 'eval does not update the running averages');
  const bn2 = new BatchNorm2d(3);
  assert.deepEqual(bn2.forward(randn([2, 3, 4, 4], rng())).shape, [2, 3, 4, 4]);
  assert.deepEqual(Object.keys(bn2.buffers()), ['runningMean', 'runningVar']);
});

test('dropout: a new mask per call from rng, the same mask every call with seed, identity in eval', () => {
  const x = ones([4, 50]);
  const streamed = new Dropout({ keep: 0.5, rng: rng() });
  const a = streamed.forward(x).data;
  const b = streamed.forward(x).data;
  assert.notDeepEqual(a, b);
  assert.ok(
    a.every((v) => v === 0 || v === 2),
    'kept units are scaled by 1/p',
  );
  const kept = a.filter((v) => v !== 0).length / a.length;
  assert.ok(kept > 0.35 && kept < 0.65, `kept fraction ${kept}`);
  const fixed = new Dropout({ keep: 0.5, seed: 3 });
  assert.deepEqual(fixed.forward(x).data, fixed.forward(x).data);
  fixed.eval();
  assert.equal(fixed.forward(x), x);
  assert.throws(() => new Dropout({ keep: 0.5 }), badArgument(/needs \{ rng/));
  assert.throws(
    () => new Dropout({ keep: 0, rng: rng() }),
    badArgument(/options.keep must be a finite number in \(0, 1\]/),
  );
});

test('a Sequential network passes a whole-network gradient check (float64)', () => {
  const r = rng();
  const net = new Sequential(
    new Linear(5, 6, { rng: r }),
    new BatchNorm1d(6),
    new Tanh(),
    new LayerNorm(6),
    new Linear(6, 3, { rng: r }),
  );
  const x = randn([4, 5], r);
  const names = Object.keys(net.parameters());
  const params = Object.values(net.parameters());
  // f of the parameters: put the nudged copies into the module, run it.
  assertGradients(
    r,
    (...ps) => {
      names.forEach((name, i) => {
        const [layer, field] = name.split('.') as [string, string];
        (net[Number(layer)] as unknown as Record<string, Tensor>)[field] = ps[i]!;
      });
      return net.forward(x);
    },
    params,
    { label: 'Sequential' },
  );
});

test('constructors check their arguments', () => {
  assert.throws(
    () => new Linear(0, 3, { rng: rng() }),
    badArgument(/Linear: argument inFeatures must be an integer in \[1, /),
  );
  assert.throws(
    () => new Linear(2, 3, {} as never),
    badArgument(/Linear: options.rng must be a seeded generator/),
  );
  assert.throws(
    () => new Linear(2, 3, { rng: rng(), init: 'he' as never }),
    badArgument(/init must be 'kaiming', 'xavier' or \{ weightScale/),
  );
  assert.throws(
    () => new Conv2d(3, 4, 0, { rng: rng() }),
    badArgument(/Conv2d: argument kernelSize must be an integer in \[1, /),
  );
  assert.throws(() => new MaxPool2d(1.5), badArgument(/MaxPool2d: argument size/));
  assert.throws(
    () => new BatchNorm1d(3, { momentum: 2 }),
    badArgument(/momentum must be a finite number in \[0, 1\]/),
  );
  assert.throws(
    () => new Sequential(42 as never),
    badArgument(/Sequential: layer 0 must be a Module/),
  );
  assert.throws(
    () => new Linear(2 ** 20, 2 ** 20, { rng: rng() }),
    badArgument(/a tensor holds at most 134217728/),
  );
});

test('a module without forward says so', () => {
  class Empty extends Module {}
  assert.throws(
    () => new Empty().forward(),
    badArgument(/Empty.forward: a Module subclass must define forward/),
  );
});
