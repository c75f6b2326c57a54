import { badArgument } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import { Rng } from '../core/random.js';
import { DTYPES, Tensor, ones, zeros, type DType } from '../core/tensor.js';
import {
  checkBoolean,
  checkChoice,
  checkInteger,
  checkNumber,
  checkOptions,
  checkRng,
  checkShapeArg,
  checkTensor,
  describe,
} from '../core/validate.js';
import { relu, sigmoid, tanh } from '../ops/elementwise.js';
import { flatten } from '../ops/indexing.js';
import { affine, conv, dropout, maxPool } from './layers.js';
import { initWeight, type WeightInit } from './init.js';
import { Module } from './module.js';
import { batchNorm, layerNorm, spatialBatchNorm, type BatchNormState } from './norm.js';

// The layers as modules: each keeps its parameters in fields and calls the functional layer of
// chainrule/nn in forward, so its gradient is the ops' VJPs like everywhere else.

/** A module that maps one tensor to one tensor: what Sequential chains. */
export interface Layer extends Module {
  forward(x: Tensor): Tensor;
}

/** How Linear and Conv2d draw their weights. */
export interface WeightOptions {
  /** The seeded generator the weights are drawn from (required). */
  rng: Rng;
  /** 'kaiming' (default), 'xavier' or CS231n's { weightScale }. Biases start at 0. */
  init?: WeightInit;
  /** Add a bias (default true). */
  bias?: boolean;
  dtype?: DType;
}

function checkWeightOptions<T extends WeightOptions>(fn: string, given: T | undefined): T {
  const options = checkOptions(fn, 'options', given);
  checkRng(fn, 'options.rng', options.rng);
  if (options.bias !== undefined) checkBoolean(fn, 'options.bias', options.bias);
  return options;
}

/** The input of a layer's forward, checked, so that a wrong one names the layer. */
const input = (layer: Module, x: unknown): Tensor =>
  checkTensor(`${layer.constructor.name}.forward`, 'x', x);

/**
 * A chain of layers, each fed the previous one's output. Children are named 0, 1, 2, … as in
 * PyTorch, so parameters are `0.weight`, `2.bias`, ….
 *
 * @example
 * const rng = new Rng(0);
 * const net = new Sequential(new Linear(2, 8, { rng }), new ReLU(), new Linear(8, 3, { rng }));
 * net.forward(zeros([5, 2])).shape // [5, 3]
 */
export class Sequential extends Module {
  [index: number]: Layer;
  readonly length: number;

  constructor(...layers: Layer[]) {
    super();
    layers.forEach((layer, i) => {
      if (!(layer instanceof Module)) {
        throw badArgument('Sequential', `layer ${i} must be a Module, got ${describe(layer)}`);
      }
      this[i] = layer;
    });
    this.length = layers.length;
  }

  /** The layers in order. */
  get layers(): Layer[] {
    return Array.from({ length: this.length }, (_, i) => this[i]!);
  }

  override forward(x: Tensor): Tensor {
    return this.layers.reduce((h, layer) => layer.forward(h), input(this, x));
  }
}

/**
 * The fully connected layer: x (N×D, or N×d₁×… flattened per example) · weight (D×M) + bias (M).
 *
 * @example
 * new Linear(4, 2, { rng: new Rng(0) }).forward(zeros([3, 4])).shape // [3, 2]
 */
export class Linear extends Module implements Layer {
  weight: Tensor;
  bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: WeightOptions) {
    super();
    const {
      rng,
      init = 'kaiming',
      dtype = 'float64',
      bias,
    } = checkWeightOptions('Linear', options);
    const d = checkInteger('Linear', 'inFeatures', inFeatures, 1, LIMITS.maxTensorSize);
    const m = checkInteger('Linear', 'outFeatures', outFeatures, 1, LIMITS.maxTensorSize);
    this.weight = initWeight('Linear', [d, m], init, rng, dtype);
    this.bias = bias === false ? null : zeros([m], { requiresGrad: true, dtype });
  }

  override forward(x: Tensor): Tensor {
    return affine(input(this, x), this.weight, this.bias ?? zeros([this.weight.shape[1]!]));
  }
}

/** The most channels a conv layer takes or makes. */
export const MAX_CHANNELS = 65536;

/**
 * The convolutional layer: x (N×C×H×W) with `outChannels` filters of size kernelSize² (or
 * [kh, kw]), stride and zero padding as given (default 1 and 0).
 *
 * @example
 * new Conv2d(1, 4, 3, { rng: new Rng(0), pad: 1 }).forward(zeros([2, 1, 8, 8])).shape // [2, 4, 8, 8]
 */
