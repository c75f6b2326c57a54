import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { gradients, topoOrder } from '../../src/core/autograd.js';
import { observe } from '../../src/core/observe.js';
import { EXAMPLES, evaluateExpression, findExample } from '../../src/expr/index.js';
import {
  snapshotWithIds,
  schedule,
  snapshotExpression,
  toSnapshot,
} from '../../src/graph/index.js';
import type { GraphSnapshot } from '../../src/graph/types.js';
import { add, mul, tensor, value } from '../../src/index.js';
import { bindings, expression } from '../support/expressions.js';
import { assertClose } from '../support/assert.js';

function sigmoidSnapshot(mode: 'staged' | 'fused' = 'staged'): GraphSnapshot {
  const ex = findExample('sigmoid')!;
  return snapshotExpression(ex.expression, ex.values, { mode });
}

function checkInvariants(s: GraphSnapshot): void {
  const position = new Map(s.nodes.map((n, i) => [n.id, i]));
  s.nodes.forEach((n, i) => assert.equal(n.id, `n${i}`));
  s.edges.forEach((e, i) => {
    assert.equal(e.id, `e${i}`);
    assert.ok(position.get(e.from)! < position.get(e.to)!, `${e.id} points forward`);
    assert.deepEqual(e.value, s.nodes[position.get(e.from)!]!.value);
  });
  assert.equal(s.nodes.at(-1)!.id, s.root);
  assert.equal(s.nodes.filter((n) => n.output).length, 1);
}

test('the sigmoid neuron, staged: the gates of the slide with their numbers', () => {
  const s = sigmoidSnapshot();
  checkInvariants(s);
  assert.deepEqual(
    s.nodes.map((n) => n.label),
    ['w0', 'x0', '×', 'w1', 'x1', '×', '+', 'w2', '+', '*-1', 'exp', '+1', '1/x'],
  );
  const f2 = (v: unknown) => (v as number).toFixed(2);
  assert.deepEqual(
    s.nodes.map((n) => f2(n.value)),
    [
      '2.00',
      '-1.00',
      '-2.00',
      '-3.00',
      '-2.00',
      '6.00',
      '4.00',
      '-3.00',
      '1.00',
      '-1.00',
      '0.37',
      '1.37',
      '0.73',
    ],
  );
  assert.deepEqual(
    s.nodes.map((n) => f2(n.grad)),
    [
      '-0.20',
      '0.39',
      '0.20',
      '-0.39',
      '-0.59',
      '0.20',
      '0.20',
      '0.20',
      '0.20',
      '-0.20',
      '-0.53',
      '-0.53',
      '1.00',
    ],
  );
  // Each wire: global = local × upstream.
  for (const e of s.edges) {
    assertClose(e.global as number, (e.local as number) * (e.upstream as number), 1e-15);
    assert.equal(e.grad, e.global);
  }
  const intoExp = s.edges.find((e) => s.nodes.find((n) => n.id === e.to)!.label === '1/x')!;
  assert.equal(f2(intoExp.local), '-0.53');
});

test('fused mode collapses the sigmoid chain into one σ gate with local gradient σ(1−σ)', () => {
  const s = sigmoidSnapshot('fused');
  assert.deepEqual(
    s.nodes.map((n) => n.label),
    ['w0', 'x0', '×', 'w1', 'x1', '×', '+', 'w2', '+', 'σ'],
  );
  const into = s.edges.at(-1)!;
  assertClose(into.local as number, 0.7310585786300049 * (1 - 0.7310585786300049), 1e-15);
});

test('snapshots are byte-stable and plain JSON', () => {
  for (const ex of EXAMPLES) {
    const a = JSON.stringify(snapshotExpression(ex.expression, ex.values, { mode: ex.mode }));
    const b = JSON.stringify(snapshotExpression(ex.expression, ex.values, { mode: ex.mode }));
    assert.equal(a, b, ex.name);
    checkInvariants(JSON.parse(a) as GraphSnapshot);
  }
});

test('vectorized example: matmul wires carry the VJP in words, naming W and x and their shapes', () => {
  const ex = findExample('vectorized')!;
  const s = snapshotExpression(ex.expression, ex.values);
  const mm = s.nodes.find((n) => n.op === 'matmul')!;
  const wires = s.edges.filter((e) => e.to === mm.id);
  // W is 2×2, x a 2-vector (a column on the right of @), upstream a 2-vector (a column).
  assert.deepEqual(
    wires.map((w) => w.vjp),
    ['upstream · xᵀ  (2×1 · 1×2 → 2×2)', 'Wᵀ · upstream  (2×2 · 2×1 → 2×1)'],
  );
  assert.deepEqual(
    wires.map((w) => w.local),
    [null, null],
  );
  assert.deepEqual(s.nodes.find((n) => n.label === 'W')!.shape, [2, 2]);
  assert.equal(s.nodes.find((n) => n.label === '^2')!.op, 'pow');
});

