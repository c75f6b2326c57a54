import { within } from '../core/errors.js';
import { checkTensors } from '../core/validate.js';
import type { Tensor } from '../core/tensor.js';
import { relu, sigmoid } from '../ops/elementwise.js';
import { affine } from '../nn/layers.js';
import { affineRelu } from '../nn/sandwich.js';
import { backpropTape, checkCache, opVjp, record, type Tape } from './tape.js';

// CS231n's explicit layer pairs: a forward pass returns its output and a cache, the backward pass
// turns dout = dL/d(out) into the gradients of the inputs. Each pair runs the same op definitions
// as autograd: the cache holds the recorded ops, and backward replays their VJPs.

/** What affineBackward needs: the inputs and the recorded forward pass. */
export interface AffineCache {
  x: Tensor;
  w: Tensor;
  b: Tensor;
  tape: Tape;
}

/**
 * The fully connected layer's forward pass: out = x.reshape(N, D) · w + b for x of shape
 * (N, d₁, …, d_k), w (D, M) and b (M).
 *
 * @example
 * const { out, cache } = affineForward(x, w, b); // out is N×M
 */
export function affineForward(
  x: Tensor,
  w: Tensor,
  b: Tensor,
): { out: Tensor; cache: AffineCache } {
  return within('affineForward', () => {
    checkTensors('affineForward', { x, w, b });
    const { out, tape } = record(affine, [x, w, b]);
    return { out, cache: { x, w, b, tape } };
  });
}

/**
 * The fully connected layer's backward pass. With X the rows of x:
 * - dx = dout · wᵀ, reshaped back to x's shape (the matmul gate hands each input the other one),
 * - dw = Xᵀ · dout,
 * - db = dout summed over the N rows (b was copied to every row; copies add their gradients).
 *
 * @example
 * const { dx, dw, db } = affineBackward(dout, cache);
 */
export function affineBackward(
  dout: Tensor,
  cache: AffineCache,
): { dx: Tensor; dw: Tensor; db: Tensor } {
  return within('affineBackward', () => {
    checkCache('affineBackward', cache, 'tape');
    const [dx, dw, db] = backpropTape(cache.tape, dout, 'affineBackward');
    return { dx: dx!, dw: dw!, db: db! };
  });
}

/** What an activation's backward pass needs. */
export interface ActivationCache {
  x: Tensor;
  tape: Tape;
}

/**
 * ReLU's forward pass: out = max(0, x).
 *
 * @example
 * reluForward(tensor([-1, 2])).out.toArray() // [0, 2]
 */
export function reluForward(x: Tensor): { out: Tensor; cache: ActivationCache } {
  return within('reluForward', () => {
    checkTensors('reluForward', { x });
    const { out, tape } = record(relu, [x]);
    return { out, cache: { x, tape } };
  });
}

/**
 * ReLU's backward pass: dx = dout where x > 0, else 0 (the relu op's own VJP).
 *
 * @example
 * reluBackward(tensor([5, 5]), reluForward(tensor([-1, 2])).cache).toArray() // [0, 5]
 */
export function reluBackward(dout: Tensor, cache: ActivationCache): Tensor {
  return within('reluBackward', () => {
    checkCache('reluBackward', cache, 'tape');
    return opVjp(cache.tape, dout, 'reluBackward')[0]!;
  });
}

/**
 * The sigmoid's forward pass: out = σ(x) = 1 / (1 + e⁻ˣ).
 *
 * @example
 * sigmoidForward(tensor([0])).out.toArray() // [0.5]
 */
export function sigmoidForward(x: Tensor): { out: Tensor; cache: ActivationCache } {
  return within('sigmoidForward', () => {
    checkTensors('sigmoidForward', { x });
    const { out, tape } = record(sigmoid, [x]);
    return { out, cache: { x, tape } };
  });
}

/**
 * The sigmoid's backward pass: dx = dout · σ(x)(1 − σ(x)) (the sigmoid op's own VJP).
 *
 * @example
 * sigmoidBackward(tensor([1]), sigmoidForward(tensor([0])).cache).toArray() // [0.25]
 */
export function sigmoidBackward(dout: Tensor, cache: ActivationCache): Tensor {
  return within('sigmoidBackward', () => {
    checkCache('sigmoidBackward', cache, 'tape');
    return opVjp(cache.tape, dout, 'sigmoidBackward')[0]!;
  });
}

/**
 * The affine-ReLU sandwich's forward pass: out = relu(x · w + b).
 *
 * @example
 * const { out, cache } = affineReluForward(x, w, b);
 */
export function affineReluForward(
  x: Tensor,
  w: Tensor,
  b: Tensor,
): { out: Tensor; cache: AffineCache } {
  return within('affineReluForward', () => {
    checkTensors('affineReluForward', { x, w, b });
    const { out, tape } = record(affineRelu, [x, w, b]);
    return { out, cache: { x, w, b, tape } };
  });
}

/**
 * The affine-ReLU sandwich's backward pass: through the ReLU gate, then the affine layer.
 *
 * @example
 * const { dx, dw, db } = affineReluBackward(dout, cache);
 */
export function affineReluBackward(
  dout: Tensor,
  cache: AffineCache,
): { dx: Tensor; dw: Tensor; db: Tensor } {
  return within('affineReluBackward', () => {
    checkCache('affineReluBackward', cache, 'tape');
    const [dx, dw, db] = backpropTape(cache.tape, dout, 'affineReluBackward');
    return { dx: dx!, dw: dw!, db: db! };
  });
}
