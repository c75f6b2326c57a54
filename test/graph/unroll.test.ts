import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  formatValue,
  snapshotExpression,
  snapshotUnrolled,
  toSnapshot,
  unroll,
  type GraphSnapshot,
  type NestedArray,
} from '../../src/graph/index.js';
import { matmul, mean, mul, reshape, tensor, transpose } from '../../src/index.js';

/** The unrolled graph's inputs, by name (`W[0,1]`), as value and gradient. */
function scalars(s: GraphSnapshot): Map<string, { value: number; grad: number }> {
  return new Map(
    s.nodes
      .filter((n) => n.kind === 'input')
      .map((n) => [n.label, { value: n.value as number, grad: n.grad as number }]),
  );
}

/** Every element of every vectorized input matches its unrolled scalar, shown and exact. */
function agree(source: string, values: Record<string, NestedArray>): void {
  const vectorized = snapshotExpression(source, values);
  const unrolled = snapshotUnrolled(source, values);
  const byName = scalars(unrolled);
  const root = (s: GraphSnapshot) => s.nodes.find((n) => n.id === s.root)!;
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
  assert.equal(
    formatValue(flat(root(unrolled).value)[0]!, 6),
    formatValue(flat(root(vectorized).value)[0]!, 6),
  );
  for (const node of vectorized.nodes.filter((n) => n.kind === 'input')) {
    const grads = flat(node.grad);
    const vals = flat(node.value);
    const shape = node.shape;
    grads.forEach((g, k) => {
      const index = shape.length === 2 ? [Math.floor(k / shape[1]!), k % shape[1]!] : [k];
      const name = shape.length === 0 ? node.label : `${node.label}[${index.join(',')}]`;
      const scalar = byName.get(name);
      assert.ok(scalar, `${source}: ${name} is unrolled`);
      assert.equal(scalar.value, vals[k]);
      // Number for number as shown, and equal to rounding error.
      assert.equal(formatValue(scalar.grad, 2), formatValue(g, 2), `${source}: d${name}`);
      assert.ok(Math.abs(scalar.grad - g) <= 1e-12 * Math.max(1, Math.abs(g)), `${name}`);
    });
  }
}

test('the vectorized example, unrolled, gives the same numbers element by element', () => {
  agree('sum((W@x)^2)', {
    W: [
      [0.1, 0.5],
      [-0.3, 0.8],
    ],
    x: [0.2, 0.4],
  });
  const s = snapshotUnrolled('sum((W@x)^2)', {
    W: [
      [0.1, 0.5],
      [-0.3, 0.8],
    ],
    x: [0.2, 0.4],
  });
  // A 2×2 matmul is 4 multiplies and 2 adds; then two squares and the sum's add.
  const ops = s.nodes.filter((n) => n.kind === 'gate').map((n) => n.op);
  assert.equal(ops.filter((o) => o === 'mul').length, 4);
  assert.equal(ops.filter((o) => o === 'add').length, 3);
  assert.equal(ops.filter((o) => o === 'pow').length, 2);
  // Each scalar gate keeps the source text of the op it came from.
  const mm = s.nodes.find((n) => n.op === 'mul')!;
  assert.match(s.expression!.slice(mm.span!.start, mm.span!.end), /^\(?W@x\)?$/);
});

test('a two-layer net and broadcasting unroll to the same numbers', () => {
  agree('W2@relu(W1@x+b1)+b2', {
    W1: [
      [0.1, -0.2],
      [0.3, 0.4],
      [-0.5, 0.6],
    ],
    x: [1, 2],
    b1: [0.1, 0.2, 0.3],
    W2: [[1, -1, 0.5]],
    b2: [0.2],
  });
  agree('sum(tanh(A * 2 + b))', {
    A: [
      [1, -1],
      [0.5, 2],
    ],
    b: 0.3,
  });
});

test('transposes, reshapes and means (from the tensor API) unroll to the same gradients', () => {
  const A = tensor(
    [
      [1, 2, 3],
      [4, 5, -6],
    ],
    { requiresGrad: true, name: 'A' },
  );
  const v = tensor([1, -0.5], { requiresGrad: true, name: 'v' });
  const h = reshape(matmul(transpose(A), v), [3, 1]);
  const y = mean(mul(h, h));
  const vectorized = toSnapshot(y);
  const byName = scalars(toSnapshot(unroll(y)));
  const dA = vectorized.nodes.find((n) => n.label === 'A')!.grad as number[][];
  dA.forEach((row, i) =>
    row.forEach((g, j) => assert.ok(Math.abs(byName.get(`A[${i},${j}]`)!.grad - g) < 1e-12)),
  );
  const dv = vectorized.nodes.find((n) => n.label === 'v')!.grad as number[];
  dv.forEach((g, i) => assert.ok(Math.abs(byName.get(`v[${i}]`)!.grad - g) < 1e-12));
});

test('random small matrix products unroll to the same numbers', () => {
  const matrix = (m: number, k: number) =>
    fc.array(
      fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: k, maxLength: k }),
      {
        minLength: m,
        maxLength: m,
      },
    );
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 3 }).chain((m) =>
        fc.integer({ min: 1, max: 3 }).chain((k) =>
          fc.tuple(
            matrix(m, k),
            fc.array(fc.double({ min: -3, max: 3, noNaN: true }), {
              minLength: k,
              maxLength: k,
            }),
          ),
        ),
      ),
      ([W, x]) => agree('sum(tanh(W@x))', { W, x }),
    ),
    { numRuns: 40 },
  );
});

test('ops without a scalar form, and big tensors, are refused with a message', () => {
  assert.throws(() => snapshotUnrolled('max(x)', { x: [1, 2, 3] }), /max has no scalar form here/);
  const big = Array.from({ length: 20 }, () => Array.from({ length: 20 }, () => 1));
  assert.throws(() => snapshotUnrolled('sum(W@W)', { W: big }), /more than 600 scalar gates/);
});
