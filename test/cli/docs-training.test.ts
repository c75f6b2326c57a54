import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { instrumentDoc, type DocCheck } from '../support/doc-blocks.js';
import { matches } from '../support/shown-values.js';

// The training guide is executed: its ```ts blocks run in order as one program, and every
// `// → value` is checked against what the code gives.

const root = resolve(import.meta.dirname, '../..');
const DOC = join(root, 'docs/training.md');

test('every ts block of docs/training.md runs and shows the values it claims', async () => {
  const { code, checks } = instrumentDoc(readFileSync(DOC, 'utf8'), root, {
    chainrule: 'src/index.ts',
    'chainrule/nn': 'src/nn/index.ts',
    'chainrule/optim': 'src/optim/index.ts',
    'chainrule/data': 'src/data/index.ts',
    'chainrule/io': 'src/io/index.ts',
  });
  assert.ok(checks >= 15, `the guide should show its outputs (found ${checks} checks)`);
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-training-doc-'));
  try {
    const file = join(dir, 'guide.ts');
    writeFileSync(file, code);
    const { __checks } = (await import(pathToFileURL(file).href)) as { __checks: DocCheck[] };
    assert.equal(__checks.length, checks);
    for (const c of __checks) {
      const shown = c.expected.startsWith('{')
        ? JSON.stringify(c.actual) ===
          JSON.stringify(JSON.parse(c.expected.replace(/(\w+):/g, '"$1":').replace(/'/g, '"')))
        : matches(
            c.actual,
            c.expected.startsWith('"') ? `'${c.expected.slice(1, -1)}'` : c.expected,
          );
      assert.ok(
        shown,
        `docs/training.md line ${c.line}: ${c.source} gives ${JSON.stringify(c.actual)}, the doc shows ${c.expected}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
