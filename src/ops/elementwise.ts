import { binaryOp, unaryOp, type CaseRandom } from '../core/op.js';
import { binary, unary } from './elementwise-function.js';
import {
  ADD_LOOPS,
  DIV_LOOPS,
  EXP_LOOPS,
  LOG_LOOPS,
  MUL_LOOPS,
  NEG_LOOPS,
  RELU_LOOPS,
  SIGMOID_LOOPS,
  SUB_LOOPS,
  TANH_LOOPS,
} from '../kernels/loops.js';

// Every elementwise op is its forward f and its local derivative; the helpers derive the VJP
// (upstream × local) and the wire explanation (global = local × upstream) from these. Each op
// and its public function live here, side by side: everything this module exports is part of
// the main entry, and each elementwise op becomes a Tensor and a Value method by itself.

const anyShape = { cases: (r: CaseRandom) => ({ shapes: [r.shape(0, 3, 4)] }) };
const twoShapes = {
  cases: (r: CaseRandom) => {
    const s = r.shape(0, 3, 4);
    return { shapes: [s, s] };
  },
};
/** Sign of the input: the branch a kinked op (relu, abs) took. */
const signs = ([x]: readonly ArrayLike<number>[]) => Array.from(x!, Math.sign);

export const addOp = binaryOp({
  name: 'add',
  label: {
    symbol: '+',
    gate: 'add gate',
    rule: 'add distributes: every input gets the upstream gradient unchanged',
    fold: (c) => (c.startsWith('-') ? c : `+${c}`),
  },
  f: (a, b) => a + b,
  da: () => 1,
  db: () => 1,
  loops: ADD_LOOPS,
  gradcheck: twoShapes,
});

export const subOp = binaryOp({
  name: 'sub',
  label: {
    symbol: '−',
    gate: 'subtract gate',
    rule: 'subtract passes the upstream gradient to the first input and its negative to the second',
    fold: (c, i) => (i === 1 ? `-${c}` : `${c}-`),
  },
  f: (a, b) => a - b,
  da: () => 1,
  db: () => -1,
  loops: SUB_LOOPS,
  gradcheck: twoShapes,
});

export const mulOp = binaryOp({
  name: 'mul',
  label: {
    symbol: '×',
    gate: 'multiply gate',
    rule: 'mul swaps: each input gets the other input’s value × the upstream gradient',
    fold: (c) => `*${c}`,
  },
  f: (a, b) => a * b,
  da: (_a, b) => b,
  db: (a) => a,
  loops: MUL_LOOPS,
  gradcheck: twoShapes,
});

export const divOp = binaryOp({
  name: 'div',
  label: {
    symbol: '÷',
    gate: 'divide gate',
    rule: 'divide: d(a/b)/da = 1/b and d(a/b)/db = −a/b²',
    fold: (c, i) => (i === 0 ? `${c}/x` : `/${c}`),
  },
  f: (a, b) => a / b,
  da: (_a, b) => 1 / b,
  db: (a, b) => -a / (b * b),
  loops: DIV_LOOPS,
  gradcheck: { ...twoShapes, domain: ['real', 'nonzero'] },
});

export const powOp = binaryOp({
  name: 'pow',
  label: {
    symbol: '^',
    gate: 'power gate',
    rule: 'power: d(aᵇ)/da = b·aᵇ⁻¹ and d(aᵇ)/db = aᵇ·ln a',
    fold: (c, i) => (i === 1 ? `^${c}` : `${c}^x`),
  },
  f: (a, b) => Math.pow(a, b),
  // As in PyTorch: a zero exponent has zero derivative (not 0·a⁻¹ = NaN at a = 0) …
  da: (a, b) => (b === 0 ? 0 : b * Math.pow(a, b - 1)),
  // … and aᵇ·ln a is taken as 0 at a = 0, b ≥ 0 (its limit), rather than 0·(−∞).
  db: (a, b, y) => (a === 0 && b >= 0 ? 0 : y * Math.log(a)),
  gradcheck: { ...twoShapes, domain: ['positive', 'real'] },
});

