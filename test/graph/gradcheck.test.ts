import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apply } from '../../src/core/apply.js';
import { unaryOp } from '../../src/core/op.js';
import {
  checkExpression,
  checkGradients,
  describeRelError,
  judge,
  numericalGradient,
  relErrorOverMax,
  type NumericalGradient,
} from '../../src/graph/index.js';
import { matmul, mul, relu, sum, tanh, tensor } from '../../src/index.js';

test('relErrorOverMax is the CS231n notes’ |a − n| / max(|a|, |n|)', () => {
  assert.equal(relErrorOverMax(0, 0), 0);
  assert.equal(relErrorOverMax(1, 0), 1);
  assert.equal(relErrorOverMax(-1, 1), 2);
  assert.ok(Math.abs(relErrorOverMax(2, 2.000002) - 1e-6) < 1e-11);
});

test('a smooth expression is happy, and its true relative errors are shown, never 0', () => {
  const r = checkExpression('tanh(w0*x0 + w1*x1)', { w0: 0.3, x0: -1, w1: 2, x1: 0.5 });
  assert.ok(r.passed);
  assert.equal(r.hasKinks, false);
  for (const i of r.inputs) {
    assert.equal(i.status, 'happy');
    assert.ok(i.relError > 0 && i.relError < 1e-7, `${i.name}: ${i.relError}`);
    assert.equal(i.belowNoise, true);
    assert.match(describeRelError(i), /^\d(\.\d)?e-\d+ \(below noise\)$/);
  }
});

/** A numerical gradient as numericalGradient returns it, for judging made-up numbers. */
const numeric = (grad: number[], kinks = grad.map(() => false), scale = 1): NumericalGradient => ({
  grad: Float64Array.from(grad),
  kinks,
  scale,
});

test('judge reports the measured relative error: above noise when any element is, else the worst below', () => {
  // 0.2 vs 0.2 + 1e-12 is below noise; 1e-3 vs 1.1e-3 is not: the report shows the latter.
  const mixed = judge([0.2, 1e-3], numeric([0.2 + 1e-12, 1.1e-3]), false);
  assert.equal(mixed.belowNoise, false);
  assert.ok(Math.abs(mixed.relError - 0.1 / 1.1) < 1e-12);
  assert.equal(mixed.worst, 1);
  assert.equal(mixed.status, 'wrong');
  // Every difference below noise: the worst of them is reported (not 0) and the verdict is happy.
  const noise = judge([0, 0.2], numeric([1e-12, 0.2 + 1e-12]), false);
  assert.equal(noise.belowNoise, true);
  assert.equal(noise.relError, 1);
  assert.equal(noise.status, 'happy');
  assert.equal(describeRelError(noise), '1.0 (below noise)');
  // Exact agreement is a true 0.
  assert.equal(describeRelError(judge([3], numeric([3]), false)), '0');
  // A kinked element is left out, and says so.
  const partly = judge([1, 0], numeric([1 + 1e-5, 0.5], [false, true]), true);
  assert.equal(partly.kinks, 1);
  assert.equal(partly.status, 'ok');
  assert.equal(describeRelError(partly), '1e-5 (1 element at a kink left out)');
});

test('at a kink the relative error is "—" with the reason, not 0: analytic 0 against numerical 0.5', () => {
  const r = checkExpression('relu(x)', { x: 0 });
  const x = r.inputs[0]!;
  assert.equal(x.analytic, 0);
  assert.equal(x.numerical, 0.5);
  assert.equal(x.status, 'kink');
  assert.ok(Number.isNaN(x.relError));
  assert.equal(describeRelError(x), '— (at a kink)');
});

test('a wrong backward is caught', () => {
  const bad = unaryOp({
    name: 'badTanh',
    label: { symbol: 'tanh?', gate: 'broken gate', rule: 'wrong on purpose' },
    f: Math.tanh,
    df: (_x, y) => 1 - y, // should be 1 − y²
    gradcheck: { cases: () => ({ shapes: [[2]] }) },
  });
  const r = checkGradients((x) => sum(apply(bad, [x], {})), [tensor([0.5, -0.3])]);
  assert.equal(r.passed, false);
  assert.equal(r.inputs[0]!.status, 'wrong');
});

test('crossing a relu kink is detected, not reported as a wrong gradient', () => {
  const r = checkExpression('relu(x) * 3', { x: 1e-7 });
  assert.equal(r.inputs[0]!.kinks, 1);
  assert.equal(r.inputs[0]!.status, 'kink');
  assert.ok(r.passed);
  assert.ok(r.hasKinks);
  const max = checkExpression('maximum(x, y)', { x: 1, y: 1 + 2e-6 });
  assert.deepEqual(
    max.inputs.map((i) => i.status),
    ['kink', 'kink'],
  );
  const away = checkExpression('maximum(x, y)', { x: 1, y: 2 });
  assert.deepEqual(
    away.inputs.map((i) => i.status),
    ['happy', 'happy'],
  );
});

test('numerical gradients on tensors, and inputs are restored', () => {
  const W = tensor([
    [0.1, 0.5],
    [-0.3, 0.8],
  ]);
  const x = tensor([0.2, 0.4]);
  const before = Array.from(W.data);
  const { grad, kinks } = numericalGradient(() => sum(mul(matmul(W, x), matmul(W, x))).item(), W);
  assert.deepEqual(Array.from(W.data), before);
  assert.deepEqual(kinks, [false, false, false, false]);
  [0.088, 0.176, 0.104, 0.208].forEach((g, i) => assert.ok(Math.abs(grad[i]! - g) < 1e-9));
});

test('checkGradients leaves the caller’s tensors untouched', () => {
  const x = tensor([1, -2, 3], { requiresGrad: true });
  const r = checkGradients((t) => sum(tanh(mul(relu(t), t))), [x]);
  assert.ok(r.passed);
  assert.equal(x.grad, null);
  assert.deepEqual(x.toArray(), [1, -2, 3]);
});

test('sitting exactly on a kink (abs of an exact 0) counts as a kink, not as a wrong gradient', () => {
  // 1 + (2a)² rounds to 1, so log gives exactly 0 and abs sits on its kink with gradient 0.
  const r = checkExpression('abs(log(1 + (2*a)^2))', { a: -1.2587495942135851e-10 });
  assert.equal(r.inputs[0]!.status, 'kink');
});
