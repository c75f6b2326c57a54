import { ParseError, UnknownNameError, type Span } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { BinaryOperator, Expr } from './ast.js';
import { FUNCTION_NAMES, functionSpec } from './functions.js';
import { tokenize, type Token } from './lexer.js';
import { closestName } from './suggest.js';

/** Deeper nesting than this is refused with a clear error instead of overflowing the stack. */
const MAX_DEPTH = LIMITS.maxExpressionDepth;

/**
 * Parses an infix expression into a tree whose every node keeps its source span.
 *
 * Precedence, loosest first: `+ -`, then `* / @`, then unary minus, then `^` / `**`
 * (right-associative, so `2^3^2` = 2^9 and `-x^2` = -(x^2)).
 *
 * @example
 * parse('(x + y) * z').kind // 'binary'
 */
export function parse(source: string): Expr {
  if (typeof source !== 'string') {
    throw new ParseError(String(source), { start: 0, end: 1 }, 'the expression must be a string');
  }
  if (source.length > LIMITS.maxExpressionLength) {
    throw new ParseError(
      source,
      { start: LIMITS.maxExpressionLength, end: source.length },
      `the expression is ${source.length} characters long; the limit is ${LIMITS.maxExpressionLength}`,
    );
  }
  return new Parser(source).parseAll();
}

function join(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

function describe(t: Token): string {
  return t.kind === 'end' ? 'the end of the expression' : `'${t.text}'`;
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private depth = 0;

  constructor(private readonly source: string) {
    this.tokens = tokenize(source);
  }

  parseAll(): Expr {
    if (this.peek().kind === 'end') {
      throw this.error(this.peek(), 'the expression is empty', [
        'a number, a name or a function call',
      ]);
    }
    const e = this.additive();
    const t = this.peek();
    if (t.kind !== 'end') {
      const hint = t.kind === ')' ? 'this ) has no matching (' : `unexpected ${describe(t)}`;
      throw this.error(t, `${hint} after a complete expression`, ['an operator', 'the end']);
    }
    return e;
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
    const base = this.primary();
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
    if (FUNCTION_NAMES.has(t.text)) {
      throw this.error(t, `${t.text} is a function: call it as ${t.text}(...)`, ["'('"]);
    }
    return { kind: 'variable', name: t.text, span: t.span };
  }

  private call(nameToken: Token): Expr {
    const name = nameToken.text;
    const spec = functionSpec(name);
    if (!spec) {
      const suggestion = closestName(name, FUNCTION_NAMES);
      throw new UnknownNameError(
        `unknown function '${name}'${suggestion ? ` — did you mean '${suggestion}'?` : ''}` +
          ` (known: ${[...FUNCTION_NAMES].join(', ')})`,
        { span: nameToken.span, source: this.source },
        suggestion,
      );
    }
    const open = this.take();
    const args: Expr[] = [];
    this.nested(open, () => {
      if (this.peek().kind !== ')') {
        args.push(this.additive());
        while (this.peek().kind === ',') {
          this.take();
          args.push(this.additive());
        }
      }
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
      throw new ParseError(
        this.source,
        span,
        `${name} takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`,
      );
    }
    return { kind: 'call', name, args, span, nameSpan: nameToken.span };
  }
}
