import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChainruleError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { findExample, gradExpression, parse, variablesOf } from '../../src/expr/index.js';
import type { NestedArray } from '../../src/index.js';

// 10,000 random expressions through gradExpression: 0 raw exceptions, 0 calls over 2 s, 0 silent
// NaN and 0 wrong answers. Values are compared with a tiny evaluator written here (it reads the
// generated tree, never the library's parser, and applies the documented precedence itself);
// gradients with its centered differences. A second stream mutates the strings (inserted,
// deleted and replaced characters, controls and astral characters included) and asks only for a
// clear error or a finite answer. Some expressions are programs of named steps (`p = …; …p…`),
// and a third stream mutates the lecture's tensor programs (softmax, vectorized SVM). FUZZ_COUNT
// changes the number (`npm run fuzz` runs 200,000).

const COUNT = Number(process.env.FUZZ_COUNT ?? 10_000);
const VARS = ['a', 'b', 'c'] as const;
/** The name of a named step, usable as a variable by the expression after it. */
const STEP = 'p';
type Env = Record<string, number>;

/** A generated expression: its source and how to compute it (flagging any non-finite step). */
interface Gen {
  src: string;
  /** An atom needs no parentheses around it. */
  atom: boolean;
  kinked: boolean;
  f: (env: Env, bad: Flags) => number;
}

/**
 * What the evaluation met: a non-finite value; an overflow inside σ, which the staged form
 * (exp, +1, 1/x) meets as Infinity while the fused σ gate stays finite; an input exactly on a
 * kink (relu/abs at 0, a max/min tie), where the library applies its documented convention
 * (relu'(0) = 0, ties to the first input) rather than a derivative.
 */
interface Flags {
  nonFinite: boolean;
  overflowInside?: boolean;
  onKink?: boolean;
  /** Some value on the way exceeded 1e6: finite differences of 1e-5 drown in its rounding. */
  large?: boolean;
}

const fin = (x: number, bad: Flags) => {
  if (!Number.isFinite(x)) bad.nonFinite = true;
  if (Math.abs(x) > 1e6) bad.large = true;
  return x;
};

const UNARY: Record<string, (x: number) => number> = {
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  relu: (x) => (x > 0 ? x : 0),
  sin: Math.sin,
  cos: Math.cos,
  sum: (x) => x,
  mean: (x) => x,
  max: (x) => x,
  logsumexp: (x) => x,
  transpose: (x) => x,
  softplus: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))),
  square: (x) => x * x,
};
const KINKED = new Set(['abs', 'relu', 'maximum', 'minimum']);
const BINARY: Record<string, (x: number, y: number) => number> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
  '^': Math.pow,
  '**': Math.pow,
};
/**
 * A binary operator, flagging a power of 0: x^y has no derivative there (its slope in y, x^y·ln x,
 * runs off to −∞ as x → 0), and the library applies PyTorch's convention (0) instead.
 */
function binary(op: string, x: number, y: number, bad: Flags): number {
  if ((op === '^' || op === '**') && x === 0) bad.onKink = true;
  return fin(BINARY[op]!(x, y), bad);
}

const CONSTANTS = ['0', '1', '2', '3', '0.5', '.25', '2.', '1e-3', '1.5e1', '100', '7'];

function space(r: Rng): string {
  return r.next() < 0.15 ? ' ' : r.next() < 0.03 ? '\t' : '';
}

function paren(g: Gen): string {
  return g.atom ? g.src : `(${g.src})`;
}

