import { badArgument } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { checkNumber, checkOptions, describe, quote } from '../core/validate.js';
import { allocate } from '../kernels/types.js';
import { addSquares, clamp, normScale } from './updates.js';

// Gradient clipping. Both return new tensors: gradients from the engine may share storage (the
// add gate hands the same upstream tensor to both inputs), so scaling one in place could scale
// another twice.

function entries(fn: string, grads: Readonly<Record<string, Tensor>>): [string, Tensor][] {
  const list = Object.entries(checkOptions(fn, 'grads', grads));
  for (const [name, g] of list) {
    if (!(g instanceof Tensor))
      throw badArgument(fn, `grads[${quote(name)}] must be a tensor, got ${describe(g)}`);
  }
  return list;
}

/**
 * Scales all gradients together so that their global L2 norm is at most maxNorm (as PyTorch's
 * clip_grad_norm_). Returns the clipped gradients and the norm before clipping.
 *
 * @example
 * clipGradNorm({ w: tensor([3, 4]) }, 1).grads.w.toArray() // [0.6, 0.8]
 */
export function clipGradNorm(
  grads: Readonly<Record<string, Tensor>>,
  maxNorm: number,
): { grads: Record<string, Tensor>; norm: number } {
  const list = entries('clipGradNorm', grads);
  checkNumber('clipGradNorm', 'maxNorm', maxNorm, { min: 0, minOpen: true });
  let squares = 0;
  for (const [, g] of list) squares = addSquares(squares, g.data, Infinity);
  const scale = normScale(squares, maxNorm);
  const out: Record<string, Tensor> = {};
  for (const [name, g] of list) {
    const data = allocate(g.dtype, g.size);
    for (let i = 0; i < data.length; i++) data[i] = g.data[i]! * scale;
    out[name] = new Tensor(data, g.shape);
  }
  return { grads: out, norm: Math.sqrt(squares) };
}

/**
 * Clamps every gradient element into [−limit, limit].
 *
 * @example
 * clipGradValue({ w: tensor([-5, 0.5]) }, 1).w.toArray() // [-1, 0.5]
 */
export function clipGradValue(
  grads: Readonly<Record<string, Tensor>>,
  limit: number,
): Record<string, Tensor> {
  const list = entries('clipGradValue', grads);
  checkNumber('clipGradValue', 'limit', limit, { min: 0, minOpen: true });
  const out: Record<string, Tensor> = {};
  for (const [name, g] of list) {
    const data = allocate(g.dtype, g.size);
    for (let i = 0; i < data.length; i++) data[i] = clamp(g.data[i]!, limit);
    out[name] = new Tensor(data, g.shape);
  }
  return out;
}
