import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { findExample } from '../../src/expr/index.js';
import {
  checkQuizAnswer,
  defineGate,
  explainEdge,
  nodeName,
  shownProduct,
  snapshotExpression,
  type SnapshotEdge,
} from '../../src/graph/index.js';

const sigmoid = findExample('sigmoid')!;
const s = snapshotExpression(sigmoid.expression, sigmoid.values);
/** The wire out of the input with this name. */
const wireFrom = (name: string): SnapshotEdge =>
  s.edges.find(
    (e) =>
      nodeName(
        s,
        s.nodes.find((n) => n.id === e.from)!,
      ) === name,
  )!;

test('the sigmoid neuron: dx1 accepts −0.60 (the shown factors) and −0.59 (the exact value), not −0.50', () => {
  const x1 = wireFrom('x1');
  assert.equal(x1.local, -3);
  for (const answer of ['-0.60', '−0.60', '-0.6', '-0.59', '−0.59', ' -0.590 ']) {
    assert.equal(checkQuizAnswer(answer, x1, 2).ok, true, answer);
  }
  for (const answer of ['-0.50', '-0.58', '-0.61', '0.59', '-0.5']) {
    assert.equal(checkQuizAnswer(answer, x1, 2).ok, false, answer);
  }
  const shown = checkQuizAnswer('-0.60', x1, 2);
  assert.ok(shown.ok && shown.matched === 'shown');
  assert.match(shown.ok ? shown.note : '', /unrounded, the gradient is -0\.5898/);
  const exact = checkQuizAnswer('-0.59', x1, 2);
  assert.ok(exact.ok && exact.matched === 'exact');
});

test('every input wire of the neuron takes its exact value and its shown product', () => {
  for (const [name, exact, product] of [
    ['w0', '-0.20', '-0.20'],
    ['x0', '0.39', '0.40'],
    ['w1', '-0.39', '-0.40'],
    ['x1', '-0.59', '-0.60'],
    ['w2', '0.20', '0.20'],
  ] as const) {
    const e = wireFrom(name);
    assert.ok(checkQuizAnswer(exact, e, 2).ok, `${name} exact`);
    assert.ok(checkQuizAnswer(product, e, 2).ok, `${name} product`);
    // With three decimals shown, two-decimal answers are too coarse, whichever way they came.
    assert.equal(checkQuizAnswer(product, e, 3).ok, false, `${name} at 3 decimals`);
  }
});

test('an answer is right only within rounding of one of the two', () => {
  fc.assert(
    fc.property(
      fc.double({ min: -5, max: 5, noNaN: true }),
      fc.double({ min: -5, max: 5, noNaN: true }),
      fc.integer({ min: 0, max: 4 }),
      fc.double({ min: -6, max: 6, noNaN: true }),
      (local, upstream, p, typed) => {
        const edge = { local, upstream, global: local * upstream } as SnapshotEdge;
        const verdict = checkQuizAnswer(typed.toFixed(6), edge, p);
        const t = Number(typed.toFixed(6));
        const half = 0.5 * 10 ** -p * (1 + 1e-9);
        const round = (x: number) => Number(x.toFixed(p));
        const near =
          Math.abs(t - local * upstream) <= half ||
          Math.abs(t - round(local) * round(upstream)) <= half;
        assert.equal(verdict.ok, near, `${typed} for ${local} × ${upstream} at ${p}`);
      },
    ),
    { numRuns: 3000 },
  );
});

test('vectors are checked element by element; wrong shapes and junk get a reason', () => {
  const v = snapshotExpression('sum(W@x)', { W: [[1, 2]], x: [0.333, 0.5] });
  const sumWire = v.edges.find((e) => v.nodes.find((n) => n.id === e.to)!.op === 'sum')!;
  assert.deepEqual(shownProduct(sumWire, 2), [1]);
  assert.ok(checkQuizAnswer('[1]', sumWire, 2).ok);
  const bad = checkQuizAnswer('1', sumWire, 2);
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? '' : bad.reason, /1 numbers|single number|shaped/);
  const junk = checkQuizAnswer('alert(1)', wireFrom('x0'), 2);
  assert.match(junk.ok ? '' : junk.reason, /not a number/);
  assert.match(checkQuizAnswer('', wireFrom('x0'), 2).ok ? '' : 'empty', /empty/);
  // A matmul wire has no elementwise local gradient: only the exact value counts.
  const matmulWire = v.edges.find((e) => e.local === null && e.global !== null)!;
  assert.equal(shownProduct(matmulWire, 2), undefined);
  assert.ok(checkQuizAnswer('[[0.33, 0.50]]', matmulWire, 2).ok);
});

test('a custom gate is quizzed on its own local gradient (the learner’s derivative)', () => {
  const softsign = defineGate({
    name: 'softsign',
    forward: 'x/(1+abs(x))',
    derivative: '1/(1+abs(x))^2',
  });
  const g = snapshotExpression('softsign(w*x)', { w: 2, x: 1 }, { functions: [softsign.function] });
  const into = g.edges.find((e) => g.nodes.find((n) => n.id === e.to)!.label === 'softsign')!;
  assert.ok(Math.abs((into.local as number) - 1 / 9) < 1e-15);
  assert.ok(checkQuizAnswer('0.11', into, 2).ok);
  assert.match(explainEdge(g, into), /\(0\.111?\) × \(1\.00\) = 0\.11$/);
});
