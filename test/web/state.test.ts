import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse as parseExpression, variablesOf } from '../../src/expr/index.js';
import {
  defaultState,
  MAX_HASH_LENGTH,
  MAX_PRECISION,
  parse,
  serialize,
  type PageState,
} from '../../web/state.js';
import { expression } from '../support/expressions.js';

/** A value as the editor writes it: a number, or a nested list of numbers. */
const valueText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc
    .array(fc.integer({ min: -99, max: 99 }), { minLength: 1, maxLength: 4 })
    .map((a) => JSON.stringify(a)),
  fc
    .array(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 2, maxLength: 2 }), {
      minLength: 1,
      maxLength: 3,
    })
    .map((a) => JSON.stringify(a)),
);

const state: fc.Arbitrary<PageState> = fc
  .record({
    expr: expression,
    texts: fc.array(valueText, { minLength: 3, maxLength: 3 }),
    mode: fc.constantFrom('staged' as const, 'fused' as const),
    precision: fc.integer({ min: 0, max: MAX_PRECISION }),
    step: fc.oneof(fc.constant('end' as const), fc.nat({ max: 5000 })),
    quiz: fc.boolean(),
    open: fc.oneof(
      fc.constantFrom('auto' as const, 'flat' as const, 'all' as const),
      fc.uniqueArray(
        fc.nat({ max: 999 }).map((k) => `g${k}`),
        { maxLength: 6 },
      ),
    ),
    unroll: fc.boolean(),
    embed: fc.boolean(),
    gates: fc.constantFrom(
      [],
      [{ name: 'softsign', variable: 'x', forward: 'x/(1+abs(x))', derivative: '1/(1+abs(x))^2' }],
      [
        { name: 'sq', variable: 't', forward: 't^2', derivative: '3*t' },
        { name: 'cube', variable: 'u', forward: 'u*u*u', derivative: '3*u^2' },
      ],
    ),
  })
  .map(({ expr, texts, ...rest }) => ({
    ...rest,
    expr,
    values: new Map(variablesOf(parseExpression(expr)).map((name, i) => [name, texts[i]!])),
  }));

/** Every state parse returns is one the page can show: its expression parses. */
function assertValid(s: PageState): void {
  assert.doesNotThrow(() => parseExpression(s.expr));
  assert.deepEqual([...s.values.keys()], variablesOf(parseExpression(s.expr)));
  assert.ok(s.mode === 'staged' || s.mode === 'fused');
  assert.ok(Number.isInteger(s.precision) && s.precision >= 0 && s.precision <= MAX_PRECISION);
  assert.ok(s.step === 'end' || (Number.isInteger(s.step) && s.step >= 0));
  assert.equal(typeof s.quiz, 'boolean');
  assert.equal(typeof s.unroll, 'boolean');
  assert.ok(
    ['auto', 'flat', 'all'].includes(s.open as string) ||
      (Array.isArray(s.open) && s.open.every((g: string) => /^g\d+$/.test(g))),
  );
}

test('an empty hash is the default page: the CS231n sigmoid neuron, staged, finished', () => {
  for (const hash of ['', '#', '   ']) {
    const r = parse(hash);
    assert.ok(r.ok);
    assert.deepEqual(r.state, defaultState());
  }
  const s = defaultState();
  assert.equal(s.expr, '1/(1+exp(-(w0*x0+w1*x1+w2)))');
  assert.deepEqual(
    [...s.values],
    [
      ['w0', '2'],
      ['x0', '-1'],
      ['w1', '-3'],
      ['x1', '-2'],
      ['w2', '-3'],
    ],
  );
  assert.equal(s.mode, 'staged');
  // The page opens at the start, so the learner presses Play; a link may say otherwise.
  assert.equal(s.step, 0);
  assert.equal(s.embed, false);
  assert.deepEqual(s.gates, []);
});

test('serialize then parse gives the same state back (random states)', () => {
  fc.assert(
    fc.property(state, (s) => {
      const hash = serialize(s);
      assert.ok(hash.startsWith('#'));
      const r = parse(hash);
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.deepEqual(r.state, s);
      assert.equal(serialize(r.state), hash, 'stable');
    }),
    { numRuns: 400 },
  );
});

test('parse is total: any string gives a valid state, and a message when it is not a link we wrote', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.webQueryParameters()),
      (text) => {
        const r = parse(text);
        assertValid(r.state);
        if (!r.ok) {
          assert.match(
            r.error,
            /^This link could not be read, so the default example is shown instead\.\n/,
          );
          assert.deepEqual(r.state, defaultState());
        }
      },
    ),
    { numRuns: 1000 },
  );
});

