import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { findExample } from '../../src/expr/index.js';
import { exportBaseName, MAX_BASE_LENGTH, safeName } from '../../web/export-name.js';

const sigmoid = findExample('sigmoid')!.expression;

test('an export is named after the example, with the step unless the picture is finished', () => {
  assert.equal(exportBaseName(sigmoid, 21, 21), 'sigmoid');
  assert.equal(exportBaseName(sigmoid, 5, 21), 'sigmoid-step-5');
  assert.equal(exportBaseName(sigmoid, 0, 21), 'sigmoid-step-0');
  assert.equal(exportBaseName(findExample('softmax')!.expression, 3, 3), 'softmax');
});

test('an expression of its own names the file by its safe characters', () => {
  assert.equal(exportBaseName('(x + y) * z', 4, 4), 'x-y-z');
  assert.equal(exportBaseName('../../etc/passwd', 1, 1), 'etc-passwd');
  assert.equal(exportBaseName('<script>alert(1)</script>', 1, 1), 'script-alert-1-script');
  assert.equal(exportBaseName('−−', 1, 1), 'graph');
});

test('any text gives a safe, short name (random text)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (text) => {
      const name = safeName(text);
      assert.match(name, /^[A-Za-z0-9_-]*$/);
      assert.ok(name.length <= MAX_BASE_LENGTH);
      assert.ok(!name.startsWith('-') && !name.endsWith('-'));
      assert.match(exportBaseName(text, 1, 1), /^[A-Za-z0-9_][A-Za-z0-9_-]*$/);
    }),
    { numRuns: 300 },
  );
});
