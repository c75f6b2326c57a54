import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChainruleError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { topoOrder } from '../../src/core/autograd.js';
import {
  build,
  evaluateExpression,
  expressionUsage,
  FUNCTIONS,
  parse,
  SYNTAX,
  type Expr,
} from '../../src/expr/index.js';
import type { NestedArray } from '../../src/core/nested.js';
import { ALL_OPS } from '../../src/ops/registry.js';
import { caseRandom } from '../support/random.js';

// The expression language's functions are read off the op registry: these tests fail when an op
// that belongs in expressions is left out, or when a function cannot actually be built.

/** Ops expressions do not offer, each with the reason. Anything else must be reachable. */
const NOT_IN_EXPRESSIONS: Readonly<Record<string, string>> = {
  reshape: 'shapes are not written in expressions',
  expand: 'broadcasting inserts it where shapes differ',
  conv2d: 'takes options (stride, padding) beyond a single axis',
  maxPool2d: 'takes a window size and a stride',
  avgPool2d: 'takes a window size and a stride',
  gather: 'index tensors are written as s[y] (the index op)',
  slice: 'takes start/stop ranges per axis',
  concat: 'takes a list of tensors',
  where: 'expressions have no booleans',
  clip: 'takes two bounds that may be absent',
};

test('every op is an expression function, a piece of syntax, or listed above with a reason', () => {
  for (const op of ALL_OPS) {
    const usage = expressionUsage(op);
    if (NOT_IN_EXPRESSIONS[op.name] !== undefined) {
      assert.equal(usage, undefined, `${op.name} is listed as not in expressions but has ${usage}`);
    } else {
      assert.ok(usage, `${op.name} is missing from the expression language`);
    }
  }
  for (const name of [...Object.keys(SYNTAX), ...Object.keys(NOT_IN_EXPRESSIONS)]) {
    assert.ok(
      ALL_OPS.some((op) => op.name === name),
      `${name} is not an op`,
    );
  }
});

test('the function table is the registry’s: names, arity and axis come from the op definitions', () => {
  const fromOps = ALL_OPS.filter((op) => op.expression).map((op) => op.expression!.name ?? op.name);
  assert.deepEqual(
    FUNCTIONS.map((f) => f.name),
    fromOps,
  );
  for (const f of FUNCTIONS) {
    assert.equal(f.op.expression!.summary, f.summary);
    assert.deepEqual(f.arity, f.op.expression!.arity);
  }
  for (const name of ['maximum', 'minimum', 'logsumexp', 'softmax', 'transpose', 'sum', 'max']) {
    assert.ok(
      FUNCTIONS.some((f) => f.name === name),
      name,
    );
  }
});

/** Random values for the shapes an op's own gradient-check spec draws. */
function sampleValues(shapes: number[][], rng: Rng): Record<string, NestedArray> {
  const make = (shape: number[]): NestedArray =>
    shape.length === 0
      ? rng.uniform(0.5, 2)
      : Array.from({ length: shape[0]! }, () => make(shape.slice(1)));
  return Object.fromEntries(shapes.map((s, i) => [`a${i}`, make(s)]));
}

test('every function builds its own op on the shapes its gradient check uses (with and without axis)', () => {
  const rng = new Rng(1);
  for (const f of FUNCTIONS) {
    let built = 0;
    for (let k = 0; k < 20; k++) {
      const { shapes } = f.op.gradcheck.cases(caseRandom(rng));
      for (const n of f.arity) {
        const args = Array.from({ length: n }, (_, i) => `a${Math.min(i, shapes.length - 1)}`);
        const values = sampleValues(shapes.slice(0, n), rng);
        const forms = [`${f.name}(${args.join(', ')})`];
        if (f.axis && shapes[0]!.length > 0) forms.push(`${f.name}(${args.join(', ')}, axis=-1)`);
        for (const source of forms) {
          const { root, inputs } = evaluateExpression(source, values, { mode: 'fused' });
          // A no-op (the transpose of a vector) may return its input itself; anything else
          // must be a gate of the function's op.
          if (root === inputs.get('a0')) continue;
          assert.ok(
            topoOrder(root).some((t) => t.node?.op === f.op),
            `${source} did not build a ${f.op.name} gate`,
          );
          built++;
        }
      }
    }
    assert.ok(built > 5, `${f.name} built its gate only ${built} times`);
  }
});

test('a function the parser knows but the builder is not given is a clear error, not an internal one', () => {
  const span = { start: 0, end: 7 };
  const unknown: Expr = { kind: 'call', name: 'mystery', args: [], span, nameSpan: span };
  assert.throws(
    () => build(unknown, new Map()),
    (e: unknown) => e instanceof ChainruleError && e.code === 'unknown_name',
  );
  // Arity and axis are checked while parsing, against the op's own expression spec.
  assert.throws(() => parse('exp(x, y)'), /exp takes 1 argument, got 2/);
  assert.throws(() => parse('softmax(x, axis=0.5)'), /whole number/);
});
