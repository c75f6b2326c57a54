/**
 * `npm run train:check`: the slow training checks of issue 8, run through the real CLI (the built
 * binary) as a user would, each against its threshold. Outputs (weights, histories, plots) go to
 * test-results/train-check/<name>/; look at spiral-two-layer/decision-boundary.png.
 *
 *   spiral, CS231n's two-layer net (100 ReLU, softmax, reg 1e-3, lr 1, full batch, 10,000 steps)
 *                                                         ≥ 98% training accuracy
 *   spiral, the linear softmax classifier                  near 50% (40–60%) training accuracy
 *   MNIST 8,000 / 1,000 / 1,000 (seed 0), an MLP          ≥ 95% test accuracy
 *   MNIST, a small convnet                                 ≥ 97% test accuracy
 *
 * Usage: npm run train:check [-- spiral|mnist] (default both). Times depend on the machine and its
 * load; the script prints both.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const BIN = join(root, 'dist/cli/main.js');
const OUT = join(root, 'test-results/train-check');

interface Check {
  name: string;
  group: 'spiral' | 'mnist';
  args: string[];
  /** Which accuracy is judged, and the range it must fall in. */
  measure: 'train' | 'test';
  range: [number, number];
}

const CHECKS: Check[] = [
  {
    name: 'spiral-two-layer',
    group: 'spiral',
    args: [
      '--data',
      'spiral',
      '--model',
      'affine(100)-relu-affine',
      '--init',
      '0.01',
      '--lr',
      '1',
      '--reg',
      '1e-3',
      '--batch',
      'full',
      '--epochs',
      '10000',
    ],
    measure: 'train',
    range: [0.98, 1],
  },
  {
    name: 'spiral-linear',
    group: 'spiral',
    args: [
      '--data',
      'spiral',
      '--model',
      'affine',
      '--init',
      '0.01',
      '--lr',
      '1',
      '--reg',
      '1e-3',
      '--batch',
      'full',
      '--epochs',
      '200',
    ],
    measure: 'train',
    range: [0.4, 0.6],
  },
  {
    name: 'mnist-mlp',
    group: 'mnist',
    args: [
      '--data',
      'mnist',
      '--model',
      'affine(512)-relu-dropout(0.5)-affine(256)-relu-dropout(0.5)-affine',
      '--optim',
      'momentum',
      '--lr',
      '0.05',
      '--reg',
      '1e-4',
      '--lr-decay',
      '0.9',
      '--epochs',
      '20',
      '--batch',
      '64',
      '--dtype',
      'float32',
    ],
    measure: 'test',
    range: [0.95, 1],
  },
  {
    name: 'mnist-convnet',
    group: 'mnist',
    args: [
      '--data',
      'mnist',
      '--model',
      'conv(8,5)-relu-pool(2)-conv(16,5)-relu-pool(2)-affine',
      '--optim',
      'adam',
      '--lr',
      '2e-3',
      '--lr-decay',
      '0.85',
      '--epochs',
      '6',
      '--batch',
      '64',
      '--dtype',
      'float32',
    ],
    measure: 'test',
    range: [0.97, 1],
  },
];

const wanted = process.argv.slice(2);
const selected = CHECKS.filter(
  (c) => wanted.length === 0 || wanted.includes(c.group) || wanted.includes(c.name),
);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
console.log(
  `machine: ${machine}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);

let failed = 0;
for (const check of selected) {
  const out = join(OUT, check.name);
  const args = ['train', ...check.args, '--seed', '0', '--out', out, '--json'];
  console.log(`$ chainrule ${args.map((a) => (/[()\s]/.test(a) ? `"${a}"` : a)).join(' ')}`);
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) {
    console.log(`  ✗ ${check.name}: exit ${r.status}\n`);
    failed++;
    continue;
  }
  const result = JSON.parse(r.stdout) as {
    accuracy: Record<'train' | 'val' | 'test', number>;
    seconds: number;
    cpuSeconds: number;
    iterations: number;
  };
  const value = result.accuracy[check.measure];
  const ok = value >= check.range[0] && value <= check.range[1];
  if (!ok) failed++;
  const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
  console.log(
    `  ${ok ? '✓' : '✗'} ${check.name}: ${check.measure} accuracy ${pct(value)} (wanted ${pct(check.range[0])}–${pct(check.range[1])}); ` +
      `train ${pct(result.accuracy.train)}, val ${pct(result.accuracy.val)}, test ${pct(result.accuracy.test)}; ` +
      `${result.iterations} iterations in ${result.seconds.toFixed(1)} s (${result.cpuSeconds.toFixed(1)} s of CPU); outputs in ${out}\n`,
  );
}
console.log(
  `load average now ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(`train:check: ${selected.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
