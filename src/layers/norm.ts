import { within } from '../core/errors.js';
import { noGrad } from '../core/autograd.js';
import { checkInteger, checkOptions, checkTensors } from '../core/validate.js';
import type { Tensor } from '../core/tensor.js';
import { add, div, mul, sqrt, sub } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import {
  batchNormParts,
  groupNorm,
  layerNorm,
  spatialBatchNorm,
  type BatchNormState,
} from '../nn/norm.js';
import { backpropTape, checkCache, record, type Tape, sameShape } from './tape.js';

// Normalization pairs. The staged backward passes replay the recorded graph (the chain rule gate
// by gate, as CS231n's computational-graph derivation); batchnormBackwardAlt is the simplified
// closed form of the same derivative.

/** What the batch-norm backward passes need. */
export interface BatchnormCache {
  gamma: Tensor;
  /** The standardized input (x − μ) / √(σ² + eps). */
  xhat: Tensor;
  /** The variance it was divided by: the batch's in train mode, the running one in eval mode. */
  variance: Tensor;
  eps: number;
  mode: BatchNormState['mode'];
  tape: Tape;
}

/**
 * Batch norm's forward pass on x (N×D), as CS231n's batchnorm_forward: `bnParam` holds mode,
 * momentum, eps and the running averages, which train mode updates in place.
 *
 * @example
 * const bnParam = batchNormState();
 * const { out, cache } = batchnormForward(x, gamma, beta, bnParam);
 */
export function batchnormForward(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  bnParam: BatchNormState,
): { out: Tensor; cache: BatchnormCache } {
  return within('batchnormForward', () => {
    checkTensors('batchnormForward', { x, gamma, beta });
    checkOptions('batchnormForward', 'bnParam', bnParam);
    let parts: { xhat: Tensor; variance: Tensor } | undefined;
    const { out, tape } = record(
      (xl, g, b) => {
        const result = batchNormParts(xl, g, b, bnParam);
        parts = result;
        return result.out;
      },
      [x, gamma, beta],
    );
    const cache: BatchnormCache = {
      gamma,
      xhat: parts!.xhat.detach(),
      variance: parts!.variance.detach(),
      eps: bnParam.eps,
      mode: bnParam.mode,
      tape,
    };
    return { out, cache };
  });
}

/**
 * Batch norm's backward pass, staged: backpropagation through every gate of the forward graph
 * (mean, subtract, square, mean, add eps, sqrt, divide, scale, shift).
 *
 * @example
 * const { dx, dgamma, dbeta } = batchnormBackward(dout, cache);
 */
export function batchnormBackward(
  dout: Tensor,
  cache: BatchnormCache,
): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  return within('batchnormBackward', () => {
    checkCache('batchnormBackward', cache, 'tape');
    const [dx, dgamma, dbeta] = backpropTape(cache.tape, dout, 'batchnormBackward');
    return { dx: dx!, dgamma: dgamma!, dbeta: dbeta! };
  });
}

/**
 * Batch norm's backward pass in closed form (CS231n's batchnorm_backward_alt). With
 * x̂ the standardized input, σ⁻¹ = 1/√(var + eps) and dx̂ = dout·γ:
 *
 *     dβ = Σᵢ dout,   dγ = Σᵢ dout·x̂,   dx = σ⁻¹/N · (N·dx̂ − Σᵢ dx̂ − x̂ · Σᵢ dx̂·x̂)
 *
 * (in eval mode the statistics are constants, and dx = dx̂·σ⁻¹).
 *
 * @example
 * batchnormBackwardAlt(dout, cache).dx // equals batchnormBackward(dout, cache).dx
 */
export function batchnormBackwardAlt(
  dout: Tensor,
  cache: BatchnormCache,
): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  return within('batchnormBackwardAlt', () => {
    checkCache('batchnormBackwardAlt', cache, 'xhat');
    checkTensors('batchnormBackwardAlt', { dout });
    sameShape('batchnormBackwardAlt', dout, cache.xhat, 'the forward output');
    return noGrad(() => {
      const { xhat, gamma, variance, eps } = cache;
      const n = dout.shape[0]!;
      const rows = { axis: 0 };
      const dbeta = sum(dout, rows);
      const dgamma = sum(mul(dout, xhat), rows);
      const dxhat = mul(dout, gamma);
      const invStd = div(1, sqrt(add(variance, eps)));
      if (cache.mode === 'eval') return { dx: mul(dxhat, invStd), dgamma, dbeta };
      const inner = sub(
        sub(mul(dxhat, n), sum(dxhat, rows)),
        mul(xhat, sum(mul(dxhat, xhat), rows)),
      );
      return { dx: mul(div(invStd, n), inner), dgamma, dbeta };
    });
  });
}

