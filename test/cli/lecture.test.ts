import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outputFormat } from '../../src/cli/commands/graph.js';
import { main } from '../../src/cli/main.js';

// The CLI half of "the whole lecture": output formats from -o, the gradient check's true errors
// and verdicts, and gates of one's own. Run in process through `main` with a recording Io.

async function cli(...argv: string[]): Promise<{
  code: number;
  stdout: string;
  stderr: string;
  files: Map<string, string | Uint8Array>;
}> {
  const out: string[] = [];
  const err: string[] = [];
  const files = new Map<string, string | Uint8Array>();
  const code = await main(argv, {
    stdout: (d) => void out.push(typeof d === 'string' ? d : '<bytes>'),
    stderr: (t) => void err.push(t),
    writeFile: (path, data) => void files.set(path, data),
    isTTY: false,
  });
  return { code, stdout: out.join(''), stderr: err.join(''), files };
}

const SOFTSIGN = 'softsign(x) = x/(1+abs(x)); d/dx = 1/(1+abs(x))^2';
const WRONG_SOFTSIGN = 'softsign(x) = x/(1+abs(x)); d/dx = 1/(1+abs(x))';

test('graph -o picks the format from the extension', async () => {
  const cases: [string, string][] = [
    ['g.svg', 'svg'],
    ['g.SVG', 'svg'],
    ['g.animated.svg', 'animated-svg'],
    ['g.png', 'png'],
    ['g.dot', 'dot'],
    ['g.gv', 'dot'],
    ['g.json', 'json'],
    ['g.gif', 'gif'],
    ['g.txt', 'text'],
    ['out.d/g.txt', 'text'],
  ];
  for (const [path, format] of cases) {
    assert.equal(outputFormat(path, undefined), format, path);
    const r = await cli('graph', '--example', 'chain', '-o', path);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`\\(${format}, 5 nodes\\)`), path);
  }
  const anim = (await cli('graph', '--example', 'chain', '-o', 'g.animated.svg')).files.get(
    'g.animated.svg',
  );
  assert.match(String(anim), /@keyframes/);
  assert.equal(outputFormat(undefined, undefined), 'text');
  assert.equal(outputFormat(undefined, 'png'), 'png');
  assert.equal(outputFormat('graph', 'svg'), 'svg', 'no extension: --format decides');
  assert.equal(outputFormat('g.svg', 'animated-svg'), 'animated-svg');
});

test('graph -o refuses an extension it cannot write, naming the formats; --format must agree', async () => {
  const cases: [string[], RegExp][] = [
    [
      ['-o', 'x.jpg'],
      /cannot write \.jpg files: chainrule graph writes \.txt \(text\), \.svg \(svg\), \.png \(png\), \.dot \(dot\), \.json \(json\), \.gif \(gif\), \.animated\.svg \(animated-svg\)/,
    ],
    [['-o', 'graph'], /cannot tell the format of -o graph \(no extension\)/],
    [['-o', 'x.png', '--format', 'svg'], /-o x\.png ends in \.png but --format is svg/],
    [['-o', 'x.jpg', '--format', 'svg'], /-o x\.jpg: a svg file ends in \.svg/],
    [['-o', 'x.animated.svg', '--format', 'svg'], /ends in \.animated\.svg but --format is svg/],
  ];
  for (const [args, pattern] of cases) {
    const r = await cli('graph', '--example', 'chain', ...args);
    assert.equal(r.code, 1, args.join(' '));
    assert.match(r.stderr, pattern, args.join(' '));
    assert.equal(r.files.size, 0, 'nothing written');
  }
});

test('check prints the measured relative errors, "below noise", and — with the reason at a kink', async () => {
  const ok = await cli('check', '--example', 'sigmoid');
  assert.equal(ok.code, 0);
  assert.match(
    ok.stdout,
    /^w0\s+-0\.196612\s+-0\.196612\s+\d(\.\d)?e-1\d \(below noise\)\s+happy/m,
  );
  assert.doesNotMatch(ok.stdout, /\s0\s+happy/, 'never a rounded 0');
  assert.match(ok.stdout, /On the graph \(fused\): 10 nodes and 9 wires check out\./);
  const kink = await cli('check', 'relu(x)', 'x=0');
  assert.equal(kink.code, 0);
  assert.match(
    kink.stdout,
    /^x\s+0\.000000\s+0\.500000\s+— \(at a kink\)\s+not compared: f\(x\+h\) and f\(x−h\) fall on two sides of a kink/m,
  );
  const tensors = await cli('check', '--example', 'softmax');
  assert.match(tensors.stdout, /^W\[\d, \d\]\s/m);
  assert.match(tensors.stdout, /^y\s+—\s+—\s+—\s+labels: no gradient$/m);
});

