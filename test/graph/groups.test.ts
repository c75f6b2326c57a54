import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toSnapshot } from '../../src/graph/index.js';
import { add, exp, mul, neg, tensor, value, withScope } from '../../src/index.js';

test('gates made inside scopes form nested groups; leaves and outside gates have none', () => {
  const w = tensor(2, { requiresGrad: true, name: 'w' });
  const x = tensor(-1, { requiresGrad: true, name: 'x' });
  const y = withScope('neuron', 'neuron', () => {
    const dot = withScope('dot', 'step', () => add(mul(w, x), 1));
    return exp(neg(dot));
  });
  const s = toSnapshot(mul(y, 2));
  assert.deepEqual(s.groups, [
    { id: 'g0', kind: 'neuron', label: 'neuron' },
    { id: 'g1', kind: 'step', label: 'dot', parent: 'g0' },
  ]);
  const byLabel = Object.fromEntries(s.nodes.map((n) => [n.label, n.group]));
  assert.equal(byLabel.w, undefined);
  assert.equal(byLabel['×'], 'g1');
  assert.equal(byLabel['+1'], 'g1');
  assert.equal(byLabel['*-1'], 'g0');
  assert.equal(byLabel.exp, 'g0');
  assert.equal(byLabel['*2'], undefined);
});

test('two calls of one scope name are two groups; a snapshot without scopes has no groups', () => {
  const a = value(1, 'a');
  const y = withScope('n', 'neuron', () => a.mul(2)).add(withScope('n', 'neuron', () => a.exp()));
  y.backward();
  const s = toSnapshot(y);
  assert.deepEqual(
    s.groups?.map((g) => g.label),
    ['n', 'n'],
  );
  assert.equal(toSnapshot(a.mul(3)).groups, undefined);
});

test('a scope closes even when its function throws', () => {
  assert.throws(() =>
    withScope('broken', 'step', () => {
      throw new Error('boom');
    }),
  );
  const s = toSnapshot(mul(tensor(1, { requiresGrad: true }), 2));
  assert.equal(s.groups, undefined);
});
