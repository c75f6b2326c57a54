import { badArgument, within } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { checkOptions, checkTensors, describe } from '../core/validate.js';
import type { Conv2dOptions } from '../ops/conv.js';
import { relu } from '../ops/elementwise.js';
import type { PoolOptions } from '../ops/pool.js';
import { affine, conv, maxPool } from './layers.js';
import { batchNorm, layerNorm, type BatchNormState } from './norm.js';

// CS231n's "sandwich" layers: common stacks as one call. They are plain compositions, so their
// gradients need no code of their own.

/**
 * relu(affine(x, w, b)).
 *
 * @example
 * affineRelu(tensor([[1, -2]]), tensor([[1], [1]]), tensor([0])).toArray() // [[0]]
 */
export function affineRelu(x: Tensor, w: Tensor, b: Tensor): Tensor {
  return within('affineRelu', () => relu(affine(x, w, b)));
}

/** Which normalization sits between the affine layer and the ReLU (CS231n's `normalization`). */
export type Normalization =
  { type: 'batchnorm'; state: BatchNormState } | { type: 'layernorm'; eps?: number };

/**
 * relu(norm(affine(x, w, b))) with batch or layer normalization scaled by gamma and shifted by beta.
 *
 * @example
 * affineNormRelu(x, w, b, gamma, beta, { type: 'batchnorm', state: batchNormState() });
 */
export function affineNormRelu(
  x: Tensor,
  w: Tensor,
  b: Tensor,
  gamma: Tensor,
  beta: Tensor,
  norm: Normalization,
): Tensor {
  return within('affineNormRelu', () => {
    checkTensors('affineNormRelu', { x, w, b, gamma, beta });
    checkOptions('affineNormRelu', 'norm', norm);
    const a = affine(x, w, b);
    let normalized: Tensor;
    if (norm.type === 'batchnorm') normalized = batchNorm(a, gamma, beta, norm.state);
    else if (norm.type === 'layernorm')
      normalized = layerNorm(a, gamma, beta, norm.eps === undefined ? {} : { eps: norm.eps });
    else {
      throw badArgument(
        'affineNormRelu',
        `norm.type must be 'batchnorm' or 'layernorm', got ${describe((norm as { type: unknown }).type)}`,
      );
    }
    return relu(normalized);
  });
}

/**
 * relu(conv(x, w, b)).
 *
 * @example
 * convRelu(x, w, b, { pad: 1 }).shape // [N, F, H, W] for 3×3 filters
 */
export function convRelu(x: Tensor, w: Tensor, b: Tensor, convOptions: Conv2dOptions = {}): Tensor {
  return within('convRelu', () => relu(conv(x, w, b, convOptions)));
}

/**
 * maxPool(relu(conv(x, w, b))): the block of CS231n's three-layer convnet.
 *
 * @example
 * convReluPool(x, w, b, { pad: 1 }, { size: 2 }).shape // [N, F, H/2, W/2] for 3×3 filters
 */
export function convReluPool(
  x: Tensor,
  w: Tensor,
  b: Tensor,
  convOptions: Conv2dOptions = {},
  poolOptions: PoolOptions = {},
): Tensor {
  return within('convReluPool', () => maxPool(relu(conv(x, w, b, convOptions)), poolOptions));
}
