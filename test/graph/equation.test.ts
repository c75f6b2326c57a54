import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EXAMPLES } from '../../src/expr/index.js';
import {
  explainEdge,
  explainNode,
  roundingRadius,
  showProduct,
  showSum,
  snapshotExpression,
} from '../../src/graph/index.js';

// "Numbers that add up": every equation shown multiplies (or adds) out at the precision printed.
// The checks below do the reader's arithmetic exactly, on the printed text, with their own
// decimal reader — they share no code with the library.

/** A printed number as an exact fraction n / 10^k (k may be negative for 1.5e+6). */
function exact(text: string): { n: bigint; k: number } {
  const m = /^(-?)(\d+)(?:\.(\d*))?(?:e([+-]\d+))?$/.exec(text);
  assert.ok(m, `not a printed number: ${text}`);
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const k = (m[3]?.length ?? 0) - Number(m[4] ?? 0);
  return { n: BigInt(digits) * (m[1] ? -1n : 1n), k };
}

/** Are a and b (exact) equal to `shown` after rounding half away from zero at shown's digits? */
function roundsToShown(value: { n: bigint; k: number }, shown: string): boolean {
  const r = exact(shown);
  const k = Math.max(value.k, r.k) + 1;
  const up = (x: { n: bigint; k: number }) => x.n * 10n ** BigInt(k - x.k);
  const v = up(value);
  const s = up(r);
  const half = 5n * 10n ** BigInt(k - r.k - 1);
  const abs = (x: bigint) => (x < 0n ? -x : x);
  const d = abs(v - s);
  return d < half || (d === half && abs(s) > abs(v));
}

const times = (a: { n: bigint; k: number }, b: { n: bigint; k: number }) => ({
  n: a.n * b.n,
  k: a.k + b.k,
});
const plus = (a: { n: bigint; k: number }, b: { n: bigint; k: number }) => {
  const k = Math.max(a.k, b.k);
  return { n: a.n * 10n ** BigInt(k - a.k) + b.n * 10n ** BigInt(k - b.k), k };
};

/** The numbers of a printed value: `(-0.20)`, `[1.00, [2.00]]` → their texts. */
function numbers(text: string): string[] {
  return [...text.matchAll(/-?\d+(?:\.\d+)?(?:e[+-]\d+)?/g)].map((m) => m[0]);
}

/** Checks `A × B = C` (elementwise, a single number pairing with every element). */
function multipliesOut(a: string, b: string, c: string): boolean {
  const [xa, xb, xc] = [numbers(a), numbers(b), numbers(c)];
  return xc.every((r, i) =>
    roundsToShown(
      times(exact(xa[xa.length === 1 ? 0 : i]!), exact(xb[xb.length === 1 ? 0 : i]!)),
      r,
    ),
  );
}

const magnitude = fc.oneof(
  fc.double({ min: -10, max: 10, noNaN: true }),
  fc.double({ min: -1e4, max: 1e4, noNaN: true }),
  fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
  fc.integer({ min: -50, max: 50 }).map((n) => n / 8),
  fc.double({ min: -1e7, max: 1e7, noNaN: true }),
);

test('showProduct: the printed factors multiply out to the printed product, or the relation is ≈', () => {
  let approx = 0;
  let runs = 0;
  fc.assert(
    fc.property(magnitude, magnitude, fc.integer({ min: 0, max: 6 }), (a, b, p) => {
      runs++;
      const eq = showProduct(a, b, a * b, p);
      assert.equal(eq.result, showProduct(1, a * b, a * b, p).result, 'the result is as printed');
      if (eq.relation === '≈') {
        approx++;
        return;
      }
      const [fa, fb] = eq.operands as [string, string];
      assert.ok(
        roundsToShown(times(exact(fa), exact(fb)), eq.result),
        `${fa} × ${fb} does not round to ${eq.result}`,
      );
    }),
    { numRuns: 5000 },
  );
  assert.ok(approx < runs / 100, `≈ on ${approx} of ${runs} products`);
});

test('showSum: the printed terms add up to the printed total, or the relation is ≈', () => {
  fc.assert(
    fc.property(
      fc.array(magnitude, { minLength: 2, maxLength: 5 }),
      fc.integer({ min: 0, max: 4 }),
      (terms, p) => {
        const total = terms.reduce((s, t) => s + t, 0);
        const eq = showSum(terms, total, p);
        if (eq.relation === '≈') return;
        const sum = eq.operands.map(exact).reduce(plus);
        assert.ok(roundsToShown(sum, eq.result), `${eq.operands.join(' + ')} ≠ ${eq.result}`);
      },
    ),
    { numRuns: 3000 },
  );
});

test('arrays multiply out element by element, also against a single number', () => {
  fc.assert(
    fc.property(
      fc.array(magnitude, { minLength: 1, maxLength: 4 }),
      magnitude,
      fc.integer({ min: 0, max: 4 }),
      (xs, c, p) => {
        const eq = showProduct(
          xs,
          c,
          xs.map((x) => x * c),
          p,
        );
        if (eq.relation === '=')
          assert.ok(multipliesOut(eq.operands[0]!, eq.operands[1]!, eq.result));
      },
    ),
    { numRuns: 1000 },
  );
});

test('the lecture’s bad example is gone: 2 × 0.1966 shows as (2.00) × (0.197) = 0.39', () => {
  assert.deepEqual(showProduct(2, 0.19661193324148185, 0.3932238664829637, 2), {
    operands: ['2.00', '0.197'],
    relation: '=',
    result: '0.39',
  });
  // Factors that already multiply out keep the plain two decimals.
  assert.deepEqual(showProduct(-1, 0.19661193324148185, -0.19661193324148185, 2).operands, [
    '-1.00',
    '0.20',
  ]);
  // An exact tie rounds away from zero, as toFixed prints it and as people round.
  assert.deepEqual(showProduct(0.25, 0.5, 0.125, 2), {
    operands: ['0.25', '0.50'],
    relation: '=',
    result: '0.13',
  });
  assert.equal(roundingRadius('0.39'), 0.005);
  assert.equal(roundingRadius('-12'), 0.5);
  assert.equal(roundingRadius('1.50e+6'), 5000);
});

test('no caption of any example shows factors or terms that give another number than the one printed', () => {
  const equation = /= (\(.+?\)|\[.+?\]) × (\(.+?\)|\[.+?\]) (=|≈) (.+)$/;
  const sum = /= ((?:\(?-?[\d.e+-]+\)?)(?: \+ \(?-?[\d.e+-]+\)?)+) (=|≈) (-?[\d.e+-]+) \(/;
  let checked = 0;
  for (const ex of EXAMPLES) {
    for (const mode of ['staged', 'fused'] as const) {
      for (const p of [0, 1, 2, 3, 4]) {
        const s = snapshotExpression(ex.expression, ex.values, { mode });
        for (const e of s.edges) {
          const m = equation.exec(explainEdge(s, e, p));
          if (!m || m[3] === '≈') continue;
          assert.ok(multipliesOut(m[1]!, m[2]!, m[4]!), `${ex.name} ${mode} p=${p}: ${m[0]}`);
          checked++;
        }
        for (const n of s.nodes) {
          const m = sum.exec(explainNode(s, n, p));
          if (!m || m[2] === '≈') continue;
          const total = numbers(m[1]!).map(exact).reduce(plus);
          assert.ok(roundsToShown(total, m[3]!), `${ex.name} ${mode} p=${p}: ${m[0]}`);
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 500, `only ${checked} equations checked`);
});
