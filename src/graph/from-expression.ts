import { evaluateExpression, type Bindings } from '../expr/evaluate.js';
import { build, type Mode } from '../expr/build.js';
import { checkNumerics } from '../core/observe.js';
import { toSnapshot, type SnapshotOptions } from './snapshot.js';
import type { GraphSnapshot } from './types.js';
import { checkGradients, type CheckOptions, type GradientCheck } from './gradcheck.js';

/**
 * Parses and evaluates an expression and describes its graph, gradients included.
 *
 * @example
 * const s = snapshotExpression('(x + y) * z', { x: -2, y: 5, z: -4 });
 * s.nodes.find((n) => n.label === 'x')!.grad // -4
 */
export function snapshotExpression(
  source: string,
  values: Bindings,
  options: { mode?: Mode } & Pick<SnapshotOptions, 'maxElements'> = {},
): GraphSnapshot {
  const mode = options.mode ?? 'staged';
  const { root } = evaluateExpression(source, values, { mode });
  return checkNumerics(() =>
    toSnapshot(root, {
      expression: source,
      mode,
      ...(options.maxElements ? { maxElements: options.maxElements } : {}),
    }),
  );
}

/**
 * The gradient check of an expression: analytic against numerical, per variable.
 *
 * @example
 * checkExpression('x * y', { x: 4, y: -3 }).passed // true
 */
export function checkExpression(
  source: string,
  values: Bindings,
  options: { mode?: Mode } & Omit<CheckOptions, 'names'> = {},
): GradientCheck {
  const mode = options.mode ?? 'fused';
  const { expr, inputs } = evaluateExpression(source, values, { mode });
  const names = [...inputs.keys()];
  // Parsed and validated once; each numerical evaluation only rebuilds the ops.
  return checkGradients(
    (...xs) => build(expr, new Map(names.map((n, i) => [n, xs[i]!])), { mode, source }),
    [...inputs.values()],
    { ...options, names },
  );
}
