import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  explainEdge,
  explainNode,
  findNode,
  forkNote,
  forkSum,
  asFactor,
  asTerm,
  gateRule,
  gradSymbol,
  nodeName,
  outgoingEdges,
} from '../../src/graph/explain.js';
import type { GraphSnapshot, SnapshotEdge, SnapshotNode } from '../../src/graph/types.js';
import { ALL_OPS } from '../../src/ops/registry.js';
import {
  forkSnapshot,
  injectionSnapshot,
  sigmoidSnapshot,
  tensorSnapshot,
} from '../support/fixtures.js';

function node(s: GraphSnapshot, id: string): SnapshotNode {
  const n = findNode(s, id);
  assert.ok(n, `no node ${id}`);
  return n;
}

function edge(s: GraphSnapshot, id: string): SnapshotEdge {
  const e = s.edges.find((x) => x.id === id);
  assert.ok(e, `no edge ${id}`);
  return e;
}

describe('the CS231n sigmoid fixture', () => {
  const s = sigmoidSnapshot();
  const close = (a: unknown, b: number) =>
    assert.ok(typeof a === 'number' && Math.abs(a - b) < 1e-4, `${String(a)} ≉ ${b}`);

  test('has the lecture values and gradients', () => {
    const values: Record<string, number> = { n2: -2, n5: 6, n6: 4, n8: 1, n9: -1, n10: 0.3679 };
    for (const [id, v] of Object.entries(values)) close(node(s, id).value, v);
    close(node(s, 'n11').value, 1.3679);
    close(node(s, 'n12').value, 0.7311);
    const grads: Record<string, number> = {
      n0: -0.1966,
      n1: 0.3932,
      n3: -0.3932,
      n4: -0.5898,
      n7: 0.1966,
      n2: 0.1966,
      n5: 0.1966,
      n6: 0.1966,
      n8: 0.1966,
      n9: -0.1966,
      n10: -0.5344,
      n11: -0.5344,
      n12: 1,
    };
    for (const [id, g] of Object.entries(grads)) close(node(s, id).grad, g);
  });

  test('every edge has global = local × upstream', () => {
    for (const e of s.edges) {
      assert.equal(typeof e.local, 'number');
      assert.equal(e.global, (e.local as number) * (e.upstream as number));
    }
  });
});

describe('explainEdge', () => {
  const s = sigmoidSnapshot();

  test('writes global = local × upstream for an input, with factors that multiply out', () => {
    // 2 × 0.1966 = 0.39, but 2.00 × 0.20 = 0.40: the upstream gets the digit it needs.
    assert.equal(
      explainEdge(s, edge(s, 'e1')),
      'dL/dx0 = local × upstream = (2.00) × (0.197) = 0.39',
    );
    assert.equal(
      explainEdge(s, edge(s, 'e3')),
      'dL/dx1 = local × upstream = (-3.00) × (0.197) = -0.59',
    );
    assert.equal(
      explainEdge(s, edge(s, 'e0')),
      'dL/dw0 = local × upstream = (-1.00) × (0.20) = -0.20',
    );
  });

  test('names a gate output by its short source text, else by its id', () => {
    assert.equal(
      explainEdge(s, edge(s, 'e4')),
      'dL/d(w0*x0) = local × upstream = (1.00) × (0.20) = 0.20',
    );
    // exp(-(w0*x0 + w1*x1 + w2)) is 26 characters: too long to be a readable name.
    assert.match(
      explainEdge(s, edge(s, 'e10')),
      /^dL\/dn10 = local × upstream = \(1\.00\) × \(-0\.53\) = -0\.53$/,
    );
  });

  test('drops redundant outer parentheses from source text', () => {
    const t = { ...s, expression: `(${s.expression ?? ''})` };
    const n8 = node(s, 'n8');
    const spans = { ...n8, span: { start: n8.span!.start - 1, end: n8.span!.end + 1 } };
    const wrapped = { ...t, nodes: t.nodes.map((n) => (n.id === 'n8' ? spans : n)) };
    // Shifted by the extra '(' at the start: the span now reads '(w0*x0 + w1*x1 + w2)'.
    const shifted = { ...spans, span: { start: spans.span.start + 1, end: spans.span.end + 1 } };
    const real = { ...wrapped, nodes: wrapped.nodes.map((n) => (n.id === 'n8' ? shifted : n)) };
    assert.equal(nodeName(real, shifted), 'w0*x0 + w1*x1 + w2');
    assert.equal(
      nodeName({ ...s, expression: '(a)+(b)' }, { ...n8, span: { start: 0, end: 7 } }),
      '(a)+(b)',
    );
  });

  test('honours the precision', () => {
    assert.equal(
      explainEdge(s, edge(s, 'e1'), 4),
      'dL/dx0 = local × upstream = (2.0000) × (0.1966) = 0.3932',
    );
  });

  test('uses += on a branch of a value used twice', () => {
    const f = forkSnapshot();
    assert.equal(
      explainEdge(f, edge(f, 'e0')),
      'dL/dx += local × upstream = (1.00) × (2.00) = 2.00',
    );
    assert.equal(
      explainEdge(f, edge(f, 'e3')),
      'dL/dx += local × upstream = (-1.00) × (1.00) = -1.00',
    );
  });

  test('uses the vjp text when the local gradient is a full Jacobian', () => {
    const t = tensorSnapshot();
    assert.equal(
      explainEdge(t, edge(t, 'e1')),
      'dL/dW = dW = Xᵀ · upstream = [[0.00, 0.00], [0.00, 1.00], [0.00, 3.00]]',
    );
  });

  test('says when no gradient flows', () => {
    const t = tensorSnapshot();
    const e = { ...edge(t, 'e1'), global: null, grad: null };
    assert.match(explainEdge(t, e), /no gradient flows/);
  });
});

