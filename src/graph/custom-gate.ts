/**
 * Write your own gate — the most direct exercise of the notes. A learner names a gate and gives
 * its forward formula of one variable and its local derivative, both read by the expression
 * parser (never evaluated as code). The derivative is judged against centered differences at
 * once; the gate can then be used in expressions, where it is drawn as one gate with its own
 * label, animated, and quizzed (its local gradient is the learner's derivative).
 */
import { ChainruleError, ParseError, type Span } from '../core/errors.js';
import type { Expr } from '../expr/ast.js';
import { variablesOf } from '../expr/ast.js';
// The function table loads the tensor and op modules in their working order (core/op.ts and
// core/tensor.ts import each other: op.ts must not be the first of the two to load).
import { BUILTIN_FUNCTIONS, functionOf, type FunctionSpec } from '../expr/functions.js';
import { unaryOp, type CaseRandom, type OpDef } from '../core/op.js';
import { parse } from '../expr/parser.js';
import { compileScalar, type ScalarFormula } from '../expr/scalar.js';
import { relErrorOverMax, type CheckStatus } from './gradcheck.js';
import { formatNumber } from './format.js';

export interface GateDefinition {
  /** The gate's name, used to call it (`softsign(x)`) and drawn on it. */
  name: string;
  /** The forward formula of one variable: `x/(1+abs(x))`. */
  forward: string;
  /** Its derivative with respect to that variable: `1/(1+abs(x))^2`. */
  derivative: string;
  /** The variable (default: the one the forward formula uses). */
  variable?: string;
}

/** The derivative judged at one point. */
export interface GatePoint {
  x: number;
  /** The learner's derivative at x. */
  analytic: number;
  /** (f(x+h) − f(x−h)) / 2h. */
  numerical: number;
  /** |a − n| / max(|a|, |n|); NaN where nothing was compared (a kink, outside the domain). */
  relError: number;
  /** A CS231n verdict, or `outside` where f or the derivative is not finite near x. */
  status: CheckStatus | 'outside';
}

export interface GateCheck {
  /** True when the derivative agrees everywhere it was compared. */
  passed: boolean;
  points: GatePoint[];
  /** In words: that it checks out, or where it disagrees, by how much, and any pattern in it. */
  explanation: string;
}

export interface CustomGate extends Required<GateDefinition> {
  /** The op behind the gate: an elementwise op like exp, with the learner's derivative. */
  op: OpDef;
  /** Pass to `parse`, `evaluateExpression`, `snapshotExpression`…: `{ functions: [gate.function] }`. */
  function: FunctionSpec;
  /** The numerical check of the derivative, run when the gate was defined. */
  check: GateCheck;
}

/** Where the derivative is checked: both signs, small and large, and 0 (often a kink). */
const POINTS = [-3, -2, -1.3, -0.7, -0.3, -0.1, 0, 0.1, 0.3, 0.7, 1.3, 2, 3];
const H = 1e-5;

/** A gate name is a plain identifier that does not shadow a built-in function. */
/** A gate name longer than this is refused: it is drawn on the gate and typed in expressions. */
const MAX_GATE_NAME = 64;

function checkName(name: string): void {
  if (name.length > MAX_GATE_NAME) {
    throw new ChainruleError(
      'bad_argument',
      `defineGate: the gate name is ${name.length} characters long; at most ${MAX_GATE_NAME}`,
    );
  }
  if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) {
    throw new ChainruleError(
      'bad_argument',
      `defineGate: the gate name '${name}' must be a name like softsign (letters, digits, _)`,
    );
  }
  if (BUILTIN_FUNCTIONS.has(name)) {
    throw new ChainruleError(
      'bad_argument',
      `defineGate: '${name}' is a built-in function already; give your gate another name`,
    );
  }
}

/** Parses one formula of the gate, refusing steps and other variables. */
function formula(
  text: string,
  variable: string | undefined,
  what: string,
): { expr: Expr; variable: string } {
  if (typeof text !== 'string') {
    throw new ChainruleError('bad_argument', `defineGate: the ${what} must be a string`);
  }
  const expr = parse(text);
  const vars = variablesOf(expr);
  const v = variable ?? vars[0];
  if (v === undefined) {
    throw new ParseError(
      text,
      { start: 0, end: text.length },
      `the ${what} must use the gate's variable (like x in x/(1+abs(x)))`,
    );
  }
  return { expr, variable: v };
}

/**
 * Defines a gate from its forward formula and its local derivative, and checks the derivative
 * numerically at once.
 *
 * @example
 * const softsign = defineGate({ name: 'softsign', forward: 'x/(1+abs(x))', derivative: '1/(1+abs(x))^2' });
 * softsign.check.passed // true
 * gradExpression('softsign(w*x)', { w: 2, x: 1 }, { functions: [softsign.function] }).gradients.get('w') // 0.111
 */
