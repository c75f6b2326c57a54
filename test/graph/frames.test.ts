import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findExample } from '../../src/expr/examples.js';
import { frameAt, schedule, snapshotExpression } from '../../src/graph/index.js';

const ex = findExample('staged')!;
const s = snapshotExpression(ex.expression, ex.values);
const steps = schedule(s);

test('frame 0 shows the inputs only; the last frame shows everything', () => {
  const first = frameAt(s, steps, 0);
  assert.deepEqual(
    [...first.values],
    s.nodes.filter((n) => n.kind !== 'gate').map((n) => n.id),
  );
  assert.equal(first.edgeGrads.size, 0);
  assert.equal(first.step, null);
  const last = frameAt(s, steps, steps.length);
  assert.equal(last.values.size, s.nodes.length);
  assert.equal(last.edgeGrads.size, s.edges.length);
  assert.equal(last.nodeGrads.size, s.nodes.length);
  assert.deepEqual(frameAt(s, steps, 1e9).index, steps.length, 'clamped');
});

test('frames only ever add knowledge, one step at a time', () => {
  for (let i = 1; i <= steps.length; i++) {
    const a = frameAt(s, steps, i - 1);
    const b = frameAt(s, steps, i);
    for (const v of a.values) assert.ok(b.values.has(v));
    for (const e of a.edgeGrads) assert.ok(b.edgeGrads.has(e));
    const added =
      b.values.size -
      a.values.size +
      b.edgeGrads.size -
      a.edgeGrads.size +
      b.nodeGrads.size -
      a.nodeGrads.size;
    assert.ok(added >= 1, `step ${i} adds something`);
  }
});

test('a fork’s total gradient appears at its += step, not before', () => {
  const x = s.nodes.find((n) => n.label === 'x')!;
  const at = steps.findIndex((st) => st.kind === 'accumulate' && st.node === x.id);
  assert.ok(at >= 0);
  assert.equal(frameAt(s, steps, at).nodeGrads.has(x.id), false);
  assert.equal(frameAt(s, steps, at + 1).nodeGrads.has(x.id), true);
  assert.deepEqual(frameAt(s, steps, at + 1).active.nodes, [x.id]);
});
