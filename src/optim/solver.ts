import { gradients, noGrad } from '../core/autograd.js';
import { badArgument, formatShape, within } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { forwardRecycled, releaseGraph } from '../core/recycle.js';
import { Tensor } from '../core/tensor.js';
import { argmax, readIndices, type Indices } from '../ops/indexing.js';
import {
  checkChoice,
  checkFunction,
  checkInteger,
  checkNumber,
  checkOptions,
  describe,
  quote,
} from '../core/validate.js';
import { EarlyStopping } from './early-stopping.js';
import { RuleOptimizer, namedParameters } from './optimizers.js';
import { UPDATE_RULES, type OptimConfig, type RuleName } from './rules.js';
import type { Schedule } from './schedules.js';
import { copyConfig } from './state-dict.js';
import type { Checkpoint, Model, SolverData, SolverEvent, SolverOptions } from './solver-types.js';
import { takeRows } from '../data/dataset.js';

// The Solver of CS231n (cs231n/solver.py): minibatch gradient descent with a pluggable update
// rule, learning-rate decay, accuracy checks and the best parameters by validation accuracy —
// plus what a UI needs: progress events, checkpoints, schedules, clipping and early stopping.

export type { Checkpoint, Model, SolverData, SolverEvent, SolverOptions };

const RULE_NAMES = Object.keys(UPDATE_RULES) as RuleName[];

const copyParams = (params: Record<string, Tensor>) =>
  Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, new Tensor(v.data.slice(), v.shape)]),
  );

