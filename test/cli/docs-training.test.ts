import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { runDoc } from '../support/doc-blocks.js';
import { matches } from '../support/shown-values.js';

// The training guide is executed: its ```ts blocks run in order as one program, and every
// `// → value` is checked against what the code gives.

const root = resolve(import.meta.dirname, '../..');
const DOC = join(root, 'docs/training.md');

test('every ts block of docs/training.md runs and shows the values it claims', async () => {
  const { checks, claimed } = await runDoc(readFileSync(DOC, 'utf8'), root, {
    chainrule: 'src/index.ts',
    'chainrule/nn': 'src/nn/index.ts',
    'chainrule/optim': 'src/optim/index.ts',
    'chainrule/data': 'src/data/index.ts',
    'chainrule/io': 'src/io/index.ts',
  });
  assert.ok(claimed >= 15, `the guide should show its outputs (found ${claimed} checks)`);
  assert.equal(checks.length, claimed);
  for (const c of checks) {
    const shown = c.expected.startsWith('{')
      ? JSON.stringify(c.actual) ===
        JSON.stringify(JSON.parse(c.expected.replace(/(\w+):/g, '"$1":').replace(/'/g, '"')))
      : matches(c.actual, c.expected.startsWith('"') ? `'${c.expected.slice(1, -1)}'` : c.expected);
    assert.ok(
      shown,
      `docs/training.md line ${c.line}: ${c.source} gives ${JSON.stringify(c.actual)}, the doc shows ${c.expected}`,
    );
  }
});
