import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apply } from '../../src/core/apply.js';
import { unaryOp } from '../../src/core/op.js';
import { EXAMPLES } from '../../src/expr/index.js';
import {
  buildView,
  checkExpression,
  checkGraph,
  verdictClasses,
  type GraphCheck,
} from '../../src/graph/index.js';
import { add, mul, relu, sum, tanh, tensor, withScope } from '../../src/index.js';
import { renderCheckSvg } from '../../src/viz/index.js';

const statuses = (parts: GraphCheck['nodes']) =>
  Object.fromEntries(Object.entries(parts).map(([id, c]) => [id, c.status]));

test('every node and wire of every example checks out, in both modes', () => {
  for (const ex of EXAMPLES) {
    for (const mode of ['staged', 'fused'] as const) {
      const { graph } = checkExpression(ex.expression, ex.values, { mode });
      assert.ok(graph.passed, `${ex.name} ${mode}`);
      assert.equal(graph.snapshot.mode, mode);
      // Every node that carries a gradient has a verdict, every wire that carries one too.
      for (const n of graph.snapshot.nodes) {
        assert.equal(n.id in graph.nodes, n.grad !== null, `${ex.name} ${mode} ${n.id}`);
      }
      for (const e of graph.snapshot.edges) {
        assert.equal(e.id in graph.edges, e.global !== null, `${ex.name} ${mode} ${e.id}`);
      }
      for (const c of [...Object.values(graph.nodes), ...Object.values(graph.edges)]) {
        assert.ok(
          c.relError > 0 || c.relError === 0,
          'a measured number (not NaN) away from kinks',
        );
      }
    }
  }
});

test('a gate with a wrong local gradient: its own wire is wrong, the wires after it are not', () => {
  const broken = unaryOp({
    name: 'badTanh',
    label: { symbol: 'tanh?', gate: 'broken gate', rule: 'wrong on purpose' },
    f: Math.tanh,
    df: (_x, y) => 1 - y, // should be 1 − y²
    gradcheck: { cases: () => ({ shapes: [[]] }) },
  });
  const w = tensor(0.7, { requiresGrad: true, name: 'w' });
  const x = tensor(-1.2, { requiresGrad: true, name: 'x' });
  // L = 3 · badTanh(w·x) + w
  const L = add(mul(apply(broken, [mul(w, x)], {}), 3), w);
  const check = checkGraph(L);
  const { snapshot } = check;
  const gate = snapshot.nodes.find((n) => n.op === 'badTanh')!;
  const into = snapshot.edges.find((e) => e.to === gate.id)!;
  const edges = statuses(check.edges);
  assert.equal(edges[into.id], 'wrong');
  assert.deepEqual(
    Object.entries(edges)
      .filter(([, s]) => s !== 'happy')
      .map(([id]) => id),
    [into.id],
    'only the broken gate’s wire',
  );
  // Its input and everything upstream inherit the wrong gradient; the gate's output does not.
  const nodes = statuses(check.nodes);
  assert.equal(nodes[gate.id], 'happy');
  assert.equal(nodes[into.from], 'wrong');
  assert.equal(nodes[snapshot.nodes.find((n) => n.label === 'x')!.id], 'wrong');
  assert.equal(check.passed, false);
  const classes = verdictClasses(check);
  assert.equal(classes.edges[into.id], 'verdict-wrong');
  assert.equal(classes.nodes[gate.id], 'verdict-happy');
});

