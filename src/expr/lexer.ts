import { badArgument } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import { describe } from '../core/validate.js';
import { ParseError, type Span } from '../core/errors.js';

export type TokenKind =
  | 'number'
  | 'name'
  | 'operator'
  | '('
  | ')'
  | ','
  | '['
  | ']'
  | '='
  | '.'
  /** A step separator: `;`, or a line break outside parentheses and brackets. */
  | ';'
  | 'end';

export interface Token {
  kind: TokenKind;
  /** The source text of the token (`**` for power, `1e-3` for a number). */
  text: string;
  span: Span;
}

const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[\p{L}_][\p{L}\p{N}_]*/uy;
const OPERATORS = ['**', '+', '-', '*', '/', '^', '@'];

/**
 * Splits an expression into tokens, each with its span. A line break separates steps (like `;`)
 * unless it is inside parentheses or brackets, where a long expression may wrap. Unknown
 * characters are a ParseError pointing at their column.
 */
export function tokenize(source: string): Token[] {
  if (typeof source !== 'string') {
    throw badArgument('tokenize', `argument source must be a string, got ${describe(source)}`);
  }
  if (source.length > LIMITS.maxExpressionLength) {
    throw new ParseError(
      source,
      { start: LIMITS.maxExpressionLength, end: source.length },
      `the text is ${source.length} characters long; the limit is ${LIMITS.maxExpressionLength}`,
    );
  }
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n' && depth === 0) {
      tokens.push({ kind: ';', text: '\n', span: { start: i, end: i + 1 } });
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    NAME.lastIndex = i;
    const number = NUMBER.exec(source);
    const name = number ? null : NAME.exec(source);
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    let kind: TokenKind;
    let text: string;
    if (number) {
      kind = 'number';
      text = number[0];
      // '2x' reads better as an error here than as two tokens later.
      NAME.lastIndex = i + text.length;
      const glued = NAME.exec(source);
      if (glued) {
        throw new ParseError(
          source,
          { start: i, end: i + text.length + glued[0].length },
          `'${text}${glued[0]}' is not a number or a name; write ${text}*${glued[0]} for a product`,
          ['an operator'],
        );
      }
    } else if (name) {
      kind = 'name';
      text = name[0];
    } else if (op) {
      kind = 'operator';
      text = op;
    } else if ('(),[]=;.'.includes(c)) {
      kind = c as TokenKind;
      text = c;
      if (c === '(' || c === '[') depth++;
      if ((c === ')' || c === ']') && depth > 0) depth--;
    } else {
      // A whole code point: a character outside the BMP is one character, not half of one.
      const code = source.codePointAt(i)!;
      const char = String.fromCodePoint(code);
      const shown = code < 32 || code === 127 ? `U+${code.toString(16).padStart(4, '0')}` : char;
      const span = { start: i, end: i + char.length };
      throw new ParseError(source, span, `unexpected character '${shown}'`, [
        'a number, a name, an operator or a parenthesis',
      ]);
    }
    tokens.push({ kind, text, span: { start: i, end: i + text.length } });
    i += text.length;
  }
  tokens.push({ kind: 'end', text: '', span: { start: source.length, end: source.length + 1 } });
  return tokens;
}
