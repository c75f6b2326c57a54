import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Linter } from 'eslint';

// The ESLint config is plain JavaScript (no types): loaded by a path TypeScript does not follow.
const configPath = '../../eslint.config.js';
const { webImportRule, WEB_ENTRY_POINTS } = (await import(configPath)) as {
  webImportRule: Linter.RuleEntry;
  WEB_ENTRY_POINTS: string[];
};

const linter = new Linter({ configType: 'flat' });
const lint = (code: string, file = 'web/panels/x.ts') =>
  linter
    .verify(
      code,
      [{ files: ['**/*.ts', '**/*.tsx'], rules: { 'no-restricted-imports': webImportRule } }],
      file,
    )
    .map((m) => m.message);

test('web/ may import the public entry points only (the lint rule)', () => {
  assert.ok(WEB_ENTRY_POINTS.includes('src/graph/index'));
  for (const ok of [
    "import { parse } from '../src/expr/index.js';",
    "import { drawSvg } from '../../src/viz/index.js';",
    "import { Tensor } from '../../src/index.js';",
    "import { signal } from '@preact/signals';",
    "import { seek } from '../store.js';",
  ])
    assert.deepEqual(lint(ok), [], ok);
  for (const bad of [
    "import { parse } from '../src/expr/parser.js';",
    "import { checkGraph } from '../../src/graph/check-graph.js';",
    "import { renderPng } from '../../src/viz/png.js';",
    "import { saveFile } from '../src/io/node.js';",
    "export { Tensor } from '../src/core/tensor.js';",
  ])
    assert.match(lint(bad).join('\n'), /public entry points/, bad);
});

test('no file of the page reaches past an entry point', () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (/\.tsx?$/.test(e.name)) files.push(join(dir, e.name));
    }
  };
  walk('web');
  assert.ok(files.length > 10);
  for (const file of files) {
    // JSX is not plain JavaScript: only the import lines are linted here.
    const imports =
      readFileSync(file, 'utf8').match(/^(?:import|export)[^;]*from '[^']+';/gms) ?? [];
    assert.deepEqual(lint(imports.join('\n').replace(/\btype\b/g, ''), file), [], file);
  }
});
