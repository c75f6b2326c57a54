import type { Data } from '../kernels/types.js';
import { NonFiniteError } from './errors.js';
import type { Attrs, OpDef } from './op.js';
import type { Tensor } from './tensor.js';
import { checkFunction, checkOptions } from './validate.js';

/**
 * The one seam through which tools watch the engine without the engine knowing about them:
 * kink detection in gradient checks, NaN hunting, tracing for pictures.
 */
export interface Observer {
  /** After an op computed `output` (also under noGrad). */
  forward?(event: ForwardEvent): void;
  /** After a backward step sent `grad` along the wire from `input` into `output`'s op. */
  backwardEdge?(event: BackwardEdgeEvent): void;
}

export interface ForwardEvent {
  op: OpDef;
  inputs: readonly Tensor[];
  attrs: Attrs;
  output: Tensor;
  saved: unknown;
}

export interface BackwardEdgeEvent {
  output: Tensor;
  /** dL/d(output): the gradient that arrived at the op. */
  upstream: Tensor;
  inputIndex: number;
  input: Tensor;
  /** This wire's contribution to dL/d(input): local × upstream. */
  grad: Tensor;
}

const active: Observer[] = [];

/** Runs `fn` with `observer` watching; observers nest and are removed even if `fn` throws. */
export function observe<T>(observer: Observer, fn: () => T): T {
  checkOptions('observe', 'observer', observer);
  checkFunction('observe', 'fn', fn);
  for (const hook of ['forward', 'backwardEdge'] as const) {
    const f = (observer as Record<string, unknown>)[hook];
    if (f !== undefined) checkFunction('observe', `observer.${hook}`, f);
  }
  active.push(observer);
  try {
    return fn();
  } finally {
    active.splice(active.lastIndexOf(observer), 1);
  }
}

export function hasObservers(): boolean {
  return active.length > 0;
}

export function notifyForward(event: ForwardEvent): void {
  for (const o of active) o.forward?.(event);
}

export function notifyBackwardEdge(event: BackwardEdgeEvent): void {
  for (const o of active) o.backwardEdge?.(event);
}

function allFinite(data: Data): boolean {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return false;
  return true;
}

/**
 * Runs `fn` and throws a NonFiniteError at the first op that turns finite inputs into a NaN or
 * ±Infinity, in the forward or the backward pass, naming the op (and its source span if known).
 *
 * @example
 * checkNumerics(() => log(tensor(-1))) // throws: "log produced NaN in the forward pass …"
 */
export function checkNumerics<T>(fn: () => T): T {
  checkFunction('checkNumerics', 'fn', fn);
  return observe(
    {
      forward({ op, inputs, output }) {
        if (!allFinite(output.data) && inputs.every((t) => allFinite(t.data))) {
          throw nonFinite(op.name, 'forward', output, output.node?.span);
        }
      },
      backwardEdge({ output, upstream, input, grad }) {
        const node = output.node;
        if (node && !allFinite(grad.data) && allFinite(upstream.data)) {
          throw nonFinite(node.op.name, 'backward', grad, node.span, input);
        }
      },
    },
    fn,
  );
}

function nonFinite(
  op: string,
  phase: 'forward' | 'backward',
  t: Tensor,
  span?: { start: number; end: number },
  input?: Tensor,
): NonFiniteError {
  const bad = Array.from(t.data).find((x) => !Number.isFinite(x))!;
  const what = Number.isNaN(bad) ? 'NaN' : bad > 0 ? 'Infinity' : '-Infinity';
  const where =
    phase === 'forward'
      ? 'in the forward pass'
      : `in the backward pass, in the gradient for ${input?.name ?? 'one of its inputs'}`;
  return new NonFiniteError(op, phase, `${op} produced ${what} ${where}`, span);
}
