import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChainruleError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { checkInteger, checkNumber, checkRng, describe, quote } from '../../src/core/validate.js';

// The argument checks every public function uses: how bad values and user text appear in a
// message, and the ranges the number checks take.

const refused = (re: RegExp) => (e: unknown) => e instanceof ChainruleError && re.test(e.message);

test('quote: user text quoted, every terminal control shown visibly, cut on a whole character', () => {
  assert.equal(quote('plain'), '"plain"');
  assert.equal(quote('a"b\\c'), '"a\\"b\\\\c"');
  // C0 (ESC, BEL, CR), C1 (U+009B is a one-byte CSI), bidi (U+202E) and line separators.
  assert.equal(
    quote('\u001b]0;x\u0007\r\u009b31m\u202e\u2028'),
    '"\\u{1b}]0;x\\u{7}\\r\\u{9b}31m\\u{202e}\\u{2028}"',
  );
  assert.equal(quote('a\nb\tc'), '"a\\nb\\tc"');
  assert.equal(quote('x'.repeat(50), 10), `"${'x'.repeat(10)}…"`);
  // A cut through an emoji keeps the whole emoji out rather than half of it.
  assert.equal(quote(`${'x'.repeat(9)}😀`, 10), `"${'x'.repeat(9)}…"`);
});

test('describe: how a bad value appears in a message', () => {
  assert.equal(describe(null), 'null');
  assert.equal(describe(Number.NaN), 'NaN');
  assert.equal(describe('a\u009bb'), 'the string "a\\u{9b}b"');
  assert.equal(describe([2, 3]), 'the list [2, 3]');
  assert.equal(describe(['a']), 'a list of 1');
  assert.equal(describe(new Array<number>(9).fill(1)), 'a list of 9');
  assert.equal(describe(10n), 'the bigint 10n');
  assert.equal(describe(Symbol('s')), 'a symbol');
});

test('checkNumber and checkInteger: open and closed ends, safe integers, what the message shows', () => {
  assert.equal(checkNumber('f', 'options.p', 0.5, { min: 0, minOpen: true, max: 1 }), 0.5);
  assert.throws(
    () => checkNumber('f', 'options.p', 0, { min: 0, minOpen: true, max: 1 }),
    refused(/^f: options\.p must be a finite number in \(0, 1\], got 0$/),
  );
  assert.throws(
    () => checkNumber('f', 'x', 1, { max: 1, maxOpen: true }),
    refused(/^f: argument x must be a finite number < 1, got 1$/),
  );
  assert.throws(
    () => checkInteger('f', 'n', -1, 0),
    refused(/^f: argument n must be an integer ≥ 0, got -1$/),
  );
  assert.throws(() => checkInteger('f', 'n', 2 ** 60), refused(/must be an integer, got/));
  assert.equal(checkInteger('f', 'n', 7, 1, 7), 7);
  assert.throws(() => checkInteger('f', 'n', 8, 1, 7), refused(/an integer in \[1, 7\], got 8/));
});

test('checkRng: an Rng, not a look-alike', () => {
  const rng = new Rng(1);
  assert.equal(checkRng('f', 'options.rng', rng), rng);
  assert.throws(
    () => checkRng('f', 'options.rng', { next: () => 0.5 }),
    refused(/^f: options\.rng must be a seeded generator \(new Rng\(seed\)\), got an object/),
  );
});
