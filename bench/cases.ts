import {
  add,
  conv2d,
  gradients,
  grad,
  matmul,
  mul,
  relu,
  sum,
  tanh,
  valueAndGrad,
  type Tensor,
} from '../dist/index.js';
import { softmaxLoss } from '../dist/nn/index.js';
import type { Tf, TfTensor, TfVariable } from './tfjs.js';

type Data = Float64Array | Float32Array;

/** One side of a case, prepared on its inputs. */
export interface Prepared<T> {
  /** One timed unit of work; returns what it computed (TF.js results are synced and disposed). */
  step(): T[];
  /** After the first step: more values to compare between the sides (updated weights). */
  check?(): Data[];
  dispose?(): void;
}

export interface InputSpec {
  shape: number[];
  /** Standard deviation of the normal values (default 1). */
  scale?: number;
}

export interface Case {
  /** Also the case's name in bench/torch-peer.py. */
  id: string;
  name: string;
  inputs: InputSpec[];
  /** Floating-point operations of one step, for the GFLOP/s lines. */
  flops?: number;
  /** Extra data the peers need (class labels, learning rate). */
  params?: Record<string, number | number[]>;
  runs?: number;
  ours: (xs: Tensor[]) => Prepared<Data>;
  /** TF.js's version; it may lay inputs out its own way (NHWC) and must undo that in results. */
  tf?: (tf: Tf, xs: Float32Array[]) => Prepared<TfTensor> & { layout?: (rs: Data[]) => Data[] };
}

const LABELS = Array.from({ length: 128 }, (_, i) => (i * 7) % 10);
const LR = 0.1;

const tfIn = (tf: Tf, data: Float32Array, shape: number[]) => tf.tensor(data, shape, 'float32');

function matmulCase(n: number): Case {
  return {
    id: `matmul${n}`,
    name: `matmul ${n}×${n} @ ${n}×${n} (forward)`,
    inputs: [{ shape: [n, n] }, { shape: [n, n] }],
    flops: 2 * n ** 3,
    params: { n },
    ours: ([a, b]) => ({ step: () => [matmul(a!, b!).data] }),
    tf: (tf, [a, b]) => {
      const [ta, tb] = [tfIn(tf, a!, [n, n]), tfIn(tf, b!, [n, n])];
      return {
        step: () => [tf.matMul(ta, tb)],
        dispose: () => [ta, tb].forEach((t) => t.dispose()),
      };
    },
  };
}

/**
 * What one SGD step did to a weight, (before − after) / lr: the gradient as applied, compared
 * between the sides (the weights themselves barely move in one step).
 */
function appliedGradient(before: Data, after: ArrayLike<number>): Float64Array {
  return Float64Array.from(before, (b, i) => (b - after[i]!) / LR);
}

/** 784-256-10 ReLU MLP, mean softmax cross-entropy, one SGD step (forward, backward, update). */
const mlp: Case = {
  id: 'mlp',
  name: 'MLP 784-256-10 SGD step, batch 128',
  inputs: [
    { shape: [128, 784] },
    { shape: [784, 256], scale: 0.05 },
    { shape: [256], scale: 0.05 },
    { shape: [256, 10], scale: 0.05 },
    { shape: [10], scale: 0.05 },
  ],
  flops: 3 * 2 * 128 * (784 * 256 + 256 * 10),
  params: { labels: LABELS, lr: LR },
  ours: ([x, ...params]) => {
    const before = params.map((p) => p.data.slice());
    const loss = valueAndGrad((w1, b1, w2, b2) =>
      softmaxLoss(add(matmul(relu(add(matmul(x!, w1), b1)), w2), b2), LABELS),
    );
    return {
      step: () => {
        const { value, grads } = loss(...params);
        params.forEach((p, k) => {
          const g = grads[k]!.data;
          for (let i = 0; i < p.data.length; i++) p.data[i]! -= LR * g[i]!;
        });
        return [value.data];
      },
      check: () => params.map((p, k) => appliedGradient(before[k]!, p.data)),
    };
  },
  tf: (tf, [x, w1, b1, w2, b2]) => {
    const tx = tfIn(tf, x!, [128, 784]);
    const onehot = tf.oneHot(tf.tensor1d(LABELS, 'int32'), 10);
    const vars: TfVariable[] = (
      [
        [w1, [784, 256]],
        [b1, [256]],
        [w2, [256, 10]],
        [b2, [10]],
      ] as const
    ).map(([d, s]) => tf.variable(tfIn(tf, d!, [...s])));
    const sgd = tf.train.sgd(LR);
    const [v1, c1, v2, c2] = vars as [TfVariable, TfVariable, TfVariable, TfVariable];
    const lossFn = () =>
      tf.losses.softmaxCrossEntropy(
        onehot,
        tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(tx, v1), c1)), v2), c2),
      );
    return {
      step: () => [sgd.minimize(lossFn, true, vars)!],
      check: () => vars.map((v, k) => appliedGradient([w1, b1, w2, b2][k]!, v.dataSync())),
      dispose: () => [tx, onehot, ...vars].forEach((t) => t.dispose()),
    };
  },
};

