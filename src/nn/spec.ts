import { ParseError, badArgument, formatShape } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import { Rng } from '../core/random.js';
import { DTYPES, type DType } from '../core/tensor.js';
import { checkChoice, checkInteger, checkOptions, checkRng, describe } from '../core/validate.js';
import { closestName } from '../expr/suggest.js';
import { checkInit, type WeightInit } from './init.js';
import {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Flatten,
  LayerNorm,
  Linear,
  MAX_CHANNELS,
  MaxPool2d,
  ReLU,
  Sequential,
  Sigmoid,
  Tanh,
  type Layer,
} from './modules.js';

// A model a person can type: layers joined by '-', each a name with optional numbers in
// parentheses. `affine` alone is a linear classifier; `affine(100)-relu-affine` a two-layer net;
// `conv(16,3)-relu-pool(2)-affine(10)` a small convnet. The last affine's size defaults to the
// number of classes. Errors point at the column, like the expression parser's.

/** The longest spec and the most layers accepted. */
const MAX_SPEC_CHARS = 1000;
const MAX_LAYERS = 100;

/** One layer of a spec, as typed. */
export interface LayerSpec {
  name: string;
  args: number[];
  /** Where it is in the spec text. */
  span: { start: number; end: number };
}

interface LayerKind {
  /** Allowed argument counts. */
  args: readonly number[];
  usage: string;
}

const KINDS: Record<string, LayerKind> = {
  affine: { args: [0, 1], usage: 'affine(M): a fully connected layer with M outputs' },
  conv: {
    args: [2, 3],
    usage: 'conv(F, K) or conv(F, K, stride): F filters of K×K, padded to keep the size',
  },
  pool: { args: [0, 1], usage: 'pool(S): S×S max pooling with stride S (default 2)' },
  relu: { args: [0], usage: 'relu' },
  tanh: { args: [0], usage: 'tanh' },
  sigmoid: { args: [0], usage: 'sigmoid' },
  batchnorm: { args: [0], usage: 'batchnorm: batch normalization' },
  layernorm: { args: [0], usage: 'layernorm: layer normalization' },
  dropout: {
    args: [1],
    usage: 'dropout(P): keep each unit with probability P (CS231n keep ratio)',
  },
  flatten: { args: [0], usage: 'flatten' },
};

/** The layer names a spec may use. */
export const SPEC_LAYERS: readonly string[] = Object.keys(KINDS);

/**
 * Parses a model spec into its layers, or throws a ParseError pointing at the column.
 *
 * @example
 * parseModelSpec('affine(100)-relu-affine').map((l) => l.name) // ['affine', 'relu', 'affine']
 */
export function parseModelSpec(spec: string): LayerSpec[] {
  return parseSpec('parseModelSpec', spec);
}

function parseSpec(fn: string, spec: string): LayerSpec[] {
  if (typeof spec !== 'string')
    throw badArgument(fn, `argument spec must be a string, got ${describe(spec)}`);
  if (spec.length > MAX_SPEC_CHARS)
    throw badArgument(fn, `the spec has ${spec.length} characters, more than ${MAX_SPEC_CHARS}`);
  const fail = (start: number, end: number, message: string, expected: string[] = []): never => {
    throw new ParseError(spec, { start, end: Math.max(end, start + 1) }, message, expected);
  };
  const layers: LayerSpec[] = [];
  let i = 0;
  const skipSpaces = () => {
    while (spec[i] === ' ') i++;
  };
  for (;;) {
    skipSpaces();
    const start = i;
    while (i < spec.length && /[a-z0-9_]/i.test(spec[i]!)) i++;
    const name = spec.slice(start, i).toLowerCase();
    if (name === '')
      fail(start, start + 1, `expected a layer name (${SPEC_LAYERS.join(', ')})`, [...SPEC_LAYERS]);
    const kind = KINDS[name];
    if (!kind) {
      const suggestion = closestName(name, SPEC_LAYERS);
      fail(
        start,
        i,
        `unknown layer '${name}'${suggestion ? ` — did you mean '${suggestion}'?` : ''} (layers: ${SPEC_LAYERS.join(', ')})`,
        [...SPEC_LAYERS],
      );
    }
    const args: number[] = [];
    skipSpaces();
    if (spec[i] === '(') {
      i++;
      for (;;) {
        skipSpaces();
        const at = i;
        while (i < spec.length && /[0-9.eE+]/.test(spec[i]!)) i++;
        const text = spec.slice(at, i);
        const value = Number(text);
        if (text === '' || !Number.isFinite(value))
          fail(at, i, `expected a number in ${name}(…)`, ['a number']);
        args.push(value);
        skipSpaces();
        if (spec[i] === ',') {
          i++;
          continue;
        }
        if (spec[i] === ')') {
          i++;
          break;
        }
        fail(i, i + 1, `expected ',' or ')' in ${name}(…)`, [',', ')']);
      }
    }
    if (!kind!.args.includes(args.length)) {
      fail(
        start,
        i,
        `${name} takes ${kind!.args.map(String).join(' or ')} number${kind!.args.includes(1) && kind!.args.length === 1 ? '' : 's'}, got ${args.length} (${kind!.usage})`,
      );
    }
    layers.push({ name, args, span: { start, end: i } });
    if (layers.length > MAX_LAYERS) fail(start, i, `a spec may have at most ${MAX_LAYERS} layers`);
    skipSpaces();
    if (i >= spec.length) break;
    if (spec[i] !== '-') fail(i, i + 1, `expected '-' between layers, found '${spec[i]}'`, ['-']);
    i++;
  }
  return layers;
}