test('check names the wrong wire of a gate whose derivative is wrong, and fails', async () => {
  const r = await cli('check', 'softsign(w*x)', 'w=2', 'x=1', '--gate', WRONG_SOFTSIGN);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /your gate softsign: dsoftsign\/dx is wrong: at x = /);
  assert.match(r.stdout, /wire e2 \(w\*x → softsign\(w\*x\)\): wrong, relative error 0\.67/);
  assert.match(r.stdout, /gradient check FAILED/);
  const json = JSON.parse(
    (await cli('check', 'softsign(w*x)', 'w=2', 'x=1', '--gate', WRONG_SOFTSIGN, '--json')).stdout,
  ) as {
    passed: boolean;
    gates: { name: string; passed: boolean }[];
    graph: { edges: Record<string, { status: string }> };
  };
  assert.equal(json.passed, false);
  assert.deepEqual(
    json.gates.map((g) => [g.name, g.passed]),
    [['softsign', false]],
  );
  assert.equal(json.graph.edges.e2!.status, 'wrong');
  const good = await cli('check', 'softsign(w*x)', 'w=2', 'x=1', '--gate', SOFTSIGN);
  assert.equal(good.code, 0, good.stdout);
  assert.match(good.stdout, /your gate softsign: dsoftsign\/dx checks out at 12 points/);
});

test('grad and graph take --gate: one gate drawn with its name; a wrong derivative is a warning', async () => {
  const grad = await cli('grad', 'softsign(w*x)', 'w=2', 'x=1', '--gate', SOFTSIGN, '--json');
  assert.equal(grad.code, 0, grad.stderr);
  assert.equal(grad.stderr, '');
  const out = JSON.parse(grad.stdout) as { value: number; gradients: Record<string, number> };
  assert.equal(out.value, 2 / 3);
  assert.ok(Math.abs(out.gradients.w! - 1 / 9) < 1e-15);
  const svg = await cli(
    'graph',
    'softsign(w*x)',
    'w=2',
    'x=1',
    '--gate',
    SOFTSIGN,
    '--format',
    'svg',
  );
  assert.match(svg.stdout, /data-op="softsign"/);
  const warned = await cli('graph', 'softsign(w*x)', 'w=2', 'x=1', '--gate', WRONG_SOFTSIGN);
  assert.equal(warned.code, 0);
  assert.match(warned.stderr, /^warning: your gate softsign: dsoftsign\/dx is wrong/);
  const broken = await cli(
    'grad',
    'softsign(x)',
    'x=1',
    '--gate',
    'softsign(x) = x/(1+abz(x)); d/dx = 1',
  );
  assert.equal(broken.code, 1);
  assert.match(
    broken.stderr,
    /did you mean 'abs'.*\n {2}softsign\(x\) = x\/\(1\+abz\(x\)\); d\/dx = 1\n {21}\^\^\^/,
  );
});

test('the notes’ staged sigmoid prints each step’s name in the text picture', async () => {
  const r = await cli(
    'graph',
    'dot = w0*x0 + w1*x1 + w2; f = 1/(1+exp(-dot))',
    'w0=2',
    'x0=-1',
    'w1=-3',
    'x1=-2',
    'w2=-3',
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^n8\s+gate\s+\+\s+dot\s+1\.00\s+0\.20$/m);
  assert.match(r.stdout, /^n12\s+gate\s+1\/x\s+f\s+0\.73\s+1\.00\s+output$/m);
  assert.match(r.stdout, /^dot: dL\/ddot = local × upstream = \(-1\.00\) × \(-0\.20\) = 0\.20$/m);
  assert.match(r.stdout, /^x1: dL\/dx1 = local × upstream = \(-3\.00\) × \(0\.197\) = -0\.59$/m);
});

test('check -o draws the graph with every checked wire and gate coloured by its verdict', async () => {
  const r = await cli(
    'check',
    'softsign(w*x)',
    'w=2',
    'x=1',
    '--gate',
    WRONG_SOFTSIGN,
    '-o',
    'c.svg',
  );
  assert.equal(r.code, 1);
  const svg = String(r.files.get('c.svg'));
  assert.match(svg, /<g class="edge verdict-wrong" data-edge-id="e2"/);
  assert.match(svg, /<g class="edge verdict-happy" data-edge-id="e0"/);
  assert.match(svg, /<g class="node gate output verdict-happy" data-node-id="n3"/);
  assert.match(svg, /\.verdict-wrong \.wire/);
  const bad = await cli('check', 'x*y', 'x=1', 'y=2', '-o', 'c.png');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /-o takes a file name ending in \.svg/);
});
