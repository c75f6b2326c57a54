import { within } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { checkOptions, checkTensors } from '../core/validate.js';
import { dropout, type DropoutOptions } from '../nn/layers.js';
import { checkCache, opVjp, record, type Tape } from './tape.js';

/** What dropoutBackward needs. */
export interface DropoutCache {
  /** The mask the forward pass multiplied by: 1/p for kept units, 0 for dropped ones (null in eval mode). */
  mask: Tensor | null;
  tape: Tape | null;
}

/**
 * Inverted dropout's forward pass, as CS231n's dropout_forward with `keep` = dropout_keep_ratio:
 * in train mode out = x · mask with mask = (u < p) / p drawn from `rng`; in eval mode out = x.
 *
 * @example
 * const { out, cache } = dropoutForward(x, { keep: 0.8, mode: 'train', rng: new Rng(0) });
 */
export function dropoutForward(
  x: Tensor,
  dropoutParam: DropoutOptions,
): { out: Tensor; cache: DropoutCache } {
  return within('dropoutForward', () => {
    checkTensors('dropoutForward', { x });
    checkOptions('dropoutForward', 'dropoutParam', dropoutParam);
    if ((dropoutParam.mode ?? 'train') === 'eval') {
      return { out: dropout(x, dropoutParam), cache: { mask: null, tape: null } };
    }
    const { out, tape } = record((xl) => dropout(xl, dropoutParam), [x]);
    // dropout is x × mask: the mask is the second input of that multiply gate.
    const mask = tape.output.node!.inputs[1]!;
    return { out, cache: { mask, tape } };
  });
}

/**
 * Inverted dropout's backward pass: dx = dout · mask (the multiply gate's VJP); in eval mode dx = dout.
 *
 * @example
 * const dx = dropoutBackward(dout, cache);
 */
export function dropoutBackward(dout: Tensor, cache: DropoutCache): Tensor {
  return within('dropoutBackward', () => {
    checkCache('dropoutBackward', cache, 'tape');
    checkTensors('dropoutBackward', { dout });
    if (!cache.tape) return dout;
    return opVjp(cache.tape, dout, 'dropoutBackward')[0]!;
  });
}
