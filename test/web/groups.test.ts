import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildView, schedule, snapshotExpression } from '../../src/graph/index.js';
import { allOpen, backwardStart, groupStep, withClosed, withOpened } from '../../web/groups.js';

const sum = (n: number) =>
  snapshotExpression(Array.from({ length: n }, () => 'x').join('+'), { x: 1 });

test('a group step takes every step inside one closed box at once, forward and back', () => {
  const s = sum(20);
  const steps = schedule(s);
  const closed = buildView(s, { grouped: true, open: [] });
  // The 19 adds run inside the closed sum: one group step.
  assert.equal(groupStep(closed, steps, 0, 1), 19);
  assert.equal(groupStep(closed, steps, 19, -1), 0);
  // The backward pass (seed included: the output is inside the box too) is one more.
  assert.equal(groupStep(closed, steps, 19, 1), steps.length);
  assert.equal(groupStep(closed, steps, steps.length, 1), steps.length);
  assert.equal(groupStep(closed, steps, 0, -1), 0);
  // Open, every gate is its own box: one step at a time.
  const open = buildView(s, { grouped: true, open: 'all' });
  assert.equal(groupStep(open, steps, 0, 1), 1);
  assert.equal(backwardStart(steps), 20);
});

test('opening a group refuses what cannot be drawn; closing closes what is inside too', () => {
  const s = sum(10_000);
  const top = s.groups![0]!.id;
  const v = buildView(s, { grouped: true, open: [top] });
  const part = s.groups!.find((g) => g.parent === top)!.id;
  const opened = withOpened(v, part);
  assert.ok(opened.ok);
  if (opened.ok) assert.deepEqual(opened.open, [top, part]);
  assert.deepEqual(withClosed(buildView(s, { grouped: true, open: [top, part] }), top), []);
  const all = allOpen(v);
  assert.equal(all.ok, false);
  if (!all.ok) assert.match(all.message, /more than the 4,000 a picture can hold/);
});