test('hostile hashes give the default state and a message that quotes them as text', () => {
  const cases: [string, RegExp][] = [
    ['#expr=<script>alert(1)</script>', /expression cannot be read/],
    ['#expr=x&v.<script>=1', /'<script>' is not a variable name/],
    ['#expr=x&v.x=<img src=x onerror=alert(1)>', /value of 'x' cannot be read/],
    ['#expr=x*y&v.x=1', /'y' has no value/],
    ['#expr=x&v.x=1&v.y=2', /'y', which is not a variable/],
    ['#expr=x&v.x=1&v.x=2', /'v.x' is given twice/],
    ['#javascript:alert(1)', /is not a setting/],
    ['#__proto__=1', /is not a setting/],
    ['#mode=eval', /'mode' must be/],
    ['#precision=99', /'precision' must be a whole number from 0 to 6/],
    ['#precision=1e1', /'precision'/],
    ['#step=-1', /'step'/],
    ['#step=Infinity', /'step'/],
    ['#quiz=yes', /'quiz' must be 0 or 1/],
    ['#open=g1,layer', /'open' must be auto, flat, all, or group ids/],
    ['#open=<b>', /'open' must be/],
    ['#unroll=true', /'unroll' must be 0 or 1/],
    ['#expr=' + 'x+'.repeat(20_000) + 'x', /longer than/],
    ['#expr=' + '('.repeat(5000) + 'x' + ')'.repeat(5000), /./],
    ['#expr=%E0%A4%A', /expression cannot be read/],
  ];
  for (const [hash, message] of cases) {
    const r = parse(hash);
    assert.equal(r.ok, false, hash.slice(0, 60));
    if (r.ok) continue;
    assert.match(r.error, message, hash.slice(0, 60));
    assert.deepEqual(r.state, defaultState());
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('a variable called __proto__ is just a name', () => {
  const r = parse('#expr=__proto__*2&v.__proto__=3');
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.state.values.get('__proto__'), '3');
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
});

test('a link without an expression adjusts the default example', () => {
  const r = parse('#v.w0=5&precision=3&step=4&quiz=1');
  assert.ok(r.ok);
  assert.equal(r.state.values.get('w0'), '5');
  assert.equal(r.state.values.get('x0'), '-1');
  assert.equal(r.state.precision, 3);
  assert.equal(r.state.step, 4);
  assert.equal(r.state.quiz, true);
});

test('a link with an expression brings its own values, in the order of the expression', () => {
  const r = parse('#v.z=-4&expr=(x%2By)*z&v.y=5&v.x=-2');
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual(
    [...r.state.values],
    [
      ['x', '-2'],
      ['y', '5'],
      ['z', '-4'],
    ],
  );
});

test('open groups and the unroll switch travel in the link', () => {
  const r = parse('#open=g0,g3,g0&unroll=1');
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual(r.state.open, ['g0', 'g3']);
  assert.equal(r.state.unroll, true);
  assert.match(serialize(r.state), /&open=g0%2Cg3&unroll=1/);
  const closed = parse('#open=');
  assert.ok(closed.ok);
  assert.deepEqual(closed.state.open, []);
  assert.equal(parse('#open=flat').state.open, 'flat');
});

test('hashes longer than the limit are refused before parsing', () => {
  const r = parse('#' + 'a'.repeat(MAX_HASH_LENGTH + 1));
  assert.equal(r.ok, false);
});

test('embed and custom gates are read from a link, and left out of it when unused', () => {
  const r = parse(
    '#expr=softsign(w*x)&v.w=2&v.x=1&embed=1&step=3' +
      '&gates=' +
      encodeURIComponent('softsign(x) = x/(1+abs(x)); d/dx = 1/(1+abs(x))^2'),
  );
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.state.embed, true);
  assert.equal(r.state.step, 3);
  assert.deepEqual(r.state.gates, [
    { name: 'softsign', variable: 'x', forward: 'x/(1+abs(x))', derivative: '1/(1+abs(x))^2' },
  ]);
  assert.deepEqual([...r.state.values.keys()], ['w', 'x']);
  const plain = serialize(defaultState());
  assert.doesNotMatch(plain, /embed=|gates=/);
  assert.match(serialize(r.state), /&embed=1&gates=softsign/);
  // Without its gate, the expression is not one the page can read.
  assert.equal(parse('#expr=softsign(w*x)&v.w=2&v.x=1').ok, false);
});

test('hostile or broken gates in a link give the default page and a reason', () => {
  const gate = (text: string) => `#gates=${encodeURIComponent(text)}`;
  for (const [hash, reason] of [
    [gate('exp(x) = x; d/dx = 1'), /built-in/],
    [gate('<script>(x) = x; d/dx = 1'), /name\(x\) = formula/],
    [gate('f(x) = alert(1); d/dx = 1'), /alert/],
    [gate('f(x) = x'), /derivative of f is missing/],
    [gate('f(x) = x; d/dx = 1; f(x) = 2*x; d/dx = 2'), /twice/],
    [gate('g(x) = x; d/dx = 1; '.repeat(9)), /at most 8|twice/i],
    [gate('f(x) = x; d/dx = ' + '1+'.repeat(1100) + '1'), /longer than 2000/],
    ['#embed=yes', /'embed'/],
  ] as const) {
    const r = parse(hash);
    assert.equal(r.ok, false, hash);
    assert.match(r.ok ? '' : r.error, reason, hash);
    assert.deepEqual(r.state, defaultState());
  }
  const many = Array.from({ length: 9 }, (_, i) => `g${i}(x) = x; d/dx = 1`).join('; ');
  assert.match((parse(gate(many)) as { error: string }).error, /at most 8 gates/i);
});