function gen(r: Rng, depth: number, vars: readonly string[] = VARS): Gen {
  const roll = r.next();
  if (depth <= 0 || roll < 0.2) {
    if (r.next() < 0.6) {
      const v = vars[r.int(0, vars.length - 1)]!;
      return { src: v, atom: true, kinked: false, f: (env) => env[v]! };
    }
    const c = CONSTANTS[r.int(0, CONSTANTS.length - 1)]!;
    return { src: c, atom: true, kinked: false, f: () => Number(c) };
  }
  if (roll < 0.3) {
    const x = gen(r, depth - 1, vars);
    return {
      src: `-${space(r)}${paren(x)}`,
      atom: false,
      kinked: x.kinked,
      f: (env, bad) => fin(-x.f(env, bad), bad),
    };
  }
  if (roll < 0.55) {
    const names = Object.keys(UNARY);
    const name = names[r.int(0, names.length - 1)]!;
    const x = gen(r, depth - 1, vars);
    return {
      src: `${name}(${space(r)}${x.src}${space(r)})`,
      atom: true,
      kinked: x.kinked || KINKED.has(name),
      f: (env, bad) => {
        const v = x.f(env, bad);
        if (name === 'sigmoid' && !Number.isFinite(Math.exp(-v))) bad.overflowInside = true;
        if ((name === 'abs' || name === 'relu') && v === 0) bad.onKink = true;
        return fin(UNARY[name]!(v), bad);
      },
    };
  }
  if (roll < 0.65) {
    const name = r.next() < 0.5 ? 'maximum' : 'minimum';
    const [x, y] = [gen(r, depth - 1, vars), gen(r, depth - 1, vars)];
    // The max gate: ties go to the first input (the value is the same either way).
    const pick =
      name === 'maximum'
        ? (p: number, q: number) => (p >= q ? p : q)
        : (p: number, q: number) => (p <= q ? p : q);
    return {
      src: `${name}(${x.src},${space(r)}${y.src})`,
      atom: true,
      kinked: true,
      f: (env, bad) => {
        const [p, q] = [x.f(env, bad), y.f(env, bad)];
        if (p === q) bad.onKink = true;
        return fin(pick(p, q), bad);
      },
    };
  }
  if (roll < 0.85) {
    const ops = Object.keys(BINARY);
    const op = ops[r.int(0, ops.length - 1)]!;
    const [x, y] = [gen(r, depth - 1, vars), gen(r, depth - 1, vars)];
    return {
      src: `${paren(x)}${space(r)}${op}${space(r)}${paren(y)}`,
      atom: false,
      kinked: x.kinked || y.kinked,
      f: (env, bad) => binary(op, x.f(env, bad), y.f(env, bad), bad),
    };
  }
  return chain(r, depth, vars);
}

/**
 * Atoms joined by operators without parentheses, evaluated here by the documented precedence
 * (loosest first: + −, then * /, then unary minus, then ^ right-associative), so that the
 * parser's precedence is checked against an independent reading.
 */
function chain(r: Rng, depth: number, vars: readonly string[]): Gen {
  const n = r.int(2, 4);
  const atoms = Array.from({ length: n }, () => {
    const g = gen(r, Math.min(depth - 1, 1), vars);
    return g.atom ? g : { ...g, src: `(${g.src})`, atom: true };
  });
  const ops = Array.from({ length: n - 1 }, () => ['+', '-', '*', '/', '^'][r.int(0, 4)]!);
  const negate = atoms.map(() => r.next() < 0.15);
  let src = '';
  atoms.forEach((a, i) => {
    // A leading minus binds looser than ^ (-x^2 = -(x^2)); after ^ it is the exponent's sign.
    src += `${negate[i] ? '-' : ''}${a.src}`;
    if (i < ops.length) src += `${space(r)}${ops[i]}${space(r)}`;
  });
  const f = (env: Env, bad: Flags): number => {
    const vals = atoms.map((a) => a.f(env, bad));
    // Powers first, right to left; a minus in front of an operand of ^ applies after it, except
    // on the exponent (2^-1), where it is the exponent's own sign.
    type Term = { v: number; neg: boolean };
    let terms: Term[] = vals.map((v, i) => ({ v, neg: negate[i]! }));
    let rest = [...ops];
    for (let i = rest.length - 1; i >= 0; i--) {
      if (rest[i] !== '^') continue;
      const base = terms[i]!;
      const expo = terms[i + 1]!;
      const power = fin(Math.pow(base.v, expo.neg ? -expo.v : expo.v), bad);
      terms = [...terms.slice(0, i), { v: power, neg: base.neg }, ...terms.slice(i + 2)];
      rest = [...rest.slice(0, i), ...rest.slice(i + 1)];
    }
    let values = terms.map((t) => (t.neg ? -t.v : t.v));
    for (let i = 0; i < rest.length;) {
      if (rest[i] === '*' || rest[i] === '/') {
        const v = binary(rest[i]!, values[i]!, values[i + 1]!, bad);
        values = [...values.slice(0, i), v, ...values.slice(i + 2)];
        rest = [...rest.slice(0, i), ...rest.slice(i + 1)];
      } else i++;
    }
    let total = values[0]!;
    rest.forEach((op, i) => (total = binary(op, total, values[i + 1]!, bad)));
    return total;
  };
  return { src, atom: false, kinked: atoms.some((a) => a.kinked), f };
}

/**
 * A program of two steps, `p = <first>; <then>`, where <then> reads p (a `- p` is appended when
 * it happens not to, since an unused step is an error): evaluated here by substituting p's value.
 */
function program(r: Rng, depth: number): Gen {
  const first = gen(r, depth);
  let then = gen(r, depth, [...VARS, STEP]);
  if (!/\bp\b/.test(then.src)) {
    const body = then;
    then = {
      src: `${paren(body)} - ${STEP}`,
      atom: false,
      kinked: body.kinked,
      f: (env, bad) => fin(body.f(env, bad) - env[STEP]!, bad),
    };
  }
  return {
    src: `${STEP}${space(r)}=${space(r)}${first.src};${space(r)}${then.src}`,
    atom: false,
    kinked: first.kinked || then.kinked,
    f: (env, bad) => then.f({ ...env, [STEP]: first.f(env, bad) }, bad),
  };
}

