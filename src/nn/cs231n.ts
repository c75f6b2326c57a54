import { ShapeError, badArgument, formatShape, within } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { withScope } from '../core/scope.js';
import { DTYPES, Tensor, ones, zeros, type DType } from '../core/tensor.js';
import { LIMITS } from '../core/limits.js';
import { shapesEqual, sizeOf } from '../core/shape.js';
import {
  checkChoice,
  checkInteger,
  checkNumber,
  checkOptions,
  checkTensor,
  describe,
} from '../core/validate.js';
import { add } from '../ops/elementwise.js';
import { checkLabels, type Indices } from '../ops/indexing.js';
import { checkModelSize, randn } from './init.js';
import { affine, dropout } from './layers.js';
import { l2Penalty, softmaxLoss } from './losses.js';
import { Module } from './module.js';
import { MAX_CHANNELS } from './modules.js';
import { batchNormState, type BatchNormState } from './norm.js';
import { checkPhase, type Phase } from './phase.js';
import { affineNormRelu, affineRelu, convReluPool } from './sandwich.js';

// The models of CS231n assignment 2 (cs231n/classifiers/fc_net.py and cnn.py) with their
// semantics: weights weightScale·N(0, 1), biases 0, batch/layer norm scales 1 and shifts 0; the
// loss is softmax cross-entropy plus 0.5·reg·Σ W² over the weight matrices; `loss(X)` gives the
// scores at test time, `loss(X, y)` the training loss. The parameters live in `params` under
// CS231n's names (W1, b1, gamma1, …), so they are `params.W1` … as a Module.

/** Options common to the CS231n models. */
export interface Cs231nOptions {
  /** The number of classes C (default 10). */
  numClasses?: number;
  /** The standard deviation of the initial weights (default 1e-3; 1e-2 for FullyConnectedNet). */
  weightScale?: number;
  /** L2 strength: the loss adds 0.5·reg·Σ W² (default 0). */
  reg?: number;
  /** Seed of the generator the weights are drawn from (default 0). */
  seed?: number;
  dtype?: DType;
}

function common(fn: string, given: Cs231nOptions, weightScale: number) {
  const options = checkOptions(fn, 'options', given);
  return {
    numClasses: checkInteger(fn, 'options.numClasses', options.numClasses ?? 10, 1, 1_000_000),
    weightScale: checkNumber(fn, 'options.weightScale', options.weightScale ?? weightScale, {
      min: 0,
    }),
    reg: checkNumber(fn, 'options.reg', options.reg ?? 0, { min: 0 }),
    rng: new Rng(checkInteger(fn, 'options.seed', options.seed ?? 0, 0, 2 ** 32 - 1)),
    dtype: checkChoice(fn, 'options.dtype', options.dtype ?? 'float64', DTYPES),
  };
}

/** The largest layer size: one axis of a weight. */
const MAX = LIMITS.maxTensorSize;

/** A CS231n model: scores without labels, the loss with them (what the Solver trains). */
abstract class Cs231nModel extends Module {
  /** CS231n's parameter dictionary. */
  params: Record<string, Tensor> = {};
  reg: number;
  readonly numClasses: number;
  /** The shape of one example ([D] may come as any shape of D numbers, as affine flattens). */
  inputShape: readonly number[] = [];

  constructor(reg: number, numClasses: number) {
    super();
    this.reg = reg;
    this.numClasses = numClasses;
  }

  /** The class scores (N×C) of X in the given phase (default: the module's phase). */
  abstract override forward(X: Tensor, phase?: Phase): Tensor;

  /** X, checked to hold N examples this model takes. */
  protected input(given: unknown): Tensor {
    const fn = `${this.constructor.name}.forward`;
    const X = checkTensor(fn, 'X', given);
    const example = X.shape.slice(1);
    const fits =
      X.ndim >= 2 &&
      (this.inputShape.length === 1
        ? sizeOf(example) === this.inputShape[0]
        : shapesEqual(example, this.inputShape));
    if (!fits) {
      throw new ShapeError(
        fn,
        [X.shape, this.inputShape],
        `X ${formatShape(X.shape)} must hold N examples of shape ${formatShape(this.inputShape)}`,
      );
    }
    return X;
  }

