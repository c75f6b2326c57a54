import { badArgument } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { Rng } from '../core/random.js';
import { DTYPES, zeros, type Tensor, type TensorOptions } from '../core/tensor.js';
import {
  checkChoice,
  checkNumber,
  checkOptions,
  checkRng,
  checkShapeArg,
  describe,
} from '../core/validate.js';

// Weight initialisers. Each draws from an explicit seeded Rng, element by element in row-major
// order, so a seed gives the same numbers in Node and in the browser. Shapes follow chainrule's
// layers: an affine weight is in×out (D×M), a conv filter bank is F×C×HH×WW.

/** dtype, requiresGrad and name of the tensor made. */
export type InitOptions = Pick<TensorOptions, 'dtype' | 'requiresGrad' | 'name'>;

/** A tensor of `shape` filled by `draw`, element by element in row-major order. */
function fill(fn: string, shape: unknown, draw: () => number, given: InitOptions): Tensor {
  const options = checkOptions(fn, 'options', given);
  const dims = checkShapeArg(fn, 'shape', shape);
  const dtype = checkChoice(fn, 'options.dtype', options.dtype ?? 'float64', DTYPES);
  const t = zeros(dims, { dtype, requiresGrad: options.requiresGrad ?? false });
  for (let i = 0; i < t.data.length; i++) t.data[i] = draw();
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
  checkRng('randn', 'rng', rng);
  options = checkOptions('randn', 'options', options);
  const mean = checkNumber('randn', 'options.mean', options.mean ?? 0);
  const std = checkNumber('randn', 'options.std', options.std ?? 1, { min: 0 });
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
  checkRng('uniform', 'rng', rng);
  options = checkOptions('uniform', 'options', options);
  const low = checkNumber('uniform', 'options.low', options.low ?? 0);
  const high = checkNumber('uniform', 'options.high', options.high ?? 1, { min: low });
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
  return fansFor('fansOf', shape);
}

function fansFor(fn: string, shape: unknown): Fans {
  const dims = checkShapeArg(fn, 'shape', shape);
  if (dims.length === 2) return { fanIn: dims[0]!, fanOut: dims[1]! };
  if (dims.length === 4) {
    const field = dims[2]! * dims[3]!;
    return { fanIn: dims[1]! * field, fanOut: dims[0]! * field };
  }
  throw badArgument(
    fn,
    `fans are defined for affine weights (D×M) and conv filters (F×C×HH×WW), got rank ${dims.length}; pass { fanIn, fanOut }`,
  );
}

type FanOptions = InitOptions & Partial<Fans> & { gain?: number };

/** The fans (from the shape unless both are given) and the gain (default `gain`), checked. */
function fans(fn: string, shape: unknown, raw: FanOptions, gain: number): Fans & { gain: number } {
  const options = checkOptions(fn, 'options', raw);
  const explicit = options.fanIn !== undefined && options.fanOut !== undefined;
  const given = explicit ? (options as Fans) : fansFor(fn, shape);
  const positive = { min: 0, minOpen: true };
  return {
    fanIn: checkNumber(fn, 'options.fanIn', given.fanIn, positive),
    fanOut: checkNumber(fn, 'options.fanOut', given.fanOut, positive),
    gain: checkNumber(fn, 'options.gain', options.gain ?? gain, positive),
  };
}

/** Normal samples N(0, std²), or uniform ones in [−bound, bound), of `shape`. */
function normal(fn: string, shape: unknown, rng: Rng, std: number, options: InitOptions): Tensor {
  return fill(fn, shape, () => rng.normal(0, std), options);
}
function spread(fn: string, shape: unknown, rng: Rng, bound: number, options: InitOptions): Tensor {
  return fill(fn, shape, () => rng.uniform(-bound, bound), options);
}

/** Glorot: std = gain·√(2 / (fanIn + fanOut)), or the bound gain·√(6 / (fanIn + fanOut)). */
function xavier(fn: string, uniform: boolean, shape: unknown, rng: unknown, options: FanOptions) {
  const r = checkRng(fn, 'rng', rng);
  const { fanIn, fanOut, gain } = fans(fn, shape, options, 1);
  return uniform
    ? spread(fn, shape, r, gain * Math.sqrt(6 / (fanIn + fanOut)), options)
    : normal(fn, shape, r, gain * Math.sqrt(2 / (fanIn + fanOut)), options);
}

/** He: std = gain / √fanIn, or the bound gain·√(3 / fanIn); gain √2 unless given. */
function kaiming(fn: string, uniform: boolean, shape: unknown, rng: unknown, options: FanOptions) {
  const r = checkRng(fn, 'rng', rng);
  const { fanIn, gain } = fans(fn, shape, options, Math.SQRT2);
  return uniform
    ? spread(fn, shape, r, gain * Math.sqrt(3 / fanIn), options)
    : normal(fn, shape, r, gain / Math.sqrt(fanIn), options);
}

/**
 * Xavier/Glorot normal: std = gain·√(2 / (fanIn + fanOut)), for tanh and sigmoid layers.
 *
 * @example
 * xavierNormal([100, 100], new Rng(0)); // std ≈ 0.1
 */
export function xavierNormal(shape: readonly number[], rng: Rng, options: FanOptions = {}): Tensor {
  return xavier('xavierNormal', false, shape, rng, options);
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
  return xavier('xavierUniform', true, shape, rng, options);
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
  return kaiming('kaimingNormal', false, shape, rng, options);
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
  return kaiming('kaimingUniform', true, shape, rng, options);
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
  // Errors name `fn`, the layer the user built, not the initialiser it calls.
  const options = { requiresGrad: true, dtype };
  checkInit(fn, 'options.init', init);
  if (init === 'kaiming') return kaiming(fn, false, shape, rng, options);
  if (init === 'xavier') return xavier(fn, false, shape, rng, options);
  return normal(fn, shape, checkRng(fn, 'rng', rng), init.weightScale, options);
}

/** A WeightInit, or a clear error naming `fn` and the argument `name`. */
export function checkInit(fn: string, name: string, init: unknown): WeightInit {
  if (init === 'kaiming' || init === 'xavier') return init;
  if (typeof init === 'object' && init !== null && 'weightScale' in init) {
    const { weightScale } = init;
    return { weightScale: checkNumber(fn, `${name}.weightScale`, weightScale, { min: 0 }) };
  }
  throw badArgument(
    fn,
    `${name} must be 'kaiming', 'xavier' or { weightScale: number }, got ${describe(init)}`,
  );
}

/** Refuses a model whose weights would not fit in memory, before any is drawn. */
export function checkModelSize(fn: string, count: number): void {
  if (count > LIMITS.maxModelParameters) {
    throw badArgument(
      fn,
      `these sizes make ${count} weights; a model holds at most ${LIMITS.maxModelParameters} (see docs/limits.md)`,
    );
  }
}
