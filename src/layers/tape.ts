import { enableGrad, gradients, noGrad } from '../core/autograd.js';
import { ChainruleError, badArgument } from '../core/errors.js';
import { Tensor, asTensor, zeros } from '../core/tensor.js';

// The explicit forward/backward pairs reuse the op definitions instead of repeating their
// derivatives: a forward pass records the ops it ran (on fresh leaf copies of its inputs), and
// the backward pass replays that record — either one op's VJP, or the engine's chain rule
// through a composite layer.

/** What a backward pass needs from its forward pass: the recorded output and its inputs. */
export interface Tape {
  /** The output as the ops produced it, still attached to its graph. */
  readonly output: Tensor;
  /** Leaf copies of the inputs the gradients are taken with respect to. */
  readonly leaves: readonly Tensor[];
}

/**
 * Runs f on leaf copies of `inputs` that track gradients, and returns the output (detached: the
 * caller's tensors stay free of graphs) with the tape for the backward pass. It records even
 * inside noGrad, so that a loss written with pairs can sit inside a numerical gradient check.
 *
 * @example
 * const { out, tape } = record((x) => relu(x), [x]);
 */
export function record(
  f: (...leaves: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
): { out: Tensor; tape: Tape } {
  const leaves = inputs.map((t) => {
    const leaf = t.detach();
    leaf.requiresGrad = true;
    return leaf;
  });
  const output = enableGrad(() => f(...leaves));
  return { out: output.detach(), tape: { output, leaves } };
}

function upstreamFor(fn: string, tape: Tape, dout: Tensor | number): Tensor {
  const g = asTensor(dout);
  if (g.size !== tape.output.size) {
    throw badArgument(
      fn,
      `dout has ${g.size} elements but the forward output has shape [${tape.output.shape.join(', ')}]`,
    );
  }
  return g;
}

/**
 * The gradient of every recorded input, by backpropagating `dout` (dL/d output) through the
 * recorded graph with the engine's chain rule.
 *
 * @example
 * const [dx] = backpropTape(tape, dout);
 */
export function backpropTape(tape: Tape, dout: Tensor | number, fn = 'backward'): Tensor[] {
  const g = upstreamFor(fn, tape, dout);
  if (!tape.output.requiresGrad) return tape.leaves.map((l) => zeros(l.shape));
  const grads = gradients(tape.output, new Tensor(g.data, tape.output.shape));
  return tape.leaves.map((l) => grads.get(l) ?? zeros(l.shape));
}

/**
 * The VJP of the single op that produced the recorded output, called directly: one gradient per
 * op input (null where none flows). For pairs whose forward is exactly one op.
 */
export function opVjp(tape: Tape, dout: Tensor | number, fn = 'backward'): (Tensor | null)[] {
  const g = upstreamFor(fn, tape, dout);
  const node = tape.output.node;
  if (!node)
    throw new ChainruleError('internal', `${fn}: the recorded output was not made by an op`);
  const context = {
    inputs: node.inputs,
    output: tape.output,
    attrs: node.attrs,
    saved: node.saved,
    needsGrad: node.inputs.map((x) => x.requiresGrad),
  };
  // As in the engine's backward pass: the VJP's own ops are not recorded.
  return noGrad(() => node.op.backward(context, new Tensor(g.data, tape.output.shape)));
}
