import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Rng } from '../../src/core/random.js';
import { findExample, gradExpression, type GraphMode } from '../../src/expr/index.js';
import { nodeName, schedule, snapshotExpression } from '../../src/graph/index.js';

// The CS231n classifiers typed as the notes write them, checked against an independent
// computation in plain float64 loops (no tensors, no autograd) to 1e-12, values and gradients.

type Matrix = number[][];

function scores(W: Matrix, x: number[], b: number[]): number[] {
  return W.map((row, i) => row.reduce((s, w, j) => s + w * x[j]!, 0) + b[i]!);
}

/** Softmax cross-entropy of one example, and dL/ds. */
function softmaxLoss(s: number[], y: number): { loss: number; ds: number[] } {
  const m = Math.max(...s);
  const e = s.map((v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return { loss: Math.log(z) + m - s[y]!, ds: e.map((v, i) => v / z - (i === y ? 1 : 0)) };
}

/** Multiclass SVM loss (margin 1) of one example, and dL/ds. */
function svmLoss(s: number[], y: number): { loss: number; ds: number[] } {
  let loss = 0;
  const ds = s.map(() => 0);
  s.forEach((v, i) => {
    if (i === y) return;
    const margin = v - s[y]! + 1;
    if (margin > 0) {
      loss += margin;
      ds[i]! += 1;
      ds[y]! -= 1;
    }
  });
  return { loss, ds };
}

/** dL/dW, dL/dx, dL/db of s = W·x + b, given dL/ds. */
function backprop(W: Matrix, x: number[], ds: number[]) {
  return {
    W: W.map((row, i) => row.map((_, j) => ds[i]! * x[j]!)),
    x: x.map((_, j) => W.reduce((s, row, i) => s + row[j]! * ds[i]!, 0)),
    b: ds,
  };
}

function assertClose(actual: unknown, expected: unknown, label: string): void {
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', label);
    const err = Math.abs((actual as number) - expected);
    assert.ok(
      err <= 1e-12 * Math.max(1, Math.abs(expected)),
      `${label}: ${String(actual)} vs ${expected}`,
    );
    return;
  }
  assert.ok(Array.isArray(actual) && Array.isArray(expected), label);
  assert.equal(actual.length, expected.length, label);
  expected.forEach((e, i) => assertClose((actual as unknown[])[i], e, `${label}[${i}]`));
}

const SOFTMAX = ['s = W@x + b; L = -log(softmax(s)[y])', 's = W@x + b; L = logsumexp(s) - s[y]'];
const SVM = 's = W@x + b; L = sum(maximum(0, s - s[y] + 1)) - 1';

/** Random classifiers: 3 classes, 4 features, every label. */
function cases(): { W: Matrix; x: number[]; b: number[]; y: number }[] {
  const rng = new Rng(231);
  const notes = findExample('softmax')!.values as {
    W: Matrix;
    x: number[];
    b: number[];
    y: number;
  };
  const out = [notes];
  for (let k = 0; k < 12; k++) {
    const W = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => rng.uniform(-2, 2)));
    const x = Array.from({ length: 4 }, () => rng.uniform(-3, 3));
    const b = Array.from({ length: 3 }, () => rng.uniform(-1, 1));
    out.push({ W, x, b, y: k % 3 });
  }
  return out;
}

for (const [name, sources, reference] of [
  ['softmax', SOFTMAX, softmaxLoss],
  ['SVM', [SVM], svmLoss],
] as const) {
  test(`the ${name} loss of a 3-class linear classifier matches float64 loops to 1e-12`, () => {
    for (const source of sources) {
      for (const c of cases()) {
        const { loss, ds } = reference(scores(c.W, c.x, c.b), c.y);
        const want = backprop(c.W, c.x, ds);
        for (const mode of ['staged', 'fused'] as GraphMode[]) {
          const got = gradExpression(source, c, { mode });
          const label = `${source} (${mode}, y = ${c.y})`;
          assertClose(got.value, loss, `${label}: value`);
          for (const v of ['W', 'x', 'b'] as const) {
            assertClose(got.gradients.get(v), want[v], `${label}: d${v}`);
          }
          assert.deepEqual(got.labels, ['y']);
          assert.equal(got.gradients.has('y'), false, 'labels take no gradient');
        }
      }
    }
  });
}

test('the notes’ numbers: softmax loss 1.04 and SVM loss 1.58 on scores [-2.85, 0.86, 0.28]', () => {
  const values = findExample('softmax')!.values;
  assertClose(
    scores(values.W as Matrix, values.x as number[], values.b as number[]),
    [-2.85, 0.86, 0.28],
    'scores',
  );
  assert.equal((gradExpression(SOFTMAX[0]!, values).value as number).toFixed(2), '1.04');
  assertClose(gradExpression(SVM, values).value, 1.58, 'SVM');
});