export class Conv2d extends Module implements Layer {
  weight: Tensor;
  bias: Tensor | null;
  readonly stride: number;
  readonly pad: number;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly [number, number],
    options: WeightOptions & { stride?: number; pad?: number },
  ) {
    super();
    const checked = checkWeightOptions('Conv2d', options);
    const { rng, init = 'kaiming', dtype = 'float64' } = checked;
    const c = checkInteger('Conv2d', 'inChannels', inChannels, 1, MAX_CHANNELS);
    const f = checkInteger('Conv2d', 'outChannels', outChannels, 1, MAX_CHANNELS);
    const [kh, kw] = Array.isArray(kernelSize) ? kernelSize : [kernelSize, kernelSize];
    checkInteger('Conv2d', 'kernelSize', kh, 1, 1024);
    checkInteger('Conv2d', 'kernelSize', kw, 1, 1024);
    this.stride = checkInteger('Conv2d', 'options.stride', checked.stride ?? 1, 1, 1024);
    this.pad = checkInteger('Conv2d', 'options.pad', checked.pad ?? 0, 0, 1024);
    this.weight = initWeight('Conv2d', [f, c, kh, kw], init, rng, dtype);
    this.bias = checked.bias === false ? null : zeros([f], { requiresGrad: true, dtype });
  }

  override forward(x: Tensor): Tensor {
    return conv(input(this, x), this.weight, this.bias ?? zeros([this.weight.shape[0]!]), {
      stride: this.stride,
      pad: this.pad,
    });
  }
}

/**
 * Max pooling over size×size windows (stride defaults to the size).
 *
 * @example
 * new MaxPool2d(2).forward(zeros([1, 3, 8, 8])).shape // [1, 3, 4, 4]
 */
export class MaxPool2d extends Module implements Layer {
  readonly size: number;
  readonly stride: number;

  constructor(size = 2, options: { stride?: number } = {}) {
    super();
    options = checkOptions('MaxPool2d', 'options', options);
    this.size = checkInteger('MaxPool2d', 'size', size, 1, 1024);
    this.stride = checkInteger('MaxPool2d', 'options.stride', options.stride ?? size, 1, 1024);
  }

  override forward(x: Tensor): Tensor {
    return maxPool(input(this, x), { size: this.size, stride: this.stride });
  }
}

/** Batch norm's settings, with CS231n's meaning of momentum. */
export interface BatchNormOptions {
  /**
   * The weight of the old running average (default 0.9, as CS231n): running = momentum·running
   * + (1 − momentum)·batch. PyTorch's momentum 0.1 is this 0.9.
   */
  momentum?: number;
  eps?: number;
  dtype?: DType;
}

abstract class BatchNormBase extends Module implements Layer {
  gamma: Tensor;
  beta: Tensor;
  runningMean: Tensor;
  runningVar: Tensor;
  readonly momentum: number;
  readonly eps: number;

  constructor(fn: string, features: number, options: BatchNormOptions) {
    super();
    options = checkOptions(fn, 'options', options);
    const d = checkInteger(fn, 'features', features, 1, LIMITS.maxTensorSize);
    this.momentum = checkNumber(fn, 'options.momentum', options.momentum ?? 0.9, {
      min: 0,
      max: 1,
    });
    this.eps = checkNumber(fn, 'options.eps', options.eps ?? 1e-5, {
      min: 0,
      minOpen: true,
      max: 1,
    });
    const dtype = checkChoice(fn, 'options.dtype', options.dtype ?? 'float64', DTYPES);
    this.gamma = ones([d], { requiresGrad: true, dtype });
    this.beta = zeros([d], { requiresGrad: true, dtype });
    this.runningMean = zeros([d]);
    this.runningVar = zeros([d]);
  }

  protected abstract normalize(x: Tensor, state: BatchNormState): Tensor;

  override forward(x: Tensor): Tensor {
    const state: BatchNormState = {
      mode: this.phase,
      momentum: this.momentum,
      eps: this.eps,
      runningMean: this.runningMean,
      runningVar: this.runningVar,
    };
    const out = this.normalize(input(this, x), state);
    this.runningMean = state.runningMean!;
    this.runningVar = state.runningVar!;
    return out;
  }
}

/**
 * Batch normalization of x (N×D) per feature, as CS231n's batchnorm_forward: batch statistics
 * in train phase (and the running averages updated), the running averages in eval phase.
 *
 * @example
 * new BatchNorm1d(3).forward(randn([8, 3], new Rng(0))).shape // [8, 3]
 */
export class BatchNorm1d extends BatchNormBase {
  constructor(features: number, options: BatchNormOptions = {}) {
    super('BatchNorm1d', features, options);
  }
  protected normalize(x: Tensor, state: BatchNormState): Tensor {
    return batchNorm(x, this.gamma, this.beta, state);
  }
}

