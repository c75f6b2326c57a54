import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { alignColumns, renderText } from '../../src/viz/text.js';
import { snapshotExpression } from '../../src/graph/index.js';
import {
  forkSnapshot,
  injectionSnapshot,
  randomSnapshot,
  sigmoidSnapshot,
  tensorSnapshot,
} from '../support/fixtures.js';

describe('renderText', () => {
  const text = renderText(sigmoidSnapshot());
  const lines = text.split('\n');

  test('starts with the expression and a table of aligned columns', () => {
    assert.equal(lines[0], 'Graph: 1 / (1 + exp(-(w0*x0 + w1*x1 + w2))) (staged)');
    const header = lines[2] ?? '';
    assert.match(header, /^id\s+kind\s+gate\s+expression\s+value\s+gradient$/);
    const rows = lines.slice(3, 16);
    assert.equal(rows.length, 13);
    // Numbers are right-aligned: every row's value column ends where the header's does.
    const valueEnd = header.indexOf('value') + 'value'.length;
    for (const row of rows) assert.match(row.slice(valueEnd - 5, valueEnd), /^ *-?\d+\.\d\d$/, row);
    assert.match(rows[0] ?? '', /^n0\s+input\s+w0\s+2\.00\s+-0\.20$/);
    assert.match(rows[12] ?? '', /^n12\s+gate\s+1\/x\s+0\.73\s+1\.00\s+output$/);
  });

  test('explains every wire with global = local × upstream', () => {
    assert.ok(lines.includes('x0: dL/dx0 = local × upstream = (2.00) × (0.197) = 0.39'));
    assert.ok(lines.includes('w0: dL/dw0 = local × upstream = (-1.00) × (0.20) = -0.20'));
    assert.equal(lines.filter((l) => l.includes('= local × upstream =')).length, 12);
  });

  test('shows the += of a value used twice', () => {
    const fork = renderText(forkSnapshot()).split('\n');
    assert.ok(
      fork.includes(
        'x: dL/dx = 2.00 + (-1.00) = 1.00 (a value used twice: the copy gate adds the gradients)',
      ),
    );
    assert.equal(fork.filter((l) => l.startsWith('x: dL/dx += ')).length, 2);
  });

  test('keeps tensor cells short and uses the vjp text for matmul', () => {
    const t = renderText(tensorSnapshot());
    for (const line of t.split('\n').slice(0, 10)) assert.ok(line.length < 120, line);
    assert.match(t, /^W: dL\/dW = dW = Xᵀ · upstream = \[\[0\.00, 0\.00\], /m);
    assert.match(t, /64×64 tensor/);
  });

  test('prints names as text but neutralises control and bidi characters', () => {
    const t = renderText(injectionSnapshot('<script>\u001b[2J\u202Eevil\n'));
    assert.match(t, /<script>\\u\{1b\}\[2J\\u\{202e\}evil\\n/);
    assert.ok(!t.includes(String.fromCharCode(0x1b)) && !t.includes('\u202e'));
  });

  test('is byte-stable and copes with 300 nodes', () => {
    assert.equal(renderText(sigmoidSnapshot()), text);
    const big = renderText(randomSnapshot(300, 4));
    assert.ok(big.split('\n').length > 300);
  });

  test('renders a title and a precision', () => {
    const t = renderText(sigmoidSnapshot(), { precision: 4, title: 'neuron' });
    assert.match(t, /^Graph: neuron \(staged\)\n/);
    assert.match(t, /dL\/dx0 = local × upstream = \(2\.0000\) × \(0\.1966\) = 0\.3932/);
  });
});

describe('alignColumns', () => {
  test('pads text right and numbers left', () => {
    assert.deepEqual(
      alignColumns(
        [
          ['id', 'value'],
          ['n0', '2.00'],
          ['n10', '-1.00'],
        ],
        new Set([1]),
      ),
      ['id   value', 'n0    2.00', 'n10  -1.00'],
    );
  });
});

test('a long expression is cut in the heading, with its length, not printed whole', () => {
  const expression = Array.from({ length: 2000 }, () => 'x').join('+');
  const text = renderText(snapshotExpression(expression, { x: 1 }));
  const heading = text.split('\n')[0]!;
  assert.ok(heading.length < 260, `heading of ${heading.length} characters`);
  assert.match(heading, /^Graph: x\+x\+.*… \(3999 characters\) \(staged\)$/);
  // A short one is shown whole.
  assert.equal(
    renderText(snapshotExpression('x*y', { x: 1, y: 2 })).split('\n')[0],
    'Graph: x*y (staged)',
  );
});
