import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  localTimesUpstream,
  localTimesUpstream2,
  map1,
  map2,
} from '../../src/kernels/elementwise.js';
import type { BinaryLoops, UnaryLoops } from '../../src/kernels/loops.js';
import { ALL_OPS } from '../../src/ops/registry.js';

// The hand-written loops of the hot elementwise ops (kernels/loops.ts) must compute exactly what
// the op's own f and derivatives give through the generic kernels: same bits, NaN, ±0 and ±∞
// included, in float64 and float32. Driven by the registry: an op that gains loops is checked.

const special = [
  0,
  -0,
  1,
  -1,
  0.5,
  -2.5,
  1e-310,
  -1e-310,
  1e300,
  -1e300,
  710,
  -745,
  Infinity,
  -Infinity,
  NaN,
];
const value = fc.oneof(fc.constantFrom(...special), fc.double({ noNaN: false }));
const arrays = (n: number) =>
  fc.array(fc.array(value, { minLength: n, maxLength: n }), { minLength: 4, maxLength: 4 });

function sameBits(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Object.is(actual[i], expected[i]), `${what}[${i}]: ${actual[i]} ≠ ${expected[i]}`);
  }
}

const unaryOps = ALL_OPS.filter((op) => op.loops && op.scalar?.arity === 1);
const binaryOps = ALL_OPS.filter((op) => op.loops && op.scalar?.arity === 2);

test('the hot ops have loops (relu, tanh, sigmoid, exp, log, neg, add, sub, mul, div)', () => {
  const names = [...unaryOps, ...binaryOps].map((op) => op.name).sort();
  assert.deepEqual(names, [
    'add',
    'div',
    'exp',
    'log',
    'mul',
    'neg',
    'relu',
    'sigmoid',
    'sub',
    'tanh',
  ]);
});

for (const Float of [Float64Array, Float32Array]) {
  for (const op of unaryOps) {
    test(`${op.name} loops equal f and df bit for bit (${Float.name})`, () => {
      const rule = op.scalar!;
      const loops = op.loops as UnaryLoops;
      const f = (x: number) => rule.f(x, 0);
      const df = (x: number, y: number) => rule.da(x, 0, y);
      fc.assert(
        fc.property(arrays(20), ([xs, gs]) => {
          const x = Float.from(xs!);
          const g = Float.from(gs!);
          const y = map1(x, f, new Float(x.length));
          const fast = new Float(x.length);
          loops.forward(x, fast);
          sameBits(fast, y, `${op.name} forward`);
          const want = localTimesUpstream(x, y, g, df, new Float(x.length));
          const got = new Float(x.length);
          loops.vjp(x, y, g, got);
          sameBits(got, want, `${op.name} vjp`);
        }),
        { numRuns: 100 },
      );
    });
  }
  for (const op of binaryOps) {
    test(`${op.name} loops equal f, da and db bit for bit (${Float.name})`, () => {
      const { f, da, db } = op.scalar!;
      const loops = op.loops as BinaryLoops;
      fc.assert(
        fc.property(arrays(20), ([as, bs, gs]) => {
          const [a, b, g] = [Float.from(as!), Float.from(bs!), Float.from(gs!)];
          const y = map2(a, b, f, new Float(a.length));
          const fast = new Float(a.length);
          loops.forward(a, b, fast);
          sameBits(fast, y, `${op.name} forward`);
          [da, db].forEach((d, i) => {
            const want = localTimesUpstream2(a, b, y, g, d, new Float(a.length));
            const got = new Float(a.length);
            loops.vjp[i as 0 | 1](a, b, y, g, got);
            sameBits(got, want, `${op.name} vjp ${i}`);
          });
        }),
        { numRuns: 100 },
      );
    });
  }
}
