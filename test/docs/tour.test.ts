import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { instrumentDoc, runDoc } from '../support/doc-blocks.js';
import { matches } from '../support/shown-values.js';

// The tour is executed, not just read: its ```ts blocks run in order as one module (imports of
// the published entry points redirected to the sources), and every `// → value` comment becomes
// a check of the value of that line.

const root = resolve(import.meta.dirname, '../..');
const DOC = join(root, 'docs/tour-two-layer-net.md');
const ENTRY_POINTS: Record<string, string> = {
  chainrule: 'src/index.ts',
  'chainrule/nn': 'src/nn/index.ts',
  'chainrule/layers': 'src/layers/index.ts',
  'chainrule/optim': 'src/optim/index.ts',
  'chainrule/graph': 'src/graph/index.ts',
};

test('every code block of the two-layer-net tour runs and shows the values it claims', async () => {
  const { checks, claimed } = await runDoc(readFileSync(DOC, 'utf8'), root, ENTRY_POINTS);
  assert.ok(claimed >= 15, `the tour should show its outputs (found ${claimed} checks)`);
  assert.equal(checks.length, claimed);
  for (const c of checks) {
    assert.ok(
      matches(c.actual, c.expected),
      `docs/tour-two-layer-net.md line ${c.line}: ${c.source} gives ${JSON.stringify(c.actual)}, the doc shows ${c.expected}`,
    );
  }
});

test('the checker itself: rounding to the shown decimals, exact integers and strings', () => {
  assert.ok(matches(3.47022435559539, '3.4702243556'));
  assert.ok(!matches(3.4702243, '3.4702243556'));
  assert.ok(matches(9, '9') && !matches(9.000001, '9'));
  assert.ok(matches([3, 7], '[3, 7]') && !matches([3, 7, 1], '[3, 7]'));
  assert.ok(matches('(Iteration 1 / 30) loss: 1.1', "'(Iteration 1 / 30) loss: 1.1'"));
  assert.ok(matches(true, 'true') && !matches(false, 'true'));
  const markdown = '```ts\nconst a = 1 + 1; // → 2\na * 3; // → 6\n```\n';
  const { code } = instrumentDoc(markdown, root, ENTRY_POINTS);
  assert.match(code, /const a = 1 \+ 1;\n__checks\.push\(\{ line: 2, .*actual: a \}\);/);
  assert.match(code, /actual: \(a \* 3\) \}\);/);
});