describe('explainNode', () => {
  test('shows the += of a fork', () => {
    const f = forkSnapshot();
    assert.equal(
      explainNode(f, node(f, 'n0')),
      'dL/dx = 2.00 + (-1.00) = 1.00 (a value used twice: the copy gate adds the gradients)',
    );
  });

  test('falls back to the single wire, and to the seed for the output', () => {
    const s = sigmoidSnapshot();
    assert.equal(explainNode(s, node(s, 'n1')), explainEdge(s, edge(s, 'e1')));
    assert.equal(
      explainNode(s, node(s, 'n12')),
      'dL/dL = 1.00 (the output: backpropagation starts from this seed)',
    );
  });
});

describe('small helpers', () => {
  test('gradSymbol wraps anything but an identifier', () => {
    assert.equal(gradSymbol('x0'), 'dL/dx0');
    assert.equal(gradSymbol('σ'), 'dL/dσ');
    assert.equal(gradSymbol('w0*x0'), 'dL/d(w0*x0)');
  });

  test('asFactor and asTerm protect minus signs', () => {
    assert.equal(asFactor('-0.50'), '(-0.50)');
    assert.equal(asFactor('[1.0, 2.0]'), '[1.0, 2.0]');
    assert.equal(asTerm('-0.50'), '(-0.50)');
    assert.equal(asTerm('2.00'), '2.00');
  });

  test('forkSum adds up at the precision shown, and forkNote', () => {
    const f = forkSnapshot();
    assert.equal(forkSum(outgoingEdges(f, 'n0'), 1), '2.00 + (-1.00) = 1.00');
    // 0.40 + 0.40 would be 0.80, not the 0.79 printed: the terms get a digit more.
    const halves = [{ global: 0.396 }, { global: 0.396 }] as SnapshotEdge[];
    assert.equal(forkSum(halves, 0.792), '0.396 + 0.396 = 0.79');
    assert.equal(forkNote(3), 'a value used 3 times: the copy gate adds the gradients');
  });

  test('nodeName uses labels for inputs whatever they contain', () => {
    const s = injectionSnapshot();
    assert.equal(nodeName(s, node(s, 'n0')), '<script>alert("x&y")</script>');
  });

  test('gateRule prefers the snapshot rule, else reads the op definition', () => {
    const s = sigmoidSnapshot();
    assert.match(gateRule(node(s, 'n2')), /^mul swaps/);
    assert.match(gateRule(node(s, 'n6')), /^add distributes/);
    assert.match(gateRule(node(s, 'n0')), /input/);
    const bare = (op: string) => {
      const rest: SnapshotNode = { ...node(s, 'n6'), op };
      delete rest.rule;
      return gateRule(rest);
    };
    // Without a rule in the snapshot, every op's rule comes from its definition in the registry.
    for (const op of ALL_OPS) assert.equal(bare(op.name), op.label.rule, op.name);
    assert.match(bare('maximum'), /larger input/);
    assert.match(bare('max'), /largest element/);
    assert.match(bare('frobnicate'), /^frobnicate: gradient = local/);
  });
});