function randomValue(r: Rng): number {
  const roll = r.next();
  if (roll < 0.1) return 0;
  if (roll < 0.15) return [1, -1, 2, 50, -50][r.int(0, 4)]!;
  return Math.round(r.uniform(-3, 3) * 1e4) / 1e4;
}

/**
 * The centered difference of f in variable v, or undefined at a kink (or where the math is not
 * finite nearby): there the one-sided slopes differ, and no single derivative exists to compare.
 */
function numericGrad(g: Gen, env: Env, v: keyof Env): number | undefined {
  const bad: Flags = { nonFinite: false };
  const at = (d: number) => g.f({ ...env, [v]: env[v]! + d }, bad);
  const h = 1e-5 * Math.max(1, Math.abs(env[v]!));
  const [minus, here, plus] = [at(-h), at(0), at(h)];
  const [minusHalf, plusHalf] = [at(-h / 2), at(h / 2)];
  if (bad.nonFinite) return undefined;
  const left = (here - minus) / h;
  const right = (plus - here) / h;
  // Richardson's extrapolation of two centered differences: error O(h⁴), so that a fast
  // oscillation (cos(b·a⁷), slope 1,700) is still resolved.
  const centered = (4 * ((plusHalf - minusHalf) / h) - (plus - minus) / (2 * h)) / 3;
  const scale = Math.max(1, Math.abs(centered));
  return Math.abs(left - right) <= 1e-3 * scale ? centered : undefined;
}

interface Tally {
  raw: string[];
  slow: string[];
  nan: string[];
  wrong: string[];
  errors: number;
  answered: number;
  gradientsCompared: number;
}

function timed<T>(tally: Tally, what: string, f: () => T): T {
  const started = performance.now();
  try {
    return f();
  } finally {
    const ms = performance.now() - started;
    if (ms > 2000) tally.slow.push(`${ms.toFixed(0)} ms: ${what.slice(0, 120)}`);
  }
}

/** gradExpression on a generated expression, judged against the evaluator above. */
function judgeGenerated(tally: Tally, g: Gen, env: Env, mode: 'staged' | 'fused'): void {
  const values = Object.fromEntries(variablesOf(parse(g.src)).map((v) => [v, env[v]!]));
  let result: ReturnType<typeof gradExpression>;
  try {
    result = timed(tally, g.src, () => gradExpression(g.src, values, { mode }));
  } catch (e) {
    if (!(e instanceof ChainruleError)) {
      tally.raw.push(`${String(e)}: ${g.src}`);
      return;
    }
    tally.errors++;
    const bad: Flags = { nonFinite: false };
    const expected = g.f(env, bad);
    // A clear error where the math is fine (finite all the way) would be wrong too.
    const mathFails = bad.nonFinite || (mode === 'staged' && bad.overflowInside === true);
    if (
      e.code !== 'non_finite' ||
      (!mathFails && Number.isFinite(expected) && e.message.includes('forward'))
    ) {
      tally.wrong.push(
        `${e.code} (${e.message.slice(0, 80)}) for ${g.src} at ${JSON.stringify(values)} = ${expected}`,
      );
    }
    return;
  }
  tally.answered++;
  const value = result.value as number;
  const bad: Flags = { nonFinite: false };
  const expected = g.f(env, bad);
  if (Number.isNaN(value) || [...result.gradients.values()].some((x) => Number.isNaN(x))) {
    tally.nan.push(`${g.src} at ${JSON.stringify(values)}`);
    return;
  }
  if (bad.nonFinite || !Number.isFinite(expected)) {
    tally.wrong.push(
      `answered ${value} where the math is not finite: ${g.src} at ${JSON.stringify(values)}`,
    );
    return;
  }
  if (Math.abs(value - expected) > 1e-9 * Math.max(1, Math.abs(expected))) {
    tally.wrong.push(`value ${value}, expected ${expected}: ${g.src} at ${JSON.stringify(values)}`);
    return;
  }
  if (bad.large) return; // rounding of a large value would swamp the finite differences
  if (bad.onKink) return; // the convention at a kink, not a derivative
  for (const [name, grad] of result.gradients) {
    const n = numericGrad(g, env, name);
    if (n === undefined || Math.abs(n) > 1e6) continue; // a kink or a pole: nothing to compare
    tally.gradientsCompared++;
    const g0 = grad as number;
    if (Math.abs(g0 - n) > 1e-4 * Math.max(1, Math.abs(g0), Math.abs(n))) {
      tally.wrong.push(`d/d${name} ${g0}, numerically ${n}: ${g.src} at ${JSON.stringify(values)}`);
    }
  }
}