test('a closed group and a bundle of wires show the worst verdict inside them', () => {
  const broken = unaryOp({
    name: 'badTanh2',
    label: { symbol: 'tanh?', gate: 'broken gate', rule: 'wrong on purpose' },
    f: Math.tanh,
    df: (_x, y) => 1 - y,
    gradcheck: { cases: () => ({ shapes: [[]] }) },
  });
  const w = tensor(0.7, { requiresGrad: true, name: 'w' });
  const x = tensor(-1.2, { requiresGrad: true, name: 'x' });
  const u = mul(w, x);
  // Inside the step: 2·u + badTanh(u), so two wires run from u into the closed box — the first
  // into a sound gate, the second into the broken one.
  const y = withScope('inner', 'step', () => {
    const twice = mul(u, 2);
    return add(twice, apply(broken, [u], {}));
  });
  const check = checkGraph(mul(y, 3));
  const group = check.snapshot.groups![0]!.id;
  const closed = buildView(check.snapshot, { grouped: true, open: [] });
  const box = closed.nodes.find((v) => v.kind === 'group')!;
  const bundle = closed.edges.find((e) => e.to === box.id && e.edges.length === 2)!;
  assert.ok(bundle, 'the two wires from u are drawn as one');
  const memberStatuses = bundle.edges.map((id) => check.edges[id]!.status);
  assert.deepEqual(memberStatuses, ['happy', 'wrong']);
  // The nodes inside are right (the wrong derivative shows upstream, at u): the box is wrong
  // because of its gate's input wire.
  const inside = check.snapshot.nodes.filter((n) => n.group === group);
  assert.ok(inside.every((n) => check.nodes[n.id]?.status !== 'wrong'));
  const classes = verdictClasses(check, closed);
  assert.equal(classes.nodes[box.id], 'verdict-wrong');
  assert.equal(classes.edges[bundle.id], 'verdict-wrong');
  // Without the view: verdicts per snapshot id only (the bundle's id is its first wire's).
  const plain = verdictClasses(check);
  assert.equal(plain.nodes[box.id], undefined);
  assert.equal(plain.edges[bundle.id], `verdict-${check.edges[bundle.id]!.status}`);
  // The picture colours the closed box too.
  const svg = renderCheckSvg(check, { view: closed });
  assert.match(svg, new RegExp(`class="group-box step verdict-wrong" data-group-id="${group}"`));
  // …in a rule as specific as the group kinds' own `.group-box.step .box` and after it.
  assert.ok(svg.indexOf('.group-box.verdict-wrong .box{') > svg.indexOf('.group-box.step .box{'));
  // A group where everything agrees is happy.
  const fine = checkGraph(
    mul(
      withScope('ok', 'step', () => add(tanh(u), u)),
      3,
    ),
  );
  const fineView = buildView(fine.snapshot, { grouped: true, open: [] });
  const fineBox = fineView.nodes.find((v) => v.kind === 'group')!;
  assert.equal(verdictClasses(fine, fineView).nodes[fineBox.id], 'verdict-happy');
});

test('a node that sits on a kink gets the kink verdict, not a number', () => {
  const check = checkGraph(sum(relu(tensor([0, 1], { requiresGrad: true, name: 'x' }))));
  const x = check.snapshot.nodes.find((n) => n.label === 'x')!;
  const c = check.nodes[x.id]!;
  assert.equal(c.kinks, 1);
  assert.equal(c.status, 'happy');
  const allKink = checkGraph(relu(tensor(0, { requiresGrad: true, name: 'x' })));
  const only = Object.values(allKink.nodes).find((n) => n.status === 'kink')!;
  assert.ok(Number.isNaN(only.relError));
});

test('a graph larger than the budget checks what fits and lists the rest, quickly', () => {
  const big = tensor(
    Array.from({ length: 50 }, (_, i) => i / 50 - 0.5),
    { requiresGrad: true, name: 'v' },
  );
  const check = checkGraph(sum(tanh(big)), { budget: 200 });
  assert.ok(check.unchecked.length > 0);
  const checked = Object.keys(check.nodes).length + Object.keys(check.edges).length;
  const all = check.snapshot.nodes.length + check.snapshot.edges.length;
  assert.equal(checked + check.unchecked.length, all);
  // A 3,000-gate chain: the default budget keeps the check from replaying it 3,000² times.
  const source = Array.from({ length: 3000 }, () => 'x').join(' + ');
  const long = checkExpression(source, { x: 1 }, { mode: 'staged' });
  assert.ok(long.graph.unchecked.length > 0);
});