test('a batch: s[y] picks each row’s label, and the mean loss matches the loops', () => {
  const rng = new Rng(7);
  const [n, d, c] = [5, 3, 4];
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.uniform(-2, 2)));
  const W = Array.from({ length: d }, () => Array.from({ length: c }, () => rng.uniform(-1, 1)));
  const y = [0, 3, 1, 1, 2];
  const got = gradExpression('S = X@W; L = mean(logsumexp(S, axis=1) - S[y])', { X, W, y });
  // Loops: CS231n's softmax_loss_vectorized on scores X·W.
  let loss = 0;
  const dW = W.map((row) => row.map(() => 0));
  X.forEach((row, i) => {
    const s = Array.from({ length: c }, (_, k) => row.reduce((a, v, j) => a + v * W[j]![k]!, 0));
    const r = softmaxLoss(s, y[i]!);
    loss += r.loss / n;
    row.forEach((v, j) => r.ds.forEach((g, k) => (dW[j]![k]! += (v * g) / n)));
  });
  assertClose(got.value, loss, 'batch loss');
  assertClose(got.gradients.get('W'), dW, 'batch dW');
});

test('the classifiers are drawn with W, x, s and y named', () => {
  for (const [source, mode] of [
    [SOFTMAX[0]!, 'staged'],
    [SOFTMAX[1]!, 'fused'],
    [SVM, 'staged'],
  ] as const) {
    const s = snapshotExpression(source, findExample('softmax')!.values, { mode });
    const names = s.nodes.map((n) => nodeName(s, n));
    for (const name of ['W', 'x', 'b', 's', 'y', 'L'])
      assert.ok(names.includes(name), `${source}: ${name}`);
    const y = s.nodes.find((n) => n.label === 'y')!;
    assert.equal(y.kind, 'input');
    assert.equal(y.grad, null, 'labels get no gradient');
    assert.deepEqual(
      s.groups?.map((g) => g.label),
      ['s', 'L'],
    );
    assert.ok(schedule(s).length > s.nodes.length, 'the forward and the backward pass animate');
  }
});

test('the notes’ staged sigmoid: each step is a group and its name labels its wire', () => {
  const ex = findExample('sigmoid-steps')!;
  for (const mode of ['staged', 'fused'] as GraphMode[]) {
    const s = snapshotExpression(ex.expression, ex.values, { mode });
    const named = s.nodes.filter((n) => n.name !== undefined);
    assert.deepEqual(
      named.map((n) => [n.name, n.kind]),
      [
        ['dot', 'gate'],
        ['f', 'gate'],
      ],
    );
    const [dot, f] = named;
    assert.equal(f!.id, s.root);
    assert.ok(Math.abs((dot!.value as number) - 1) < 1e-15);
    assert.deepEqual(
      s.groups?.map((g) => [g.kind, g.label]),
      [
        ['step', 'dot'],
        ['step', 'f'],
      ],
    );
    // Every gate of a step is in its group; the inputs are in none.
    const groupOf = new Map(s.groups.map((g) => [g.id, g.label]));
    for (const n of s.nodes) {
      if (n.kind !== 'gate') assert.equal(n.group, undefined);
      else assert.ok(['dot', 'f'].includes(groupOf.get(n.group!)!), n.id);
    }
    assert.equal(
      s.nodes.filter((n) => groupOf.get(n.group ?? '') === 'f').length,
      mode === 'staged' ? 4 : 1,
    );
  }
});

test('a step that only renames a value does not rename it', () => {
  const s = snapshotExpression('a = x; b = a * 2; b', { x: 3 });
  assert.equal(s.nodes.find((n) => n.label === 'x')!.name, undefined);
  assert.deepEqual(
    s.nodes.filter((n) => n.name).map((n) => n.name),
    ['b'],
  );
});

test('chainrule grad types both classifiers and prints the same numbers to 1e-12', () => {
  const bin = join(import.meta.dirname, '../../dist/cli/main.js');
  assert.ok(existsSync(bin), 'build first (npm run build)');
  const c = cases()[3]!;
  const args = Object.entries(c).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  for (const [source, reference] of [
    [SOFTMAX[0]!, softmaxLoss],
    [SVM, svmLoss],
  ] as const) {
    const r = spawnSync(process.execPath, [bin, 'grad', source, ...args, '--json'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { value: number; gradients: Record<string, unknown> };
    const { loss, ds } = reference(scores(c.W, c.x, c.b), c.y);
    const want = backprop(c.W, c.x, ds);
    assertClose(out.value, loss, `${source}: value`);
    for (const v of ['W', 'x', 'b'] as const)
      assertClose(out.gradients[v], want[v], `${source}: d${v}`);
    assert.deepEqual(Object.keys(out.gradients), ['W', 'x', 'b']);
    const text = spawnSync(process.execPath, [bin, 'grad', source, ...args], { encoding: 'utf8' });
    assert.match(text.stdout, /^y\s+\d\s+— \(labels\)$/m);
  }
});