export interface BuildOptions {
  /** The shape of one example: [D] for features, [C, H, W] for images. */
  inputShape: readonly number[];
  numClasses: number;
  rng: Rng;
  /** How weights start (default 'kaiming'). */
  init?: WeightInit;
  dtype?: DType;
}

/** A built model with a line per layer (name, output shape, parameter count) for a summary. */
export interface BuiltModel {
  model: Sequential;
  summary: { layer: string; outputShape: number[]; parameters: number }[];
}

const positiveInt = (v: number) => Number.isInteger(v) && v >= 1 && v <= 1_000_000;

/** [D] or [C, H, W] of positive sizes. */
const isShape = (value: unknown): boolean =>
  Array.isArray(value) &&
  value.length >= 1 &&
  value.length <= 3 &&
  (value as unknown[]).every((d) => typeof d === 'number' && positiveInt(d));

/**
 * Builds the Sequential model a spec describes for examples of `inputShape`, tracking the shape
 * through the layers: affine flattens what comes in, conv and pool need images, batchnorm is 1-D
 * after affine and 2-D after conv, and the last affine defaults to numClasses outputs.
 *
 * @example
 * buildModel('conv(16,3)-relu-pool(2)-affine', { inputShape: [1, 28, 28], numClasses: 10, rng: new Rng(0) }).summary.at(-1)
 * // { layer: 'affine(10)', outputShape: [10], parameters: 31370 }
 */