  /** The names of the weights the L2 penalty covers (W1, W2, …). */
  protected weights(): Tensor[] {
    return Object.entries(this.params)
      .filter(([name]) => name.startsWith('W'))
      .map(([, w]) => w);
  }

  /**
   * As CS231n's `loss(X, y=None)`: without labels, the test-time scores (eval phase); with
   * labels, the training-time loss (train phase), softmax cross-entropy + 0.5·reg·Σ W².
   */
  loss(X: Tensor, y?: Indices): Tensor {
    const fn = `${this.constructor.name}.loss`;
    return within(fn, () => {
      if (y === undefined) return this.forward(X, 'eval');
      const labels = checkLabels(fn, y, checkTensor(fn, 'X', X).shape[0] ?? 0, this.numClasses);
      const scores = this.forward(X, 'train');
      return withScope('loss', 'step', () =>
        add(softmaxLoss(scores, labels), l2Penalty(this.weights(), this.reg)),
      );
    });
  }
}

/**
 * CS231n's two-layer net: affine – ReLU – affine – softmax, with input dimension D, hidden
 * dimension H and C classes.
 *
 * @example
 * const model = new TwoLayerNet({ inputDim: 5, hiddenDim: 50, numClasses: 7, weightScale: 1e-3 });
 * model.loss(zeros([3, 5])).shape // [3, 7]
 */
export class TwoLayerNet extends Cs231nModel {
  constructor(options: Cs231nOptions & { inputDim?: number; hiddenDim?: number } = {}) {
    const c = common('TwoLayerNet', options, 1e-3);
    super(c.reg, c.numClasses);
    const fn = 'TwoLayerNet';
    const d = checkInteger(fn, 'options.inputDim', options.inputDim ?? 3 * 32 * 32, 1, MAX);
    const h = checkInteger(fn, 'options.hiddenDim', options.hiddenDim ?? 100, 1, MAX);
    checkModelSize(fn, d * h + h * c.numClasses);
    this.inputShape = [d];
    const init = { std: c.weightScale, requiresGrad: true, dtype: c.dtype };
    this.params = {
      W1: randn([d, h], c.rng, init),
      b1: zeros([h], { requiresGrad: true, dtype: c.dtype }),
      W2: randn([h, c.numClasses], c.rng, init),
      b2: zeros([c.numClasses], { requiresGrad: true, dtype: c.dtype }),
    };
  }

  override forward(X: Tensor): Tensor {
    const { W1, b1, W2, b2 } = this.params as Record<'W1' | 'b1' | 'W2' | 'b2', Tensor>;
    const x = this.input(X);
    const hidden = withScope('affine - relu', 'layer', () => affineRelu(x, W1, b1));
    return withScope('affine', 'layer', () => affine(hidden, W2, b2));
  }
}

/** What sits between each hidden affine layer and its ReLU. */
export type NormalizationKind = 'batchnorm' | 'layernorm' | null;

/**
 * CS231n's fully connected net of any depth: {affine – [batch/layer norm] – ReLU – [dropout]}
 * × (L − 1) – affine – softmax. Dropout keeps each unit with probability dropoutKeepRatio (1: no
 * dropout). With `dropoutSeed` every forward pass draws the same masks (CS231n's seed, which a
 * numerical gradient check needs); otherwise masks come from a stream seeded by `seed`.
 *
 * @example
 * const model = new FullyConnectedNet([20, 30], { inputDim: 15, normalization: 'batchnorm' });
 * Object.keys(model.params) // ['W1', 'b1', 'gamma1', 'beta1', 'W2', …, 'W3', 'b3']
 */
