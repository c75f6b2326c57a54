import { recordAllocations, recycle, type Data } from '../kernels/types.js';
import { topoOrder } from './autograd.js';
import { Tensor } from './tensor.js';

/**
 * Hands the storage of a finished training step back for reuse: the values computed on the way
 * to `root` and the gradients `grads`, once nothing will read them again (the loss has been read,
 * the update made). Storage shared with anything in `keep` — and with every leaf of the graph:
 * parameters, inputs, constants; an op such as reshape may return its input's storage — is left
 * alone.
 *
 * @example
 * const loss = model.loss(X, y); const grads = gradients(loss); // … update with grads …
 * releaseGraph(loss, grads.values(), Object.values(model.params));
 */
export function releaseGraph(
  root: Tensor,
  grads: Iterable<Tensor>,
  keep: Iterable<Tensor> = [],
): void {
  const order = topoOrder(root);
  const kept = new Set<ArrayBufferLike>();
  for (const t of keep) kept.add(t.data.buffer);
  for (const t of order) if (t.node === null) kept.add(t.data.buffer);
  const dead = new Map<ArrayBufferLike, Data>();
  const consider = (t: Tensor) => {
    if (!kept.has(t.data.buffer)) dead.set(t.data.buffer, t.data);
  };
  for (const t of order) if (t.node !== null) consider(t);
  for (const g of grads) consider(g);
  recycle(dead.values());
}

/**
 * Runs a forward pass whose intermediate values nobody keeps (eval phase, no gradients) and
 * hands all the storage it made back for reuse; the result comes back as a copy. For scoring a
 * data set batch after batch without fresh storage for every batch.
 *
 * @example
 * const scores = noGrad(() => forwardRecycled(() => model.forward(batch, 'eval')));
 */
export function forwardRecycled(fn: () => Tensor): Tensor {
  const { result, made } = recordAllocations(fn);
  const copy = new Tensor(result.data.slice(), result.shape);
  recycle(made);
  return copy;
}
