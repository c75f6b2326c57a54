import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findExample } from '../../src/expr/index.js';
import { checkQuizAnswer, schedule, snapshotExpression } from '../../src/graph/index.js';
import { nextQuestion, progress, questionEdge, tolerance } from '../../web/quiz.js';

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
    .map((e) => ({ from: s.nodes.find((n) => n.id === e.from)!.label, edge: e }));
  const byName = Object.fromEntries(
    grads.filter((g) => /^[wx]\d$/.test(g.from)).map((g) => [g.from, g.edge]),
  );
  assert.ok(checkQuizAnswer('-0.20', byName.w0!, 2).ok);
  assert.ok(checkQuizAnswer('0.39', byName.x0!, 2).ok);
  assert.ok(checkQuizAnswer('-0.39', byName.w1!, 2).ok);
  assert.ok(checkQuizAnswer('-0.59', byName.x1!, 2).ok);
  assert.ok(checkQuizAnswer('0.20', byName.w2!, 2).ok);
  // The picture shows dx1's factors as −3.00 and 0.20: their product −0.60 is honest too.
  assert.ok(checkQuizAnswer('−0.60', byName.x1!, 2).ok);
  assert.equal(checkQuizAnswer('-0.50', byName.x1!, 2).ok, false);
  assert.equal(tolerance(2), 0.005);
});