/** NCHW ⇄ TF.js's NHWC, and F×C×HH×WW filters ⇄ its HH×WW×C×F. */
function permute(data: Data, shape: readonly number[], axes: readonly number[]): Float32Array {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, d) => a * d, 1));
  const outShape = axes.map((a) => shape[a]!);
  const out = new Float32Array(data.length);
  const index = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < axes.length; d++) src += index[d]! * strides[axes[d]!]!;
    out[o] = data[src]!;
    for (let d = outShape.length - 1; d >= 0 && ++index[d]! === outShape[d]; d--) index[d] = 0;
  }
  return out;
}

const CONV = { n: 64, c: 3, h: 32, w: 32, f: 16, k: 3 };
/** conv2d with padding 1, forward and both backward passes (dx, dW) for a random upstream. */
const conv: Case = {
  id: 'conv',
  name: 'conv2d 64×3×32×32 ∗ 16×3×3×3, pad 1: fwd + dx + dW',
  inputs: [
    { shape: [CONV.n, CONV.c, CONV.h, CONV.w] },
    { shape: [CONV.f, CONV.c, CONV.k, CONV.k] },
    { shape: [CONV.n, CONV.f, CONV.h, CONV.w] },
  ],
  flops: 3 * 2 * CONV.n * CONV.f * CONV.h * CONV.w * CONV.c * CONV.k * CONV.k,
  ours: ([x, w, up]) => {
    x!.requiresGrad = true;
    w!.requiresGrad = true;
    return {
      step: () => {
        const gs = gradients(conv2d(x!, w!, { pad: 1 }), up);
        return [gs.get(x!)!.data, gs.get(w!)!.data];
      },
    };
  },
  tf: (tf, [x, w, up]) => {
    const { n, c, h, w: wd, f, k } = CONV;
    const tx = tfIn(tf, permute(x!, [n, c, h, wd], [0, 2, 3, 1]), [n, h, wd, c]);
    const tw = tfIn(tf, permute(w!, [f, c, k, k], [2, 3, 1, 0]), [k, k, c, f]);
    const tup = tfIn(tf, permute(up!, [n, f, h, wd], [0, 2, 3, 1]), [n, h, wd, f]);
    const g = tf.grads((a, b) => tf.conv2d(a, b, 1, 'same'));
    return {
      step: () => g([tx, tw], tup),
      layout: ([dx, dw]) => [
        permute(dx!, [n, h, wd, c], [0, 3, 1, 2]),
        permute(dw!, [k, k, c, f], [3, 2, 0, 1]),
      ],
      dispose: () => [tx, tw, tup].forEach((t) => t.dispose()),
    };
  },
};

const elementwise: Case = {
  id: 'elementwise',
  name: 'sum(tanh(x)·x) on 100,000 values, fwd + bwd',
  inputs: [{ shape: [100_000] }],
  ours: ([x]) => {
    const g = grad((a) => sum(mul(tanh(a), a)));
    return { step: () => [g(x!)[0]!.data] };
  },
  tf: (tf, [x]) => {
    const tx = tfIn(tf, x!, [100_000]);
    const g = tf.grad((a) => tf.sum(tf.mul(tf.tanh(a), a)));
    return { step: () => [g(tx)], dispose: () => tx.dispose() };
  },
};

const overhead: Case = {
  id: 'overhead',
  name: 'per-op overhead: 200 scalar ops (y·1.01 + 0.1), fwd + bwd',
  inputs: [{ shape: [] }],
  runs: 30,
  ours: ([x]) => {
    const g = grad((a) => {
      let y = a;
      for (let i = 0; i < 100; i++) y = add(mul(y, 1.01), 0.1);
      return y;
    });
    return { step: () => [g(x!)[0]!.data] };
  },
  tf: (tf, [x]) => {
    const tx = tfIn(tf, x!, []);
    const g = tf.grad((a) => {
      let y = a;
      for (let i = 0; i < 100; i++) y = tf.add(tf.mul(y, 1.01), 0.1);
      return y;
    });
    return { step: () => [g(tx)], dispose: () => tx.dispose() };
  },
};

export const CASES: readonly Case[] = [
  matmulCase(256),
  matmulCase(1024),
  mlp,
  conv,
  elementwise,
  overhead,
];
