import { checkNumerics } from '../core/observe.js';
import { checkInteger, checkStepOptions } from '../core/validate.js';
import { LIMITS } from '../core/limits.js';
import {
  checkExpressionArgs,
  evaluateExpression,
  type Bindings,
  type ExpressionOptions,
} from '../expr/evaluate.js';
import { build } from '../expr/build.js';
import { checkGraph, type GraphCheck } from './check-graph.js';
import { checkGradients, type CheckOptions, type GradientCheck } from './gradcheck.js';
import { toSnapshot, type SnapshotOptions } from './snapshot.js';
import type { GraphSnapshot } from './types.js';

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
  options: ExpressionOptions & Pick<SnapshotOptions, 'maxElements'> = {},
): GraphSnapshot {
  checkExpressionArgs('snapshotExpression', source, values, options);
  if (options.maxElements !== undefined) {
    checkInteger(
      'snapshotExpression',
      'options.maxElements',
      options.maxElements,
      0,
      LIMITS.maxTensorSize,
    );
  }
  const mode = options.mode ?? 'staged';
  const { root } = evaluateExpression(source, values, { ...options, mode });
  return checkNumerics(() =>
    toSnapshot(root, {
      expression: source,
      mode,
      ...(options.maxElements ? { maxElements: options.maxElements } : {}),
    }),
  );
}

/** The gradient check of an expression: per variable, and on every node and wire of its graph. */
export interface ExpressionCheck extends GradientCheck {
  /** Verdicts on the picture: per node and per wire, with the snapshot they refer to. */
  graph: GraphCheck;
}

/**
 * The gradient check of an expression: analytic against numerical, per variable (labels, which
 * take no gradient, are left out), and per node and wire of its graph in the given mode.
 *
 * @example
 * checkExpression('x * y', { x: 4, y: -3 }).passed // true
 */
export function checkExpression(
  source: string,
  values: Bindings,
  options: ExpressionOptions & Omit<CheckOptions, 'names'> = {},
): ExpressionCheck {
  checkExpressionArgs('checkExpression', source, values, options);
  checkStepOptions('checkExpression', options);
  const mode = options.mode ?? 'fused';
  const functions = options.functions ?? [];
  const evaluated = evaluateExpression(source, values, { mode, functions });
  const { expr, inputs, labels } = evaluated;
  const names = [...inputs.keys()].filter((n) => !labels.includes(n));
  // Parsed and validated once; each numerical evaluation only rebuilds the ops.
  const report = checkGradients(
    (...xs) => {
      const bound = new Map(inputs);
      names.forEach((n, i) => bound.set(n, xs[i]!));
      return build(expr, bound, { mode, source, functions });
    },
    names.map((n) => inputs.get(n)!),
    { ...options, names },
  );
  const graph = checkGraph(evaluated.root, {
    expression: source,
    mode,
    ...(options.h === undefined ? {} : { h: options.h }),
  });
  return { ...report, graph, passed: report.passed && graph.passed };
}
