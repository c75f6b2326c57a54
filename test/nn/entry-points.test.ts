import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

// Tensors and ops import each other. The cycle must load whichever module a program imports
// first, so each public entry point (and a few inner modules) is loaded on its own, as the first
// import of a fresh process.

const root = resolve(import.meta.dirname, '../..');
const ENTRY_POINTS = [
  'src/index.ts',
  'src/nn/index.ts',
  'src/layers/index.ts',
  'src/optim/index.ts',
  'src/graph/index.ts',
  'src/expr/index.ts',
  'src/viz/index.ts',
  'src/data/index.ts',
  'src/io/index.ts',
  'src/io/node.ts',
  'src/ops/elementwise.ts',
  'src/ops/registry.ts',
  'src/ops/conv.ts',
  'src/core/apply.ts',
];

for (const entry of ENTRY_POINTS) {
  test(`${entry} loads as the first import of a fresh process`, () => {
    const url = pathToFileURL(join(root, entry)).href;
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(url)}); console.log(Object.keys(m).length);`,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    assert.ok(Number(out.trim()) >= 1, `${entry} exported ${out.trim()} names`);
  });
}
