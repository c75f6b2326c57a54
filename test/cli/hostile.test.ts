import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ChainruleError, ParseError, formatWithCaret } from '../../src/core/errors.js';
import { LIMITS } from '../../src/core/limits.js';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/io.js';

// The CLI under hostile arguments: every case exits 1 with a short, escaped message and no stack
// trace; nothing can abort the process (resvg panics on an absurd zoom) or run for minutes.

const BIN = join(import.meta.dirname, '../../dist/cli/main.js');

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  assert.ok(existsSync(BIN), `build first: ${BIN} is missing (npm run build)`);
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** What must never reach a terminal raw (newlines aside). */
// eslint-disable-next-line no-control-regex -- the point: none of these may reach the terminal
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** A user error: exit 1, the message matches, no stack trace, no raw control character. */
function userError(r: { code: number; stderr: string }, pattern: RegExp, what: string): void {
  assert.equal(r.code, 1, `${what}: exit ${r.code}\n${r.stderr}`);
  assert.match(r.stderr, pattern, what);
  assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: no stack trace`);
  assert.doesNotMatch(r.stderr, TERMINAL_CONTROLS, `${what}: no raw control character`);
  assert.ok(r.stderr.length < 2000, `${what}: a short message, got ${r.stderr.length} characters`);
}

const dir = mkdtempSync(join(tmpdir(), 'chainrule-hostile-'));

test('numeric flags are bounded: no abort, no minutes-long render, the limits named', () => {
  const cases: [string[], RegExp][] = [
    // resvg panics (the process aborts with 134) on this zoom.
    [['--scale', '1e308'], /--scale must be a number from 0\.01 to 100, got '1e308'/],
    [['--scale', '0.0001'], /--scale must be a number from 0\.01 to 100/],
    [['--scale', 'NaN'], /--scale must be a number/],
    [['--scale', ''], /--scale must be a number/],
    // 60 × the picture: 1.4 billion pixels (100 s and 2.7 GB before).
    [
      ['--scale', '60'],
      /scale 60 would make a \d+×\d+ picture .*limit is 33554432 pixels, so use a scale of at most \d/,
    ],
  ];
  for (const [flags, pattern] of cases) {
    const started = Date.now();
    const r = run('graph', '--example', 'sigmoid', '-o', join(dir, 'a.png'), ...flags);
    userError(r, pattern, flags.join(' '));
    assert.ok(Date.now() - started < 30_000, `${flags.join(' ')}: fails fast`);
  }
  const gif: [string[], RegExp][] = [
    // GIF delays are 16-bit hundredths: 70000 s would wrap to 531.84 s.
    [['--step', '70000'], /--step must be a number from 0\.02 to 600, got '70000'/],
    [['--hold', '1e308'], /--hold must be a number from 0 to 600, got '1e308'/],
    [['--step', '-1'], /--step must be a number from 0\.02 to 600/],
  ];
  for (const [flags, pattern] of gif) {
    userError(
      run('graph', '--example', 'chain', '-o', join(dir, 'a.gif'), ...flags),
      pattern,
      flags.join(' '),
    );
  }
  userError(
    run(
      'graph',
      '--example',
      'chain',
      '--format',
      'animated-svg',
      '-o',
      join(dir, 'a.svg'),
      '--hold',
      '1e308',
    ),
    /--hold must be a number from 0 to 600/,
    'animated svg hold',
  );
  // The bounds still let the ordinary cases through.
  const ok = run(
    'graph',
    '--example',
    'chain',
    '--format',
    'animated-svg',
    '-o',
    join(dir, 'b.svg'),
    '--hold',
    '0',
    '--step',
    '600',
  );
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(readFileSync(join(dir, 'b.svg'), 'utf8'), /animation-duration:\d+(\.\d+)?s/);
});

test('-o into a missing folder or naming a folder is a user error that names the path', () => {
  userError(
    run('graph', '--example', 'chain', '-o', join(dir, 'missing', 'a.svg')),
    /cannot write '.*missing\/a\.svg': its folder does not exist \(no folder '.*missing'\)/,
    'missing folder',
  );
  userError(
    run('graph', '--example', 'chain', '--format', 'svg', '-o', dir),
    /cannot write '.*': it is a folder/,
    'a folder',
  );
  userError(
    run('graph', '--example', 'chain', '-o', join(dir, 'a.svg', 'x.svg')),
    /cannot write/,
    'through a file',
  );
});

test('user text is escaped for the terminal: C0, C1 and bidi controls are shown, not obeyed', () => {
  const title = run('grad', 'x\u001b]0;pwned\u0007');
  userError(title, /x\\u\{1b\}\]0;pwned\\u\{7\}/, 'OSC title sequence in the expression');
  userError(
    run('grad', 'x+y', 'x\u001b[2J=1', 'y=2'),
    /'x\\u\{1b\}\[2J=1' is not an assignment/,
    'ESC in an assignment',
  );
  userError(run('grad', 'x+\u202e1'), /unexpected character '\\u\{202e\}'/, 'U+202E');
  userError(
    run('grad', 'x+\u009b1'),
    /unexpected character '\\u\{9b\}'/,
    'U+009B (a one-byte CSI)',
  );
  userError(run('grap\u001bh'), /unknown command 'grap\\u\{1b\}h'/, 'ESC in a command name');
  userError(
    run('graph', '--fo\u001brmat', 'svg'),
    /unknown option --fo\\u\{1b\}rmat/,
    'ESC in a flag',
  );
});

test('a 100 KB expression gives a short message, clipped around the column', () => {
  const source = 'x+'.repeat(49_000) + '#'; // 98,001 characters, under the length limit
  const r = run('grad', source);
  userError(r, /unexpected character '#'/, '100 KB expression');
  const [, excerpt, caret] = r.stderr.split('\n');
  assert.ok(excerpt!.startsWith('  …'), excerpt);
  assert.ok(excerpt!.endsWith('#'));
  assert.equal(caret!.indexOf('^'), excerpt!.length - 1, 'the caret sits under the #');
});

test('an expression over the length limit is refused with the limit named, briefly', () => {
  const r = run('grad', 'x+'.repeat(60_000) + 'x');
  userError(r, /the expression is 120001 characters long; the limit is 100000/, 'too long');
});

test('characters outside the BMP count as one column', () => {
  const r = run('grad', 'x+😀+y');
  userError(r, /unexpected character '😀'/, 'emoji');
  const [, excerpt, caret] = r.stderr.split('\n');
  assert.equal(excerpt, '  x+😀+y');
  assert.equal(caret, '    ^');
});

test('formatWithCaret: code points, visible controls, a window around the column', () => {
  const at = (source: string, start: number, end = start + 1) =>
    formatWithCaret(new ParseError(source, { start, end }, 'm'))
      .split('\n')
      .slice(1);
  assert.deepEqual(at('a😀b', 3), ['  a😀b', '    ^']);
  assert.deepEqual(at('a\u001bb', 2), ['  a\\u{1b}b', '         ^']);
  assert.deepEqual(at('a\u001bb', 1), ['  a\\u{1b}b', '   ^^^^^^']);
  assert.deepEqual(at('ab', 2), ['  ab', '    ^'], 'the end of the source');
  const long = 'y'.repeat(500) + '#' + 'z'.repeat(500);
  const [excerpt, caret] = at(long, 500);
  assert.ok(Array.from(excerpt!).length <= LIMITS.excerptChars + 4, excerpt);
  assert.ok(excerpt!.startsWith('  …') && excerpt!.endsWith('…'));
  assert.equal(Array.from(excerpt!)[caret!.indexOf('^')], '#');
});

test('internal errors exit 2 with the stack; user errors exit 1 without it', async () => {
  const captured: string[] = [];
  const io: Io = {
    stdout: () => undefined,
    stderr: (t) => void captured.push(t),
    writeFile: () => undefined,
    isTTY: false,
  };
  // A command that hits a bug (a ChainruleError with code 'internal', or a plain TypeError).
  const throwing = async (error: unknown) => {
    captured.length = 0;
    const args = ['graph', '--example', 'chain', '-o', 'x.svg'];
    const failing: Io = {
      ...io,
      writeFile: () => {
        throw error;
      },
    };
    return await main(args, failing);
  };
  assert.equal(await throwing(new ChainruleError('internal', 'a bug')), 2);
  assert.match(captured.join(''), /internal error: a bug\n.*at /s);
  assert.equal(await throwing(new TypeError('x is undefined')), 2);
  assert.equal(await throwing(new ChainruleError('bad_argument', 'your mistake')), 1);
  assert.doesNotMatch(captured.join(''), /\n\s+at /);
});