test('large tensors are summarised', () => {
  const x = tensor(
    Array.from({ length: 100 }, (_, i) => i),
    { requiresGrad: true, name: 'x' },
  );
  const s = toSnapshot(mul(x, x).sum());
  const node = s.nodes.find((n) => n.label === 'x')!;
  assert.deepEqual(node.value, {
    summary: true,
    shape: [100],
    size: 100,
    min: 0,
    max: 99,
    mean: 49.5,
    head: [0, 1, 2, 3, 4, 5, 6, 7],
  });
});

test('a value feeding two gates: the schedule shows the += of its branches', () => {
  const ex = findExample('staged')!;
  const s = snapshotExpression(ex.expression, ex.values);
  const steps = schedule(s);
  const x = s.nodes.find((n) => n.label === 'x')!;
  const acc = steps.find((st) => st.kind === 'accumulate' && st.node === x.id);
  assert.ok(acc && acc.kind === 'accumulate');
  const total = acc.edges
    .map((id) => s.edges.find((e) => e.id === id)!.global as number)
    .reduce((p, q) => p + q);
  assertClose(total, x.grad as number, 1e-14);
  assertClose(x.grad as number, 2.0595697956, 1e-10);
});

test('the schedule matches a real backward pass, wire for wire, on random expressions', () => {
  fc.assert(
    fc.property(expression, bindings, (source, all) => {
      const { root, inputs } = evaluateExpression(
        source,
        Object.fromEntries(
          [...new Set(source.match(/\b[abc]\b/g) ?? [])].map((n) => [n, all[n as 'a']]),
        ),
      );
      if (!root.requiresGrad) return;
      const { snapshot, idOf } = snapshotWithIds(root);
      const engine: { from: string; to: string; grad: number }[] = [];
      observe(
        {
          backwardEdge: ({ input, output, grad }) =>
            void engine.push({ from: idOf.get(input)!, to: idOf.get(output)!, grad: grad.item() }),
        },
        () => gradients(root),
      );
      const planned = schedule(snapshot)
        .filter((st) => st.kind === 'edge')
        .map((st) => snapshot.edges.find((e) => st.kind === 'edge' && e.id === st.edge)!)
        .map((e) => ({ from: e.from, to: e.to, grad: e.grad as number }));
      assert.deepEqual(planned, engine);
      assert.equal(topoOrder(root).length >= snapshot.nodes.length, true);
      assert.ok(inputs.size >= 1);
    }),
    { numRuns: 300 },
  );
});

test('forward steps visit every gate once, in topological order; backward starts with the seed', () => {
  const s = sigmoidSnapshot();
  const steps = schedule(s);
  const forward = steps.filter((st) => st.phase === 'forward').map((st) => st.node);
  assert.deepEqual(
    forward,
    s.nodes.filter((n) => n.kind === 'gate').map((n) => n.id),
  );
  const firstBackward = steps.find((st) => st.phase === 'backward')!;
  assert.deepEqual(firstBackward, { phase: 'backward', kind: 'seed', node: s.root });
  assert.equal(steps.filter((st) => st.kind === 'edge').length, s.edges.length);
});

test('scalar Values snapshot the same way (after backward)', () => {
  const w0 = value(2, 'w0');
  const x0 = value(-1, 'x0');
  const y = w0.mul(x0).add(1).tanh();
  y.backward();
  const s = toSnapshot(y);
  checkInvariants(s);
  assert.deepEqual(
    s.nodes.map((n) => n.label),
    ['w0', 'x0', '×', '+1', 'tanh'],
  );
  assert.equal(s.nodes[0]!.grad, w0.grad);
  const t = toSnapshot(
    add(
      mul(
        tensor(2, { requiresGrad: true, name: 'w0' }),
        tensor(-1, { requiresGrad: true, name: 'x0' }),
      ),
      1,
    ).tanh(),
  );
  assert.deepEqual(
    t.nodes.map((n) => [n.label, n.value, n.grad]),
    s.nodes.map((n) => [n.label, n.value, n.grad]),
  );
});
