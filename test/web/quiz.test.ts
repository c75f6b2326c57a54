import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findExample } from '../../src/expr/index.js';
import { schedule, snapshotExpression } from '../../src/graph/index.js';
import { checkAnswer, nextQuestion, progress, questionEdge, tolerance } from '../../web/quiz.js';

const sigmoid = findExample('sigmoid')!;
const s = snapshotExpression(sigmoid.expression, sigmoid.values);
const steps = schedule(s);

test('the questions are the backward wires, in schedule order, after the forward pass and seed', () => {
  const first = nextQuestion(s, steps, 0);
  assert.ok(steps.slice(0, first).every((st) => st.kind !== 'edge'));
  assert.equal(steps[first]!.kind, 'edge');
  const { total } = progress(s, steps, first);
  assert.equal(total, steps.filter((st) => st.kind === 'edge').length);
  assert.equal(nextQuestion(s, steps, steps.length), steps.length);
  // The last questions are the inputs' wires: w0 … w2 get −0.20, 0.39, −0.39, −0.59, 0.20.
  const grads = steps
    .map((st) => questionEdge(s, st))
    .filter((e) => e !== null)
    .map((e) => ({ from: s.nodes.find((n) => n.id === e.from)!.label, grad: e.grad as number }));
  const byName = Object.fromEntries(
    grads.filter((g) => /^[wx]\d$/.test(g.from)).map((g) => [g.from, g.grad]),
  );
  assert.ok(checkAnswer('-0.20', byName.w0!, 2).ok);
  assert.ok(checkAnswer('0.39', byName.x0!, 2).ok);
  assert.ok(checkAnswer('-0.39', byName.w1!, 2).ok);
  assert.ok(checkAnswer('-0.59', byName.x1!, 2).ok);
  assert.ok(checkAnswer('0.20', byName.w2!, 2).ok);
});

test('answers within half a unit of the last decimal shown are right', () => {
  assert.equal(tolerance(2), 0.005);
  assert.ok(checkAnswer('0.39', 0.3932238664829637, 2).ok);
  assert.ok(checkAnswer('0.393', 0.3932238664829637, 3).ok);
  assert.ok(checkAnswer('−0.2', -0.19661193324148185, 2).ok, 'typographic minus');
  assert.ok(checkAnswer(' 0.4 ', 0.3932238664829637, 1).ok);
  assert.equal(checkAnswer('0.40', 0.3932238664829637, 2).ok, false);
  assert.equal(checkAnswer('0.39', 0.3932238664829637, 4).ok, false);
  assert.equal(checkAnswer('0.2', -0.19661193324148185, 2).ok, false, 'the sign matters');
});

test('vector answers are checked element by element; junk is refused with a reason', () => {
  assert.ok(checkAnswer('[0.1, -2]', [0.1004, -1.9996], 2).ok);
  assert.equal(checkAnswer('[0.1]', [0.1, 2], 2).ok, false);
  assert.equal(checkAnswer('0.1', [0.1], 2).ok, false);
  const junk = checkAnswer('alert(1)', 1, 2);
  assert.equal(junk.ok, false);
  assert.match(junk.ok ? '' : junk.reason, /not a number/);
  assert.match(checkAnswer('', 1, 2).ok ? '' : 'empty', /empty/);
});
