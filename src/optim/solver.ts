import { gradients, noGrad } from '../core/autograd.js';
import { badArgument, formatShape } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { Tensor } from '../core/tensor.js';
import { argmax, readIndices, type Indices } from '../ops/indexing.js';
import {
  adam,
  adamw,
  rmsprop,
  sgd,
  sgdMomentum,
  type OptimConfig,
  type UpdateRule,
} from './rules.js';

// The Solver of CS231n (cs231n/solver.py): minibatch SGD with a pluggable update rule, learning
// rate decay per epoch, accuracy checks and the best parameters by validation accuracy.

/**
 * What the Solver trains. `loss(X)` returns class scores (N×C); `loss(X, y)` returns either the
 * loss as a one-element tensor built from `params` (autograd computes the gradients) or, in the
 * style of the explicit layer pairs, `{ loss, grads }` with one gradient per parameter.
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

export const UPDATE_RULES = {
  sgd: sgd as UpdateRule,
  sgdMomentum: sgdMomentum as UpdateRule,
  rmsprop: rmsprop as UpdateRule,
  adam: adam as UpdateRule,
  adamw: adamw as UpdateRule,
} as const;

export interface SolverOptions {
  /** A rule name or an UpdateRule (default 'sgd'). */
  updateRule?: keyof typeof UPDATE_RULES | UpdateRule;
  /** Hyperparameters handed to the rule, copied per parameter (e.g. { learningRate: 1e-3 }). */
  optimConfig?: OptimConfig;
  /** The learning rate is multiplied by this after every epoch (default 1). */
  lrDecay?: number;
  batchSize?: number;
  numEpochs?: number;
  /** Training examples used to check training accuracy (default 1000). */
  numTrainSamples?: number;
  /** Validation examples used to check accuracy (default null: all). */
  numValSamples?: number | null;
  /** Log the loss every this many iterations (default 10). */
  printEvery?: number;
  verbose?: boolean;
  /** Where progress lines go (nothing is printed to the console). */
  log?: (line: string) => void;
  /** Seed of the generator that draws minibatches and accuracy subsamples (default 0). */
  seed?: number;
}

/** Copies of the rows `index` of X (N×…) as a new constant tensor. */
function takeRows(X: Tensor, index: readonly number[]): Tensor {
  const rowSize = X.size / Math.max(X.shape[0]!, 1);
  const out = new Float64Array(index.length * rowSize);
  index.forEach((r, i) => out.set(X.data.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize));
  return new Tensor(out, [index.length, ...X.shape.slice(1)]);
}

const copyParams = (params: Record<string, Tensor>) =>
  Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, new Tensor(v.data.slice(), v.shape)]),
  );

/**
 * Trains a model by minibatch gradient descent, as CS231n's Solver.
 *
 * @example
 * const solver = new Solver(model, data, { updateRule: 'adam', optimConfig: { learningRate: 1e-3 } });
 * solver.train();
 * solver.bestValAcc; // and lossHistory, trainAccHistory, valAccHistory
 */
export class Solver {
  readonly model: Model;
  readonly lossHistory: number[] = [];
  readonly trainAccHistory: number[] = [];
  readonly valAccHistory: number[] = [];
  bestValAcc = 0;
  bestParams: Record<string, Tensor> = {};
  epoch = 0;
  /** The update rule's state per parameter. */
  optimConfigs: Record<string, OptimConfig> = {};

  private readonly data: { XTrain: Tensor; yTrain: number[]; XVal: Tensor; yVal: number[] };
  private readonly rule: UpdateRule;
  private readonly options: Required<Omit<SolverOptions, 'updateRule' | 'log'>> & {
    log: SolverOptions['log'] | undefined;
  };
  private readonly rng: Rng;

  constructor(model: Model, data: SolverData, options: SolverOptions = {}) {
    this.model = model;
    const labels = (name: string, y: Indices, X: Tensor) => {
      const values = readIndices('Solver', name, y).values;
      if (values.length !== X.shape[0]) {
        throw badArgument(
          'Solver',
          `${name} has ${values.length} labels for ${X.shape[0]} examples (X ${formatShape(X.shape)})`,
        );
      }
      return values;
    };
    this.data = {
      XTrain: data.XTrain,
      yTrain: labels('yTrain', data.yTrain, data.XTrain),
      XVal: data.XVal,
      yVal: labels('yVal', data.yVal, data.XVal),
    };
    const rule = options.updateRule ?? 'sgd';
    if (typeof rule === 'string' && !(rule in UPDATE_RULES)) {
      throw badArgument(
        'Solver',
        `unknown update rule ${JSON.stringify(rule)}; use one of ${Object.keys(UPDATE_RULES).join(', ')}`,
      );
    }
    this.rule = typeof rule === 'string' ? UPDATE_RULES[rule] : rule;
    this.options = {
      optimConfig: options.optimConfig ?? {},
      lrDecay: options.lrDecay ?? 1,
      batchSize: options.batchSize ?? 100,
      numEpochs: options.numEpochs ?? 10,
      numTrainSamples: options.numTrainSamples ?? 1000,
      numValSamples: options.numValSamples ?? null,
      printEvery: options.printEvery ?? 10,
      verbose: options.verbose ?? true,
      log: options.log,
      seed: options.seed ?? 0,
    };
    if (!Number.isInteger(this.options.batchSize) || this.options.batchSize < 1) {
      throw badArgument(
        'Solver',
        `batchSize must be a positive integer, got ${this.options.batchSize}`,
      );
    }
    this.rng = new Rng(this.options.seed);
    for (const name of Object.keys(model.params))
      this.optimConfigs[name] = { ...this.options.optimConfig };
  }

