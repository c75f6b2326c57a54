import { ChainruleError, ShapeError, badArgument, formatShape } from './errors.js';
import { hasObservers, notifyBackwardEdge } from './observe.js';
import { shapesEqual } from './shape.js';
import { Tensor, full } from './tensor.js';
import { checkFunction, checkOperand, checkTensor } from './validate.js';

let gradEnabled = true;

/** False inside `noGrad`: ops then record nothing. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` with recording on or off, restoring the previous mode even if `fn` throws. */
function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Runs `fn` without recording the graph (for updates, evaluation, numerical checks). */
export function noGrad<T>(fn: () => T): T {
  checkFunction('noGrad', 'fn', fn);
  return withGradMode(false, fn);
}

/**
 * Runs `fn` with graph recording on, even inside noGrad — for code that needs its own backward
 * pass, such as the explicit layer pairs called from a numerical gradient check.
 */
export function enableGrad<T>(fn: () => T): T {
  checkFunction('enableGrad', 'fn', fn);
  return withGradMode(true, fn);
}

let epoch = 0;

/**
 * Every tensor `root` depends on, each after all of its inputs (post-order of a depth-first
 * walk over inputs in order). Iterative, so a chain of a million ops does not overflow the stack.
 * Leaves each tensor's position in `slot`, which the backward loop reads instead of a Map.
 */
export function topoOrder(root: Tensor): Tensor[] {
  checkTensor('topoOrder', 'root', root);
  const stamp = ++epoch;
  const order: Tensor[] = [];
  const stack: Tensor[] = [root];
  const next: number[] = [0];
  root.visit = stamp;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const t = stack[top]!;
    const inputs = t.node?.inputs;
    const i = next[top]!;
    if (inputs && i < inputs.length) {
      next[top] = i + 1;
      const child = inputs[i]!;
      if (child.visit !== stamp) {
        child.visit = stamp;
        stack.push(child);
        next.push(0);
      }
    } else {
      t.slot = order.length;
      order.push(t);
      stack.pop();
      next.pop();
    }
  }
  return order;
}

/** a + b as a new tensor: gradients are never mutated in place, since VJPs may share them. */
function plus(a: Tensor, b: Tensor): Tensor {
  const out = a.data.slice();
  for (let i = 0; i < out.length; i++) out[i]! += b.data[i]!;
  return new Tensor(out, a.shape);
}

function seedFor(fn: string, root: Tensor, upstream: Tensor | undefined): Tensor {
  checkTensor(fn, 'root', root);
  if (!root.requiresGrad) {
    throw new ChainruleError(
      'no_gradient',
      `${fn}: this tensor does not depend on any tensor created with requiresGrad: true, ` +
        'so no gradient can flow. Create the inputs with tensor(..., { requiresGrad: true }).',
    );
  }
  if (upstream === undefined) {
    if (root.size !== 1) {
      throw badArgument(
        fn,
        `the output has shape ${formatShape(root.shape)}; backward() without an upstream ` +
          'gradient needs a single number. Reduce it first (sum, mean) or pass dL/d(output).',
      );
    }
    return full(root.shape, 1, { dtype: root.dtype });
  }
  const seed = checkOperand(fn, 'upstream', upstream, root.dtype);
  if (!shapesEqual(seed.shape, root.shape)) {
    throw new ShapeError(
      fn,
      [root.shape, seed.shape],
      `the upstream gradient has shape ${formatShape(seed.shape)} but the output has shape ` +
        `${formatShape(root.shape)}; they must match`,
    );
  }
  return seed;
}

/**
 * The backward pass: walks the topological order from the output down, calls each op's VJP,
 * checks every gradient's shape and adds up the gradients of values used more than once.
 * Returns the order and, at the same positions, each tensor's gradient (undefined where none).
 */
function backprop(
  fn: string,
  root: Tensor,
  upstream: Tensor | undefined,
): { order: Tensor[]; grads: (Tensor | undefined)[] } {
  const seed = seedFor(fn, root, upstream);
  const order = topoOrder(root);
  const grads = new Array<Tensor | undefined>(order.length);
  grads[order.length - 1] = seed;
  const observed = hasObservers();
  noGrad(() => {
    for (let k = order.length - 1; k >= 0; k--) {
      const output = order[k]!;
      const node = output.node;
      const g = grads[k];
      if (node === null || g === undefined) continue;
      const inputs = node.inputs;
      const needsGrad = inputs.map((x) => x.requiresGrad);
      const inputGrads = node.op.backward(
        { inputs, output, attrs: node.attrs, saved: node.saved, needsGrad },
        g,
      );
      for (let i = 0; i < inputs.length; i++) {
        const input = inputs[i]!;
        const gi = inputGrads[i];
        if (!needsGrad[i] || !gi) continue;
        if (!shapesEqual(gi.shape, input.shape)) {
          throw new ChainruleError(
            'internal',
            `${node.op.name}: the backward pass produced a gradient of shape ` +
              `${formatShape(gi.shape)} for input ${i}, whose shape is ` +
              `${formatShape(input.shape)}. This is a bug in the op's backward; please report it.`,
          );
        }
        if (observed) notifyBackwardEdge({ output, upstream: g, inputIndex: i, input, grad: gi });
        const previous = grads[input.slot];
        grads[input.slot] = previous ? plus(previous, gi) : gi;
      }
    }
  });
  return { order, grads };
}