export const maximumOp = binaryOp({
  name: 'maximum',
  label: {
    symbol: 'max',
    gate: 'max gate',
    rule: 'max routes: the larger input gets the whole upstream gradient, the other gets 0',
    fold: (c) => `max(${c}, ·)`,
  },
  f: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  // Ties go to the first input, so exactly one wire carries the gradient.
  da: (a, b) => (a >= b ? 1 : 0),
  db: (a, b) => (a >= b ? 0 : 1),
  decisions: ([a, b]) => Array.from(a!, (x, i) => (x >= b![i]! ? 0 : 1)),
  expression: { summary: 'the larger of a and b, elementwise: the max gate of the slides' },
  gradcheck: { ...twoShapes, distinct: true },
});

export const minimumOp = binaryOp({
  name: 'minimum',
  label: {
    symbol: 'min',
    gate: 'min gate',
    rule: 'min routes: the smaller input gets the whole upstream gradient, the other gets 0',
    fold: (c) => `min(${c}, ·)`,
  },
  f: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  da: (a, b) => (a <= b ? 1 : 0),
  db: (a, b) => (a <= b ? 0 : 1),
  decisions: ([a, b]) => Array.from(a!, (x, i) => (x <= b![i]! ? 0 : 1)),
  expression: { summary: 'the smaller of a and b, elementwise' },
  gradcheck: { ...twoShapes, distinct: true },
});

export const negOp = unaryOp({
  name: 'neg',
  label: {
    symbol: '*-1',
    gate: 'negate gate',
    rule: 'negate flips the sign of the upstream gradient',
  },
  f: (x) => -x,
  df: () => -1,
  loops: NEG_LOOPS,
  gradcheck: anyShape,
});

export const expOp = unaryOp({
  name: 'exp',
  label: {
    symbol: 'exp',
    gate: 'exp gate',
    rule: 'exp: the local gradient is the output itself, eˣ',
  },
  f: Math.exp,
  df: (_x, y) => y,
  expression: { summary: 'eˣ' },
  loops: EXP_LOOPS,
  gradcheck: anyShape,
});

export const logOp = unaryOp({
  name: 'log',
  label: { symbol: 'log', gate: 'log gate', rule: 'log: the local gradient is 1/x' },
  f: Math.log,
  df: (x) => 1 / x,
  expression: { summary: 'natural logarithm' },
  loops: LOG_LOOPS,
  gradcheck: { ...anyShape, domain: 'positive' },
});

export const sqrtOp = unaryOp({
  name: 'sqrt',
  label: { symbol: '√', gate: 'square-root gate', rule: 'sqrt: the local gradient is 1/(2√x)' },
  f: Math.sqrt,
  df: (_x, y) => 0.5 / y,
  expression: { summary: 'square root' },
  gradcheck: { ...anyShape, domain: 'positive' },
});

export const absOp = unaryOp({
  name: 'abs',
  label: {
    symbol: '|x|',
    gate: 'abs gate',
    rule: 'abs passes the gradient times the sign of x (0 at 0)',
  },
  f: Math.abs,
  df: (x) => Math.sign(x),
  decisions: signs,
  expression: { summary: 'absolute value' },
  gradcheck: { ...anyShape, domain: 'nonzero' },
});

export const reciprocalOp = unaryOp({
  name: 'reciprocal',
  label: { symbol: '1/x', gate: 'reciprocal gate', rule: '1/x: the local gradient is −1/x²' },
  f: (x) => 1 / x,
  df: (_x, y) => -y * y,
  gradcheck: { ...anyShape, domain: 'nonzero' },
});

export const tanhOp = unaryOp({
  name: 'tanh',
  label: { symbol: 'tanh', gate: 'tanh gate', rule: 'tanh: the local gradient is 1 − tanh²(x)' },
  f: Math.tanh,
  df: (_x, y) => 1 - y * y,
  expression: { summary: 'hyperbolic tangent' },
  loops: TANH_LOOPS,
  gradcheck: anyShape,
});

export const sigmoidOp = unaryOp({
  name: 'sigmoid',
  label: { symbol: 'σ', gate: 'sigmoid gate', rule: 'σ: the local gradient is σ(x)·(1 − σ(x))' },
  // Two forms so that exp never overflows: large |x| stays finite on both sides.
  f: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  df: (_x, y) => y * (1 - y),
  expression: { summary: 'σ(x) = 1/(1+e⁻ˣ); staged mode draws it as *-1, exp, +1, 1/x' },
  loops: SIGMOID_LOOPS,
  gradcheck: anyShape,
});

