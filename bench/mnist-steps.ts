import { Rng } from '../src/core/random.js';
import { Tensor } from '../src/core/tensor.js';
import { poolStats } from '../src/kernels/threads/pool.js';
import { Classifier } from '../src/nn/classifier.js';
import { buildModel } from '../src/nn/spec.js';
import { Solver } from '../src/optim/solver.js';

// The MNIST convnet's training steps, exactly as `chainrule train` runs them (the same model
// spec, Adam, batches of 64, reused storage), for the same code to be timed in Node and on a web
// page (bench/browser/main.ts): the data comes in as plain numbers, everything else is built here.

/** The net of README's MNIST figure and docs/training.md. */
export const CONVNET = 'conv(8,5)-relu-pool(2)-conv(16,5)-relu-pool(2)-affine';

export interface StepsResult {
  /** Milliseconds of the timed steps (after the warm-up ones). */
  ms: number;
  steps: number;
  /** The last step's loss, to check that both sides computed the same thing. */
  loss: number;
  /** Worker threads that took part in the kernels (0: everything ran on the calling thread). */
  workers: number;
  chunksByWorkers: number;
}

/**
 * Trains the convnet on `images` (N×1×28×28 values, float32) for `warmup` untimed then `steps`
 * timed Solver steps, and times them.
 */
export function trainSteps(
  images: Float32Array,
  labels: readonly number[],
  steps: number,
  warmup: number,
): StepsResult {
  const n = labels.length;
  const X = new Tensor(images, [n, 1, 28, 28]);
  const { model: net } = buildModel(CONVNET, {
    inputShape: [1, 28, 28],
    numClasses: 10,
    rng: new Rng(0),
    dtype: 'float32',
  });
  const solver = new Solver(
    new Classifier(net),
    { XTrain: X, yTrain: [...labels], XVal: X, yVal: [...labels] },
    {
      updateRule: 'adam',
      optimConfig: { learningRate: 2e-3 },
      batchSize: 64,
      batches: 'shuffled',
      verbose: false,
      seed: 0,
      reuseBuffers: true,
    },
  );
  for (let i = 0; i < warmup; i++) solver.step();
  const before = poolStats().chunksByWorkers;
  const start = performance.now();
  let loss = NaN;
  for (let i = 0; i < steps; i++) loss = solver.step();
  const ms = performance.now() - start;
  const stats = poolStats();
  return {
    ms,
    steps,
    loss,
    workers: stats.workers,
    chunksByWorkers: stats.chunksByWorkers - before,
  };
}
