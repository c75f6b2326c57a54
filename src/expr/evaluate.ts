import { gradients } from '../core/autograd.js';
import { badArgument, ChainruleError, formatShape } from '../core/errors.js';
import { flattenNested, type NestedArray } from '../core/nested.js';
import { describe } from '../core/validate.js';
import { checkNumerics } from '../core/observe.js';
import { Tensor, tensor, zeros } from '../core/tensor.js';
import { labelsOf, variablesOf, type Expr, type GraphMode } from './ast.js';
import { build } from './build.js';
import { checkExpressionOptions, type FunctionSpec } from './functions.js';
import { parse } from './parser.js';
import { closestName } from './suggest.js';

/** Variable values: numbers, nested arrays or tensors, by name. */
export type Bindings =
  ReadonlyMap<string, NestedArray | Tensor> | Readonly<Record<string, NestedArray | Tensor>>;

/** How an expression is read and built. */
export interface ExpressionOptions {
  /** Staged or fused gates (see `GraphMode`). */
  mode?: GraphMode;
  /** Functions beyond the built-ins: custom gates (`defineGate(…).function`). */
  functions?: readonly FunctionSpec[];
}

export interface Evaluated {
  source: string;
  expr: Expr;
  mode: GraphMode;
  /** The output tensor; its graph reaches back to `inputs`. */
  root: Tensor;
  /**
   * One tensor per variable, in order of first appearance: a fresh named leaf with requiresGrad
   * for a number or an array, the tensor itself (untouched) when a tensor was given. Labels
   * (`y` in `s[y]`) are named leaves without requiresGrad.
   */
  inputs: Map<string, Tensor>;
  /** The variables that are labels (integers that pick elements; no gradient). */
  labels: string[];
}

function entries(values: Bindings): [string, NestedArray | Tensor][] {
  return values instanceof Map
    ? [...(values as ReadonlyMap<string, NestedArray | Tensor>).entries()]
    : Object.entries(values as Readonly<Record<string, NestedArray | Tensor>>);
}

/**
 * The arguments shared by every function that takes an expression and its variable values
 * (`evaluateExpression`, `gradExpression`, `snapshotExpression`, …), or a clear error naming
 * `fn`. What the expression itself says wrong is reported by the parser, at its place in the text.
 */
export function checkExpressionArgs(
  fn: string,
  source: unknown,
  values: unknown,
  options: ExpressionOptions | undefined,
): void {
  if (typeof source !== 'string') {
    throw badArgument(
      fn,
      `argument source must be an expression (a string), got ${describe(source)}`,
    );
  }
  if (
    !(values instanceof Map) &&
    (values === null ||
      typeof values !== 'object' ||
      Array.isArray(values) ||
      values instanceof Tensor)
  ) {
    throw badArgument(
      fn,
      `argument values must give the variables' values, as { x: 2, W: [[1, 2]] } or a Map, got ${describe(values)}`,
    );
  }
  for (const [name, v] of entries(values as Bindings)) {
    if (typeof name !== 'string') {
      throw badArgument(fn, `argument values has a name that is not a string: ${describe(name)}`);
    }
    if (v instanceof Tensor) continue;
    if (typeof v !== 'number' && !Array.isArray(v)) {
      throw badArgument(
        fn,
        `the value of '${name}' must be a number, a nested list of numbers or a tensor, got ${describe(v)}`,
      );
    }
    flattenNested(fn, v);
  }
  checkExpressionOptions(fn, options);
}

/**
 * Parses `source`, checks that every variable has a value (and every value a variable), and
 * builds the computation on fresh leaves that track gradients.
 *
 * @example
 * evaluateExpression('(x + y) * z', { x: -2, y: 5, z: -4 }).root.item() // -12
 */
export function evaluateExpression(
  source: string,
  values: Bindings,
  options: ExpressionOptions = {},
): Evaluated {
  checkExpressionArgs('evaluateExpression', source, values, options);
  const functions = options.functions ?? [];
  const expr = parse(source, { functions });
  const names = variablesOf(expr);
  const labels = labelsOf(expr);
  const given = new Map(entries(values));
  for (const name of given.keys()) {
    if (!names.includes(name)) {
      const suggestion = closestName(name, names);
      throw new ChainruleError(
        'unknown_name',
        `a value was given for '${name}', but the expression has no variable of that name` +
          (suggestion
            ? ` — did you mean '${suggestion}'?`
            : names.length
              ? ` (its variables: ${names.join(', ')})`
              : ''),
      );
    }
  }
  const missing = names.filter((n) => !given.has(n));
  if (missing.length > 0) {
    throw new ChainruleError(
      'missing_value',
      `no value for ${missing.map((n) => `'${n}'`).join(', ')}: give ${missing.length > 1 ? 'them' : 'it'} as ` +
        `${missing.map((n) => `${n}=…`).join(' ')} (a number, or a list such as [[1,2],[3,4]])`,
    );
  }
  const inputs = new Map<string, Tensor>();
  for (const name of names) {
    const v = given.get(name)!;
    const isLabel = labels.includes(name);
    const leaf = v instanceof Tensor ? v : tensor(v, { requiresGrad: !isLabel, name });
    if (!leaf.data.every(Number.isFinite)) {
      throw new ChainruleError('non_finite', `the value of '${name}' contains NaN or Infinity`);
    }
    inputs.set(name, leaf);
  }
  const mode = options.mode ?? 'staged';
  const root = build(expr, inputs, { mode, source, functions });
  return { source, expr, mode, root, inputs, labels };
}

export interface ExpressionGradients {
  value: NestedArray;
  /** dL/d(variable) for every variable but the labels, in order of first appearance. */
  gradients: Map<string, NestedArray>;
  /** The variables that are labels (`y` in `s[y]`): integers, with no gradient. */
  labels: string[];
}

/**
 * The value of a scalar expression and its gradient with respect to every variable. The
 * default mode is `fused`: the same math as `staged`, with fewer roundings.
 *
 * @example
 * gradExpression('x * y', { x: 4, y: -3 }).gradients // Map { 'x' => -3, 'y' => 4 }
 */
export function gradExpression(
  source: string,
  values: Bindings,
  options: ExpressionOptions = {},
): ExpressionGradients {
  checkExpressionArgs('gradExpression', source, values, options);
  const { root, inputs, labels } = evaluateExpression(source, values, {
    ...options,
    mode: options.mode ?? 'fused',
  });
  if (root.size !== 1) {
    throw new ChainruleError(
      'bad_argument',
      `the expression's value has shape ${formatShape(root.shape)}; a gradient needs a single number — ` +
        'wrap it in sum(...) or mean(...)',
    );
  }
  const grads = root.requiresGrad
    ? checkNumerics(() => gradients(root))
    : new Map<Tensor, Tensor>();
  const out = new Map<string, NestedArray>();
  for (const [name, leaf] of inputs) {
    if (labels.includes(name)) continue;
    // A variable the output does not depend on has gradient 0, in its own shape.
    out.set(name, grads.get(leaf)?.toArray() ?? zeros(leaf.shape).toArray());
  }
  return { value: root.toArray(), gradients: out, labels };
}
