import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ShapeError } from '../../src/core/errors.js';
import { Tensor, tensor, zeros } from '../../src/core/tensor.js';
import { relErrorOverSum } from '../../src/graph/numeric.js';
import { adam, adamw, rmsprop, sgd, sgdMomentum } from '../../src/optim/index.js';
import { assertClose } from '../support/assert.js';
import { linspace } from '../support/cs231n.js';

// The optimizer checks of CS231n assignment 2 (FullyConnectedNets.ipynb): N, D = 4, 5 and
// np.linspace inputs. The notebook prints 8 decimals and expects relative errors "around e-7 or
// less"; we ask for agreement to every printed decimal (half a unit of the 8th: 5e-9).
const w = () => linspace(-0.4, 0.6, 20, [4, 5]);
const dw = () => linspace(-0.6, 0.4, 20, [4, 5]);

function expectClose(actual: Tensor, expected: number[][], label: string): void {
  assertClose(actual.toArray(), expected, 5.01e-9, label);
  assert.ok(relErrorOverSum(actual, expected) < 2e-7, label);
}

test('sgdMomentum reproduces the notebook check', () => {
  const { next, config } = sgdMomentum(w(), dw(), {
    learningRate: 1e-3,
    velocity: linspace(0.6, 0.9, 20, [4, 5]),
  });
  expectClose(
    next,
    [
      [0.1406, 0.20738947, 0.27417895, 0.34096842, 0.40775789],
      [0.47454737, 0.54133684, 0.60812632, 0.67491579, 0.74170526],
      [0.80849474, 0.87528421, 0.94207368, 1.00886316, 1.07565263],
      [1.14244211, 1.20923158, 1.27602105, 1.34281053, 1.4096],
    ],
    'next_w',
  );
  expectClose(
    config.velocity,
    [
      [0.5406, 0.55475789, 0.56891579, 0.58307368, 0.59723158],
      [0.61138947, 0.62554737, 0.63970526, 0.65386316, 0.66802105],
      [0.68217895, 0.69633684, 0.71049474, 0.72465263, 0.73881053],
      [0.75296842, 0.76712632, 0.78128421, 0.79544211, 0.8096],
    ],
    'velocity',
  );
  assert.equal(config.momentum, 0.9);
});

test('rmsprop reproduces the notebook check', () => {
  const { next, config } = rmsprop(w(), dw(), {
    learningRate: 1e-2,
    cache: linspace(0.6, 0.9, 20, [4, 5]),
  });
  expectClose(
    next,
    [
      [-0.39223849, -0.34037513, -0.28849239, -0.23659121, -0.18467247],
      [-0.132737, -0.08078555, -0.02881884, 0.02316247, 0.07515774],
      [0.12716641, 0.17918792, 0.23122175, 0.28326742, 0.33532447],
      [0.38739248, 0.43947102, 0.49155973, 0.54365823, 0.59576619],
    ],
    'next_w',
  );
  expectClose(
    config.cache,
    [
      [0.5976, 0.6126277, 0.6277108, 0.64284931, 0.65804321],
      [0.67329252, 0.68859723, 0.70395734, 0.71937285, 0.73484377],
      [0.75037008, 0.7659518, 0.78158892, 0.79728144, 0.81302936],
      [0.82883269, 0.84469141, 0.86060554, 0.87657507, 0.8926],
    ],
    'cache',
  );
  assert.deepEqual([config.decayRate, config.epsilon], [0.99, 1e-8]);
});

test('adam reproduces the notebook check (t incremented before the bias correction)', () => {
  const { next, config } = adam(w(), dw(), {
    learningRate: 1e-2,
    m: linspace(0.6, 0.9, 20, [4, 5]),
    v: linspace(0.7, 0.5, 20, [4, 5]),
    t: 5,
  });
  expectClose(
    next,
    [
      [-0.40094747, -0.34836187, -0.29577703, -0.24319299, -0.19060977],
      [-0.1380274, -0.08544591, -0.03286534, 0.01971428, 0.0722929],
      [0.1248705, 0.17744702, 0.23002243, 0.28259667, 0.33516969],
      [0.38774145, 0.44031188, 0.49288093, 0.54544852, 0.59801459],
    ],
    'next_w',
  );
  expectClose(
    config.v,
    [
      [0.69966, 0.68908382, 0.67851319, 0.66794809, 0.65738853],
      [0.64683452, 0.63628604, 0.6257431, 0.61520571, 0.60467385],
      [0.59414753, 0.58362676, 0.57311152, 0.56260183, 0.55209767],
      [0.54159906, 0.53110598, 0.52061845, 0.51013645, 0.49966],
    ],
    'v',
  );
  expectClose(
    config.m,
    [
      [0.48, 0.49947368, 0.51894737, 0.53842105, 0.55789474],
      [0.57736842, 0.59684211, 0.61631579, 0.63578947, 0.65526316],
      [0.67473684, 0.69421053, 0.71368421, 0.73315789, 0.75263158],
      [0.77210526, 0.79157895, 0.81105263, 0.83052632, 0.85],
    ],
    'm',
  );
  assert.equal(config.t, 6);
});

