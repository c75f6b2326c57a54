import { allocate, type Data, type DType } from '../kernels/types.js';
import { backward } from './autograd.js';
import { badArgument, formatShape } from './errors.js';
import { installElementwise } from './methods.js';
import { flattenNested, toNested, type NestedArray } from './nested.js';
import type { Node } from './node.js';
import type { ElementwiseMethods, ElementwiseOps } from './op.js';
import { sizeOf, stridesOf } from './shape.js';
import { checkBoolean, checkChoice, checkOptions, checkShapeArg, describe } from './validate.js';
// The methods below are one-line calls into the op modules, which import Tensor in turn. The
// cycle is safe because neither side touches the other at load time; importing the op modules
// directly (not ops/index, whose registry reads every op at load time) keeps it so whichever
// module a program imports first. The elementwise methods are installed from the ops themselves
// (see core/methods.ts), so a new elementwise op needs no line here.
import * as elementwise from '../ops/elementwise.js';
import { matmul } from '../ops/matmul.js';
import { reshape, transpose } from '../ops/movement.js';
import { max, mean, sum, type ReduceOptions } from '../ops/reduce.js';

/** The element types of a tensor (re-exported: the layers above core need not reach kernels/). */
export type { DType };

/** Every dtype, default first. */
export const DTYPES: readonly DType[] = ['float64', 'float32'];

export interface TensorOptions {
  /** 'float64' (default) or 'float32' (faster, less precise). */
  dtype?: DType;
  /** Track operations on this tensor so gradients can flow to it. */
  requiresGrad?: boolean;
  /** A name for pictures and messages (`W`, `x0`). */
  name?: string;
}

/**
 * An n-dimensional array of numbers on a contiguous row-major typed array, with an optional
 * gradient. A 0-d tensor (shape `[]`) holds one number.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- elementwise methods: see below
export class Tensor {
  readonly data: Data;
  readonly shape: readonly number[];
  /** True when gradients are tracked for this tensor. */
  requiresGrad: boolean;
  /**
   * dL/d(this) after `backward()`. Leaves accumulate across calls (like PyTorch; reset with
   * `zeroGrad()`); intermediate tensors hold the gradient of the latest backward pass.
   */
  grad: Tensor | null = null;
  /** The op application that produced this tensor, or null for a leaf. */
  node: Node | null = null;
  name: string | undefined;
  /** @internal Visit stamp and position of the latest topological sort (no Set, no Map). */
  visit = 0;
  /** @internal */
  slot = 0;

  constructor(data: Data, shape: readonly number[], options: TensorOptions = {}) {
    // Cheap enough for every op output: a type test and one pass over a short shape.
    if (!(data instanceof Float64Array || data instanceof Float32Array)) {
      throw badArgument(
        'Tensor',
        `data must be a Float64Array or Float32Array, got ${describe(data)}`,
      );
    }
    if (!validShape(shape)) {
      throw badArgument(
        'Tensor',
        `shape must be a list of non-negative integers, got ${describe(shape)}`,
      );
    }
    if (data.length !== sizeOf(shape)) {
      throw badArgument('Tensor', `${data.length} values do not fill shape ${formatShape(shape)}`);
    }
    this.data = data;
    // Not copied: ops pass fresh arrays, and tensor() copies what users give it.
    this.shape = shape;
    this.requiresGrad = options.requiresGrad ?? false;
    this.name = options.name;
  }

  get dtype(): DType {
    return this.data instanceof Float32Array ? 'float32' : 'float64';
  }
  get size(): number {
    return this.data.length;
  }
  get ndim(): number {
    return this.shape.length;
  }
  get strides(): number[] {
    return stridesOf(this.shape);
  }
  /** True for a tensor no op produced. */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /** The single number in a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw badArgument(
        'item',
        `needs a tensor with one element, got shape ${formatShape(this.shape)}`,
      );
    }
    return this.data[0]!;
  }

  /** A nested array (a plain number for a 0-d tensor). */
  toArray(): NestedArray {
    return toNested(this.data, this.shape);
  }

  /**
   * Backpropagates from this tensor (a scalar, unless `upstream` is given) and stores dL/d· in
   * `.grad` of every tensor on the way.
   */
  backward(upstream?: Tensor): void {
    backward(this, upstream);
  }

  /** Forgets the accumulated gradient. */
  zeroGrad(): void {
    this.grad = null;
  }

  /** The same values, cut from the graph: no gradient flows through the result. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, withName({}, this.name));
  }

  /** `tensor([[1,2],[3,4]], shape [2, 2], requiresGrad)`; large tensors show their first values. */
  toString(): string {
    const values =
      this.size <= 100
        ? JSON.stringify(this.toArray())
        : `[${Array.from(this.data.subarray(0, 6)).join(', ')}, … ${this.size - 6} more]`;
    const flags = [
      this.dtype === 'float32' ? 'float32' : '',
      this.requiresGrad ? 'requiresGrad' : '',
    ]
      .filter(Boolean)
      .map((f) => `, ${f}`)
      .join('');
    return `tensor(${values}, shape ${formatShape(this.shape)}${flags})`;
  }

  /** What console.log and the Node REPL show (not the internal fields). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  matmul(other: Tensor): Tensor {
    return matmul(this, other);
  }
  sum(options?: ReduceOptions): Tensor {
    return sum(this, options);
  }
  mean(options?: ReduceOptions): Tensor {
    return mean(this, options);
  }
  max(options?: ReduceOptions): Tensor {
    return max(this, options);
  }
  reshape(shape: readonly number[]): Tensor {
    return reshape(this, shape);
  }
  transpose(axes?: readonly number[]): Tensor {
    return transpose(this, axes);
  }
}

/** The elementwise methods (`x.relu()`, `a.add(b)`), one per elementwise op of the registry. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the methods are installed below
export interface Tensor extends ElementwiseMethods<ElementwiseOps, Tensor, Tensor | number> {}

installElementwise(elementwise, ({ op, fn }) => {
  const call = fn as (a: Tensor, b?: Tensor | number) => Tensor;
  const method =
    op.scalar.arity === 1
      ? function (this: Tensor): Tensor {
          return call(this);
        }
      : function (this: Tensor, other: Tensor | number): Tensor {
          return call(this, other);
        };
  Object.defineProperty(Tensor.prototype, op.name, {
    value: method,
    writable: true,
    configurable: true,
  });
});

function validShape(shape: unknown): shape is readonly number[] {
  if (!Array.isArray(shape)) return false;
  for (const d of shape as unknown[]) if (!Number.isInteger(d) || (d as number) < 0) return false;
  return true;
}

function withName(options: TensorOptions, name: string | undefined): TensorOptions {
  return name === undefined ? options : { ...options, name };
}

/** The options a Tensor keeps (name, requiresGrad), checked, without those that build its data. */
function tensorOptions(fn: string, options: TensorOptions): TensorOptions {
  const out: TensorOptions = {};
  if (options.requiresGrad !== undefined) {
    out.requiresGrad = checkBoolean(fn, 'options.requiresGrad', options.requiresGrad);
  }
  if (options.name !== undefined) {
    if (typeof options.name !== 'string') {
      throw badArgument(fn, `options.name must be a string, got ${describe(options.name)}`);
    }
    out.name = options.name;
  }
  return out;
}

