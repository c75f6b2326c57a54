import { badArgument } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { Tensor, type TensorOptions } from '../core/tensor.js';
import { allocate } from '../kernels/types.js';
import { checkNumber, checkShapeArg, optionsOf, show } from './validate.js';

// Weight initialisers. Each draws from an explicit seeded Rng, element by element in row-major
// order, so a seed gives the same numbers in Node and in the browser. Shapes follow chainrule's
// layers: an affine weight is in×out (D×M), a conv filter bank is F×C×HH×WW.

/** dtype, requiresGrad and name of the tensor made. */
export type InitOptions = Pick<TensorOptions, 'dtype' | 'requiresGrad' | 'name'>;

function checkRng(fn: string, rng: unknown): Rng {
  if (!(rng instanceof Rng)) {
    throw badArgument(fn, `rng must be a seeded generator (new Rng(seed)), got ${show(rng)}`);
  }
  return rng;
}

function fill(fn: string, shape: unknown, draw: () => number, given: InitOptions): Tensor {
  const options = optionsOf(fn, given);
  const dims = checkShapeArg(fn, 'shape', shape);
  const dtype = options.dtype ?? 'float64';
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw badArgument(fn, `dtype must be 'float64' or 'float32', got ${show(dtype)}`);
  }
  const data = allocate(
    dtype,
    dims.reduce((a, d) => a * d, 1),
  );
  for (let i = 0; i < data.length; i++) data[i] = draw();
  const t = new Tensor(data, dims, { requiresGrad: options.requiresGrad ?? false });
  if (options.name !== undefined) t.name = options.name;
  return t;
}

/**
 * Normal samples with the given mean and standard deviation (default 0 and 1): CS231n's
 * `weight_scale * np.random.randn(...)` is `randn(shape, rng, { std: weightScale })`.
 *
 * @example
 * randn([2, 3], new Rng(0), { std: 1e-3 }).shape // [2, 3]
 */
export function randn(
  shape: readonly number[],
  rng: Rng,
  options: InitOptions & { mean?: number; std?: number } = {},
): Tensor {
  checkRng('randn', rng);
  options = optionsOf('randn', options);
  const mean = checkNumber('randn', 'mean', options.mean ?? 0);
  const std = checkNumber('randn', 'std', options.std ?? 1, 0);
  return fill('randn', shape, () => rng.normal(mean, std), options);
}

/**
 * Uniform samples in [low, high) (default [0, 1)).
 *
 * @example
 * uniform([4], new Rng(1), { low: -1, high: 1 }).data.every((v) => v >= -1 && v < 1) // true
 */
export function uniform(
  shape: readonly number[],
  rng: Rng,
  options: InitOptions & { low?: number; high?: number } = {},
): Tensor {
  checkRng('uniform', rng);
  options = optionsOf('uniform', options);
  const low = checkNumber('uniform', 'low', options.low ?? 0);
  const high = checkNumber('uniform', 'high', options.high ?? 1, low);
  return fill('uniform', shape, () => rng.uniform(low, high), options);
}

/** How many inputs feed each output (fanIn) and how many outputs each input feeds (fanOut). */
export interface Fans {
  fanIn: number;
  fanOut: number;
}

/**
 * The fans of a weight in chainrule's layouts: an affine weight D×M has fanIn D and fanOut M; a
 * conv weight F×C×HH×WW has fanIn C·HH·WW and fanOut F·HH·WW.
 *
 * @example
 * fansOf([16, 3, 5, 5]) // { fanIn: 75, fanOut: 400 }
 */
export function fansOf(shape: readonly number[]): Fans {
  const dims = checkShapeArg('fansOf', 'shape', shape);
  if (dims.length === 2) return { fanIn: dims[0]!, fanOut: dims[1]! };
  if (dims.length === 4) {
    const field = dims[2]! * dims[3]!;
    return { fanIn: dims[1]! * field, fanOut: dims[0]! * field };
  }
  throw badArgument(
    'fansOf',
    `fans are defined for affine weights (D×M) and conv filters (F×C×HH×WW), got rank ${dims.length}; pass { fanIn, fanOut }`,
  );
}

type FanOptions = InitOptions & Partial<Fans> & { gain?: number };

