import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { gradExpression, parse, variablesOf } from '../../src/expr/index.js';
import { checkExpression } from '../../src/graph/index.js';
import { bindings, expression } from '../support/expressions.js';

function valuesFor(source: string, all: Record<string, number>): Record<string, number> {
  return Object.fromEntries(variablesOf(parse(source)).map((n) => [n, all[n]!]));
}

test('random expressions: backprop agrees with centered differences (rel. error < 1e-7 away from kinks)', () => {
  fc.assert(
    fc.property(expression, bindings, (source, all) => {
      const values = valuesFor(source, all);
      if (Object.keys(values).length === 0) return;
      // Fourth-order differences: the centered difference's h² error must not pass for a bug.
      const report = checkExpression(source, values, { order: 4 });
      for (const r of report.inputs) {
        assert.ok(
          r.status === 'happy' ||
            r.status === 'kink' ||
            (r.status === 'ok' && r.kinks === 0 && (r.belowNoise || r.relError < 1e-7)),
          `${source} at ${JSON.stringify(values)}: ${r.name} ${r.status} rel ${r.relError} ` +
            `analytic ${JSON.stringify(r.analytic)} numerical ${JSON.stringify(r.numerical)}`,
        );
      }
    }),
    { numRuns: 2000 },
  );
});

test('random expressions: staged and fused graphs give the same value and gradients', () => {
  fc.assert(
    fc.property(expression, bindings, (source, all) => {
      const values = valuesFor(source, all);
      const staged = gradExpression(source, values, { mode: 'staged' });
      const fused = gradExpression(source, values, { mode: 'fused' });
      const close = (x: number, y: number) =>
        Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(x), Math.abs(y));
      assert.ok(close(staged.value as number, fused.value as number), `${source}: value`);
      for (const [name, g] of staged.gradients) {
        assert.ok(
          close(g as number, fused.gradients.get(name) as number),
          `${source}: d/d${name} ${String(g)} vs ${String(fused.gradients.get(name))}`,
        );
      }
    }),
    { numRuns: 1000 },
  );
});