export function buildModel(spec: string, options: BuildOptions): BuiltModel {
  const layers = parseSpec('buildModel', spec);
  options = checkOptions('buildModel', 'options', options);
  const rng = checkRng('buildModel', 'options.rng', options.rng);
  const numClasses = checkInteger(
    'buildModel',
    'options.numClasses',
    options.numClasses,
    1,
    1_000_000,
  );
  const input: readonly number[] = options.inputShape;
  if (!isShape(input)) {
    throw badArgument(
      'buildModel',
      `options.inputShape must be [D] or [C, H, W] of sizes from 1 to 1000000, got ${describe(input)}`,
    );
  }
  const init = {
    rng,
    init: checkInit('buildModel', 'options.init', options.init ?? 'kaiming'),
    dtype: checkChoice('buildModel', 'options.dtype', options.dtype ?? 'float64', DTYPES),
  } as const;
  let shape = [...input];
  const built: Layer[] = [];
  const summary: BuiltModel['summary'] = [];
  const lastAffine = layers.map((l) => l.name).lastIndexOf('affine');
  const fail = (l: LayerSpec, message: string): never => {
    throw new ParseError(spec, l.span, message);
  };
  // The weights are counted before each layer draws them: a typo such as affine(1000000) twice
  // must fail at once, not after allocating gigabytes.
  let weights = 0;
  const grow = (l: LayerSpec, count: number) => {
    weights += count;
    if (weights > LIMITS.maxModelParameters) {
      fail(
        l,
        `this layer brings the model to ${weights} weights; a model holds at most ${LIMITS.maxModelParameters}`,
      );
    }
  };
  layers.forEach((l, k) => {
    let layer: Layer;
    let label = l.name;
    const [a, b, c] = l.args;
    switch (l.name) {
      case 'affine': {
        const m =
          a ??
          (k === lastAffine
            ? numClasses
            : fail(
                l,
                'affine needs a size here, e.g. affine(100): only the last affine defaults to the number of classes',
              ));
        if (!positiveInt(m))
          fail(l, `affine's size must be a whole number from 1 to 1000000, got ${m}`);
        const d = shape.reduce((x, y) => x * y, 1);
        grow(l, d * m + m);
        layer = new Linear(d, m, init);
        shape = [m];
        label = `affine(${m})`;
        break;
      }
      case 'conv': {
        if (shape.length !== 3)
          fail(
            l,
            k === 0
              ? `conv needs images (C×H×W), but each example of this data is ${formatShape(shape)}`
              : `conv needs images (C×H×W) coming in, but here they are ${formatShape(shape)}: put conv before any affine`,
          );
        if (
          !positiveInt(a!) ||
          a! > MAX_CHANNELS ||
          !positiveInt(b!) ||
          b! > 64 ||
          (c !== undefined && !(positiveInt(c) && c <= 64))
        ) {
          fail(
            l,
            `conv(F, K, stride) needs whole numbers: 1 ≤ F ≤ ${MAX_CHANNELS} filters, a K×K window with 1 ≤ K ≤ 64, a stride from 1 to 64`,
          );
        }
        if (shape[0]! > MAX_CHANNELS)
          fail(l, `conv takes at most ${MAX_CHANNELS} channels, but here there are ${shape[0]}`);
        const stride = c ?? 1;
        const pad = Math.floor((b! - 1) / 2);
        const [ch, h, w] = shape as [number, number, number];
        const outH = Math.floor((h + 2 * pad - b!) / stride) + 1;
        const outW = Math.floor((w + 2 * pad - b!) / stride) + 1;
        if (outH < 1 || outW < 1) fail(l, `a ${b}×${b} window does not fit images of ${h}×${w}`);
        grow(l, a! * ch * b! * b! + a!);
        layer = new Conv2d(ch, a!, b!, { ...init, stride, pad });
        shape = [a!, outH, outW];
        break;
      }
      case 'pool': {
        const size = a ?? 2;
        if (shape.length !== 3)
          fail(l, `pool needs images (C×H×W) coming in, but here they are ${formatShape(shape)}`);
        if (!positiveInt(size) || size > shape[1]! || size > shape[2]!) {
          fail(
            l,
            `pool(${size}) needs a whole size of at most the image size ${shape[1]}×${shape[2]}`,
          );
        }
        layer = new MaxPool2d(size);
        shape = [shape[0]!, Math.floor(shape[1]! / size), Math.floor(shape[2]! / size)];
        label = `pool(${size})`;
        break;
      }
      case 'batchnorm':
        layer =
          shape.length === 3
            ? new BatchNorm2d(shape[0]!)
            : shape.length === 1
              ? new BatchNorm1d(shape[0]!)
              : fail(l, 'batchnorm needs features or images');
        break;
      case 'layernorm':
        layer = new LayerNorm(shape);
        break;
      case 'dropout':
        if (!(a! > 0 && a! <= 1))
          fail(l, `dropout(P) keeps each unit with probability P in (0, 1], got ${a}`);
        layer = new Dropout({ keep: a!, rng: new Rng(rng.int(0, 2 ** 32 - 1)) });
        break;
      case 'flatten':
        layer = new Flatten();
        shape = [shape.reduce((x, y) => x * y, 1)];
        break;
      case 'relu':
        layer = new ReLU();
        break;
      case 'tanh':
        layer = new Tanh();
        break;
      default:
        layer = new Sigmoid();
    }
    if (l.args.length > 0 && !label.includes('(')) label = `${l.name}(${l.args.join(',')})`;
    built.push(layer);
    summary.push({ layer: label, outputShape: shape, parameters: layer.parameterCount() });
  });
  if (shape.length !== 1 || shape[0] !== numClasses) {
    const last = layers.at(-1)!;
    fail(
      last,
      `the model must end with ${numClasses} class scores, but it ends with ${formatShape(shape)}: end it with affine`,
    );
  }
  return { model: new Sequential(...built), summary };
}
