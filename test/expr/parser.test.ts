import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ChainruleError, ParseError } from '../../src/core/errors.js';
import {
  formatWithCaret,
  parse,
  parseAssignments,
  parseValue,
  labelsOf,
  stepNames,
  variablesOf,
  type Expr,
} from '../../src/expr/index.js';

/** The tree as compact text: (a + b), (-x), f(a, b), s[y], name = …; … */
function show(e: Expr): string {
  switch (e.kind) {
    case 'index':
      return `${show(e.target)}[${show(e.index)}]`;
    case 'steps':
      return e.steps.map((s) => `${s.name ?? '_'} = ${show(s.value)}`).join('; ');
    case 'number':
      return String(e.value);
    case 'variable':
      return e.name;
    case 'negate':
      return `(-${show(e.arg)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'call':
      return `${e.name}(${[...e.args.map(show), ...(e.axis === undefined ? [] : [`axis=${e.axis}`])].join(', ')})`;
  }
}

test('precedence and associativity', () => {
  const cases: [string, string][] = [
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['a - b - c', '((a - b) - c)'],
    ['a / b / c', '((a / b) / c)'],
    ['2^3^2', '(2 ^ (3 ^ 2))'],
    ['2**3**2', '(2 ^ (3 ^ 2))'],
    ['-x^2', '(-(x ^ 2))'],
    ['2^-1', '(2 ^ (-1))'],
    ['-a*b', '((-a) * b)'],
    ['W@x + b', '((W @ x) + b)'],
    ['a*W@x', '((a * W) @ x)'],
    ['--x', '(-(-x))'],
    ['+x', 'x'],
    ['1e-3 + .5 + 2.', '((0.001 + 0.5) + 2)'],
    ['maximum(z, w) * 2', '(maximum(z, w) * 2)'],
    ['-log(softmax(s)[y])', '(-log(softmax(s)[y]))'],
    ['W.T @ x', '(transpose(W) @ x)'],
    ['(W@x).T[0]', 'transpose((W @ x))[0]'],
    ['s[y]^2', '(s[y] ^ 2)'],
    ['sum(x, axis=1)', 'sum(x, axis=1)'],
    ['max(S, axis=-1)', 'max(S, axis=-1)'],
    ['q = x + y; f = q * z', 'q = (x + y); f = (q * z)'],
    ['q = x + y\n\nq * z', 'q = (x + y); _ = (q * z)'],
    ['f = (x +\n y)', 'f = (x + y)'],
    ['sum((W@x)^2)', 'sum(((W @ x) ^ 2))'],
    ['α + β_1', '(α + β_1)'],
  ];
  for (const [source, expected] of cases) assert.equal(show(parse(source)), expected, source);
});

test('spans cover the source text of each node', () => {
  const source = '1/(1+exp(-(w0*x0)))';
  const e = parse(source);
  assert.deepEqual(e.span, { start: 0, end: source.length });
  assert.equal(e.kind, 'binary');
  if (e.kind === 'binary')
    assert.equal(source.slice(e.right.span.start, e.right.span.end), '(1+exp(-(w0*x0)))');
});

test('variables in order of first appearance; step names are not variables, labels are', () => {
  assert.deepEqual(variablesOf(parse('w0*x0 + w1*x1 + w0')), ['w0', 'x0', 'w1', 'x1']);
  const program = parse('s = W@x + b; L = logsumexp(s) - s[y]');
  assert.deepEqual(variablesOf(program), ['W', 'x', 'b', 'y']);
  assert.deepEqual(labelsOf(program), ['y']);
  assert.deepEqual(stepNames(program), ['s', 'L']);
  assert.deepEqual(labelsOf(parse('s[2] + s[1]')), []);
});

test('a step keeps the spans of its name and its value', () => {
  const source = 'dot = w*x + b; f = sigmoid(dot)';
  const e = parse(source);
  assert.equal(e.kind, 'steps');
  if (e.kind !== 'steps') return;
  const [dot, f] = e.steps;
  assert.equal(source.slice(dot!.nameSpan.start, dot!.nameSpan.end), 'dot');
  assert.equal(source.slice(dot!.value.span.start, dot!.value.span.end), 'w*x + b');
  assert.equal(source.slice(f!.span.start, f!.span.end), 'f = sigmoid(dot)');
  assert.deepEqual(e.span, { start: 0, end: source.length });
});

/** Asserts that parsing fails with a caret at `column` (0-based) and a message matching `pattern`. */
function failsAt(source: string, column: number, pattern: RegExp): void {
  assert.throws(
    () => parse(source),
    (e: unknown) => {
      assert.ok(e instanceof ChainruleError, `${source}: not a ChainruleError: ${String(e)}`);
      assert.equal(e.span?.start, column, `${source}: column of ${e.message}`);
      assert.match(e.message, pattern, source);
      const shown = formatWithCaret(e).split('\n');
      assert.equal(shown[0], e.message);
      assert.equal(shown[1], `  ${source}`);
      assert.equal(shown[2]!.indexOf('^'), column + 2);
      return true;
    },
  );
}

test('errors point at the column and say what was expected', () => {
  failsAt('1/(1+exp(-x)', 12, /expected '\)' to close the '\(' at column 3/);
  failsAt('x + * y', 4, /expected a number, a name or '\(' here, found '\*'/);
  failsAt('x +', 3, /ends where a value is expected/);
  failsAt('epx(x)', 0, /unknown function 'epx' — did you mean 'exp'\?/);
  failsAt('2x + 1', 0, /write 2\*x for a product/);
  failsAt('x $ y', 2, /unexpected character '\$'/);
  failsAt('(x + y))', 7, /no matching \(/);
  failsAt('exp + 1', 0, /exp is a function/);
  failsAt('max(1, 2, 3)', 0, /max takes 1 argument, got 3/);
  failsAt('max(z, w)', 0, /write maximum\(a, b\)/);
  failsAt('min(z, w)', 0, /unknown function 'min' — did you mean 'minimum'\?/);
  failsAt('sum(x, 1)', 0, /give an axis as sum\(x, axis=1\)/);
  failsAt('exp(x, axis=1)', 7, /exp takes no axis/);
  failsAt('sum(x, axis=1.5)', 12, /axis= takes a whole number/);
  failsAt('sum(x, keep=1)', 7, /unknown keyword 'keep='/);
  failsAt('sum(axis=0, x)', 12, /axis=… comes last/);
  failsAt('W.X', 2, /unknown attribute '.X'/);
  failsAt('s[y+1]', 2, /an index is a label variable/);
  failsAt('s[y', 3, /expected '\]' to close the '\[' at column 2/);
  failsAt('a = x; b = 2*x; a', 7, /the step 'b' is never used/);
  failsAt('x*2; f = 3', 0, /only the last step may be a bare expression/);
  failsAt('f = g + 1; g = x', 4, /'g' is used before the step that defines it/);
  failsAt('a = x*2; a = a + 1', 9, /the step 'a' is defined twice/);
  failsAt('exp = x*2; exp + 1', 0, /'exp' is a function/);
  failsAt('s[y] + y', 7, /'y' holds labels/);
  failsAt('k = 2*x; s[k]', 11, /'k' is a computed step/);
  failsAt('x + 1 = 2', 6, /only a name can be given a value/);
  failsAt('', 0, /empty/);
  failsAt('f(x)', 0, /unknown function 'f'/);
});

test('deep nesting is a clear error, not a stack overflow', () => {
  const deep = '('.repeat(5000) + 'x' + ')'.repeat(5000);
  assert.throws(
    () => parse(deep),
    (e: unknown) => e instanceof ParseError && /nests more than/.test(e.message),
  );
  const long = Array.from({ length: 20000 }, () => 'x').join('+');
  assert.equal(variablesOf(parse(long)).length, 1);
});

test('10,000 random strings give a tree or a ParseError/UnknownNameError, never anything else', () => {
  const alphabet = fc.constantFrom(
    ...'xyzw0123.e+-*/^@(),[] \t$σexplogmaxsum_=;T\n'.split(''),
    '**',
    'exp(',
    'max(',
    'axis=',
    '.T',
    's[y]',
  );
  fc.assert(
    fc.property(
      fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join('')),
      fc.string(),
      (a, b) => {
        for (const s of [a, b]) {
          try {
            parse(s);
          } catch (e) {
            assert.ok(e instanceof ChainruleError, `${JSON.stringify(s)} threw ${String(e)}`);
            assert.ok(e.code === 'parse_error' || e.code === 'unknown_name', e.code);
            assert.ok(
              e.span && e.span.start >= 0 && e.span.start <= s.length,
              'span inside the source',
            );
          }
        }
      },
    ),
    { numRuns: 5000 },
  );
});

test('values: numbers and nested lists, with clear errors', () => {
  assert.equal(parseValue('-1'), -1);
  assert.equal(parseValue('1e-3'), 0.001);
  assert.deepEqual(parseValue('[[0.1, 0.5], [-0.3, 0.8]]'), [
    [0.1, 0.5],
    [-0.3, 0.8],
  ]);
  assert.throws(() => parseValue('[1, 2'), /expected ',' or '\]'/);
  assert.throws(() => parseValue('[[1, 2], [3]]'), /ragged/);
  assert.throws(() => parseValue('abc'), /expected a number or a list/);
  assert.throws(() => parseValue('1 2'), /unexpected text after the value/);
  assert.throws(() => parseValue('[1e400]'), /too large/);
  const m = parseAssignments(['w0=2', 'W=[[1,2],[3,4]]']);
  assert.deepEqual([...m.keys()], ['w0', 'W']);
  assert.throws(() => parseAssignments(['w0']), /name=value/);
  assert.throws(() => parseAssignments(['x=1', 'x=2']), /given twice/);
  assert.throws(
    () => parseAssignments(['W=[1,]']),
    (e: unknown) => e instanceof ParseError && e.span!.start === 5,
  );
});
