import { LIMITS } from './limits.js';

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

/**
 * Runs `body` so that an error from a function it calls names the function the user called
 * first: `batchnormForward: batchNorm: gamma has shape …`, `Linear.forward: affine: …`. The error
 * keeps its class and code; one that already starts with `fn:` is left as it is.
 *
 * @example
 * within('affineRelu', () => 1) // 1
 */
export function within<T>(fn: string, body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (e instanceof ChainruleError && !e.message.startsWith(`${fn}:`)) {
      e.message = `${fn}: ${e.message}`;
    }
    throw e;
  }
}

/** `[2, 3]` — how shapes appear in every message. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/* eslint-disable no-control-regex -- matching control characters is the point here */
/**
 * Characters that change what a terminal does or how it orders text: C0 controls (ESC starts
 * escape sequences, CR rewrites the line), DEL, C1 controls (U+009B is a one-byte CSI), the line
 * separators, and the bidirectional controls that can make text read differently from its bytes
 * (U+202E, "Trojan Source"). Newline and tab are matched only when they are to be shown too.
 */
const CONTROL =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const CONTROL_OR_BREAK =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
/* eslint-enable no-control-regex */

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/**
 * Shows control characters visibly (`\u{1b}`), so that user text echoed to a terminal or a log
 * cannot move the cursor, set the title or reorder the line. `lineBreaks: 'keep'` (the default)
 * keeps newlines and tabs, for multi-line messages; `'show'` writes them as `\n` and `\t` too,
 * for text that must stay on one line.
 *
 * @example
 * escapeControls('x\u001b]0;pwned\u0007') // 'x\\u{1b}]0;pwned\\u{7}'
 */
export function escapeControls(text: string, lineBreaks: 'keep' | 'show' = 'keep'): string {
  return text.replace(
    lineBreaks === 'keep' ? CONTROL : CONTROL_OR_BREAK,
    (c) => NAMED[c] ?? `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
}

/** One character of an excerpt as shown: controls visibly, whitespace controls as a space. */
function shownChar(c: string): string {
  if (c === '\t' || c === '\n' || c === '\r') return ' ';
  return escapeControls(c);
}

/**
 * The message, and for errors that point into a source text, that text with a caret under the
 * offending columns:
 *
 *     expected ')' to close the '(' at column 3, found the end of the expression
 *       1/(1+exp(-x)
 *                   ^
 *
 * Columns are counted in code points (a character outside the Basic Multilingual Plane is one
 * character); control characters are shown visibly; a long source is clipped to a window of
 * LIMITS.excerptChars characters around the column, marked with … at the cut ends.
 */
export function formatWithCaret(error: Error): string {
  if (error === null || typeof error !== 'object') {
    throw badArgument(
      'formatWithCaret',
      `argument error must be an error, got ${String(typeof error)}`,
    );
  }
  if (!(error instanceof ChainruleError) || !error.span || error.source === undefined) {
    return error.message;
  }
  const { span, source } = error;
  const chars: string[] = [];
  let start = -1;
  let end = -1;
  let offset = 0;
  for (const c of source) {
    if (start < 0 && offset >= span.start) start = chars.length;
    if (end < 0 && offset >= span.end) end = chars.length;
    chars.push(c);
    offset += c.length;
  }
  // A span at (or past) the end points just after the last character.
  if (start < 0) start = chars.length;
  if (end < 0) end = span.end > offset ? chars.length + 1 : chars.length;
  end = Math.max(end, start + 1);
  const window = LIMITS.excerptChars;
  let from = 0;
  let to = chars.length;
  if (chars.length > window) {
    from = Math.max(0, Math.min(start - Math.floor(window / 3), chars.length - window));
    to = Math.min(chars.length, from + window);
  }
  const shown = chars.slice(from, to).map(shownChar);
  const lead = from > 0 ? '…' : '';
  const tail = to < chars.length ? '…' : '';
  // Display width in code points: an escape like \u{1b} is 6 columns, an emoji is 1.
  const widthOf = (a: number, b: number) =>
    shown.slice(a - from, b - from).reduce((w, s) => w + Array.from(s).length, 0);
  const pad = lead.length + widthOf(from, start);
  const caretEnd = Math.min(end, to + 1);
  const width = Math.max(1, widthOf(start, Math.min(caretEnd, to)) + (caretEnd > to ? 1 : 0));
  return `${error.message}\n  ${lead}${shown.join('')}${tail}\n  ${' '.repeat(pad)}${'^'.repeat(width)}`;
}