/** What the other normalization backward passes need. */
export interface NormCache {
  tape: Tape;
}

/**
 * Layer norm's forward pass on x (N×D) with gamma and beta (D), as CS231n's layernorm_forward.
 *
 * @example
 * const { out, cache } = layernormForward(x, gamma, beta, { eps: 1e-5 });
 */
export function layernormForward(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  lnParam: { eps?: number } = {},
): { out: Tensor; cache: NormCache } {
  return within('layernormForward', () => {
    checkTensors('layernormForward', { x, gamma, beta });
    checkOptions('layernormForward', 'lnParam', lnParam);
    const { out, tape } = record((xl, g, b) => layerNorm(xl, g, b, lnParam), [x, gamma, beta]);
    return { out, cache: { tape } };
  });
}

/**
 * Layer norm's backward pass (staged, through the recorded graph).
 *
 * @example
 * const { dx, dgamma, dbeta } = layernormBackward(dout, cache);
 */
export function layernormBackward(
  dout: Tensor,
  cache: NormCache,
): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  return within('layernormBackward', () => {
    checkCache('layernormBackward', cache, 'tape');
    const [dx, dgamma, dbeta] = backpropTape(cache.tape, dout, 'layernormBackward');
    return { dx: dx!, dgamma: dgamma!, dbeta: dbeta! };
  });
}

/**
 * Spatial batch norm's forward pass on images (N×C×H×W), per channel; gamma and beta are [C].
 *
 * @example
 * const { out, cache } = spatialBatchnormForward(x, gamma, beta, batchNormState());
 */
export function spatialBatchnormForward(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  bnParam: BatchNormState,
): { out: Tensor; cache: NormCache } {
  return within('spatialBatchnormForward', () => {
    checkTensors('spatialBatchnormForward', { x, gamma, beta });
    checkOptions('spatialBatchnormForward', 'bnParam', bnParam);
    const { out, tape } = record(
      (xl, g, b) => spatialBatchNorm(xl, g, b, bnParam),
      [x, gamma, beta],
    );
    return { out, cache: { tape } };
  });
}

/**
 * Spatial batch norm's backward pass.
 *
 * @example
 * const { dx, dgamma, dbeta } = spatialBatchnormBackward(dout, cache);
 */
export function spatialBatchnormBackward(
  dout: Tensor,
  cache: NormCache,
): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  return within('spatialBatchnormBackward', () => {
    checkCache('spatialBatchnormBackward', cache, 'tape');
    const [dx, dgamma, dbeta] = backpropTape(cache.tape, dout, 'spatialBatchnormBackward');
    return { dx: dx!, dgamma: dgamma!, dbeta: dbeta! };
  });
}

/**
 * Spatial group norm's forward pass on images (N×C×H×W) with G groups; gamma and beta are
 * [1, C, 1, 1] as in CS231n (or [C]).
 *
 * @example
 * const { out, cache } = spatialGroupnormForward(x, gamma, beta, 2, { eps: 1e-5 });
 */
export function spatialGroupnormForward(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  groups: number,
  gnParam: { eps?: number } = {},
): { out: Tensor; cache: NormCache } {
  return within('spatialGroupnormForward', () => {
    checkTensors('spatialGroupnormForward', { x, gamma, beta });
    checkInteger('spatialGroupnormForward', 'groups', groups, 1);
    checkOptions('spatialGroupnormForward', 'gnParam', gnParam);
    const { out, tape } = record(
      (xl, g, b) => groupNorm(xl, g, b, groups, gnParam),
      [x, gamma, beta],
    );
    return { out, cache: { tape } };
  });
}

/**
 * Spatial group norm's backward pass.
 *
 * @example
 * const { dx, dgamma, dbeta } = spatialGroupnormBackward(dout, cache);
 */
export function spatialGroupnormBackward(
  dout: Tensor,
  cache: NormCache,
): { dx: Tensor; dgamma: Tensor; dbeta: Tensor } {
  return within('spatialGroupnormBackward', () => {
    checkCache('spatialGroupnormBackward', cache, 'tape');
    const [dx, dgamma, dbeta] = backpropTape(cache.tape, dout, 'spatialGroupnormBackward');
    return { dx: dx!, dgamma: dgamma!, dbeta: dbeta! };
  });
}
