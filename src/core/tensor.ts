import { allocate, type Data, type DType } from '../kernels/types.js';
import { backward } from './autograd.js';
import { badArgument, formatShape } from './errors.js';
import { flattenNested, toNested, type NestedArray } from './nested.js';
import type { Node } from './node.js';
import { sizeOf, stridesOf, checkShape } from './shape.js';
// The methods below are one-line calls into the op modules, which import Tensor in turn. The
// cycle is safe because neither side touches the other at load time; importing the op modules
// directly (not ops/index, whose registry reads every op at load time) keeps it so whichever
// module a program imports first.
import { add, div, exp, log, mul, neg, pow, relu, sigmoid, sub, tanh } from '../ops/elementwise.js';
import { matmul } from '../ops/matmul.js';
import { reshape, transpose } from '../ops/movement.js';
import { max, mean, sum, type ReduceOptions } from '../ops/reduce.js';

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

  add(other: Tensor | number): Tensor {
    return add(this, other);
  }
  sub(other: Tensor | number): Tensor {
    return sub(this, other);
  }
  mul(other: Tensor | number): Tensor {
    return mul(this, other);
  }
  div(other: Tensor | number): Tensor {
    return div(this, other);
  }
  pow(other: Tensor | number): Tensor {
    return pow(this, other);
  }
  neg(): Tensor {
    return neg(this);
  }
  exp(): Tensor {
    return exp(this);
  }
  log(): Tensor {
    return log(this);
  }
  tanh(): Tensor {
    return tanh(this);
  }
  sigmoid(): Tensor {
    return sigmoid(this);
  }
  relu(): Tensor {
    return relu(this);
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

function withName(options: TensorOptions, name: string | undefined): TensorOptions {
  return name === undefined ? options : { ...options, name };
}

/** The options a Tensor keeps (name, requiresGrad), without those used to build its data. */
function tensorOptions(options: TensorOptions): TensorOptions {
  const out: TensorOptions = {};
  if (options.requiresGrad !== undefined) out.requiresGrad = options.requiresGrad;
  if (options.name !== undefined) out.name = options.name;
  return out;
}

function isTypedData(x: unknown): x is Data {
  return x instanceof Float64Array || x instanceof Float32Array;
}

/**
 * Makes a tensor from a number, a nested array, or a typed array with `options.shape`.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * x.shape // [2, 2]
 */
export function tensor(
  values: NestedArray | Data,
  options: TensorOptions & { shape?: readonly number[] } = {},
): Tensor {
  const dtype = options.dtype ?? (values instanceof Float32Array ? 'float32' : 'float64');
  if (dtype !== 'float64' && dtype !== 'float32') {
    throw badArgument('tensor', `dtype must be 'float64' or 'float32', got ${String(dtype)}`);
  }
  let shape: readonly number[];
  let data: Data;
  if (isTypedData(values)) {
    shape = options.shape ? [...options.shape] : [values.length];
    checkShape('tensor', shape);
    data = allocate(dtype, values.length);
    data.set(values);
  } else {
    const flat = flattenNested('tensor', values);
    shape = options.shape ? [...options.shape] : flat.shape;
    checkShape('tensor', shape);
    data = allocate(dtype, flat.values.length);
    data.set(flat.values);
  }
  return new Tensor(data, shape, tensorOptions(options));
}

/** Wraps a plain number as a 0-d constant tensor; tensors pass through. */
export function asTensor(x: Tensor | number, dtype: DType = 'float64'): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number')
    throw badArgument('asTensor', `expected a tensor or a number, got ${typeof x}`);
  const data = allocate(dtype, 1);
  data[0] = x;
  return new Tensor(data, []);
}

/** A tensor of the given shape filled with `value`. */
export function full(shape: readonly number[], value: number, options: TensorOptions = {}): Tensor {
  checkShape('full', shape);
  const data = allocate(options.dtype ?? 'float64', sizeOf(shape));
  data.fill(value);
  return new Tensor(data, [...shape], tensorOptions(options));
}

export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return full(shape, 0, options);
}

export function ones(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return full(shape, 1, options);
}
