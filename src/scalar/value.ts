import { badArgument } from '../core/errors.js';
import { installElementwise } from '../core/methods.js';
import type { ElementwiseMethods, ElementwiseOps, OpDef, ScalarRule } from '../core/op.js';
import { currentScope, type Scope } from '../core/scope.js';
import { describe } from '../core/validate.js';
// The elementwise ops announce themselves (core/methods.ts), so that Value gets one method per
// op: x.relu(), a.add(b), a.maximum(b), …
import * as elementwise from '../ops/elementwise.js';

/**
 * A scalar that remembers how it was computed, micrograd-style, on the same op definitions as the
 * tensor path (each op's f and local derivative). Kept lean for speed: plain number fields, at
 * most two inputs, no closures, no Sets.
 *
 * @example
 * const a = value(2);
 * const y = a.mul(-3).add(1).tanh();
 * y.backward();
 * a.grad // -0.0005447496928315809, that is −3 · (1 − tanh²(−5))
 *
 * Every elementwise op of the registry is a method: unary ones as `x.relu()`, binary ones as
 * `a.add(b)` with a Value or a number; `a.maximum(b)` and `a.minimum(b)` are the max and min
 * gates.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- elementwise methods: see below
export class Value {
  data: number;
  /** dL/d(this) after backward(): leaves accumulate across calls, other values are overwritten. */
  grad = 0;
  /** The elementwise rule of the op that made this value, or null for a leaf. */
  readonly rule: ScalarRule | null;
  readonly a: Value | null;
  readonly b: Value | null;
  /** A name for pictures (`w0`); '' when unnamed (kept on the prototype to keep values small). */
  declare label: string;
  /** @internal Visit stamp of the last topological sort (avoids a Set per backward). */
  mark = 0;
  /**
   * The scope open when this value was made (a neuron, a layer), for grouped pictures; null
   * outside scopes (kept on the prototype, so unscoped values stay small).
   */
  declare scope: Scope | null;

  constructor(
    data: number,
    rule: ScalarRule | null = null,
    a: Value | null = null,
    b: Value | null = null,
  ) {
    this.data = data;
    this.rule = rule;
    this.a = a;
    this.b = b;
    if (typeof data !== 'number') {
      throw badArgument('Value', `argument data must be a number, got ${describe(data)}`);
    }
    const scope = currentScope();
    if (scope !== null) this.scope = scope;
  }

  /**
   * Backpropagates dL/d· from this value to every value it depends on. Iterative, so a chain of a
   * million ops works.
   */
  backward(): void {
    const order = topoOrderValues(this, true);
    this.grad += 1;
    for (let i = order.length - 1; i >= 0; i--) {
      const v = order[i]!;
      const rule = v.rule;
      if (rule === null) continue;
      const g = v.grad;
      const a = v.a!;
      const b = v.b;
      if (b === null) {
        a.grad += rule.da(a.data, 0, v.data) * g;
      } else {
        // Numbers folded in (Constants) get a gradient too: cheaper than checking, never read.
        a.grad += rule.da(a.data, b.data, v.data) * g;
        b.grad += rule.db(a.data, b.data, v.data) * g;
      }
    }
  }

  /** The op that made this value, or null for a leaf. */
  get op(): OpDef | null {
    return this.rule?.op ?? null;
  }

  /** The inputs of this value's op (0, 1 or 2 of them). */
  inputs(): Value[] {
    return this.a === null ? [] : this.b === null ? [this.a] : [this.a, this.b];
  }

  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }
}

Value.prototype.label = '';
Value.prototype.scope = null;

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the methods are installed below
export interface Value extends ElementwiseMethods<ElementwiseOps, Value, Value | number> {}

installElementwise(elementwise, ({ op }) => {
  const rule = op.scalar;
  const fn = `Value.${op.name}`;
  // Each method closes over its rule: no lookup per call on this hot path.
  const method =
    rule.arity === 1
      ? function (this: Value): Value {
          return new Value(rule.f(this.data, 0), rule, this);
        }
      : function (this: Value, other: Value | number): Value {
          const b = lift(fn, other);
          return new Value(rule.f(this.data, b.data), rule, this, b);
        };
  Object.defineProperty(Value.prototype, op.name, {
    value: method,
    writable: true,
    configurable: true,
  });
});

/** A number folded into an op (`x.add(1)`): drawn inside its gate, as the slides do. */
export class Constant extends Value {}

let epoch = 0;

/**
 * Every value `root` depends on, inputs first (iterative depth-first post-order). With
 * `resetGrads`, values made by ops get their gradient reset on the way, for a new backward pass.
 */
export function topoOrderValues(root: Value, resetGrads = false): Value[] {
  // Marks are numbers on the values: a fresh epoch means no clearing pass and no Set.
  const entered = (epoch += 2);
  const done = entered + 1;
  const order: Value[] = [];
  const stack: Value[] = [root];
  while (stack.length > 0) {
    const v = stack[stack.length - 1]!;
    if (v.mark === entered) {
      // All inputs are in `order` now.
      stack.pop();
      v.mark = done;
      if (resetGrads && v.rule !== null) v.grad = 0;
      order.push(v);
    } else if (v.mark === done) {
      stack.pop(); // reached twice through a fork
    } else {
      v.mark = entered;
      const { a, b } = v;
      if (b !== null && b.mark < entered) stack.push(b);
      if (a !== null && a.mark < entered) stack.push(a);
    }
  }
  return order;
}

function lift(fn: string, x: Value | number): Value {
  if (x instanceof Value) return x;
  if (typeof x !== 'number') {
    throw badArgument(fn, `argument other must be a Value or a number, got ${describe(x)}`);
  }
  return new Constant(x);
}

/**
 * A scalar leaf that gradients flow to.
 *
 * @example
 * value(2, 'w0').data // 2
 */
export function value(data: number, label = ''): Value {
  if (typeof data !== 'number') {
    throw badArgument('value', `argument data must be a number, got ${describe(data)}`);
  }
  if (typeof label !== 'string') {
    throw badArgument('value', `argument label must be a string, got ${describe(label)}`);
  }
  const v = new Value(data);
  if (label !== '') v.label = label;
  return v;
}
