import { badArgument } from '../core/errors.js';
import { describe as describeValue } from '../core/validate.js';
import { ParseError, UnknownNameError, type Span } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { BinaryOperator, Expr, Step } from './ast.js';
import {
  BUILTIN_FUNCTIONS,
  checkExpressionOptions,
  FunctionTable,
  type FunctionSpec,
} from './functions.js';
import { tokenize, type Token } from './lexer.js';
import { checkLabels, checkSteps } from './program.js';
import { closestName } from './suggest.js';

/** Deeper nesting than this is refused with a clear error instead of overflowing the stack. */
const MAX_DEPTH = LIMITS.maxExpressionDepth;

/** The reductions whose two-argument form people write for the elementwise op. */
const TWO_VALUE_FORMS: Readonly<Record<string, string>> = { max: 'maximum', min: 'minimum' };

export interface ParseOptions {
  /** Functions beyond the built-ins (custom gates, see `defineGate`). */
  functions?: readonly FunctionSpec[];
}

/**
 * Parses an expression, or a program of named steps, into a tree whose every node keeps its
 * source span.
 *
 * Precedence, loosest first: `+ -`, then `* / @`, then unary minus, then `^` / `**`
 * (right-associative, so `2^3^2` = 2^9 and `-x^2` = -(x^2)), then the postfix `s[y]` and `W.T`.
 * Steps (`dot = w*x + b; f = sigmoid(dot)`) are separated by `;` or line breaks; each may use
 * the steps before it, and the last one is the output. Reductions take their axis as a keyword:
 * `sum(x, axis=1)`.
 *
 * @example
 * parse('(x + y) * z').kind // 'binary'
 * parse('q = x + y; f = q * z').kind // 'steps'
 */
export function parse(source: string, options: ParseOptions = {}): Expr {
  if (typeof source !== 'string') {
    throw badArgument(
      'parse',
      `argument source must be an expression (a string), got ${describeValue(source)}`,
    );
  }
  checkExpressionOptions('parse', options);
  if (source.length > LIMITS.maxExpressionLength) {
    throw new ParseError(
      source,
      { start: LIMITS.maxExpressionLength, end: source.length },
      `the expression is ${source.length} characters long; the limit is ${LIMITS.maxExpressionLength}`,
    );
  }
  const table = options.functions?.length
    ? new FunctionTable(options.functions)
    : BUILTIN_FUNCTIONS;
  return new Parser(source, table).parseProgram();
}

