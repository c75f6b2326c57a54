import { badArgument } from '../core/errors.js';
import { checkArray, describe } from '../core/validate.js';
import { ChainruleError, ParseError } from '../core/errors.js';
import type { NestedArray } from '../core/nested.js';
import { flattenNested } from '../core/nested.js';
import { tokenize, type Token } from './lexer.js';

/**
 * Reads a value written on a command line or in a form: a number (`-1`, `1e-3`, `.5`) or a
 * nested list of numbers (`[[0.1, 0.5], [-0.3, 0.8]]`). Never evaluated as code.
 *
 * @example
 * parseValue('[[1, 2], [3, -4]]') // [[1, 2], [3, -4]]
 */
export function parseValue(source: string): NestedArray {
  if (typeof source !== 'string') {
    throw badArgument('parseValue', `argument source must be a string, got ${describe(source)}`);
  }
  const tokens = tokenize(source);
  let pos = 0;
  const fail = (t: Token, message: string): never => {
    throw new ParseError(source, t.span, message, ['a number', "'['"]);
  };
  const read = (depth: number): NestedArray => {
    const t = tokens[pos++]!;
    if (depth > 32) fail(t, 'the list nests too deeply');
    const number = (n: Token, sign: number): number => {
      const v = sign * Number(n.text);
      return Number.isFinite(v) ? v : fail(n, `the number ${n.text} is too large for float64`);
    };
    if (t.kind === 'operator' && (t.text === '-' || t.text === '+')) {
      const n = tokens[pos++]!;
      if (n.kind !== 'number') fail(n, `expected a number after '${t.text}'`);
      return number(n, t.text === '-' ? -1 : 1);
    }
    if (t.kind === 'number') return number(t, 1);
    if (t.kind === '[') {
      const items: NestedArray[] = [];
      if (tokens[pos]!.kind === ']') fail(tokens[pos]!, 'empty lists are not values');
      for (;;) {
        items.push(read(depth + 1));
        const sep = tokens[pos++]!;
        if (sep.kind === ']') return items;
        if (sep.kind !== ',')
          fail(sep, `expected ',' or ']' in the list, found '${sep.text || 'the end'}'`);
      }
    }
    return fail(
      t,
      t.kind === 'end' ? 'a value is missing' : `expected a number or a list, found '${t.text}'`,
    );
  };
  const value = read(0);
  if (tokens[pos]!.kind !== 'end') fail(tokens[pos]!, 'unexpected text after the value');
  try {
    flattenNested('value', value);
  } catch (e) {
    throw new ParseError(
      source,
      { start: 0, end: source.length },
      (e as Error).message.replace(/^value: /, ''),
    );
  }
  return value;
}

/**
 * Reads `name=value` assignments (`w0=2`, `W=[[1,2],[3,4]]`) into a map, refusing repeated
 * names and malformed pairs with a message that says how to write them.
 */
export function parseAssignments(args: readonly string[]): Map<string, NestedArray> {
  checkArray('parseAssignments', 'args', args).forEach((a, i) => {
    if (typeof a !== 'string') {
      throw badArgument(
        'parseAssignments',
        `args[${i}] must be a string like x=3, got ${describe(a)}`,
      );
    }
  });
  const out = new Map<string, NestedArray>();
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const name = arg.slice(0, eq).trim();
    if (eq < 0 || !/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) {
      throw new ChainruleError(
        'bad_argument',
        `'${arg}' is not an assignment: write variable values as name=value, e.g. x=3 or W=[[1,2],[3,4]]`,
      );
    }
    if (out.has(name))
      throw new ChainruleError('bad_argument', `the variable '${name}' is given twice`);
    const text = arg.slice(eq + 1);
    try {
      out.set(name, parseValue(text));
    } catch (e) {
      if (e instanceof ParseError) {
        const span = e.span ?? { start: 0, end: text.length };
        throw new ParseError(
          arg,
          { start: span.start + eq + 1, end: span.end + eq + 1 },
          `value of ${name}: ${e.message}`,
        );
      }
      throw e;
    }
  }
  return out;
}
