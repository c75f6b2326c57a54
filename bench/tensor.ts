import { createRequire } from 'node:module';
import {
  Rng,
  add,
  conv2d,
  grad,
  matmul,
  mul,
  relu,
  sum,
  tanh,
  tensor,
  type Tensor,
} from '../dist/index.js';
import { softmaxLoss } from '../dist/nn/index.js';
import { fmtMs, medianMs, table } from './timing.js';

// TF.js in Node: the umbrella package registers the gradients (tfjs-core alone does not).
const require = createRequire(import.meta.url);
type Tf = typeof import('@tensorflow/tfjs');
const tf = require('@tensorflow/tfjs') as Tf;
require('@tensorflow/tfjs-backend-wasm');
tf.env().set('PROD', true);

type TfTensor = ReturnType<Tf['tensor']>;

const LABELS = Array.from({ length: 64 }, (_, i) => (i * 7) % 10);
const ONE_HOT = () => tf.oneHot(tf.tensor1d(LABELS, 'int32'), 10);

function random(rng: Rng, shape: number[]): number[] {
  return Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal(0, 1));
}

interface Case {
  name: string;
  /** chainrule, given its inputs. */
  ours: (xs: Tensor[]) => void;
  /** The same computation in TF.js; must force the result (dataSync). */
  theirs: (xs: TfTensor[]) => void;
  shapes: number[][];
  runs?: number;
}

const cases: Case[] = [
  {
    name: 'matmul 256×256 (forward)',
    shapes: [
      [256, 256],
      [256, 256],
    ],
    ours: ([a, b]) => void matmul(a!, b!),
    theirs: ([a, b]) => void tf.tidy(() => tf.matMul(a!, b!).dataSync()),
  },
  {
    name: 'matmul 128×128, forward + backward',
    shapes: [
      [128, 128],
      [128, 128],
    ],
    ours: ([a, b]) => void grad((x, y) => sum(matmul(x, y)))(a!, b!),
    theirs: ([a, b]) =>
      void tf.tidy(() =>
        tf
          .grads((x: TfTensor, y: TfTensor) => tf.sum(tf.matMul(x, y)))([a!, b!])
          .map((g) => g.dataSync()),
      ),
  },
  {
    name: 'two-layer net step, 64×256 → 128 → 10, softmax loss, fwd + bwd',
    shapes: [[64, 256], [256, 128], [128], [128, 10]],
    ours: ([x, w1, b1, w2]) =>
      void grad((a, b, c) => softmaxLoss(matmul(relu(add(matmul(x!, a), b)), c), LABELS))(
        w1!,
        b1!,
        w2!,
      ),
    theirs: ([x, w1, b1, w2]) =>
      void tf.tidy(() =>
        tf
          .grads((a: TfTensor, b: TfTensor, c: TfTensor) =>
            tf.losses.softmaxCrossEntropy(
              ONE_HOT(),
              tf.matMul(tf.relu(tf.add(tf.matMul(x!, a), b)), c),
            ),
          )([w1!, b1!, w2!])
          .map((g) => g.dataSync()),
      ),
  },
  {
    name: 'conv2d 8×3×32×32 ∗ 16×3×3×3 (pad 1), fwd + bwd',
    // TF.js wants NHWC images and HWIO filters: the same numbers, laid out its way.
    shapes: [
      [8, 3, 32, 32],
      [16, 3, 3, 3],
    ],
    ours: ([x, w]) => void grad((a, b) => sum(conv2d(a, b, { stride: 1, pad: 1 })))(x!, w!),
    theirs: ([x, w]) =>
      void tf.tidy(() =>
        tf
          .grads((a: TfTensor, b: TfTensor) =>
            tf.sum(tf.conv2d(a as never, b as never, 1, 'same')),
          )([tf.transpose(x!, [0, 2, 3, 1]), tf.transpose(w!, [2, 3, 1, 0])])
          .map((g) => g.dataSync()),
      ),
  },
  {
    name: 'elementwise: sum(tanh(x)·x) on 100,000 values, fwd + bwd',
    shapes: [[100_000]],
    ours: ([x]) => void grad((a) => sum(mul(tanh(a), a)))(x!),
    theirs: ([x]) =>
      void tf.tidy(() =>
        tf
          .grad((a: TfTensor) => tf.sum(tf.mul(tf.tanh(a), a)))(x!)
          .dataSync(),
      ),
  },
  {
    name: 'per-op overhead: 200 scalar ops (x·1.01 + 0.1)…, fwd + bwd',
    shapes: [[]],
    runs: 30,
    ours: ([x]) =>
      void grad((a) => {
        let y = a;
        for (let i = 0; i < 100; i++) y = add(mul(y, 1.01), 0.1);
        return y;
      })(x!),
    theirs: ([x]) =>
      void tf.tidy(() =>
        tf
          .grad((a: TfTensor) => {
            let y = a;
            for (let i = 0; i < 100; i++) y = tf.add(tf.mul(y, 1.01), 0.1);
            return y;
          })(x!)
          .dataSync(),
      ),
  },
];

/** Each case on chainrule (float64 and float32) and on TF.js cpu and wasm, in the same run. */
export async function benchTensors(): Promise<void> {
  const rows = [
    ['case', 'chainrule f64', 'chainrule f32', 'tfjs cpu', 'tfjs wasm', 'f32 ÷ cpu', 'f32 ÷ wasm'],
  ];
  for (const c of cases) {
    const rng = new Rng(7);
    const data = c.shapes.map((s) => random(rng, s));
    const ours64 = c.shapes.map((s, i) => tensor(new Float64Array(data[i]!), { shape: s }));
    const ours32 = c.shapes.map((s, i) => tensor(new Float32Array(data[i]!), { shape: s }));
    const runs = c.runs ?? 10;
    const t64 = medianMs(() => c.ours(ours64), runs);
    const t32 = medianMs(() => c.ours(ours32), runs);
    // undefined where the backend lacks a kernel (TF.js wasm has no conv2d filter gradient).
    const peer: (number | undefined)[] = [];
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      await tf.ready();
      const theirs = c.shapes.map((s, i) => tf.tensor(data[i]!, s, 'float32'));
      try {
        peer.push(medianMs(() => c.theirs(theirs), runs));
      } catch {
        peer.push(undefined);
      }
      theirs.forEach((t) => t.dispose());
    }
    const show = (ms: number | undefined) => (ms === undefined ? 'n/a' : fmtMs(ms));
    rows.push([
      c.name,
      fmtMs(t64),
      fmtMs(t32),
      show(peer[0]),
      show(peer[1]),
      ratio(t32, peer[0]),
      ratio(t32, peer[1]),
    ]);
  }
  table(rows);
  console.log(
    'ratios > 1 mean chainrule is slower; TF.js computes in float32; n/a: the backend has no kernel.',
  );
}

function ratio(ours: number, theirs: number | undefined): string {
  return theirs === undefined ? 'n/a' : `${(ours / theirs).toFixed(2)}×`;
}
