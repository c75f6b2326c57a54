import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { decodeGif } from '../support/gif.js';
import { parseXml } from '../support/xml.js';

// End to end: these spawn the built binary (npm test builds first), as a user's shell would.
const BIN = join(import.meta.dirname, '../../dist/cli/main.js');
const SIGMOID = ['1/(1+exp(-(w0*x0+w1*x1+w2)))', 'w0=2', 'x0=-1', 'w1=-3', 'x1=-2', 'w2=-3'];

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  assert.ok(existsSync(BIN), `build first: ${BIN} is missing (npm run build)`);
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('grad prints the value and every gradient, two decimals', () => {
  const r = run('grad', ...SIGMOID);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /value = 0\.73/);
  const expected: [string, string][] = [
    ['w0', '-0.20'],
    ['x0', '0.39'],
    ['w1', '-0.39'],
    ['x1', '-0.59'],
    ['w2', '0.20'],
  ];
  for (const [name, g] of expected) {
    assert.match(
      r.stdout,
      new RegExp(`^${name}\\s+-?\\d\\.\\d\\d\\s+${g.replace('.', '\\.')}$`, 'm'),
      name,
    );
  }
});

test('grad --json gives full float64 precision', () => {
  const r = run('grad', ...SIGMOID, '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { value: number; gradients: Record<string, number> };
  assert.equal(out.value, 0.7310585786300049);
  assert.equal(out.gradients.w0, -0.19661193324148185);
  assert.deepEqual(Object.keys(out.gradients), ['w0', 'x0', 'w1', 'x1', 'w2']);
});

test('grad on tensors: the vectorized example as nested arrays', () => {
  const r = run('grad', 'sum((W@x)^2)', 'W=[[0.1,0.5],[-0.3,0.8]]', 'x=[0.2,0.4]', '--json');
  const out = JSON.parse(r.stdout) as { value: number; gradients: Record<string, number[][]> };
  assert.ok(Math.abs(out.value - 0.116) < 1e-12);
  assert.ok(Math.abs(out.gradients.W![1]![1]! - 0.208) < 1e-12);
});

test('an expression may start with a minus sign', () => {
  const r = run('grad', '-x*y', 'x=2', 'y=3', '--json');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { value: -6, gradients: { x: -3, y: -2 } });
});

test('examples lists the worked examples, and --example loads one (values can be overridden)', () => {
  const list = run('examples');
  assert.equal(list.code, 0);
  for (const name of ['sigmoid', 'chain', 'staged', 'patterns', 'vectorized', 'svm'])
    assert.match(list.stdout, new RegExp(`^${name}\\b`, 'm'));
  const svm = JSON.parse(run('grad', '--example', 'svm', '--json').stdout) as { value: number };
  assert.equal(svm.value, 8);
  const patterns = JSON.parse(run('grad', '--example', 'patterns', 'x=1', '--json').stdout) as {
    value: number;
  };
  assert.equal(patterns.value, 2 * (1 * -4 + 2));
});

test('graph writes SVG, PNG, DOT, JSON and text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-cli-'));
  const svgPath = join(dir, 'sigmoid.svg');
  const r = run('graph', '--example', 'sigmoid', '--format', 'svg', '-o', svgPath);
  assert.equal(r.code, 0, r.stderr);
  const svg = readFileSync(svgPath, 'utf8');
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /0\.73/);
  const pngPath = join(dir, 'sigmoid.png');
  assert.equal(run('graph', '--example', 'sigmoid', '-o', pngPath).code, 0);
  const png = readFileSync(pngPath);
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const dot = run('graph', '--example', 'chain', '--format', 'dot');
  assert.match(dot.stdout, /^digraph/);
  const json = JSON.parse(run('graph', '--example', 'chain', '--format', 'json').stdout) as {
    version: number;
    nodes: unknown[];
  };
  assert.equal(json.version, 1);
  assert.equal(json.nodes.length, 5);
  const text = run('graph', '--example', 'chain');
  assert.match(text.stdout, /x: dL\/dx = local × upstream = \(1\.00\) × \(-4\.00\) = -4\.00/);
});

test('graph output is byte-stable', () => {
  const a = run('graph', '--example', 'staged', '--format', 'svg').stdout;
  const b = run('graph', '--example', 'staged', '--format', 'svg').stdout;
  assert.equal(a, b);
});

test('a title with markup is escaped in the SVG', () => {
  const svg = run(
    'graph',
    '--example',
    'chain',
    '--format',
    'svg',
    '--title',
    '<script>alert(1)</script>',
  ).stdout;
  assert.ok(!svg.includes('<script>'));
  assert.match(svg, /&lt;script&gt;/);
});

test('check passes on a correct gradient and fails (exit 1) when the step is far too large', () => {
  const ok = run('check', ...SIGMOID);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /gradient check passed/);
  const kink = run('check', 'relu(x)*3', 'x=1e-7');
  assert.equal(kink.code, 0);
  assert.match(kink.stdout, /— \(at a kink\)/);
  const bad = run('check', 'exp(x)', 'x=3', '--step', '1');
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /WRONG/);
});

