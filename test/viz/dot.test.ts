import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderDot } from '../../src/viz/dot.js';
import {
  forkSnapshot,
  injectionSnapshot,
  randomSnapshot,
  sigmoidSnapshot,
  tensorSnapshot,
} from '../support/fixtures.js';

/**
 * Splits DOT text into its double-quoted strings and the rest, checking that every string is
 * closed and contains no unescaped quote; HTML-like labels `<…>` are returned with the rest.
 */
function scanDot(dot: string): { strings: string[]; code: string } {
  const strings: string[] = [];
  let code = '';
  let i = 0;
  while (i < dot.length) {
    const c = dot[i] as string;
    if (c !== '"') {
      code += c;
      i++;
      continue;
    }
    let s = '';
    i++;
    for (;;) {
      const d = dot[i];
      assert.ok(d !== undefined, 'unterminated DOT string');
      assert.notEqual(d, '\n', 'raw newline inside a DOT string');
      if (d === '\\') {
        s += d + (dot[i + 1] ?? '');
        i += 2;
      } else if (d === '"') {
        i++;
        break;
      } else {
        s += d;
        i++;
      }
    }
    strings.push(s);
    code += '""';
  }
  return { strings, code };
}

/** Braces `{}` balanced outside strings, and HTML-like labels' `<>` balanced too. */
function assertBalanced(code: string) {
  let braces = 0;
  let angles = 0;
  for (const c of code) {
    if (c === '{') braces++;
    if (c === '}') braces--;
    if (c === '<') angles++;
    if (c === '>' && angles > 0) angles--;
    assert.ok(braces >= 0, 'a } closes nothing');
  }
  assert.equal(braces, 0, 'unbalanced braces');
  assert.equal(angles, 0, 'unbalanced <> in HTML labels');
}

describe('renderDot', () => {
  const s = sigmoidSnapshot();
  const dot = renderDot(s);

  test('is one left-to-right digraph with balanced braces and quoted ids', () => {
    assert.match(dot, /^digraph "chainrule" \{\n/);
    assert.match(dot, /\n\}\n$/);
    assert.match(dot, /rankdir="LR"/);
    const { code } = scanDot(dot);
    assertBalanced(code);
    // Every statement names its nodes with quoted ids only.
    for (const line of dot.split('\n').slice(4, -2)) {
      assert.match(line, /^ {2}"(?:[^"\\]|\\.)*"( -> "(?:[^"\\]|\\.)*")? \[.*\];$/, line);
    }
  });

  test('draws gates as circles and inputs as plain text', () => {
    assert.match(dot, /"n0" \[label="w0", shape="plaintext", class="node input"/);
    assert.match(dot, /"n2" \[label="×", shape="circle", class="node gate"/);
    assert.match(dot, /"n12" \[label="1\/x", shape="circle", class="node gate output"/);
  });

  test('labels each wire with its value (green) and gradient (red)', () => {
    const e0 = dot.split('\n').find((l) => l.startsWith('  "n0" -> "n2"'));
    assert.ok(e0);
    assert.match(e0, /id="e0"/);
    assert.match(
      e0,
      /label=<<font color="#1a7f37">2\.00<\/font><br\/><font color="#c62828"><i>◂ -0\.20<\/i><\/font>>/,
    );
    assert.match(e0, /tooltip="dL\/dw0 = local × upstream = \(-1\.00\) × \(0\.20\) = -0\.20"/);
    assert.match(dot, /"n12" -> "output" \[id="output".*>0\.73<.*◂ 1\.00/);
  });

  test('options leave out values or gradients', () => {
    const noGrad = renderDot(s, { gradients: false });
    assert.doesNotMatch(noGrad, /◂/);
    assert.doesNotMatch(noGrad, /tooltip="dL/);
    const bare = renderDot(s, { gradients: false, values: false });
    assert.doesNotMatch(bare, /label=</);
  });

  test('escapes quotes, backslashes and newlines in strings, XML in HTML labels', () => {
    const name = '<script>alert("x&y")</script>\\N\n"';
    const evil = renderDot(injectionSnapshot(name), { title: 'a "b" \\ c' });
    const { strings, code } = scanDot(evil);
    assertBalanced(code);
    assert.ok(strings.includes('a \\"b\\" \\\\ c'), 'title escaped');
    // The name is cut to fit, but what is kept is escaped for DOT.
    assert.ok(
      strings.some((x) => x.startsWith('<script>alert(\\"x&y\\")')),
      'label escaped',
    );
    assert.ok(
      strings.some((x) => x.includes('\\\\N\\n\\"')),
      'backslash, newline and quote escaped',
    );
    assert.doesNotMatch(code, /<script>/, 'no raw markup in HTML labels');
  });

  test('handles tensors, forks and 300 nodes, byte-stable', () => {
    for (const snap of [tensorSnapshot(), forkSnapshot(), randomSnapshot(300, 2)]) {
      const out = renderDot(snap);
      assertBalanced(scanDot(out).code);
      assert.equal(renderDot(snap), out);
    }
    assert.equal(renderDot(sigmoidSnapshot()), dot);
  });
});
