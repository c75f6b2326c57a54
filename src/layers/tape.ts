import { enableGrad, gradients, noGrad } from '../core/autograd.js';
import { ChainruleError, ShapeError, badArgument, formatShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor, zeros } from '../core/tensor.js';
import {
  checkArray,
  checkFunction,
  checkOperand,
  checkTensor,
  describe,
} from '../core/validate.js';

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
  checkFunction('record', 'f', f);
  checkArray('record', 'inputs', inputs).forEach((t, i) =>
    checkTensor('record', `inputs[${i}]`, t),
  );
  const leaves = inputs.map((t) => {
    const leaf = t.detach();
    leaf.requiresGrad = true;
    return leaf;
  });
  const output = enableGrad(() => f(...leaves));
  checkTensor('record', 'the result of f', output);
  return { out: output.detach(), tape: { output, leaves } };
}

/**
 * dout, checked to have exactly the shape of the forward output: a dout of the right size but
 * another shape (a [3] for an output [1, 3]) is a mistake that broadcasting would hide.
 */
function upstreamFor(fn: string, tape: Tape, dout: Tensor | number): Tensor {
  checkTape(fn, tape);
  const g = checkOperand(fn, 'dout', dout);
  if (!shapesEqual(g.shape, tape.output.shape)) {
    throw new ShapeError(
      fn,
      [g.shape, tape.output.shape],
      `dout has shape ${formatShape(g.shape)} but the forward output has shape ` +
        `${formatShape(tape.output.shape)}; they must match`,
    );
  }
  return g;
}

/** A tape made by `record` (from a forward pass's cache), or a clear error. */
function checkTape(fn: string, tape: Tape): void {
  if (
    tape === null ||
    typeof tape !== 'object' ||
    !(tape.output instanceof Tensor) ||
    !Array.isArray(tape.leaves)
  ) {
    throw badArgument(fn, `the cache is not one its forward pass returned (got ${describe(tape)})`);
  }
}

/** A forward pass's cache object, or a clear error. */
export function checkCache<C extends object>(fn: string, cache: C, field: keyof C & string): C {
  if (cache === null || typeof cache !== 'object' || !(field in cache)) {
    throw badArgument(
      fn,
      `argument cache must be the cache its forward pass returned, got ${describe(cache)}`,
    );
  }
  return cache;
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

/** dout has the shape of the forward output (`shape`, or a tensor's), or a ShapeError. */
export function sameShape(
  fn: string,
  dout: Tensor,
  expected: Tensor | readonly number[],
  what: string,
): void {
  const shape = expected instanceof Tensor ? expected.shape : expected;
  if (!shapesEqual(dout.shape, shape)) {
    throw new ShapeError(
      fn,
      [dout.shape, shape],
      `dout has shape ${formatShape(dout.shape)} but ${what} has shape ${formatShape(shape)}; ` +
        'they must match',
    );
  }
}
