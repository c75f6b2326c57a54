import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { apply } from '../../src/core/apply.js';
import { Rng } from '../../src/core/random.js';
import { tensor } from '../../src/core/tensor.js';
import { checkGradients } from '../../src/graph/gradcheck.js';
import { ALL_OPS } from '../../src/ops/registry.js';
import { mul, sum } from '../../src/ops/index.js';
import { caseRandom, randomInputs } from '../support/random.js';

// Registry-driven: every op in ALL_OPS is checked against centered differences in float64 on
// random shapes and values from its own gradcheck spec. An op without a spec fails here.

test('every op has a gradient-check spec and a label', () => {
  for (const op of ALL_OPS) {
    assert.equal(typeof op.gradcheck?.cases, 'function', `${op.name} has no gradcheck.cases`);
    assert.ok(
      op.label.symbol && op.label.gate && op.label.rule,
      `${op.name} has an incomplete label`,
    );
  }
  const names = ALL_OPS.map((op) => op.name);
  assert.equal(new Set(names).size, names.length, 'op names are unique');
});

for (const op of ALL_OPS) {
  test(`gradient check: ${op.name}`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const rng = new Rng(seed);
        const spec = op.gradcheck;
        const { shapes, attrs = {}, fixed = {} } = spec.cases(caseRandom(rng));
        const inputs = randomInputs(rng, shapes, spec.domain, spec.distinct).map((x, i) =>
          fixed[i] ? tensor([...fixed[i]], { shape: shapes[i]! }) : x,
        );
        const probe = apply(op, inputs, attrs);
        // A random upstream gradient dy makes the check cover the whole Jacobian: L = Σ f(x)·dy.
        const dy = randomInputs(rng, [probe.shape])[0]!;
        const constant = new Set(spec.constantInputs ?? []);
        const f = (...xs: ReturnType<typeof tensor>[]) => {
          const full = inputs.map((x, i) => (constant.has(i) ? x : xs.shift()!));
          return sum(mul(apply(op, full, attrs), dy));
        };
        // Fourth-order differences, so the check's own truncation error stays far below 1e-7.
        const report = checkGradients(
          f,
          inputs.filter((_, i) => !constant.has(i)),
          { order: 4 },
        );
        const tolerance = spec.tolerance ?? 1e-7;
        for (const r of report.inputs) {
          assert.equal(
            r.kinks,
            0,
            `${op.name}: the domain should keep away from kinks (seed ${seed})`,
          );
          assert.ok(
            r.belowNoise || r.relError < tolerance,
            `${op.name} input ${r.name}: relative error ${r.relError} ≥ ${tolerance} ` +
              `(shapes ${JSON.stringify(shapes)}, attrs ${JSON.stringify(attrs)}, seed ${seed})`,
          );
        }
      }),
      { numRuns: 60 },
    );
  });
}
