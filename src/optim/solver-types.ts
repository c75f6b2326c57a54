import type { Tensor } from '../core/tensor.js';
import type { Indices } from '../ops/indexing.js';
import type { OptimConfig, RuleName, UpdateRule } from './rules.js';
import type { Schedule } from './schedules.js';

// The Solver's vocabulary: what it trains, its options, what it reports and what it saves.

/**
 * What the Solver trains. `loss(X)` returns class scores (N×C); `loss(X, y)` returns either the
 * loss as a one-element tensor built from `params` (autograd computes the gradients) or, in the
 * style of the explicit layer pairs, `{ loss, grads }` with one gradient per parameter. The CS231n
 * models and Classifier of chainrule/nn are such models.
 */
export interface Model {
  params: Record<string, Tensor>;
  loss(X: Tensor, y?: number[]): Tensor | { loss: number | Tensor; grads: Record<string, Tensor> };
}

export interface SolverData {
  XTrain: Tensor;
  yTrain: Indices;
  XVal: Tensor;
  yVal: Indices;
}

/** What the Solver reports as it trains (for a progress bar or a live plot). */
export type SolverEvent =
  | {
      type: 'iteration';
      /** 1-based. */
      iteration: number;
      iterations: number;
      /** Epochs completed before this iteration. */
      epoch: number;
      /** 1-based position of this batch in its epoch. */
      batch: number;
      batchesPerEpoch: number;
      loss: number;
      learningRate: number;
    }
  | {
      type: 'epoch';
      epoch: number;
      numEpochs: number;
      trainAcc: number;
      valAcc: number;
      /** True when valAcc is the best so far (the parameters were kept). */
      best: boolean;
    }
  | { type: 'stop'; epoch: number; reason: 'finished' | 'early-stopping' };

/** A snapshot of training at the end of an epoch: enough to resume (see Solver.restore). */
export interface Checkpoint {
  epoch: number;
  /** Copies of the parameters. */
  params: Record<string, Tensor>;
  /** The optimizer's stateDict(). */
  optimizer: Record<string, Tensor>;
  lossHistory: number[];
  trainAccHistory: number[];
  valAccHistory: number[];
  bestValAcc: number;
}

export interface SolverOptions {
  /** A rule name or an UpdateRule (default 'sgd'). */
  updateRule?: RuleName | UpdateRule;
  /** Hyperparameters handed to the rule (e.g. { learningRate: 1e-3 }). */
  optimConfig?: OptimConfig;
  /** The learning rate is multiplied by this after every epoch (default 1). */
  lrDecay?: number;
  /** The learning rate per iteration instead (lrDecay must then stay 1). */
  lrSchedule?: Schedule;
  batchSize?: number;
  numEpochs?: number;
  /**
   * 'random' (default, as CS231n): each iteration draws a batch with replacement, and an epoch is
   * ⌊N / batchSize⌋ iterations. 'shuffled': each epoch walks a seeded permutation in batches
   * (a batch of at least N is then full-batch gradient descent).
   */
  batches?: 'random' | 'shuffled';
  /** Scale the gradients to at most this global norm before each update. */
  clipNorm?: number;
  /** Clamp each gradient element into [−clipValue, clipValue] before each update. */
  clipValue?: number;
  /** Stop when validation accuracy has not improved for `patience` accuracy checks (epochs). */
  earlyStopping?: { patience: number; minDelta?: number };
  /** Check accuracy every this many epochs (default 1), and always at the start and the end. */
  checkEvery?: number;
  /** Training examples used to check training accuracy (default 1000). */
  numTrainSamples?: number;
  /** Validation examples used to check accuracy (default null: all). */
  numValSamples?: number | null;
  /** Log the loss every this many iterations (default 10). */
  printEvery?: number;
  /** Print progress lines (default true). */
  verbose?: boolean;
  /** Where progress lines go (default: the console). */
  log?: (line: string) => void;
  /** Called on every iteration, epoch and at the end. */
  onProgress?: (event: SolverEvent) => void;
  /** Called at the end of every epoch with a checkpoint to save. */
  checkpoint?: (checkpoint: Checkpoint) => void;
  /** Seed of the generator that draws minibatches and accuracy subsamples (default 0). */
  seed?: number;
  /**
   * Reuse the storage of each step's intermediate values and gradients in the next step
   * (default false). Faster; safe when model.loss keeps none of the tensors it makes between
   * calls (the library's modules and Classifier keep none). `chainrule train` turns it on.
   */
  reuseBuffers?: boolean;
}
