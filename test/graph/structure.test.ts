import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_GROUP_CHILDREN,
  snapshotExpression,
  toSnapshot,
  type GraphSnapshot,
} from '../../src/graph/index.js';
import { add, MLP, mul, Rng, tanh, tensor, value, withScope } from '../../src/index.js';

const groupsOf = (s: GraphSnapshot) => s.groups ?? [];
const label = (s: GraphSnapshot, id: string | undefined) =>
  groupsOf(s).find((g) => g.id === id)?.label;

/** Every group's parent comes before it, and every node's group exists. */
function wellFormed(s: GraphSnapshot): void {
  const seen = new Set<string>();
  groupsOf(s).forEach((g, i) => {
    assert.equal(g.id, `g${i}`);
    if (g.parent !== undefined) assert.ok(seen.has(g.parent), `${g.id}'s parent comes first`);
    seen.add(g.id);
  });
  for (const n of s.nodes) if (n.group !== undefined) assert.ok(seen.has(n.group), n.id);
}

test('a chain of adds is a sum, a sum of products a dot product; two terms are no group', () => {
  const sum = snapshotExpression('a+b+c+d', { a: 1, b: 2, c: 3, d: 4 });
  wellFormed(sum);
  assert.deepEqual(
    groupsOf(sum).map((g) => [g.kind, g.label]),
    [['sum', 'Σ 4 terms']],
  );
  assert.equal(sum.nodes.filter((n) => n.group === 'g0').length, 3);
  const dot = snapshotExpression('w0*x0+w1*x1+w2', { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 });
  assert.deepEqual(
    groupsOf(dot).map((g) => g.kind),
    ['dot'],
  );
  // Both products and both adds; the inputs stay outside (views place them).
  assert.deepEqual(
    dot.nodes.filter((n) => n.group === 'g0').map((n) => n.label),
    ['×', '×', '+', '+'],
  );
  assert.equal(snapshotExpression('x*y+z', { x: 1, y: 2, z: 3 }).groups, undefined);
  // A product used twice is not the sum's own: it stays outside.
  const shared = snapshotExpression('x*y + x*y*0 + z + x*y', { x: 1, y: 2, z: 3 });
  wellFormed(shared);
});

test('an activation of an affine sum is a neuron; neurons of one depth form a layer', () => {
  const s = snapshotExpression(
    'sigmoid(v1*tanh(w11*x1 + w12*x2 + b1) + v2*tanh(w21*x1 + w22*x2 + b2) + c)',
    { v1: 1, w11: 1, x1: 1, w12: 1, x2: 1, b1: 1, v2: 1, w21: 1, w22: 1, b2: 1, c: 1 },
    { mode: 'staged' },
  );
  wellFormed(s);
  const kinds = groupsOf(s).map((g) => `${g.kind}:${g.label}`);
  assert.ok(kinds.includes('layer:layer 1'));
  assert.deepEqual(
    kinds.filter((k) => k.startsWith('neuron')),
    ['neuron:neuron 1', 'neuron:neuron', 'neuron:neuron 2'],
  );
  // The staged σ of the output is one neuron with its four gates.
  const out = groupsOf(s).find((g) => g.label === 'neuron')!;
  assert.deepEqual(
    s.nodes.filter((n) => n.group === out.id).map((n) => n.label),
    ['*-1', 'exp', '+1', '1/x'],
  );
  // tanh gates are their neurons' own; each neuron holds its dot product.
  for (const n of s.nodes.filter((n) => n.op === 'tanh')) {
    assert.match(label(s, n.group)!, /^neuron \d$/);
  }
});