export class FullyConnectedNet extends Cs231nModel {
  readonly numLayers: number;
  readonly normalization: NormalizationKind;
  readonly dropoutKeepRatio: number;
  /** One batch-norm state per hidden layer (running averages: buffers of the module). */
  bnParams: BatchNormState[] = [];
  private readonly dropoutSeed: number | null;
  private readonly dropoutRng: Rng;

  constructor(
    hiddenDims: readonly number[],
    options: Cs231nOptions & {
      inputDim?: number;
      normalization?: NormalizationKind;
      dropoutKeepRatio?: number;
      dropoutSeed?: number;
    } = {},
  ) {
    const fn = 'FullyConnectedNet';
    const c = common(fn, options, 1e-2);
    super(c.reg, c.numClasses);
    if (!Array.isArray(hiddenDims) || hiddenDims.length > 1000) {
      throw badArgument(
        fn,
        `argument hiddenDims must be a list of at most 1000 layer sizes, got ${describe(hiddenDims)}`,
      );
    }
    const normalization = options.normalization ?? null;
    if (normalization !== null && normalization !== 'batchnorm' && normalization !== 'layernorm') {
      throw badArgument(
        fn,
        `options.normalization must be 'batchnorm', 'layernorm' or null, got ${describe(normalization)}`,
      );
    }
    this.normalization = normalization;
    this.dropoutKeepRatio = checkNumber(
      fn,
      'options.dropoutKeepRatio',
      options.dropoutKeepRatio ?? 1,
      { min: 0, minOpen: true, max: 1 },
    );
    this.dropoutSeed =
      options.dropoutSeed === undefined
        ? null
        : checkInteger(fn, 'options.dropoutSeed', options.dropoutSeed, 0, 2 ** 32 - 1);
    const dims = [
      checkInteger(fn, 'options.inputDim', options.inputDim ?? 3 * 32 * 32, 1, MAX),
      ...hiddenDims.map((h, i) => checkInteger(fn, `hiddenDims[${i}]`, h, 1, MAX)),
      c.numClasses,
    ];
    checkModelSize(
      fn,
      dims.slice(1).reduce((n, m, i) => n + dims[i]! * m, 0),
    );
    this.numLayers = dims.length - 1;
    this.inputShape = [dims[0]!];
    const params: Record<string, Tensor> = {};
    const trainable = { requiresGrad: true, dtype: c.dtype };
    for (let i = 1; i <= this.numLayers; i++) {
      const [fanIn, fanOut] = [dims[i - 1]!, dims[i]!];
      params[`W${i}`] = randn([fanIn, fanOut], c.rng, { ...trainable, std: c.weightScale });
      params[`b${i}`] = zeros([fanOut], trainable);
      if (normalization !== null && i < this.numLayers) {
        params[`gamma${i}`] = ones([fanOut], trainable);
        params[`beta${i}`] = zeros([fanOut], trainable);
      }
    }
    this.params = params;
    this.dropoutRng = new Rng(c.rng.int(0, 2 ** 32 - 1));
    if (normalization === 'batchnorm') {
      this.bnParams = Array.from({ length: this.numLayers - 1 }, (_, i) => {
        const state = batchNormState();
        state.runningMean = zeros([dims[i + 1]!]);
        state.runningVar = zeros([dims[i + 1]!]);
        return state;
      });
    }
  }

  override forward(X: Tensor, phase: Phase = this.phase): Tensor {
    const p = this.params;
    checkPhase(`${this.constructor.name}.forward`, phase, 'phase');
    let h = this.input(X);
    for (let i = 1; i < this.numLayers; i++) {
      h = withScope(`layer ${i}`, 'layer', () => {
        const [w, b] = [p[`W${i}`]!, p[`b${i}`]!];
        let out: Tensor;
        if (this.normalization === null) {
          out = affineRelu(h, w, b);
        } else {
          const state = this.bnParams[i - 1];
          if (state) state.mode = phase;
          out = affineNormRelu(
            h,
            w,
            b,
            p[`gamma${i}`]!,
            p[`beta${i}`]!,
            this.normalization === 'batchnorm'
              ? { type: 'batchnorm', state: state! }
              : { type: 'layernorm' },
          );
        }
        if (this.dropoutKeepRatio < 1 && phase === 'train') {
          const rng = this.dropoutSeed === null ? this.dropoutRng : new Rng(this.dropoutSeed);
          out = dropout(out, { keep: this.dropoutKeepRatio, mode: 'train', rng });
        }
        return out;
      });
    }
    const L = this.numLayers;
    return withScope(`layer ${L}`, 'layer', () => affine(h, p[`W${L}`]!, p[`b${L}`]!));
  }
}

