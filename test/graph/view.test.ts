import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findExample } from '../../src/expr/index.js';
import {
  AUTO_VIEW_NODES,
  AUX_MIN_USES,
  autoView,
  buildView,
  flatView,
  frameAt,
  schedule,
  snapshotExpression,
  viewTooBig,
  wireNumbers,
} from '../../src/graph/index.js';
import { frameParts } from '../../src/viz/index.js';
import { writtenOutMlp } from '../support/big-graphs.js';

const sum = (n: number) =>
  snapshotExpression(Array.from({ length: n }, () => 'x').join('+'), { x: 1 });

test('the flat view is the snapshot itself: same ids, every wire, no frames', () => {
  const ex = findExample('sigmoid')!;
  const s = snapshotExpression(ex.expression, ex.values);
  const v = flatView(s);
  assert.deepEqual(
    v.nodes.map((n) => n.id),
    s.nodes.map((n) => n.id),
  );
  assert.deepEqual(
    v.edges.map((e) => [e.id, e.from, e.to]),
    s.edges.map((e) => [e.id, e.from, e.to]),
  );
  assert.equal(v.frames.length, 0);
  assert.equal(v.grouped, false);
});

test('a closed group hides its gates and the inputs used only inside it; wires into it merge', () => {
  const s = snapshotExpression('(w0*x + w1*x + w2*x) * y', { w0: 1, w1: 2, w2: 3, x: 4, y: 5 });
  const v = buildView(s, { grouped: true, open: [] });
  const ids = v.nodes.map((n) => n.id);
  // x feeds the dot product three times but nothing else: it sits inside the closed box.
  assert.deepEqual(ids, ['g0', 'n9', 'n10']);
  const into = v.edges.find((e) => e.to === 'n10' && e.from === 'g0')!;
  assert.deepEqual(wireNumbers(v, into).value, 4 + 8 + 12);
  // Opened, the three wires from x are three again, each with its own gradient.
  const open = buildView(s, { grouped: true, open: ['g0'] });
  const xId = s.nodes.find((n) => n.label === 'x')!.id;
  const fromX = open.edges.filter((e) => e.from === xId);
  assert.equal(fromX.length, 3);
  assert.deepEqual(
    fromX.map((e) => wireNumbers(open, e).grad),
    [5, 10, 15], // w_i · y
  );
  assert.deepEqual(open.frames, [{ group: 'g0' }]);
  assert.equal(open.nodes.find((n) => n.id === xId)?.parent, 'g0');
});

test('the gradient on a wire into a closed group is the sum of the wires it stands for', () => {
  const s = snapshotExpression('(x*a + x*b + x*c) * x', { x: 2, a: 1, b: -3, c: 0.5 });
  const v = buildView(s, { grouped: true, open: [] });
  const x = s.nodes.find((n) => n.label === 'x')!;
  const wires = v.edges.filter((e) => e.sources.includes(x.id));
  const total = wires.reduce((t, e) => t + (wireNumbers(v, e).grad as number), 0);
  assert.ok(Math.abs(total - (x.grad as number)) < 1e-12);
});

test(`an input used ${AUX_MIN_USES} times or more is drawn as stubs beside its users`, () => {
  const few = flatView(sum(AUX_MIN_USES - 1));
  assert.equal(few.nodes.filter((n) => n.kind === 'stub').length, 0);
  const many = flatView(sum(AUX_MIN_USES));
  const stubs = many.nodes.filter((n) => n.kind === 'stub');
  assert.equal(stubs.length, AUX_MIN_USES);
  const x = many.nodes.find((n) => n.aux === true)!;
  assert.equal(x.id, 'n0');
  // No wire leaves x itself; each stub feeds one wire.
  assert.equal(many.edges.filter((e) => e.from === x.id).length, 0);
  for (const stub of stubs) assert.equal(many.edges.filter((e) => e.from === stub.id).length, 1);
});

test('big graphs open collapsed within the node budget, from 580 to 10,000 nodes', () => {
  for (const s of [writtenOutMlp(), sum(1000), sum(10_000)]) {
    const v = autoView(s);
    assert.ok(v.grouped);
    assert.ok(v.nodes.length <= AUTO_VIEW_NODES, `${s.nodes.length}: ${v.nodes.length}`);
    assert.ok(!viewTooBig(v));
    assert.equal(v.nodeRep.get(s.root), v.output);
  }
  // Fully open, the 10,000-term sum is too big to draw (10,000 stubs and 9,999 gates).
  assert.ok(viewTooBig(buildView(sum(10_000), { grouped: true, open: 'all' })));
  assert.ok(viewTooBig(flatView(sum(10_000))));
});

test('a frame on a collapsed view: a group is highlighted while a step inside it runs', () => {
  const s = sum(20);
  const v = buildView(s, { grouped: true, open: [] });
  const steps = schedule(s);
  const mid = frameParts(v, frameAt(s, steps, 10));
  assert.deepEqual([...mid.highlightNodes], ['g0']);
  // The output's value shows once the last add inside the closed sum has run.
  assert.ok(frameParts(v, frameAt(s, steps, 18)).hiddenValues.has('output'));
  assert.ok(!frameParts(v, frameAt(s, steps, 19)).hiddenValues.has('output'));
  // Open, x is drawn as 20 stubs; a stub's wire shows its gradient once its own step is done.
  const open = buildView(s, { grouped: true, open: ['g0'] });
  const stubWires = open.edges.filter((e) => e.from.startsWith('n0~'));
  assert.equal(stubWires.length, 20);
  const seed = steps.findIndex((st) => st.phase === 'backward');
  const first = frameParts(open, frameAt(s, steps, seed + 1));
  assert.ok(stubWires.every((e) => first.hiddenGrads.has(e.id)));
  const last = frameParts(open, frameAt(s, steps, steps.length));
  assert.ok(stubWires.every((e) => !last.hiddenGrads.has(e.id)));
  // x's total (Σ under its own node) shows with the += step, the last one.
  assert.ok(frameParts(open, frameAt(s, steps, steps.length - 1)).hiddenTotals.has('n0'));
  assert.ok(!last.hiddenTotals.has('n0'));
});