test('a 10,000-term sum is cut into nested runs of at most 32, without recursion', () => {
  const n = 10_000;
  const s = snapshotExpression(Array.from({ length: n }, () => 'x').join('+'), { x: 1 });
  wellFormed(s);
  const children = new Map<string | undefined, number>();
  for (const g of groupsOf(s)) children.set(g.parent, (children.get(g.parent) ?? 0) + 1);
  for (const [parent, k] of children) {
    if (parent !== undefined) assert.ok(k <= MAX_GROUP_CHILDREN, `${parent} has ${k} parts`);
  }
  assert.equal(groupsOf(s)[0]!.label, 'Σ 10,000 terms');
  // Each run holds at most 32 adds, and the runs' term ranges cover 1 … 10,000 in order.
  const leaves = groupsOf(s).filter((g) => !groupsOf(s).some((c) => c.parent === g.id));
  let next = 1;
  for (const g of leaves) {
    const [from, to] = g.label
      .replace(/^terms /, '')
      .replace(/,/g, '')
      .split('–')
      .map(Number);
    assert.equal(from, next, g.label);
    next = to! + 1;
    assert.ok(s.nodes.filter((x) => x.group === g.id).length <= MAX_GROUP_CHILDREN);
  }
  assert.equal(next, n + 1);
});

test('scopes stay the parents: a structure never crosses a scope', () => {
  const w = [1, 2, 3].map((k) => tensor(k, { requiresGrad: true, name: `w${k}` }));
  const y = withScope('step', 'step', () =>
    mul(add(add(mul(w[0]!, w[1]!), mul(w[1]!, w[2]!)), w[2]!), 2),
  );
  const s = toSnapshot(add(y, add(w[0]!, w[1]!)));
  wellFormed(s);
  // Inside the step: its dot product. Outside: y + (w0 + w1), a 3-term sum whose terms include
  // the step's result but none of its gates.
  assert.deepEqual(
    groupsOf(s).map((g) => [g.kind, g.parent]),
    [
      ['step', undefined],
      ['dot', 'g0'],
      ['sum', undefined],
    ],
  );
  assert.equal(s.nodes.filter((n) => n.group === 'g1').length, 4);
  assert.equal(s.nodes.filter((n) => n.group === 'g2').length, 2);
});

test('a step that is one sum and nothing else is not boxed twice', () => {
  const w = [1, 2, 3].map((k) => tensor(k, { requiresGrad: true, name: `w${k}` }));
  const dot = () => add(add(mul(w[0]!, w[1]!), mul(w[1]!, w[2]!)), w[2]!);
  const alone = toSnapshot(withScope('dot', 'step', dot));
  wellFormed(alone);
  assert.deepEqual(
    groupsOf(alone).map((g) => [g.kind, g.label]),
    [['step', 'dot']],
  );
  // A module scope is not a step: its sum keeps its own box.
  const inModule = toSnapshot(withScope('m', 'module', dot));
  assert.deepEqual(
    groupsOf(inModule).map((g) => g.kind),
    ['module', 'dot'],
  );
});

test('the scalar MLP of micrograd is grouped into neurons and layers by its structure', () => {
  const net = new MLP(2, [3, 3, 1], { rng: new Rng(3) });
  const out = net.call([value(0.5, 'x1'), value(-1, 'x2')])[0]!;
  out.backward();
  const s = toSnapshot(out);
  wellFormed(s);
  const layers = groupsOf(s).filter((g) => g.kind === 'layer');
  assert.deepEqual(
    layers.map((g) => g.label),
    ['layer 1', 'layer 2'],
  );
  for (const layer of layers) {
    assert.equal(groupsOf(s).filter((g) => g.parent === layer.id && g.kind === 'neuron').length, 3);
  }
  // The last neuron is linear (no activation): its sum is a dot product at the top.
  assert.ok(groupsOf(s).some((g) => g.kind === 'dot' && g.parent === undefined));
  // Values made in one call to tanh(…) are one neuron in a tensor graph too.
  const t = toSnapshot(tanh(add(add(mul(tensor(1, { requiresGrad: true }), 2), 3), 4)));
  assert.ok(groupsOf(t).some((g) => g.kind === 'neuron'));
});