/**
 * CS231n's three-layer convnet: conv – ReLU – 2×2 max pool – affine – ReLU – affine – softmax,
 * on images of inputDim [C, H, W]; the conv keeps the spatial size (stride 1, padding
 * (filterSize − 1) / 2).
 *
 * @example
 * const model = new ThreeLayerConvNet({ inputDim: [3, 16, 16], numFilters: 3, filterSize: 3, hiddenDim: 7 });
 * model.loss(zeros([2, 3, 16, 16])).shape // [2, 10]
 */
export class ThreeLayerConvNet extends Cs231nModel {
  readonly pad: number;

  constructor(
    options: Cs231nOptions & {
      inputDim?: readonly [number, number, number];
      numFilters?: number;
      filterSize?: number;
      hiddenDim?: number;
    } = {},
  ) {
    const fn = 'ThreeLayerConvNet';
    const c = common(fn, options, 1e-3);
    super(c.reg, c.numClasses);
    const inputDim = options.inputDim ?? [3, 32, 32];
    if (!Array.isArray(inputDim) || inputDim.length !== 3) {
      throw badArgument(fn, `options.inputDim must be [C, H, W], got ${describe(inputDim)}`);
    }
    const [ch, h, w] = inputDim.map((d) =>
      checkInteger(fn, 'options.inputDim', d, 1, MAX_CHANNELS),
    ) as [number, number, number];
    const f = checkInteger(fn, 'options.numFilters', options.numFilters ?? 32, 1, MAX_CHANNELS);
    const size = checkInteger(fn, 'options.filterSize', options.filterSize ?? 7, 1, 1024);
    if (size % 2 === 0) {
      throw badArgument(
        fn,
        `options.filterSize must be odd so the conv keeps the image size, got ${size}`,
      );
    }
    const hidden = checkInteger(fn, 'options.hiddenDim', options.hiddenDim ?? 100, 1, MAX);
    this.pad = (size - 1) / 2;
    this.inputShape = [ch, h, w];
    const pooled = f * Math.floor(h / 2) * Math.floor(w / 2);
    if (pooled < 1)
      throw badArgument(fn, `options.inputDim ${describe(inputDim)} is too small for 2×2 pooling`);
    checkModelSize(fn, f * ch * size * size + pooled * hidden + hidden * c.numClasses);
    const init = { std: c.weightScale, requiresGrad: true, dtype: c.dtype };
    const bias = (n: number) => zeros([n], { requiresGrad: true, dtype: c.dtype });
    this.params = {
      W1: randn([f, ch, size, size], c.rng, init),
      b1: bias(f),
      W2: randn([pooled, hidden], c.rng, init),
      b2: bias(hidden),
      W3: randn([hidden, c.numClasses], c.rng, init),
      b3: bias(c.numClasses),
    };
  }

  override forward(X: Tensor): Tensor {
    const p = this.params as Record<'W1' | 'b1' | 'W2' | 'b2' | 'W3' | 'b3', Tensor>;
    const x = this.input(X);
    const pooled = withScope('conv - relu - pool', 'layer', () =>
      convReluPool(x, p.W1, p.b1, { stride: 1, pad: this.pad }, { size: 2, stride: 2 }),
    );
    const hidden = withScope('affine - relu', 'layer', () => affineRelu(pooled, p.W2, p.b2));
    return withScope('affine', 'layer', () => affine(hidden, p.W3, p.b3));
  }
}
