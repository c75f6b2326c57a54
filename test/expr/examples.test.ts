import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChainruleError, NonFiniteError, ShapeError } from '../../src/core/errors.js';
import {
  EXAMPLES,
  evaluateExpression,
  findExample,
  formatWithCaret,
  gradExpression,
} from '../../src/expr/index.js';
import { assertClose } from '../support/assert.js';

/** The CS231n numbers (computed to full precision in the notes' reference values). */
const expected: Record<
  string,
  { value: number; grads: Record<string, number | number[] | number[][]> }
> = {
  sigmoid: {
    value: 0.7310585786300049,
    grads: {
      w0: -0.19661193324148185,
      x0: 0.3932238664829637,
      w1: -0.3932238664829637,
      x1: -0.5898357997244456,
      w2: 0.19661193324148185,
    },
  },
  chain: { value: -12, grads: { x: -4, y: -4, z: 3 } },
  staged: { value: 1.5456448841, grads: { x: 2.0595697956, y: 1.5922327515 } },
  patterns: { value: -20, grads: { x: -8, y: 6, z: 2, w: 0 } },
  vectorized: {
    value: 0.116,
    grads: {
      W: [
        [0.088, 0.176],
        [0.104, 0.208],
      ],
      x: [-0.112, 0.636],
    },
  },
  svm: { value: 8, grads: { s0: -1, s1: 0, s2: 1 } },
  'sigmoid-steps': {
    value: 0.7310585786300049,
    grads: {
      w0: -0.19661193324148185,
      x0: 0.3932238664829637,
      w1: -0.3932238664829637,
      x1: -0.5898357997244456,
      w2: 0.19661193324148185,
    },
  },
  tanh: { value: Math.SQRT1_2, grads: { x1: -1.5, w1: 1, x2: 0.5, w2: 0, b: 0.5 } },
};

for (const example of EXAMPLES) {
  test(`example ${example.name}: staged and fused agree${expected[example.name] ? ' with the reference numbers' : ''}`, () => {
    const staged = gradExpression(example.expression, example.values, { mode: 'staged' });
    const fused = gradExpression(example.expression, example.values, { mode: 'fused' });
    assertClose(staged.value, fused.value, 1e-14);
    for (const [name, g] of fused.gradients)
      assertClose(staged.gradients.get(name)!, g, 1e-13, name);
    const want = expected[example.name];
    if (want) {
      assertClose(fused.value, want.value, 1e-10);
      for (const [name, g] of Object.entries(want.grads))
        assertClose(fused.gradients.get(name)!, g, 1e-10, name);
    }
  });
}

test('the sigmoid neuron to full float64 precision (fused, as torch.sigmoid computes it)', () => {
  const { value, gradients } = gradExpression(
    findExample('sigmoid')!.expression,
    findExample('sigmoid')!.values,
  );
  assert.equal(value, 0.7310585786300049);
  assert.equal(gradients.get('w0'), -0.19661193324148185);
  assert.equal(gradients.get('x0'), 0.3932238664829637);
});

test('staged mode draws the sigmoid as *-1, exp, +1, 1/x; fused as one σ', () => {
  const src = 'sigmoid(x)';
  const staged = evaluateExpression(src, { x: 1 }, { mode: 'staged' }).root;
  assert.deepEqual(
    [staged.node!.op.name, staged.node!.inputs[0]!.node!.op.name],
    ['reciprocal', 'add'],
  );
  const fused = evaluateExpression('1/(1+exp(-(x)))', { x: 1 }, { mode: 'fused' }).root;
  assert.equal(fused.node!.op.name, 'sigmoid');
  const alsoFused = evaluateExpression('1/(exp(-x)+1)', { x: 1 }, { mode: 'fused' }).root;
  assert.equal(alsoFused.node!.op.name, 'sigmoid');
});

test('missing and unknown variables are named, with the closest name', () => {
  assert.throws(() => evaluateExpression('x*y', { x: 1 }), /no value for 'y': give it as y=…/);
  assert.throws(
    () => evaluateExpression('x0*w0', { x0: 1, w0: 2, wo: 3 }),
    (e: unknown) =>
      e instanceof ChainruleError &&
      e.code === 'unknown_name' &&
      /did you mean 'w0'/.test(e.message),
  );
});

test('shape errors point at the operator in the expression', () => {
  assert.throws(
    () => evaluateExpression('W@x', { W: [[1, 2, 3]], x: [1, 2] }),
    (e: unknown) => {
      assert.ok(e instanceof ShapeError);
      assert.match(e.message, /matmul: inner dimensions differ: \[1, 3\] @ \[2\]/);
      assert.deepEqual(e.span, { start: 0, end: 3 });
      return true;
    },
  );
});

test('NaN and Infinity are reported with the op and the column that produced them', () => {
  assert.throws(
    () => evaluateExpression('x + log(y)', { x: 1, y: -1 }),
    (e: unknown) => {
      assert.ok(e instanceof NonFiniteError);
      assert.equal(e.op, 'log');
      assert.equal(
        formatWithCaret(e),
        'log produced NaN in the forward pass\n  x + log(y)\n      ^^^^^^',
      );
      return true;
    },
  );
  assert.throws(
    () => gradExpression('sqrt(x)', { x: 0 }),
    /sqrt produced Infinity in the backward pass/,
  );
});

test('non-finite variable values are refused by name', () => {
  assert.throws(
    () => evaluateExpression('x + 1', { x: [1, Infinity] }),
    /the value of 'x' contains NaN or Infinity/,
  );
});

test('a tensor-valued expression needs a reduction before its gradient', () => {
  const values = {
    W: [
      [1, 2],
      [3, 4],
    ],
    x: [1, 2],
  };
  assert.throws(() => gradExpression('W@x', values), /has shape \[2\]; .*wrap it in sum/);
  assert.deepEqual(evaluateExpression('W@x', values).root.toArray(), [5, 11]);
});

test('sum and mean take an axis, as a keyword', () => {
  const r = gradExpression('sum(mean(W, axis=0) * x)', {
    W: [
      [1, 2],
      [3, 4],
    ],
    x: [1, 10],
  });
  assert.equal(r.value, 2 + 30);
  assert.deepEqual(r.gradients.get('W'), [
    [0.5, 5],
    [0.5, 5],
  ]);
  assert.throws(
    () => evaluateExpression('sum(W, 0)', { W: [1] }),
    /sum takes 1 argument, got 2 — give an axis as sum\(x, axis=1\)/,
  );
  assert.throws(() => evaluateExpression('sum(W, axis=y)', { W: [1], y: 0 }), /whole number/);
  assert.throws(() => evaluateExpression('sum(W, axis=1)', { W: [1] }), /axis 1 is out of range/);
});