  private say(line: string): void {
    if (this.options.verbose) this.options.log?.(line);
  }

  /** The loss on (X, y) and its gradient for every parameter. */
  lossAndGrads(X: Tensor, y: number[]): { loss: number; grads: Record<string, Tensor> } {
    const params = this.model.params;
    for (const [name, p] of Object.entries(params)) {
      if (!p.requiresGrad || !p.isLeaf) {
        const leaf = p.detach();
        leaf.requiresGrad = true;
        params[name] = leaf;
      }
    }
    const result = this.model.loss(X, y);
    if (result instanceof Tensor) {
      const found = result.requiresGrad ? gradients(result) : new Map<Tensor, Tensor>();
      const grads = Object.fromEntries(
        Object.entries(params).map(([k, p]) => [
          k,
          found.get(p) ?? new Tensor(new Float64Array(p.size), p.shape),
        ]),
      );
      return { loss: result.item(), grads };
    }
    const missing = Object.keys(params).find((k) => !result.grads[k]);
    if (missing)
      throw badArgument(
        'Solver',
        `model.loss returned no gradient for parameter ${JSON.stringify(missing)}`,
      );
    return {
      loss: typeof result.loss === 'number' ? result.loss : result.loss.item(),
      grads: result.grads,
    };
  }

  /** One update on a random minibatch (drawn with replacement, as CS231n). Returns the loss. */
  step(): number {
    const n = this.data.XTrain.shape[0]!;
    const batch = Array.from({ length: this.options.batchSize }, () => this.rng.int(0, n - 1));
    const { loss, grads } = this.lossAndGrads(
      takeRows(this.data.XTrain, batch),
      batch.map((i) => this.data.yTrain[i]!),
    );
    this.lossHistory.push(loss);
    for (const [name, w] of Object.entries(this.model.params)) {
      const { next, config } = this.rule(w, grads[name]!, this.optimConfigs[name]);
      next.requiresGrad = true;
      this.model.params[name] = next;
      this.optimConfigs[name] = config;
    }
    return loss;
  }

  /**
   * The fraction of examples whose highest score is the label, on at most `numSamples` examples
   * (a random subsample, with replacement, as CS231n), scored in batches.
   */
  checkAccuracy(X: Tensor, y: Indices, numSamples: number | null = null, batchSize = 100): number {
    let labels = readIndices('checkAccuracy', 'y', y).values;
    let n = X.shape[0]!;
    if (numSamples !== null && n > numSamples) {
      const pick = Array.from({ length: numSamples }, () => this.rng.int(0, n - 1));
      X = takeRows(X, pick);
      labels = pick.map((i) => labels[i]!);
      n = numSamples;
    }
    let correct = 0;
    noGrad(() => {
      for (let start = 0; start < n; start += batchSize) {
        const rows = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
        const scores = this.model.loss(takeRows(X, rows));
        if (!(scores instanceof Tensor))
          throw badArgument('checkAccuracy', 'model.loss(X) must return the scores tensor');
        const predicted = argmax(scores, { axis: 1 }).data;
        rows.forEach((r, i) => (correct += predicted[i] === labels[r] ? 1 : 0));
      }
    });
    return correct / n;
  }

  /** Runs numEpochs epochs of numTrain / batchSize steps, then keeps the best parameters. */
  train(): void {
    const { batchSize, numEpochs, printEvery, lrDecay } = this.options;
    const perEpoch = Math.max(Math.floor(this.data.XTrain.shape[0]! / batchSize), 1);
    const iterations = numEpochs * perEpoch;
    for (let t = 0; t < iterations; t++) {
      const loss = this.step();
      if (t % printEvery === 0)
        this.say(`(Iteration ${t + 1} / ${iterations}) loss: ${loss.toFixed(6)}`);
      const epochEnd = (t + 1) % perEpoch === 0;
      if (epochEnd) {
        this.epoch++;
        for (const config of Object.values(this.optimConfigs)) {
          if (typeof config.learningRate === 'number') config.learningRate *= lrDecay;
        }
      }
      if (t === 0 || t === iterations - 1 || epochEnd) {
        const trainAcc = this.checkAccuracy(
          this.data.XTrain,
          this.data.yTrain,
          this.options.numTrainSamples,
        );
        const valAcc = this.checkAccuracy(
          this.data.XVal,
          this.data.yVal,
          this.options.numValSamples,
        );
        this.trainAccHistory.push(trainAcc);
        this.valAccHistory.push(valAcc);
        this.say(
          `(Epoch ${this.epoch} / ${numEpochs}) train acc: ${trainAcc.toFixed(6)}; val_acc: ${valAcc.toFixed(6)}`,
        );
        if (valAcc > this.bestValAcc) {
          this.bestValAcc = valAcc;
          this.bestParams = copyParams(this.model.params);
        }
      }
    }
    // As CS231n, the model ends with the best parameters seen (if any check beat 0).
    if (Object.keys(this.bestParams).length > 0) {
      for (const [k, v] of Object.entries(copyParams(this.bestParams))) {
        v.requiresGrad = true;
        this.model.params[k] = v;
      }
    }
  }
}