/**
 * dL/dt for every tensor t that `root` depends on and that requires a gradient, without touching
 * any `.grad`. `upstream` is dL/d(root); it defaults to 1 for a one-element root.
 */
export function gradients(root: Tensor, upstream?: Tensor): Map<Tensor, Tensor> {
  const { order, grads } = backprop('gradients', root, upstream);
  const out = new Map<Tensor, Tensor>();
  order.forEach((t, k) => {
    const g = grads[k];
    if (g) out.set(t, g);
  });
  return out;
}

/**
 * Backpropagates from `root` and stores gradients in `.grad`: leaves accumulate across calls
 * (reset with zeroGrad), intermediate tensors hold this pass's gradient.
 */
export function backward(root: Tensor, upstream?: Tensor): void {
  const { order, grads } = backprop('backward', root, upstream);
  for (let k = 0; k < order.length; k++) {
    const t = order[k]!;
    const g = grads[k];
    if (g) t.grad = t.isLeaf && t.grad ? plus(t.grad, g) : g;
  }
}

/** Fresh leaf copies of the arguments that track gradients. */
function leaves(fn: string, args: readonly (Tensor | number)[]): Tensor[] {
  return args.map((a, i) => {
    const t = checkOperand(fn, `args[${i}]`, a).detach();
    t.requiresGrad = true;
    return t;
  });
}

/** How many valueAndGrad calls are evaluating their f right now (an outer grad's f counts). */
let differentiating = 0;

/**
 * Refuses grad(grad(f)). The backward pass runs unrecorded (each op computes its local
 * derivative directly on numbers, in kernels and in the scalar path alike), so a gradient
 * computed inside an outer grad would reach the outer one as a constant: its derivative would
 * be a silent 0. Higher-order derivatives would need every op's VJP written with ops and its own
 * second derivative; until then a nested call on arguments the outer grad tracks is an error.
 */
function refuseNested(fn: string, args: readonly unknown[]): void {
  if (
    differentiating > 0 &&
    gradEnabled &&
    args.some((a) => a instanceof Tensor && a.requiresGrad)
  ) {
    throw new ChainruleError(
      'no_gradient',
      `${fn}: nested grad (a derivative of a derivative, such as grad(grad(f))) is not ` +
        'supported: the backward pass is not itself recorded, so the outer derivative would ' +
        'silently be 0. Differentiate once, and take the second derivative numerically ' +
        '(centered differences of grad(f)) if you need it.',
    );
  }
}

/**
 * Turns f into a function that returns f's value and its gradient with respect to every
 * argument. Nothing is accumulated: calling it twice gives the same gradients twice. Nested
 * calls (grad(grad(f))) throw a clear error rather than return a wrong 0.
 *
 * @example
 * const { value, grads } = valueAndGrad((x, y) => mul(x, y))(4, -3);
 * value.item(); grads.map((g) => g.item()) // -12, [-3, 4]
 */
export function valueAndGrad<A extends (Tensor | number)[]>(
  f: (...args: Tensor[]) => Tensor,
): (...args: A) => { value: Tensor; grads: Tensor[] } {
  return differentiate('valueAndGrad', f);
}

/** valueAndGrad under the name the user called, for its error messages. */
function differentiate<A extends (Tensor | number)[]>(
  fn: string,
  f: (...args: Tensor[]) => Tensor,
): (...args: A) => { value: Tensor; grads: Tensor[] } {
  checkFunction(fn, 'f', f);
  return (...args) => {
    refuseNested(fn, args);
    const xs = leaves(fn, args);
    differentiating++;
    let value: Tensor;
    try {
      value = f(...xs);
    } finally {
      differentiating--;
    }
    if (!(value instanceof Tensor)) throw badArgument(fn, 'f must return a tensor');
    if (value.size !== 1) {
      throw badArgument(
        fn,
        `f must return a single number to differentiate; it returned shape ${formatShape(value.shape)}`,
      );
    }
    const grads = value.requiresGrad ? gradients(value) : new Map<Tensor, Tensor>();
    return {
      value: value.detach(),
      grads: xs.map((x) => grads.get(x) ?? full(x.shape, 0, { dtype: x.dtype })),
    };
  };
}

/**
 * Turns f into a function that returns the gradient of f with respect to every argument.
 *
 * @example
 * grad((x) => mul(x, x))(3)[0].item() // 6
 */
export function grad<A extends (Tensor | number)[]>(
  f: (...args: Tensor[]) => Tensor,
): (...args: A) => Tensor[] {
  const vg = differentiate<A>('grad', f);
  return (...args) => vg(...args).grads;
}