function join(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end of the expression';
  return t.text === '\n' ? 'a line break' : `'${t.text}'`;
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly functions: FunctionTable,
  ) {
    this.tokens = tokenize(source);
  }

  parseProgram(): Expr {
    const steps: Step[] = [];
    for (;;) {
      while (this.peek().kind === ';') this.take();
      if (this.peek().kind === 'end') break;
      steps.push(this.step());
      const t = this.peek();
      if (t.kind !== ';' && t.kind !== 'end') {
        const hint = t.kind === ')' ? 'this ) has no matching (' : `unexpected ${describe(t)}`;
        throw this.error(t, `${hint} after a complete expression`, [
          'an operator',
          "';' or a new line before the next step",
          'the end',
        ]);
      }
    }
    if (steps.length === 0) {
      throw this.error(this.peek(), 'the expression is empty', [
        'a number, a name or a function call',
      ]);
    }
    const [only] = steps;
    if (steps.length === 1 && only!.name === undefined) {
      checkLabels(this.source, [only!.value], new Set());
      return only!.value;
    }
    checkSteps(this.source, steps);
    return { kind: 'steps', steps, span: join(steps[0]!.span, steps.at(-1)!.span) };
  }

  /** `name = value`, or a bare value (allowed for the last step only; checked later). */
  private step(): Step {
    const t = this.peek();
    if (t.kind === 'name' && this.tokens[this.pos + 1]!.kind === '=') {
      this.take();
      this.take();
      if (this.functions.has(t.text)) {
        throw this.error(t, `'${t.text}' is a function: give the step another name`);
      }
      const value = this.additive();
      return { name: t.text, nameSpan: t.span, value, span: join(t.span, value.span) };
    }
    const value = this.additive();
    if (this.peek().kind === '=') {
      throw this.error(this.peek(), 'only a name can be given a value: write name = …', [
        'an operator',
      ]);
    }
    return { name: undefined, nameSpan: value.span, value, span: value.span };
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private take(): Token {
    return this.tokens[this.pos++]!;
  }

  private isOperator(...ops: string[]): boolean {
    const t = this.peek();
    return t.kind === 'operator' && ops.includes(t.text);
  }

  private error(t: Token, message: string, expected: string[] = []): ParseError {
    return new ParseError(this.source, t.span, message, expected);
  }

  private nested<T>(t: Token, f: () => T): T {
    if (++this.depth > MAX_DEPTH) {
      throw this.error(t, `the expression nests more than ${MAX_DEPTH} levels deep`);
    }
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOperator('+', '-')) {
      const op = this.take().text as BinaryOperator;
      const right = this.multiplicative();
      left = { kind: 'binary', op, left, right, span: join(left.span, right.span) };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isOperator('*', '/', '@')) {
      const op = this.take().text as BinaryOperator;
      const right = this.unary();
      left = { kind: 'binary', op, left, right, span: join(left.span, right.span) };
    }
    return left;
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.isOperator('-', '+')) {
      this.take();
      const arg = this.nested(t, () => this.unary());
      return t.text === '-' ? { kind: 'negate', arg, span: join(t.span, arg.span) } : arg;
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.postfix();
    if (this.isOperator('^', '**')) {
      const t = this.take();
      // The exponent may carry its own sign (2^-1) and is right-associative (2^3^2 = 2^9).
      const exponent = this.nested(t, () => this.unary());
      return {
        kind: 'binary',
        op: '^',
        left: base,
        right: exponent,
        span: join(base.span, exponent.span),
      };
    }
    return base;
  }

  /** `s[y]` and `W.T`, any number of times: `softmax(s)[y]`, `(W@x).T`. */
  private postfix(): Expr {
    let e = this.primary();
    for (;;) {
      const t = this.peek();
      if (t.kind === '[') {
        this.take();
        const index = this.labelIndex();
        const close = this.peek();
        if (close.kind !== ']') {
          throw this.error(close, `expected ']' to close the '[' at column ${t.span.start + 1}`, [
            "']'",
          ]);
        }
        this.take();
        e = { kind: 'index', target: e, index, span: join(e.span, close.span) };
      } else if (t.kind === '.') {
        this.take();
        const attr = this.peek();
        if (attr.kind !== 'name' || attr.text !== 'T') {
          throw this.error(
            attr.kind === 'name' ? attr : t,
            attr.kind === 'name'
              ? `unknown attribute '.${attr.text}': the only one is .T (transpose)`
              : `expected T after '.' (W.T is the transpose of W)`,
            ['T'],
          );
        }
        this.take();
        const span = join(e.span, attr.span);
        e = {
          kind: 'call',
          name: 'transpose',
          args: [e],
          span,
          nameSpan: join(t.span, attr.span),
        };
      } else {
        return e;
      }
    }
  }

  /** Inside `[…]`: a label variable or a whole number — the index picks, it is not computed. */
  private labelIndex(): Expr {
    const t = this.peek();
    const next = this.tokens[Math.min(this.pos + 1, this.tokens.length - 1)]!;
    const closes = next.kind === ']' || next.kind === 'end' || next.kind === ';';
    if (t.kind === 'name' && closes) {
      this.take();
      if (this.functions.has(t.text)) {
        throw this.error(t, `${t.text} is a function, not labels`, ['a label variable']);
      }
      return { kind: 'variable', name: t.text, span: t.span };
    }
    if (t.kind === 'number' && closes && Number.isInteger(Number(t.text))) {
      this.take();
      return { kind: 'number', value: Number(t.text), span: t.span };
    }
    if (t.kind === 'end' || t.kind === ']' || t.kind === ';') {
      throw this.error(t, `expected labels inside [ ], like s[y], found ${describe(t)}`, [
        'a name',
        'a whole number',
      ]);
    }
    // Point at everything up to the closing bracket (or the end).
    let last = this.pos;
    while (!['end', ']', ';'].includes(this.tokens[last + 1]!.kind)) last++;
    throw new ParseError(
      this.source,
      join(t.span, this.tokens[last]!.span),
      'an index is a label variable (s[y]) or a whole number (s[2]), not a computation',
      ['a name', 'a whole number'],
    );
  }

  private primary(): Expr {
    const t = this.take();
    switch (t.kind) {
      case 'number': {
        const value = Number(t.text);
        if (!Number.isFinite(value)) throw this.error(t, `the number ${t.text} is too large`);
        return { kind: 'number', value, span: t.span };
      }
      case 'name':
        return this.peek().kind === '(' ? this.call(t) : this.variable(t);
      case '(': {
        const inner = this.nested(t, () => this.additive());
        const close = this.peek();
        if (close.kind !== ')') {
          throw this.error(
            close,
            `expected ')' to close the '(' at column ${t.span.start + 1}, found ${describe(close)}`,
            ["')'"],
          );
        }
        this.take();
        return { ...inner, span: join(t.span, close.span) };
      }
      default: {
        const what =
          t.kind === 'end'
            ? 'the expression ends where a value is expected'
            : `expected a number, a name or '(' here, found ${describe(t)}`;
        throw this.error(t, what, ['a number', 'a name', "'('"]);
      }
    }
  }

  private variable(t: Token): Expr {
    if (this.functions.has(t.text)) {
      throw this.error(t, `${t.text} is a function: call it as ${t.text}(...)`, ["'('"]);
    }
    return { kind: 'variable', name: t.text, span: t.span };
  }

  private call(nameToken: Token): Expr {
    const name = nameToken.text;
    const spec = this.functions.get(name);
    if (!spec) {
      const known = this.functions.names();
      const suggestion = TWO_VALUE_FORMS[name] ?? closestName(name, known);
      throw new UnknownNameError(
        `unknown function '${name}'${suggestion ? ` — did you mean '${suggestion}'?` : ''}` +
          ` (known: ${known.join(', ')})`,
        { span: nameToken.span, source: this.source },
        suggestion,
      );
    }
    const open = this.take();
    const args: Expr[] = [];
    let axis: { value: number; span: Span } | undefined;
    this.nested(open, () => {
      if (this.peek().kind === ')') return;
      do {
        if (args.length > 0 || axis !== undefined) this.take();
        if (axis !== undefined) {
          throw this.error(this.peek(), `axis=… comes last in the call to ${name}`, ["')'"]);
        }
        if (this.peek().kind === 'name' && this.tokens[this.pos + 1]!.kind === '=') {
          axis = this.axisKeyword(spec);
        } else {
          args.push(this.additive());
        }
      } while (this.peek().kind === ',');
    });
    const close = this.peek();
    if (close.kind !== ')') {
      throw this.error(
        close,
        `expected ',' or ')' in the call to ${name}( at column ${open.span.start + 1}, found ${describe(close)}`,
        ["','", "')'"],
      );
    }
    this.take();
    const span = join(nameToken.span, close.span);
    if (!spec.arity.includes(args.length)) {
      const want = spec.arity.join(' or ');
      const two = TWO_VALUE_FORMS[name];
      const hint =
        two && args.length === 2
          ? ` — for the larger/smaller of two values write ${two}(a, b)`
          : spec.axis && args.length === 2
            ? ` — give an axis as ${name}(x, axis=1)`
            : '';
      throw new ParseError(
        this.source,
        span,
        `${name} takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}${hint}`,
      );
    }
    return {
      kind: 'call',
      name,
      args,
      ...(axis === undefined ? {} : { axis: axis.value }),
      span,
      nameSpan: nameToken.span,
    };
  }

  /** `axis=k` with k a whole number (negative counts from the end). */
  private axisKeyword(spec: FunctionSpec): { value: number; span: Span } {
    const key = this.take();
    this.take();
    if (key.text !== 'axis') {
      throw this.error(key, `unknown keyword '${key.text}=': the only keyword is axis=`, ['axis=']);
    }
    if (!spec.axis) throw this.error(key, `${spec.name} takes no axis`, ["')'"]);
    const sign = this.isOperator('-') ? this.take() : undefined;
    const t = this.take();
    const value = (sign ? -1 : 1) * Number(t.text);
    if (t.kind !== 'number' || !Number.isInteger(value)) {
      throw this.error(t, `axis= takes a whole number, like axis=1 or axis=-1`, ['a whole number']);
    }
    return { value, span: join(key.span, t.span) };
  }
}
