import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChainruleError } from '../../src/index.js';
import { formatWithCaret, parse } from '../../src/expr/index.js';
import { messageParts } from '../../web/error-parts.js';

/** The message with its caret that the page shows for an expression it cannot read. */
function messageOf(expr: string): string {
  try {
    parse(expr);
  } catch (error) {
    assert.ok(error instanceof ChainruleError, String(error));
    return formatWithCaret(error);
  }
  assert.fail(`${expr} was accepted`);
}

test('a parse error splits into its prose and one excerpt whose carets mark the column', () => {
  const expr = `${'x*y + '.repeat(40)}foo(x)`;
  const parts = messageParts(messageOf(expr));
  const excerpts = parts.flatMap((p) => ('excerpt' in p ? [p.excerpt] : []));
  assert.equal(excerpts.length, 1);
  const [line, carets] = excerpts[0]!.split('\n') as [string, string];
  const column = carets.search(/\^/);
  assert.equal(line.slice(column, column + 3), 'foo');
  assert.ok(parts.some((p) => 'prose' in p && p.prose.includes("unknown function 'foo'")));
});

test('messages without carets stay prose, line by line; two errors give two excerpts', () => {
  assert.deepEqual(messageParts('one\ntwo'), [{ prose: 'one' }, { prose: 'two' }]);
  const two = `${messageOf('x +* y')}\n\n${messageOf('foo(x)')}`;
  assert.equal(messageParts(two).filter((p) => 'excerpt' in p).length, 2);
  // A caret line alone, or under another caret line, is not an excerpt of the user's text.
  assert.deepEqual(messageParts('  ^^'), [{ prose: '  ^^' }]);
  assert.deepEqual(messageParts(' ^\n ^'), [{ prose: ' ^' }, { prose: ' ^' }]);
  assert.deepEqual(messageParts('a\n ^\n ^'), [{ excerpt: 'a\n ^' }, { prose: ' ^' }]);
});
