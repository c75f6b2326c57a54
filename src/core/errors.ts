/**
 * Errors are data: every error chainrule throws on purpose is a ChainruleError with a `code`
 * a program can switch on, and a message a person can act on. Errors about an expression also
 * carry the source and the span, so they can be shown with a caret under the column.
 */

export type ErrorCode =
  | 'parse_error'
  | 'shape_mismatch'
  | 'non_finite'
  | 'no_gradient'
  | 'bad_argument'
  | 'unknown_name'
  | 'missing_value'
  | 'internal';

/** A character range [start, end) in a source text. */
export interface Span {
  start: number;
  end: number;
}

export class ChainruleError extends Error {
  readonly code: ErrorCode;
  /** Where in `source` the problem is, when the error comes from an expression. */
  span: Span | undefined;
  source: string | undefined;

  constructor(code: ErrorCode, message: string, where: { span?: Span; source?: string } = {}) {
    super(message);
    this.name = 'ChainruleError';
    this.code = code;
    this.span = where.span;
    this.source = where.source;
  }

  /** Points the error at `span` of `source` unless it already points somewhere. */
  locate(span: Span, source: string | undefined): this {
    if (this.span === undefined) {
      this.span = span;
      this.source = source;
    }
    return this;
  }
}

/** A shape rule was broken: the message names the op, the argument(s) and the shapes. */
export class ShapeError extends ChainruleError {
  readonly op: string;
  readonly shapes: readonly (readonly number[])[];
  constructor(op: string, shapes: readonly (readonly number[])[], message: string) {
    super('shape_mismatch', `${op}: ${message}`);
    this.name = 'ShapeError';
    this.op = op;
    this.shapes = shapes;
  }
}

/** A NaN or ±Infinity appeared; `op` and `phase` say where it was first produced. */
export class NonFiniteError extends ChainruleError {
  readonly op: string;
  readonly phase: 'forward' | 'backward';
  constructor(op: string, phase: 'forward' | 'backward', message: string, span?: Span) {
    super('non_finite', message, span ? { span } : {});
    this.name = 'NonFiniteError';
    this.op = op;
    this.phase = phase;
  }
}

/** An expression (or a value) could not be read: `expected` says what would fit at `span`. */
export class ParseError extends ChainruleError {
  readonly expected: readonly string[];
  constructor(source: string, span: Span, message: string, expected: readonly string[] = []) {
    super('parse_error', message, { span, source });
    this.name = 'ParseError';
    this.expected = expected;
  }
}

/** A name that is not known; `suggestion` is the closest known one, if any is close. */
export class UnknownNameError extends ChainruleError {
  readonly suggestion: string | undefined;
  constructor(message: string, where: { span?: Span; source?: string } = {}, suggestion?: string) {
    super('unknown_name', message, where);
    this.name = 'UnknownNameError';
    this.suggestion = suggestion;
  }
}

/** Bad input to a public function: the message names the function and the argument. */
export function badArgument(fn: string, message: string): ChainruleError {
  return new ChainruleError('bad_argument', `${fn}: ${message}`);
}

/** `[2, 3]` — how shapes appear in every message. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * The message, and for errors that point into a source text, that text with a caret under the
 * offending columns:
 *
 *     expected ')' to close the '(' at column 3, found the end of the expression
 *       1/(1+exp(-x)
 *                   ^
 */
export function formatWithCaret(error: Error): string {
  if (!(error instanceof ChainruleError) || !error.span || error.source === undefined) {
    return error.message;
  }
  const { span, source } = error;
  // Control characters (a pasted tab or newline) would shift the caret: show them as spaces.
  const shown = Array.from(source, (c) => (c.charCodeAt(0) < 32 || c === '\u007f' ? ' ' : c)).join(
    '',
  );
  const width = Math.max(1, Math.min(span.end, shown.length + 1) - span.start);
  return `${error.message}\n  ${shown}\n  ${' '.repeat(span.start)}${'^'.repeat(width)}`;
}
