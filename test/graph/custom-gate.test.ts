import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChainruleError, formatWithCaret } from '../../src/core/errors.js';
import { evaluateExpression, gradExpression, parse } from '../../src/expr/index.js';
import {
  checkExpression,
  defineGate,
  defineGates,
  frameAt,
  parseGateDefinitions,
  schedule,
  snapshotExpression,
} from '../../src/graph/index.js';
import { renderSvg } from '../../src/viz/index.js';

const softsign = () =>
  defineGate({ name: 'softsign', forward: 'x/(1+abs(x))', derivative: '1/(1+abs(x))^2' });

test('softsign: the derivative checks out, and the kink of abs at 0 is skipped, not judged', () => {
  const g = softsign();
  assert.equal(g.check.passed, true);
  assert.equal(g.variable, 'x');
  const zero = g.check.points.find((p) => p.x === 0)!;
  assert.equal(zero.status, 'kink');
  assert.ok(Number.isNaN(zero.relError));
  for (const p of g.check.points.filter((q) => q.x !== 0)) {
    assert.equal(p.status, 'happy', `x = ${p.x}`);
    assert.ok(Math.abs(p.analytic - 1 / (1 + Math.abs(p.x)) ** 2) < 1e-15);
  }
  assert.match(
    g.check.explanation,
    /^dsoftsign\/dx checks out at 12 points .*Skipped x = 0 \(a kink\)/,
  );
});

