import { isGradEnabled } from './autograd.js';
import { hasObservers, notifyForward } from './observe.js';
import type { Attrs, OpDef } from './op.js';
import { currentScope } from './scope.js';
import { badArgument, formatShape } from './errors.js';
import { LIMITS } from './limits.js';
import { sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * Runs an op and, when gradients are on and an input needs one, records the node that lets
 * backward find its way back. The only place graph nodes are made.
 */
export function apply<A extends Attrs>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  const shape = op.inferShape(
    inputs.map((t) => t.shape),
    attrs,
  );
  // The one size check every op output passes, before its forward allocates anything.
  if (sizeOf(shape) > LIMITS.maxTensorSize) {
    throw badArgument(
      op.name,
      `the result would have shape ${formatShape(shape)}, more than the ${LIMITS.maxTensorSize} ` +
        'elements a tensor may hold (see docs/limits.md)',
    );
  }
  const dtype =
    inputs.length > 0 && inputs.every((t) => t.dtype === 'float32') ? 'float32' : 'float64';
  let saved: unknown;
  const data = op.forward({
    inputs,
    attrs,
    shape,
    dtype,
    save: (value) => {
      saved = value;
    },
  });
  const output = new Tensor(data, shape);
  if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
    output.requiresGrad = true;
    output.node = { op, inputs, attrs, saved };
    const scope = currentScope();
    if (scope !== null) output.node.scope = scope;
  }
  if (hasObservers()) notifyForward({ op, inputs, attrs, output, saved });
  return output;
}