const NOISE = [
  '(',
  ')',
  ',',
  '+',
  '-',
  '*',
  '/',
  '^',
  '@',
  '**',
  'x',
  'e',
  '.',
  '1',
  ' ',
  '[',
  ']',
  '\u001b',
  '\u0000',
  '\u202e',
  '\u009b',
  '😀',
  'é',
  '\n',
  '#',
  '"',
  'sigmoid(',
  'max(',
  '1e999',
  ';',
  '=',
  'p =',
  '.T',
  '[0]',
  '[y]',
  ', axis=1',
  'softmax(',
  '@',
];

/** The lecture's tensor programs, mutated: a clear error or a finite answer, nothing else. */
const TENSOR_PROGRAMS = ['softmax', 'svm-vectorized', 'vectorized', 'sigmoid-steps'].map((name) =>
  findExample(name)!,
);

/** A generated expression with a few random edits: must give a clear error or a finite answer. */
function judgeMutated(tally: Tally, r: Rng, g: Gen): void {
  judgeMutatedSource(tally, r, g.src, (names) =>
    Object.fromEntries(names.map((n) => [n, randomValue(r)])),
  );
}

function judgeMutatedSource(
  tally: Tally,
  r: Rng,
  source: string,
  valuesFor: (names: string[]) => Record<string, NestedArray>,
): void {
  let src = source;
  for (let k = r.int(1, 3); k > 0; k--) {
    const at = r.int(0, src.length);
    const roll = r.next();
    const noise = NOISE[r.int(0, NOISE.length - 1)]!;
    src =
      roll < 0.4
        ? src.slice(0, at) + noise + src.slice(at)
        : roll < 0.7
          ? src.slice(0, at) + src.slice(at + 1)
          : src.slice(0, at) + noise + src.slice(at + 1);
  }
  try {
    const names = timed(tally, src, () => variablesOf(parse(src)));
    const values = valuesFor(names);
    const result = timed(tally, src, () => gradExpression(src, values));
    tally.answered++;
    const numbers = [result.value, ...result.gradients.values()].flat(8) as number[];
    if (numbers.some((x) => Number.isNaN(x))) tally.nan.push(JSON.stringify(src));
  } catch (e) {
    if (e instanceof ChainruleError) tally.errors++;
    else tally.raw.push(`${String(e)}: ${JSON.stringify(src).slice(0, 120)}`);
  }
}

test(`fuzz: ${COUNT} random expressions — no raw exception, no hang, no silent NaN, no wrong answer`, () => {
  const r = new Rng(20_260_101);
  const tally: Tally = {
    raw: [],
    slow: [],
    nan: [],
    wrong: [],
    errors: 0,
    answered: 0,
    gradientsCompared: 0,
  };
  for (let i = 0; i < COUNT; i++) {
    const g = i % 5 === 1 ? program(r, r.int(1, 4)) : gen(r, r.int(1, 6));
    if (i % 8 === 7) {
      const ex = TENSOR_PROGRAMS[r.int(0, TENSOR_PROGRAMS.length - 1)]!;
      // Values of the example where it names them; a random number for a name a mutation made.
      judgeMutatedSource(tally, r, ex.expression, (names) =>
        Object.fromEntries(names.map((n) => [n, ex.values[n] ?? randomValue(r)])),
      );
    } else if (i % 4 === 3) {
      judgeMutated(tally, r, g);
    } else {
      const env: Env = { a: randomValue(r), b: randomValue(r), c: randomValue(r) };
      judgeGenerated(tally, g, env, i % 2 === 0 ? 'fused' : 'staged');
    }
  }
  console.log(
    `expression fuzz: ${COUNT} expressions, ${tally.answered} answered, ${tally.errors} clear errors, ` +
      `${tally.gradientsCompared} gradients compared; raw ${tally.raw.length}, slow ${tally.slow.length}, ` +
      `NaN ${tally.nan.length}, wrong ${tally.wrong.length}`,
  );
  assert.deepEqual(tally.raw.slice(0, 10), [], 'raw exceptions');
  assert.deepEqual(tally.slow.slice(0, 10), [], 'calls over 2 s');
  assert.deepEqual(tally.nan.slice(0, 10), [], 'silent NaN');
  assert.deepEqual(tally.wrong.slice(0, 10), [], 'wrong answers');
  assert.ok(
    tally.answered > COUNT / 3 && tally.gradientsCompared > COUNT / 3,
    'the fuzz reaches answers',
  );
});