export function defineGate(definition: GateDefinition): CustomGate {
  if (definition === null || typeof definition !== 'object') {
    throw new ChainruleError('bad_argument', 'defineGate: give { name, forward, derivative }');
  }
  const { name } = definition;
  checkName(String(name));
  const fwd = formula(definition.forward, definition.variable, 'forward formula');
  const variable = fwd.variable;
  const der = formula(definition.derivative, variable, 'derivative');
  const f = compileScalar(fwd.expr, variable, definition.forward);
  const df = compileScalar(der.expr, variable, definition.derivative);
  const kinked = hasKinks(f);
  const op = unaryOp({
    name,
    label: {
      symbol: name,
      gate: `${name} gate (your own)`,
      rule: `${name}: the local gradient is your derivative ${definition.derivative}`,
    },
    f: (x) => f(x),
    df: (x) => df(x),
    ...(kinked
      ? {
          decisions: ([x]) =>
            Array.from(x!, (v) => {
              const d: number[] = [];
              f(v, d);
              // One number per element: the branches taken, in base 4 (each is −1, 0 or 1).
              return d.reduce((code, c) => code * 4 + c + 1, 0);
            }),
        }
      : {}),
    expression: { summary: `your gate: ${definition.forward}` },
    gradcheck: { cases: (r: CaseRandom) => ({ shapes: [r.shape(0, 2, 4)] }) },
  });
  return {
    name,
    variable,
    forward: definition.forward,
    derivative: definition.derivative,
    op,
    function: functionOf(op)!,
    check: checkDerivative(name, variable, f, df, kinked),
  };
}

/** Does the formula take a branch anywhere (abs, relu, maximum…)? */
function hasKinks(f: ScalarFormula): boolean {
  const d: number[] = [];
  f(0.5, d);
  return d.length > 0;
}

function checkDerivative(
  name: string,
  variable: string,
  f: ScalarFormula,
  df: ScalarFormula,
  kinked: boolean,
): GateCheck {
  const branches = (x: number) => {
    const d: number[] = [];
    const y = f(x, d);
    return { y, key: d.join() };
  };
  const points = POINTS.map((x): GatePoint => {
    const analytic = df(x);
    const [here, plus, minus] = [branches(x), branches(x + H), branches(x - H)];
    const numerical = (plus.y - minus.y) / (2 * H);
    const base = { x, analytic, numerical, relError: NaN };
    if (![analytic, plus.y, minus.y, here.y].every(Number.isFinite)) {
      return { ...base, status: 'outside' };
    }
    if (plus.key !== here.key || minus.key !== here.key) return { ...base, status: 'kink' };
    const relError = relErrorOverMax(analytic, numerical);
    const noise = 1e-9 * Math.max(1, Math.abs(plus.y), Math.abs(minus.y));
    const judged = Math.abs(analytic - numerical) <= noise ? 0 : relError;
    const status: CheckStatus =
      judged <= 1e-7 ? 'happy' : judged <= 1e-4 ? (kinked ? 'ok' : 'uncomfortable') : 'wrong';
    return { ...base, relError, status };
  });
  const failed = points.filter((p) => p.status === 'wrong' || p.status === 'uncomfortable');
  return {
    passed: failed.length === 0 && points.some((p) => p.status !== 'outside'),
    points,
    explanation: explain(name, variable, points, failed),
  };
}

const fmt = (x: number) => formatNumber(x, 4).replace(/\.?0+$/, '') || '0';

/** The check in words, with a pattern when the wrong points share one (a factor, a sign, an offset). */
function explain(
  name: string,
  variable: string,
  points: readonly GatePoint[],
  failed: readonly GatePoint[],
): string {
  const compared = points.filter((p) => !Number.isNaN(p.relError));
  const skippedAt = (status: GatePoint['status'], why: string) => {
    const xs = points.filter((p) => p.status === status).map((p) => fmt(p.x));
    return xs.length === 0 ? [] : [`${variable} = ${xs.join(', ')} (${why})`];
  };
  const skipped = [...skippedAt('kink', 'a kink'), ...skippedAt('outside', 'outside the domain')];
  const skippedText = skipped.length === 0 ? '' : ` Skipped ${skipped.join('; ')}.`;
  const d = `d${name}/d${variable}`;
  if (compared.length === 0) {
    return `${d} could not be compared anywhere: the formulas are not finite near the test points.${skippedText}`;
  }
  if (failed.length === 0) {
    const worst = Math.max(...compared.map((p) => p.relError));
    return (
      `${d} checks out at ${compared.length} points (largest relative error ` +
      `${worst === 0 ? '0' : worst.toExponential(0)}).${skippedText}`
    );
  }
  const worst = failed.reduce((a, b) => (b.relError > a.relError ? b : a));
  let text =
    `${d} is wrong: at ${variable} = ${fmt(worst.x)} your derivative gives ${fmt(worst.analytic)}, ` +
    `but the slope of ${name} there is ${fmt(worst.numerical)} (off by ` +
    `${fmt(Math.abs(worst.analytic - worst.numerical))}, relative error ${worst.relError.toPrecision(2)}). ` +
    `It disagrees at ${failed.length} of ${compared.length} points.`;
  const pattern = describePattern(failed);
  if (pattern) text += ` ${pattern}`;
  return text + skippedText;
}