function fans(fn: string, shape: readonly number[], raw: FanOptions): Fans & { gain: number } {
  const options = optionsOf(fn, raw);
  const explicit = options.fanIn !== undefined && options.fanOut !== undefined;
  const { fanIn, fanOut } = explicit ? (options as Fans) : fansOf(shape);
  return {
    fanIn: checkNumber(fn, 'fanIn', fanIn, 0, Infinity, { lo: true }),
    fanOut: checkNumber(fn, 'fanOut', fanOut, 0, Infinity, { lo: true }),
    gain: checkNumber(fn, 'gain', options.gain ?? 1, 0, Infinity, { lo: true }),
  };
}

/**
 * Xavier/Glorot normal: std = gain·√(2 / (fanIn + fanOut)), for tanh and sigmoid layers.
 *
 * @example
 * xavierNormal([100, 100], new Rng(0)); // std ≈ 0.1
 */
export function xavierNormal(shape: readonly number[], rng: Rng, options: FanOptions = {}): Tensor {
  checkRng('xavierNormal', rng);
  const { fanIn, fanOut, gain } = fans('xavierNormal', shape, options);
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  return fill('xavierNormal', shape, () => rng.normal(0, std), options);
}

/**
 * Xavier/Glorot uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)).
 *
 * @example
 * xavierUniform([2, 3], new Rng(0)).shape // [2, 3]
 */
export function xavierUniform(
  shape: readonly number[],
  rng: Rng,
  options: FanOptions = {},
): Tensor {
  checkRng('xavierUniform', rng);
  const { fanIn, fanOut, gain } = fans('xavierUniform', shape, options);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return fill('xavierUniform', shape, () => rng.uniform(-bound, bound), options);
}

/**
 * Kaiming/He normal: std = gain / √fanIn with gain √2 by default, for ReLU layers.
 *
 * @example
 * kaimingNormal([50, 10], new Rng(0)); // std ≈ 0.2 = √(2/50)
 */
export function kaimingNormal(
  shape: readonly number[],
  rng: Rng,
  options: FanOptions = {},
): Tensor {
  checkRng('kaimingNormal', rng);
  const { fanIn, gain } = fans('kaimingNormal', shape, {
    gain: Math.SQRT2,
    ...optionsOf('kaimingNormal', options),
  });
  const std = gain / Math.sqrt(fanIn);
  return fill('kaimingNormal', shape, () => rng.normal(0, std), options);
}

/**
 * Kaiming/He uniform: U(−a, a) with a = gain·√(3 / fanIn), gain √2 by default.
 *
 * @example
 * kaimingUniform([6, 4], new Rng(0)).shape // [6, 4]
 */
export function kaimingUniform(
  shape: readonly number[],
  rng: Rng,
  options: FanOptions = {},
): Tensor {
  checkRng('kaimingUniform', rng);
  const { fanIn, gain } = fans('kaimingUniform', shape, {
    gain: Math.SQRT2,
    ...optionsOf('kaimingUniform', options),
  });
  const bound = gain * Math.sqrt(3 / fanIn);
  return fill('kaimingUniform', shape, () => rng.uniform(-bound, bound), options);
}

/**
 * How a layer's weights start: 'kaiming' (He normal, for ReLU nets: the default), 'xavier'
 * (Glorot normal) or CS231n's `{ weightScale }` (weightScale · standard normal).
 */
export type WeightInit = 'kaiming' | 'xavier' | { weightScale: number };

/**
 * A trainable weight of `shape` drawn as `init` says.
 *
 * @example
 * initWeight('Linear', [2, 3], { weightScale: 1e-2 }, new Rng(0)).requiresGrad // true
 */
export function initWeight(
  fn: string,
  shape: readonly number[],
  init: WeightInit,
  rng: Rng,
  dtype: InitOptions['dtype'] = 'float64',
): Tensor {
  const options = { requiresGrad: true, dtype };
  if (init === 'kaiming') return kaimingNormal(shape, rng, options);
  if (init === 'xavier') return xavierNormal(shape, rng, options);
  if (typeof init === 'object' && init !== null && 'weightScale' in init) {
    const std = checkNumber(fn, 'weightScale', init.weightScale, 0);
    return randn(shape, rng, { ...options, std });
  }
  throw badArgument(
    fn,
    `init must be 'kaiming', 'xavier' or { weightScale: number }, got ${show(init)}`,
  );
}