test('user errors: a message (caret for expressions), exit 1, no stack trace', () => {
  const cases: [string[], RegExp][] = [
    [
      ['grad', '1/(1+exp(-x)', 'x=1'],
      /parse error: expected '\)'.*\n {2}1\/\(1\+exp\(-x\)\n {14}\^/,
    ],
    [['grad', 'epx(x)', 'x=1'], /did you mean 'exp'/],
    [['grad', 'x*y', 'x=1'], /no value for 'y'/],
    [['grad', 'x*y', 'x=1', 'y=2', 'z=3'], /no variable of that name/],
    [['grad', 'log(x)', 'x=-1'], /log produced NaN/],
    [
      ['grad', 'W@x', 'W=[[1,2,3]]', 'x=[1,2]'],
      /matmul: inner dimensions differ: \[1, 3\] @ \[2\]/,
    ],
    [['grad', 'x', 'x=[1,'], /value of x/],
    [['grad', '--example', 'sigmod'], /did you mean 'sigmoid'/],
    [['grap'], /did you mean 'graph'/],
    [['graph', '--example', 'chain', '--fromat', 'svg'], /did you mean --format/],
    [
      ['graph', '--example', 'chain', '--format', 'jpg'],
      /must be one of text, svg, png, dot, json/,
    ],
    [['grad', '--example', 'chain', '--precision', 'x'], /--precision must be a whole number/],
  ];
  for (const [args, pattern] of cases) {
    const r = run(...args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('--help everywhere', () => {
  assert.match(run('--help').stdout, /Commands:/);
  assert.equal(run().code, 0);
  for (const c of ['grad', 'graph', 'check', 'examples']) {
    const r = run(c, '--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: chainrule/);
  }
});

test('graph -o x.gif writes the animation as a looping GIF, one frame per step', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-cli-'));
  const gifPath = join(dir, 'sigmoid.gif');
  const r = run('graph', '--example', 'sigmoid', '-o', gifPath, '--step', '0.5', '--hold', '3');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /wrote .*sigmoid\.gif \(gif, 13 nodes\)/);
  const gif = decodeGif(readFileSync(gifPath));
  // The sigmoid neuron: 8 gates forward, the seed, 12 wires back; plus the starting frame.
  assert.equal(gif.frames.length, 8 + 1 + 12 + 1);
  assert.equal(gif.loop, 0);
  assert.deepEqual(
    gif.frames.map((f) => f.delayCs),
    [...Array<number>(21).fill(50), 300],
  );
  const svg = run('graph', '--example', 'sigmoid', '--format', 'svg').stdout;
  assert.equal(gif.width, Number(/width="(\d+)"/.exec(svg)?.[1]), 'GIF frames are at scale 1');
});

test('graph --format gif to a pipe writes the bytes; a terminal gets an error instead', async () => {
  assert.ok(existsSync(BIN));
  const piped = spawnSync(process.execPath, [
    BIN,
    'graph',
    '--example',
    'chain',
    '--format',
    'gif',
  ]);
  assert.equal(piped.status, 0, piped.stderr.toString());
  assert.equal(piped.stdout.subarray(0, 6).toString('latin1'), 'GIF89a');
  const out: Array<string | Uint8Array> = [];
  const err: string[] = [];
  const code = await main(['graph', '--example', 'chain', '--format', 'gif'], {
    stdout: (d) => void out.push(d),
    stderr: (t) => void err.push(t),
    writeFile: () => assert.fail('no file expected'),
    isTTY: true,
  });
  assert.equal(code, 1);
  assert.equal(out.length, 0);
  assert.match(err.join(''), /GIF is binary: write it to a file with -o graph\.gif/);
});

test('graph --format animated-svg writes a self-contained looping SVG animation', () => {
  const r = run('graph', '--example', 'chain', '--format', 'animated-svg', '--title', '<i>&');
  assert.equal(r.code, 0, r.stderr);
  parseXml(r.stdout);
  assert.doesNotMatch(r.stdout, /<script|<i>/);
  // chain: 2 gates, the seed, 4 wires back.
  assert.equal((r.stdout.match(/@keyframes show-\d+\{/g) ?? []).length, 7);
  assert.match(r.stdout, /animation-duration:6\.9s/, '7 steps × 0.7 s + 2 s hold');
  const again = run('graph', '--example', 'chain', '--format', 'animated-svg', '--title', '<i>&');
  assert.equal(again.stdout, r.stdout, 'byte-stable');
  const bad = run('graph', '--example', 'chain', '--format', 'animated-svg', '--step', '0');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--step must be a number from 0\.02 to 600, got '0'/);
});

test('the binary runs on its own (shebang and executable bit survive a rebuild), as npx runs it', () => {
  const r = spawnSync(BIN, ['grad', 'x*y', 'x=4', 'y=-3', '--json'], { encoding: 'utf8' });
  assert.equal(r.error, undefined, String(r.error));
  assert.deepEqual(JSON.parse(r.stdout), { value: -12, gradients: { x: -3, y: 4 } });
});