function dtypeOf(fn: string, options: TensorOptions, fallback: DType): DType {
  return options.dtype === undefined
    ? fallback
    : checkChoice(fn, 'options.dtype', options.dtype, DTYPES);
}

function isTypedData(x: unknown): x is Data {
  return x instanceof Float64Array || x instanceof Float32Array;
}

/**
 * Makes a tensor from a number, a nested array, or a typed array with `options.shape`. The
 * values are data: NaN and ±Infinity are kept as given (checkNumerics finds where they arise).
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * x.shape // [2, 2]
 */
export function tensor(
  values: NestedArray | Data,
  options: TensorOptions & { shape?: readonly number[] } = {},
): Tensor {
  const opts = checkOptions('tensor', 'options', options);
  const dtype = dtypeOf('tensor', opts, values instanceof Float32Array ? 'float32' : 'float64');
  let flat: ArrayLike<number>;
  let shape: number[];
  if (isTypedData(values)) {
    flat = values;
    shape = [values.length];
  } else if (typeof values === 'number' || Array.isArray(values)) {
    ({ values: flat, shape } = flattenNested('tensor', values));
  } else {
    throw badArgument(
      'tensor',
      `argument values must be a number, a nested list of numbers or a typed array, got ${describe(values)}`,
    );
  }
  if (opts.shape !== undefined) {
    shape = checkShapeArg('tensor', 'options.shape', opts.shape);
    if (sizeOf(shape) !== flat.length) {
      throw badArgument(
        'tensor',
        `${flat.length} values do not fill options.shape ${formatShape(shape)}`,
      );
    }
  }
  const data = allocate(dtype, flat.length);
  data.set(flat);
  return new Tensor(data, shape, tensorOptions('tensor', opts));
}

/** Wraps a plain number as a 0-d constant tensor; tensors pass through. */
export function asTensor(x: Tensor | number, dtype: DType = 'float64'): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') {
    throw badArgument('asTensor', `argument x must be a tensor or a number, got ${describe(x)}`);
  }
  const data = allocate(dtype, 1);
  data[0] = x;
  return new Tensor(data, []);
}

function filled(
  fn: string,
  shape: readonly number[],
  value: number,
  options: TensorOptions,
): Tensor {
  const dims = checkShapeArg(fn, 'shape', shape);
  if (typeof value !== 'number') {
    throw badArgument(fn, `argument value must be a number, got ${describe(value)}`);
  }
  const opts = checkOptions(fn, 'options', options);
  const data = allocate(dtypeOf(fn, opts, 'float64'), sizeOf(dims));
  if (value !== 0) data.fill(value);
  return new Tensor(data, dims, tensorOptions(fn, opts));
}

/**
 * A tensor of the given shape filled with `value` (at most LIMITS.maxTensorSize elements).
 *
 * @example
 * full([2], 7).toArray() // [7, 7]
 */
export function full(shape: readonly number[], value: number, options: TensorOptions = {}): Tensor {
  return filled('full', shape, value, options);
}

/** A tensor of zeros. @example zeros([2]).toArray() // [0, 0] */
export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return filled('zeros', shape, 0, options);
}

/** A tensor of ones. @example ones([2]).toArray() // [1, 1] */
export function ones(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return filled('ones', shape, 1, options);
}