export const reluOp = unaryOp({
  name: 'relu',
  label: {
    symbol: 'relu',
    gate: 'ReLU gate (max(0, x))',
    rule: 'relu routes like a max gate against 0: the gradient passes where x > 0, else 0',
  },
  f: (x) => (x > 0 ? x : 0),
  // relu'(0) = 0, the convention of PyTorch and CS231n.
  df: (x) => (x > 0 ? 1 : 0),
  decisions: signs,
  expression: { summary: 'max(0, x)' },
  loops: RELU_LOOPS,
  gradcheck: { ...anyShape, domain: 'nonzero' },
});

export const sinOp = unaryOp({
  name: 'sin',
  label: { symbol: 'sin', gate: 'sine gate', rule: 'sin: the local gradient is cos x' },
  f: Math.sin,
  df: (x) => Math.cos(x),
  expression: { summary: 'sine' },
  gradcheck: anyShape,
});

export const cosOp = unaryOp({
  name: 'cos',
  label: { symbol: 'cos', gate: 'cosine gate', rule: 'cos: the local gradient is −sin x' },
  f: Math.cos,
  df: (x) => -Math.sin(x),
  expression: { summary: 'cosine' },
  gradcheck: anyShape,
});

export const squareOp = unaryOp({
  name: 'square',
  label: {
    symbol: 'x²',
    gate: 'square gate',
    rule: 'square: the local gradient is 2x, twice the input',
  },
  f: (x) => x * x,
  df: (x) => 2 * x,
  expression: { summary: 'x², one gate (staged x^2 is a power gate)' },
  gradcheck: anyShape,
});

export const softplusOp = unaryOp({
  name: 'softplus',
  label: {
    symbol: 'softplus',
    gate: 'softplus gate (log(1 + eˣ))',
    rule: 'softplus: the local gradient is σ(x)',
  },
  // log(1 + eˣ) = x + log(1 + e⁻ˣ) for x > 0: exp never sees a large positive argument.
  f: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  df: (x) => sigmoidOp.scalar.f(x, 0),
  expression: { summary: 'log(1 + eˣ), a smooth relu' },
  gradcheck: anyShape,
});

/** a + b, elementwise with broadcasting. @example add(tensor([1, 2]), 1).toArray() // [2, 3] */
export const add = binary(addOp);
/** a − b, elementwise with broadcasting. */
export const sub = binary(subOp);
/** a × b, elementwise with broadcasting. @example mul(tensor(4), -3).item() // -12 */
export const mul = binary(mulOp);
/** a / b, elementwise with broadcasting. */
export const div = binary(divOp);
/** aᵇ, elementwise with broadcasting. */
export const pow = binary(powOp);
/** The larger of a and b, elementwise (the max gate: ties route the gradient to a). */
export const maximum = binary(maximumOp);
/** The smaller of a and b, elementwise (ties route the gradient to a). */
export const minimum = binary(minimumOp);
/** −x */
export const neg = unary(negOp);
/** eˣ */
export const exp = unary(expOp);
/** Natural logarithm. */
export const log = unary(logOp);
/** √x */
export const sqrt = unary(sqrtOp);
/** |x| (gradient 0 at 0). */
export const abs = unary(absOp);
/** 1/x */
export const reciprocal = unary(reciprocalOp);
/** Hyperbolic tangent. */
export const tanh = unary(tanhOp);
/** Logistic sigmoid 1/(1 + e⁻ˣ), computed without overflow. */
export const sigmoid = unary(sigmoidOp);
/** max(0, x), with relu'(0) = 0. */
export const relu = unary(reluOp);
/** sin x */
export const sin = unary(sinOp);
/** cos x */
export const cos = unary(cosOp);
/**
 * x², elementwise: the square gate of squared errors and L2 penalties (local gradient 2x), one
 * gate where pow(x, 2) draws two inputs.
 *
 * @example
 * square(tensor([-3, 0.5])).toArray() // [9, 0.25]
 */
export const square = unary(squareOp);
/**
 * log(1 + eˣ), elementwise and without overflow; its derivative is σ(x).
 *
 * @example
 * softplus(1000).item() // 1000
 */
export const softplus = unary(softplusOp);