/**
 * Trains a model by minibatch gradient descent, as CS231n's Solver. Parameters are updated in
 * place, so a module's fields always hold the current weights.
 *
 * @example
 * const solver = new Solver(model, data, { updateRule: 'adam', optimConfig: { learningRate: 1e-3 } });
 * solver.train(); // prints "(Iteration 1 / 490) loss: 2.302…" and "(Epoch 0 / 10) train acc: …"
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
  /** The optimizer that applies the update rule to the model's parameters. */
  readonly optimizer: RuleOptimizer;
  /** Iterations that make an epoch. */
  readonly iterationsPerEpoch: number;

  private readonly data: { XTrain: Tensor; yTrain: number[]; XVal: Tensor; yVal: number[] };
  private readonly options: {
    lrDecay: number;
    lrSchedule: Schedule | undefined;
    batchSize: number;
    numEpochs: number;
    batches: 'random' | 'shuffled';
    checkEvery: number;
    numTrainSamples: number;
    numValSamples: number | null;
    printEvery: number;
    log: ((line: string) => void) | null;
    onProgress: SolverOptions['onProgress'];
    checkpoint: SolverOptions['checkpoint'];
    reuseBuffers: boolean;
  };
  private readonly earlyStopping: EarlyStopping | null;
  private readonly rng: Rng;
  private iteration = 0;
  /** The rest of this epoch's permutation ('shuffled' batches). */
  private order: number[] = [];

  constructor(model: Model, data: SolverData, options: SolverOptions = {}) {
    const fn = 'Solver';
    options = checkOptions(fn, 'options', options);
    checkOptions(fn, 'model', model);
    checkFunction(fn, 'model.loss', (model as { loss: unknown }).loss);
    // The parameters are checked here so that a wrong one names the Solver, not its optimizer.
    namedParameters(fn, checkOptions(fn, 'model.params', model.params));
    this.model = model;
    const features = (name: string, X: unknown): Tensor => {
      if (!(X instanceof Tensor) || X.ndim < 2 || X.shape[0]! < 1) {
        throw badArgument(
          fn,
          `data.${name} must be a tensor of N ≥ 1 examples (N×…), got ${describe(X)}`,
        );
      }
      return X;
    };
    const labels = (name: string, y: Indices, X: Tensor) => {
      const values = readIndices(fn, name, y).values;
      if (values.length !== X.shape[0]) {
        throw badArgument(
          fn,
          `${name} has ${values.length} labels for ${X.shape[0]} examples (X ${formatShape(X.shape)})`,
        );
      }
      return values;
    };
    data = checkOptions(fn, 'data', data);
    const XTrain = features('XTrain', data.XTrain);
    const XVal = features('XVal', data.XVal);
    this.data = {
      XTrain,
      yTrain: labels('yTrain', data.yTrain, XTrain),
      XVal,
      yVal: labels('yVal', data.yVal, XVal),
    };
    const rule =
      typeof options.updateRule === 'function'
        ? options.updateRule
        : UPDATE_RULES[
            checkChoice(fn, 'options.updateRule', options.updateRule ?? 'sgd', RULE_NAMES)
          ];
    const batches = checkChoice(fn, 'options.batches', options.batches ?? 'random', [
      'random',
      'shuffled',
    ]);
    const lrDecay = checkNumber(fn, 'options.lrDecay', options.lrDecay ?? 1, { min: 0 });
    if (options.lrSchedule !== undefined) {
      checkFunction(fn, 'options.lrSchedule', options.lrSchedule);
      if (lrDecay !== 1) throw badArgument(fn, 'options.lrDecay must stay 1 with an lrSchedule');
    }
    const callback = <F>(name: string, f: F | undefined) =>
      f === undefined ? undefined : checkFunction(fn, `options.${name}`, f);
    const count = (name: keyof SolverOptions, value: unknown, min: number, max?: number) =>
      checkInteger(fn, `options.${name}`, value, min, max);
    this.options = {
      lrDecay,
      lrSchedule: options.lrSchedule,
      batchSize: count('batchSize', options.batchSize ?? 100, 1, 1_000_000),
      numEpochs: count('numEpochs', options.numEpochs ?? 10, 0, 1_000_000),
      batches,
      checkEvery: count('checkEvery', options.checkEvery ?? 1, 1),
      numTrainSamples: count('numTrainSamples', options.numTrainSamples ?? 1000, 1),
      numValSamples:
        options.numValSamples == null ? null : count('numValSamples', options.numValSamples, 1),
      printEvery: count('printEvery', options.printEvery ?? 10, 1),
      log:
        (options.verbose ?? true)
          ? (callback('log', options.log) ?? ((line) => console.log(line)))
          : null,
      onProgress: callback('onProgress', options.onProgress),
      checkpoint: callback('checkpoint', options.checkpoint),
      reuseBuffers: options.reuseBuffers ?? false,
    };
    this.earlyStopping = options.earlyStopping
      ? within(fn, () => new EarlyStopping(options.earlyStopping!))
      : null;
    this.rng = new Rng(count('seed', options.seed ?? 0, 0, 2 ** 32 - 1));
    const n = XTrain.shape[0]!;
    const { batchSize } = this.options;
    this.iterationsPerEpoch =
      batches === 'random' ? Math.max(Math.floor(n / batchSize), 1) : Math.ceil(n / batchSize);
    // Parameters must track gradients: plain leaves (checked above) are switched on in place.
    for (const p of Object.values(model.params)) p.requiresGrad = true;
    const config: OptimConfig = { ...checkOptions(fn, 'options.optimConfig', options.optimConfig) };
    if (options.clipNorm !== undefined) config.clipNorm = options.clipNorm;
    if (options.clipValue !== undefined) config.clipValue = options.clipValue;
    this.optimizer = within(fn, () => new RuleOptimizer(rule, model.params, config));
    if (typeof options.updateRule !== 'function') {
      // A named rule checks its hyperparameters when it runs; one step on a scalar checks them
      // now, so that a momentum of 5 fails here rather than at the first iteration.
      const zero = () => new Tensor(new Float64Array(1), [1]);
      const hyper = Object.fromEntries(
        Object.entries(config).filter(([, v]) => !(v instanceof Tensor)),
      );
      within(fn, () => rule(zero(), zero(), hyper));
    }
  }

  /** Each parameter's rule state (a copy) and the current learning rate: CS231n's optim_configs. */
  get optimConfigs(): Record<string, OptimConfig> {
    const { state, learningRate, params } = this.optimizer;
    return Object.fromEntries(
      Object.keys(params).map((name) => [name, { ...copyConfig(state[name]), learningRate }]),
    );
  }

  private say(line: string): void {
    this.options.log?.(line);
  }

  /** The loss on (X, y) and its gradient for every parameter. */
  lossAndGrads(X: Tensor, y: number[]): { loss: number; grads: Record<string, Tensor> } {
    const { loss, grads } = this.lossGradsAndGraph(X, y);
    return { loss, grads };
  }

  /** lossAndGrads, plus the loss tensor the gradients came from (when the model made one). */
  private lossGradsAndGraph(
    X: Tensor,
    y: number[],
  ): { loss: number; grads: Record<string, Tensor>; root?: Tensor } {
    const params = this.optimizer.params;
    const result = this.model.loss(X, y);
    if (result instanceof Tensor) {
      if (result.size !== 1) {
        throw badArgument(
          'Solver',
          `model.loss(X, y) must return one number, got shape ${formatShape(result.shape)}`,
        );
      }
      const found = result.requiresGrad ? gradients(result) : new Map<Tensor, Tensor>();
      const grads = Object.fromEntries(
        Object.entries(params).map(([k, p]) => [
          k,
          found.get(p) ?? new Tensor(new Float64Array(p.size), p.shape),
        ]),
      );
      return { loss: result.item(), grads, root: result };
    }
    const given = result as Partial<{ loss: unknown; grads: Record<string, unknown> }> | null;
    const loss =
      typeof given?.loss === 'number'
        ? given.loss
        : given?.loss instanceof Tensor && given.loss.size === 1
          ? given.loss.item()
          : undefined;
    if (loss === undefined || given?.grads === null || typeof given?.grads !== 'object') {
      throw badArgument(
        'Solver',
        `model.loss(X, y) must return a one-element tensor or { loss, grads }, got ${describe(result)}`,
      );
    }
    const missing = Object.keys(params).find((k) => !(given.grads![k] instanceof Tensor));
    if (missing)
      throw badArgument(
        'Solver',
        `model.loss returned no gradient for parameter ${quote(missing)}`,
      );
    return { loss, grads: given.grads as Record<string, Tensor> };
  }

  /** The next minibatch's rows. */
  private nextBatch(): number[] {
    const n = this.data.XTrain.shape[0]!;
    const { batchSize, batches } = this.options;
    if (batches === 'random')
      return Array.from({ length: batchSize }, () => this.rng.int(0, n - 1));
    if (this.order.length === 0)
      this.order = this.rng.shuffle(Array.from({ length: n }, (_, i) => i));
    return this.order.splice(0, batchSize);
  }

  /** One update on the next minibatch. Returns the loss. */
  step(): number {
    const batch = this.nextBatch();
    const { lrSchedule } = this.options;
    if (lrSchedule) {
      const t = this.iteration;
      this.optimizer.learningRate = checkNumber(
        'Solver',
        `options.lrSchedule(${t})`,
        lrSchedule(t),
        {
          min: 0,
        },
      );
    }
    const { loss, grads, root } = this.lossGradsAndGraph(
      takeRows(this.data.XTrain, batch),
      batch.map((i) => this.data.yTrain[i]!),
    );
    if (!Number.isFinite(loss)) {
      throw badArgument(
        'Solver',
        `the loss became ${loss} at iteration ${this.iteration + 1}: lower the learning rate (now ${this.optimizer.learningRate})`,
      );
    }
    this.lossHistory.push(loss);
    within('Solver', () => this.optimizer.step(grads));
    // A rate too large can overflow the weights while the loss still looked finite.
    for (const [name, p] of Object.entries(this.optimizer.params)) {
      if (!p.data.every(Number.isFinite)) {
        throw badArgument(
          'Solver',
          `the update at iteration ${this.iteration + 1} made parameter ${quote(name)} non-finite: lower the learning rate (now ${this.optimizer.learningRate})`,
        );
      }
    }
    if (root && this.options.reuseBuffers) {
      // Everything the step made is dead now, except what the update rule kept in its state.
      const state = Object.values(this.optimizer.state).flatMap((c) =>
        Object.values(c).filter((v): v is Tensor => v instanceof Tensor),
      );
      releaseGraph(root, Object.values(grads), [...Object.values(this.optimizer.params), ...state]);
    }
    this.iteration++;
    return loss;
  }

  /**
   * The fraction of examples whose highest score is the label, on at most `numSamples` examples
   * (a random subsample, with replacement, as CS231n), scored in batches.
   */
  checkAccuracy(X: Tensor, y: Indices, numSamples: number | null = null, batchSize = 100): number {
    const fn = 'Solver.checkAccuracy';
    if (!(X instanceof Tensor) || X.ndim < 1)
      throw badArgument(fn, `argument X must be a tensor of examples, got ${describe(X)}`);
    if (numSamples !== null) checkInteger(fn, 'numSamples', numSamples, 1);
    checkInteger(fn, 'batchSize', batchSize, 1, 1_000_000);
    let labels = readIndices(fn, 'y', y).values;
    let n = X.shape[0]!;
    if (labels.length !== n) {
      throw badArgument(fn, `argument y has ${labels.length} labels for ${n} examples`);
    }
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
        const score = () => {
          const scores = this.model.loss(takeRows(X, rows));
          if (!(scores instanceof Tensor))
            throw badArgument(fn, 'model.loss(X) must return the scores tensor');
          return scores;
        };
        const scores = this.options.reuseBuffers ? forwardRecycled(score) : score();
        const predicted = argmax(scores, { axis: 1 }).data;
        rows.forEach((r, i) => (correct += predicted[i] === labels[r] ? 1 : 0));
      }
    });
    return correct / n;
  }

  /** Training and validation accuracy now; keeps the parameters when validation is best. */
  private checkpointAccuracy(): void {
    const { numTrainSamples, numValSamples, numEpochs } = this.options;
    const trainAcc = this.checkAccuracy(this.data.XTrain, this.data.yTrain, numTrainSamples);
    const valAcc = this.checkAccuracy(this.data.XVal, this.data.yVal, numValSamples);
    this.trainAccHistory.push(trainAcc);
    this.valAccHistory.push(valAcc);
    this.say(
      `(Epoch ${this.epoch} / ${numEpochs}) train acc: ${trainAcc.toFixed(6)}; val_acc: ${valAcc.toFixed(6)}`,
    );
    const best = valAcc > this.bestValAcc;
    if (best) {
      this.bestValAcc = valAcc;
      this.bestParams = copyParams(this.optimizer.params);
    }
    this.options.onProgress?.({
      type: 'epoch',
      epoch: this.epoch,
      numEpochs,
      trainAcc,
      valAcc,
      best,
    });
  }

  /**
   * Runs numEpochs epochs (or until early stopping), checking accuracy at the start and after
   * every epoch, then leaves the model with the best parameters seen.
   */
  train(): void {
    const { numEpochs, printEvery, lrDecay, onProgress, checkpoint, checkEvery } = this.options;
    const perEpoch = this.iterationsPerEpoch;
    const iterations = numEpochs * perEpoch;
    let reason: 'finished' | 'early-stopping' = 'finished';
    if (iterations === 0) this.checkpointAccuracy();
    for (let t = 0; t < iterations; t++) {
      const loss = this.step();
      if (t % printEvery === 0)
        this.say(`(Iteration ${t + 1} / ${iterations}) loss: ${loss.toFixed(6)}`);
      onProgress?.({
        type: 'iteration',
        iteration: t + 1,
        iterations,
        epoch: this.epoch,
        batch: (t % perEpoch) + 1,
        batchesPerEpoch: perEpoch,
        loss,
        learningRate: this.optimizer.learningRate,
      });
      const epochEnd = (t + 1) % perEpoch === 0;
      if (epochEnd) {
        this.epoch++;
        this.optimizer.learningRate *= lrDecay;
      }
      const due = epochEnd && this.epoch % checkEvery === 0;
      if (t === 0 || t === iterations - 1 || due) this.checkpointAccuracy();
      if (epochEnd) {
        checkpoint?.(this.checkpoint());
        if (due && this.earlyStopping?.update(this.valAccHistory.at(-1)!)) {
          reason = 'early-stopping';
          this.say(
            `(Epoch ${this.epoch} / ${numEpochs}) early stop: no better val_acc in ${this.earlyStopping.patience} checks`,
          );
          break;
        }
      }
    }
    // As CS231n, the model ends with the best parameters seen (if any check beat 0).
    if (Object.keys(this.bestParams).length > 0) {
      for (const [k, v] of Object.entries(this.bestParams))
        this.optimizer.params[k]!.data.set(v.data);
    }
    onProgress?.({ type: 'stop', epoch: this.epoch, reason });
  }

  /** The state of training now, for saving and later restore(). */
  checkpoint(): Checkpoint {
    return {
      epoch: this.epoch,
      params: copyParams(this.optimizer.params),
      optimizer: this.optimizer.stateDict(),
      lossHistory: [...this.lossHistory],
      trainAccHistory: [...this.trainAccHistory],
      valAccHistory: [...this.valAccHistory],
      bestValAcc: this.bestValAcc,
    };
  }

  /**
   * Continues from a checkpoint: parameters (copied in place), optimizer state, histories and
   * the epoch count. Everything is checked before anything changes.
   */
  restore(checkpoint: Checkpoint): void {
    const fn = 'Solver.restore';
    checkOptions(fn, 'checkpoint', checkpoint);
    checkOptions(fn, 'checkpoint.params', checkpoint.params);
    const params = this.optimizer.params;
    for (const [name, p] of Object.entries(params)) {
      const saved = checkpoint.params[name];
      if (!(saved instanceof Tensor) || saved.size !== p.size) {
        throw badArgument(
          fn,
          `the checkpoint has no parameter ${quote(name)} of shape ${formatShape(p.shape)}`,
        );
      }
    }
    // Everything is checked before anything changes.
    const epoch = checkInteger(fn, 'checkpoint.epoch', checkpoint.epoch, 0, 1_000_000);
    const history = (name: keyof Checkpoint) => {
      const values = checkpoint[name];
      if (!Array.isArray(values) || values.length > 1e8 || !values.every(Number.isFinite))
        throw badArgument(fn, `checkpoint.${name} must be a list of finite numbers`);
      return values;
    };
    const histories = [
      [this.lossHistory, history('lossHistory')],
      [this.trainAccHistory, history('trainAccHistory')],
      [this.valAccHistory, history('valAccHistory')],
    ] as const;
    const bestValAcc = checkNumber(fn, 'checkpoint.bestValAcc', checkpoint.bestValAcc, {
      min: 0,
      max: 1,
    });
    const install = within(fn, () => this.optimizer.prepareLoad(checkpoint.optimizer));
    for (const [name, p] of Object.entries(params)) p.data.set(checkpoint.params[name]!.data);
    install();
    this.epoch = epoch;
    this.iteration = this.epoch * this.iterationsPerEpoch;
    // Element by element: a spread of a long history would overflow the call stack.
    for (const [mine, theirs] of histories) {
      mine.length = 0;
      for (const v of theirs) mine.push(v);
    }
    this.bestValAcc = bestValAcc;
  }
}