test('CS231n defaults: sgd 1e-2; momentum 1e-2/0.9; rmsprop 1e-2/0.99/1e-8; adam 1e-3/0.9/0.999/1e-8', () => {
  const [x, g] = [tensor([1, -2]), tensor([0.5, 4])];
  assertClose(sgd(x, g).next.toArray(), [1 - 0.005, -2 - 0.04]);
  assertClose(sgdMomentum(x, g).next.toArray(), [1 - 0.005, -2 - 0.04]);
  // First rmsprop step from a zero cache: cache = 0.01·g², step = lr·g / (0.1·|g| + ε).
  assertClose(rmsprop(x, g).next.toArray(), [
    1 - (0.01 * 0.5) / (0.05 + 1e-8),
    -2 - (0.01 * 4) / (0.4 + 1e-8),
  ]);
  // First adam step: m̂ = g and v̂ = g², so each weight moves by lr·sign(g) (up to ε).
  assertClose(adam(x, g).next.toArray(), [
    1 - (1e-3 * 0.5) / (0.5 + 1e-8),
    -2 - (1e-3 * 4) / (4 + 1e-8),
  ]);
  const a = adam(x, g).config;
  assert.deepEqual([a.learningRate, a.beta1, a.beta2, a.epsilon, a.t], [1e-3, 0.9, 0.999, 1e-8, 1]);
});

test('adamw decays the weights directly: adam step − lr·λ·w', () => {
  const [x, g] = [tensor([1, -2]), tensor([0.5, 4])];
  const plain = adam(x, g, { learningRate: 0.1 }).next.toArray() as number[];
  const decayed = adamw(x, g, { learningRate: 0.1, weightDecay: 0.2 });
  assertClose(
    decayed.next.toArray(),
    plain.map((v, i) => v - 0.1 * 0.2 * [1, -2][i]!),
    1e-15,
  );
  assert.equal(adamw(x, g).config.weightDecay, 1e-2);
  assertClose(adamw(x, g, { weightDecay: 0 }).next.toArray(), adam(x, g).next.toArray(), 0);
});

test('update rules are pure: inputs and state are never modified', () => {
  const x = tensor([1, 2, 3]);
  const g = tensor([0.1, -0.2, 0.3]);
  const velocity = tensor([0.5, 0.5, 0.5]);
  const config = { learningRate: 0.1, velocity };
  const first = sgdMomentum(x, g, config);
  assert.deepEqual(x.toArray(), [1, 2, 3]);
  assert.deepEqual(g.toArray(), [0.1, -0.2, 0.3]);
  assert.deepEqual(velocity.toArray(), [0.5, 0.5, 0.5]);
  assert.equal(config.velocity, velocity);
  // Chaining the returned state continues the trajectory.
  const second = sgdMomentum(first.next, g, first.config);
  assertClose(
    second.config.velocity.toArray(),
    (first.config.velocity.toArray() as number[]).map(
      (v, i) => 0.9 * v - 0.1 * [0.1, -0.2, 0.3][i]!,
    ),
  );
  const m = tensor([0, 0, 0]);
  adam(x, g, { m, t: 3 });
  assert.deepEqual(m.toArray(), [0, 0, 0]);
});

test('update rules reject mismatched shapes and bad hyperparameters', () => {
  assert.throws(
    () => sgd(zeros([2, 3]), zeros([3, 2])),
    (e: unknown) =>
      e instanceof ShapeError && /^sgd: dw has shape \[3, 2\] but w has \[2, 3\]/.test(e.message),
  );
  assert.throws(
    () => adam(zeros([2]), zeros([2]), { m: zeros([3]) }),
    /adam: m has shape \[3\] but w has \[2\]/,
  );
  assert.throws(
    () => rmsprop(zeros([2]), zeros([2]), { epsilon: 0 }),
    /rmsprop: config\.epsilon must be a finite number > 0, got 0/,
  );
  assert.throws(
    () => sgdMomentum(zeros([2]), zeros([2]), { learningRate: -1 }),
    /sgdMomentum: config\.learningRate must be a finite number ≥ 0, got -1/,
  );
});