function describePattern(failed: readonly GatePoint[]): string | undefined {
  if (failed.length < 2) return undefined;
  const same = (xs: number[]) =>
    xs.every((x) => Math.abs(x - xs[0]!) <= 1e-4 * Math.max(1, Math.abs(xs[0]!)));
  const ratios = failed.map((p) => p.analytic / p.numerical);
  if (failed.every((p) => p.numerical !== 0) && same(ratios)) {
    const r = ratios[0]!;
    return Math.abs(r + 1) < 1e-4
      ? 'Its sign is flipped everywhere.'
      : `It is ${fmt(r)} × the true slope everywhere: a constant factor is off.`;
  }
  const offsets = failed.map((p) => p.analytic - p.numerical);
  if (same(offsets))
    return `It is off by the same ${fmt(offsets[0]!)} everywhere: a constant term is off.`;
  return undefined;
}

/**
 * Reads gate definitions written as on the command line: `softsign(x) = x/(1+abs(x)); d/dx =
 * 1/(1+abs(x))^2`, several one after another. Errors point into `text`.
 *
 * @example
 * parseGateDefinitions('softsign(x) = x/(1+abs(x)); d/dx = 1/(1+abs(x))^2')[0]!.derivative // '1/(1+abs(x))^2'
 */
export function parseGateDefinitions(text: string): GateDefinition[] {
  return readDefinitions('parseGateDefinitions', text).map((d) => d.definition);
}

/**
 * Defines every gate written in `text` (see `parseGateDefinitions`); an error in a formula points
 * at its column in `text`.
 *
 * @example
 * defineGates('sq(x) = x^2; d/dx = 2*x')[0]!.check.passed // true
 */
export function defineGates(text: string): CustomGate[] {
  return readDefinitions('defineGates', text).map(({ definition, offsets }) => {
    try {
      return defineGate(definition);
    } catch (e) {
      if (e instanceof ChainruleError && e.span && e.source !== undefined && e.source !== text) {
        const offset = e.source === definition.forward ? offsets.forward : offsets.derivative;
        e.span = { start: e.span.start + offset, end: e.span.end + offset };
        e.source = text;
      }
      throw e;
    }
  });
}

/** The definitions in `text`, with where each formula starts in it. */
function readDefinitions(
  fn: string,
  text: string,
): { definition: Required<GateDefinition>; offsets: { forward: number; derivative: number } }[] {
  if (typeof text !== 'string') {
    throw new ChainruleError('bad_argument', `${fn}: the gate definitions must be a string`);
  }
  const parts: { text: string; span: Span }[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === ';' || text[i] === '\n') {
      if (text.slice(start, i).trim() !== '')
        parts.push({ text: text.slice(start, i), span: { start, end: i } });
      start = i + 1;
    }
  }
  const fail = (span: Span, message: string): never => {
    throw new ParseError(text, span, message, ['name(x) = formula; d/dx = derivative']);
  };
  if (parts.length === 0)
    fail({ start: 0, end: Math.max(1, text.length) }, 'the gate definition is empty');
  const gates: ReturnType<typeof readDefinitions> = [];
  for (let k = 0; k < parts.length; k += 2) {
    const head = /^\s*([\p{L}_][\p{L}\p{N}_]*)\s*\(\s*([\p{L}_][\p{L}\p{N}_]*)\s*\)\s*=/u.exec(
      parts[k]!.text,
    );
    if (!head) fail(parts[k]!.span, 'expected name(x) = formula, like softsign(x) = x/(1+abs(x))');
    const [, name, variable] = head!;
    const derivative = parts[k + 1];
    if (!derivative)
      fail(parts[k]!.span, `the derivative of ${name} is missing: add ; d/d${variable} = …`);
    const dHead = new RegExp(`^\\s*d\\s*(?:${name})?\\s*/\\s*d\\s*${variable}\\s*=`, 'u').exec(
      derivative!.text,
    );
    if (!dHead) fail(derivative!.span, `expected d/d${variable} = the derivative of ${name}`);
    /** The formula after `=`, trimmed, and where it starts in `text`. */
    const rest = (part: { text: string; span: Span }, headLength: number) => {
      const raw = part.text.slice(headLength);
      const lead = raw.length - raw.trimStart().length;
      return { formula: raw.trim(), at: part.span.start + headLength + lead };
    };
    const fwd = rest(parts[k]!, head![0].length);
    const der = rest(derivative!, dHead![0].length);
    gates.push({
      definition: {
        name: name!,
        variable: variable!,
        forward: fwd.formula,
        derivative: der.formula,
      },
      offsets: { forward: fwd.at, derivative: der.at },
    });
  }
  return gates;
}
