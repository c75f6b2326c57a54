import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findExample } from '../../src/expr/examples.js';
import { snapshotExpression } from '../../src/graph/from-expression.js';
import { renderSvg } from '../../src/viz/svg.js';

test('the README picture (docs/sigmoid.svg) is what the renderer draws today', () => {
  const ex = findExample('sigmoid')!;
  const svg = renderSvg(snapshotExpression(ex.expression, ex.values, { mode: ex.mode }));
  const committed = readFileSync(join(import.meta.dirname, '../../docs/sigmoid.svg'), 'utf8');
  assert.equal(
    committed,
    svg,
    'regenerate it: node dist/cli/main.js graph --example sigmoid --format svg -o docs/sigmoid.svg',
  );
});
