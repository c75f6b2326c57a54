import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { opsReference } from '../../scripts/ops-doc.js';

test('docs/ops.md lists every op of the registry (regenerate with npm run docs)', () => {
  const committed = readFileSync(new URL('../../docs/ops.md', import.meta.url), 'utf8');
  assert.equal(committed, opsReference(), 'docs/ops.md is stale: run npm run docs');
});