test('a wrong derivative is caught and explained: where, by how much, and the pattern', () => {
  const wrong = defineGate({
    name: 'softsign',
    forward: 'x/(1+abs(x))',
    derivative: '1/(1+abs(x))',
  });
  assert.equal(wrong.check.passed, false);
  assert.match(
    wrong.check.explanation,
    /^dsoftsign\/dx is wrong: at x = -?3 your derivative gives 0\.25, but the slope of softsign there is 0\.0625 \(off by 0\.1875/,
  );
  assert.match(wrong.check.explanation, /disagrees at 12 of 12 points/);
  const cases: [string, string, RegExp][] = [
    ['x^2', 'x', /0\.5 × the true slope everywhere/],
    ['x^2', '-2*x', /sign is flipped everywhere/],
    ['x^2 + 3*x', '2*x', /off by the same -3 everywhere/],
    ['exp(x)', 'exp(x) + 1e-3', /off by the same 0\.001 everywhere|is wrong/],
  ];
  for (const [forward, derivative, pattern] of cases) {
    const g = defineGate({ name: 'g', forward, derivative });
    assert.equal(g.check.passed, false, forward);
    assert.match(g.check.explanation, pattern, `${forward} / ${derivative}`);
  }
  // A derivative off by 1e-9 is within what centered differences can tell: it passes.
  assert.equal(
    defineGate({ name: 'g', forward: 'x^3', derivative: '3*x^2 + 1e-12' }).check.passed,
    true,
  );
});

test('points outside the domain are skipped with the reason', () => {
  const g = defineGate({ name: 'lg', forward: 'log(x)', derivative: '1/x' });
  assert.equal(g.check.passed, true);
  assert.deepEqual(
    g.check.points.filter((p) => p.status === 'outside').map((p) => p.x),
    [-3, -2, -1.3, -0.7, -0.3, -0.1, 0],
  );
  assert.match(g.check.explanation, /Skipped x = -3, -2, .*, 0 \(outside the domain\)/);
});

test('a gate is one gate in the graph, with its label, its rule, its local gradient; it animates', () => {
  const g = softsign();
  const options = { functions: [g.function] };
  for (const mode of ['staged', 'fused'] as const) {
    const s = snapshotExpression(
      'softsign(w*x + b)',
      { w: 2, x: 1, b: -0.5 },
      { ...options, mode },
    );
    const gate = s.nodes.find((n) => n.op === 'softsign')!;
    assert.equal(gate.label, 'softsign');
    assert.equal(gate.rule, 'softsign: the local gradient is your derivative 1/(1+abs(x))^2');
    const into = s.edges.find((e) => e.to === gate.id)!;
    assert.ok(Math.abs((into.local as number) - 1 / (1 + 1.5) ** 2) < 1e-15);
    const steps = schedule(s);
    assert.ok(steps.some((st) => st.kind === 'node' && st.node === gate.id));
    assert.ok(steps.some((st) => st.kind === 'edge' && st.edge === into.id));
    const svg = renderSvg(s, { frame: frameAt(s, steps, 2) });
    assert.match(svg, /data-op="softsign"/);
  }
  const { value, gradients } = gradExpression('softsign(w*x)', { w: 2, x: 1 }, options);
  assert.equal(value, 2 / 3);
  assert.ok(Math.abs((gradients.get('w') as number) - 1 / 9) < 1e-15);
  // Without its definition the name is unknown, at parse time.
  assert.throws(() => parse('softsign(x)'), /unknown function 'softsign'/);
});

test('the graph check of an expression with a wrong gate names the gate’s wire', () => {
  const wrong = defineGate({ name: 'sq', forward: 'x^2', derivative: 'x' });
  const r = checkExpression('sq(w*x) + w', { w: 1.5, x: 0.5 }, { functions: [wrong.function] });
  assert.equal(r.passed, false);
  const { snapshot, edges } = r.graph;
  const gate = snapshot.nodes.find((n) => n.op === 'sq')!;
  const wrongWires = Object.entries(edges)
    .filter(([, c]) => c.status === 'wrong')
    .map(([id]) => id);
  assert.deepEqual(
    wrongWires,
    snapshot.edges.filter((e) => e.to === gate.id).map((e) => e.id),
  );
});

test('gate definitions: bad names, other variables, non-elementwise functions are clear errors', () => {
  const bad: [Parameters<typeof defineGate>[0], RegExp][] = [
    [{ name: 'exp', forward: 'x', derivative: '1' }, /'exp' is a built-in function/],
    [{ name: '2x', forward: 'x', derivative: '1' }, /must be a name/],
    [{ name: 'g', forward: 'x*y', derivative: '1' }, /uses only its variable x; 'y' is not it/],
    [{ name: 'g', forward: 'x', derivative: 'y' }, /'y' is not it/],
    [{ name: 'g', forward: 'sum(x)', derivative: '1' }, /one number at a time: sum\(\)/],
    [{ name: 'g', forward: 'x@x', derivative: '1' }, /one number at a time: '@'/],
    [{ name: 'g', forward: 'a = x; a', derivative: '1' }, /one expression of x/],
    [{ name: 'g', forward: '2', derivative: '0' }, /must use the gate's variable/],
    [{ name: 'g', forward: 'x +', derivative: '1' }, /ends where a value is expected/],
    [{ name: 'g', forward: 'x+'.repeat(300) + 'x', derivative: '1' }, /nests 301 levels deep/],
  ];
  for (const [definition, pattern] of bad) {
    assert.throws(
      () => defineGate(definition),
      (e: unknown) => e instanceof ChainruleError && pattern.test(e.message),
      JSON.stringify(definition),
    );
  }
  // Nothing is evaluated as code: a formula is only ever read by the parser.
  assert.throws(() => defineGate({ name: 'g', forward: 'x; process.exit(1)', derivative: '1' }));
});

test('command-line definitions: one or several gates, errors with a caret in the whole text', () => {
  const text = 'softsign(x) = x/(1+abs(x)); d/dx = 1/(1+abs(x))^2; sq(u) = u^2\n dsq/du = 2*u';
  assert.deepEqual(parseGateDefinitions(text), [
    { name: 'softsign', variable: 'x', forward: 'x/(1+abs(x))', derivative: '1/(1+abs(x))^2' },
    { name: 'sq', variable: 'u', forward: 'u^2', derivative: '2*u' },
  ]);
  const gates = defineGates(text);
  assert.deepEqual(
    gates.map((g) => [g.name, g.check.passed]),
    [
      ['softsign', true],
      ['sq', true],
    ],
  );
  const r = evaluateExpression(
    'sq(softsign(t))',
    { t: 1 },
    { functions: gates.map((g) => g.function) },
  );
  assert.equal(r.root.item(), 0.25);

  const broken = 'softsign(x) = x/(1+abz(x)); d/dx = 1';
  assert.throws(
    () => defineGates(broken),
    (e: unknown) => {
      assert.ok(e instanceof ChainruleError);
      assert.equal(broken.slice(e.span!.start, e.span!.end), 'abz');
      assert.match(formatWithCaret(e), /did you mean 'abs'/);
      return true;
    },
  );
  for (const [t, pattern] of [
    ['softsign = x', /expected name\(x\) = formula/],
    ['f(x) = x^2', /the derivative of f is missing/],
    ['f(x) = x^2; d/dy = 2*y', /expected d\/dx = the derivative of f/],
    ['', /empty/],
  ] as const) {
    assert.throws(() => defineGates(t), pattern, t);
  }
});