/**
 * Batch normalization of images x (N×C×H×W) per channel (CS231n's spatial batch norm).
 *
 * @example
 * new BatchNorm2d(3).forward(randn([2, 3, 4, 4], new Rng(0))).shape // [2, 3, 4, 4]
 */
export class BatchNorm2d extends BatchNormBase {
  constructor(channels: number, options: BatchNormOptions = {}) {
    super('BatchNorm2d', channels, options);
  }
  protected normalize(x: Tensor, state: BatchNormState): Tensor {
    return spatialBatchNorm(x, this.gamma, this.beta, state);
  }
}

/**
 * Layer normalization over each example's trailing dims (`shape`), scaled by gamma and shifted
 * by beta; the same in train and eval phase.
 *
 * @example
 * new LayerNorm(4).forward(randn([2, 4], new Rng(0))).shape // [2, 4]
 */
export class LayerNorm extends Module implements Layer {
  gamma: Tensor;
  beta: Tensor;
  readonly eps: number;

  constructor(shape: number | readonly number[], options: { eps?: number; dtype?: DType } = {}) {
    super();
    options = checkOptions('LayerNorm', 'options', options);
    const sizes: unknown = typeof shape === 'number' ? [shape] : shape;
    if (!Array.isArray(sizes) || sizes.length === 0 || sizes.length > LIMITS.maxRank) {
      throw badArgument(
        'LayerNorm',
        `argument shape must be a size or a list of sizes, got ${describe(shape)}`,
      );
    }
    const dims = checkShapeArg('LayerNorm', 'shape', sizes);
    if (dims.includes(0)) {
      throw badArgument('LayerNorm', `argument shape must hold sizes ≥ 1, got ${describe(shape)}`);
    }
    this.eps = checkNumber('LayerNorm', 'options.eps', options.eps ?? 1e-5, {
      min: 0,
      minOpen: true,
      max: 1,
    });
    const dtype = checkChoice('LayerNorm', 'options.dtype', options.dtype ?? 'float64', DTYPES);
    this.gamma = ones(dims, { requiresGrad: true, dtype });
    this.beta = zeros(dims, { requiresGrad: true, dtype });
  }

  override forward(x: Tensor): Tensor {
    return layerNorm(input(this, x), this.gamma, this.beta, { eps: this.eps });
  }
}

/**
 * Inverted dropout with CS231n's keep ratio p: in train phase each unit is kept with
 * probability p and scaled by 1/p; in eval phase the identity. Masks come from `rng` (a new mask
 * every call), or with `seed` from a generator seeded afresh on every call — the same mask each
 * time, as CS231n's dropout_param seed, which a numerical gradient check needs.
 *
 * @example
 * new Dropout({ keep: 0.5, rng: new Rng(0) }).forward(ones([2, 4])) // entries 0 or 2
 */
export class Dropout extends Module implements Layer {
  readonly keep: number;
  readonly rng: Rng | null;
  readonly seed: number | null;

  constructor(options: { keep: number; rng?: Rng; seed?: number }) {
    super();
    options = checkOptions('Dropout', 'options', options);
    this.keep = checkNumber('Dropout', 'options.keep', options.keep, {
      min: 0,
      minOpen: true,
      max: 1,
    });
    this.seed =
      options.seed === undefined
        ? null
        : checkInteger('Dropout', 'options.seed', options.seed, 0, 2 ** 32 - 1);
    this.rng = options.rng === undefined ? null : checkRng('Dropout', 'options.rng', options.rng);
    if (this.rng === null && this.seed === null && this.keep < 1) {
      throw badArgument(
        'Dropout',
        'needs { rng: new Rng(seed) } (a new mask per call) or { seed } (a fixed mask)',
      );
    }
  }

  override forward(x: Tensor): Tensor {
    input(this, x);
    if (this.keep === 1 || this.phase === 'eval') return x;
    const rng = this.seed !== null ? new Rng(this.seed) : this.rng!;
    return dropout(x, { keep: this.keep, mode: 'train', rng });
  }
}

/** max(0, x) elementwise. */
export class ReLU extends Module implements Layer {
  override forward(x: Tensor): Tensor {
    return relu(input(this, x));
  }
}

/** tanh(x) elementwise. */
export class Tanh extends Module implements Layer {
  override forward(x: Tensor): Tensor {
    return tanh(input(this, x));
  }
}

/** σ(x) = 1 / (1 + e⁻ˣ) elementwise. */
export class Sigmoid extends Module implements Layer {
  override forward(x: Tensor): Tensor {
    return sigmoid(input(this, x));
  }
}

/**
 * Flattens each example: N×d₁×…×d_k → N×(d₁⋯d_k).
 *
 * @example
 * new Flatten().forward(zeros([2, 3, 4])).shape // [2, 12]
 */
export class Flatten extends Module implements Layer {
  override forward(x: Tensor): Tensor {
    return flatten(input(this, x));
  }
}
