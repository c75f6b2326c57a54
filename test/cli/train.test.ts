import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Progress, bar, formatDuration } from '../../src/cli/training/progress.js';
import { decodeSafetensors } from '../../src/io/index.js';
import { parseXml } from '../support/xml.js';

// End to end through the built binary (npm test builds first), as a user's shell runs it.
const BIN = join(import.meta.dirname, '../../dist/cli/main.js');

function run(...args: string[]): { code: number; stdout: string; stderr: string } {
  assert.ok(existsSync(BIN), `build first: ${BIN} is missing (npm run build)`);
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'chainrule-train-'));
const out = join(dir, 'run');
const QUICK = [
  '--data',
  'moons',
  '--points',
  '120',
  '--model',
  'affine(16)-relu-affine',
  '--lr',
  '0.5',
  '--epochs',
  '30',
  '--batch',
  'full',
];

test('train: summary, accuracy and every output file; the model loads back for eval and predict', () => {
  const r = run('train', ...QUICK, '--out', out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^data {3}moons: 120 train \/ 120 val \/ 120 test points, 2 features, 2 classes$/m,
  );
  assert.match(r.stdout, /^model {2}affine\(16\)-relu-affine: 82 parameters, softmax loss$/m);
  assert.match(r.stdout, /^train {2}sgd, lr 0\.5, reg 0, 30 epochs of 1 batch \(120\), seed 0$/m);
  assert.match(
    r.stdout,
    /^epoch 30\/30 {2}loss \d\.\d{4} {2}train acc \d\.\d{4} {2}val acc \d\.\d{4}/m,
  );
  assert.ok(
    !r.stdout.includes('\r') && !r.stdout.includes('\u001b'),
    'no live bar when stdout is not a terminal',
  );
  const acc = /^acc {4}train (\d+\.\d\d)% {3}val (\d+\.\d\d)% {3}test (\d+\.\d\d)%$/m.exec(
    r.stdout,
  );
  assert.ok(acc && Number(acc[1]) > 80, r.stdout);
  for (const f of [
    'model.safetensors',
    'history.json',
    'history.csv',
    'training.svg',
    'training.png',
    'decision-boundary.svg',
    'decision-boundary.png',
  ]) {
    assert.ok(existsSync(join(out, f)), f);
  }
  const { metadata, tensors } = decodeSafetensors(
    new Uint8Array(readFileSync(join(out, 'model.safetensors'))),
  );
  assert.equal(metadata.spec, 'affine(16)-relu-affine');
  assert.deepEqual(JSON.parse(metadata.data!), { data: 'moons', seed: 0, points: 120 });
  assert.deepEqual(Object.keys(tensors).sort(), ['0.bias', '0.weight', '2.bias', '2.weight']);
  const history = JSON.parse(readFileSync(join(out, 'history.json'), 'utf8')) as {
    loss: number[];
    checks: { epoch: number }[];
    final: { test: number };
  };
  assert.equal(history.loss.length, 30);
  assert.equal(history.checks.at(-1)!.epoch, 30);
  const csv = readFileSync(join(out, 'history.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'iteration,epoch,loss,train_acc,val_acc');
  assert.equal(csv.length, 31);
  parseXml(readFileSync(join(out, 'training.svg'), 'utf8'));
  parseXml(readFileSync(join(out, 'decision-boundary.svg'), 'utf8'));
  assert.deepEqual([...readFileSync(join(out, 'training.png')).subarray(1, 4)], [80, 78, 71]);

  const ev = run('eval', join(out, 'model.safetensors'), '--json');
  assert.equal(ev.code, 0, ev.stderr);
  const scored = JSON.parse(ev.stdout) as {
    split: string;
    accuracy: number;
    confusionMatrix: number[][];
  };
  assert.equal(scored.split, 'test');
  assert.equal(scored.accuracy, history.final.test, 'eval rebuilds the same test set');
  assert.equal(
    scored.confusionMatrix.flat().reduce((a, b) => a + b, 0),
    120,
  );
  const text = run('eval', join(out, 'model.safetensors'), '--part', 'train');
  assert.match(text.stdout, /^train accuracy \d+\.\d\d% \(\d+ of 120\)$/m);
  assert.match(text.stdout, /confusion matrix \(rows: true class, columns: predicted\)/);

  const pr = run('predict', join(out, 'model.safetensors'), '-1,0.5', '2,-0.5', '--json');
  assert.equal(pr.code, 0, pr.stderr);
  const predictions = JSON.parse(pr.stdout) as { class: number; probabilities: number[] }[];
  assert.deepEqual(
    predictions.map((p) => p.class),
    [0, 1],
    'the two moons are told apart',
  );
  predictions.forEach((p) =>
    assert.ok(Math.abs(p.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-12),
  );
  writeFileSync(join(dir, 'points.csv'), 'x,y,label\n-1,0.5,0\n2,-0.5,1\n');
  const fromCsv = run('predict', join(out, 'model.safetensors'), '--csv', join(dir, 'points.csv'));
  assert.equal(fromCsv.code, 0, fromCsv.stderr);
  assert.match(fromCsv.stdout, /^1\s+0\s+0\.\d{4}$/m);
  assert.match(fromCsv.stdout, /^2\s+1\s+0\.\d{4}$/m);
});

test('train on a CSV with named classes, standardized; --json output', () => {
  const rows = ['a,b,kind'];
  for (let i = 0; i < 60; i++)
    rows.push(`${(i % 2) * 100 + i * 0.1},${i % 3},${i % 2 ? 'big' : 'small'}`);
  writeFileSync(join(dir, 'd.csv'), rows.join('\n'));
  const r = run(
    'train',
    '--data',
    join(dir, 'd.csv'),
    '--label',
    'kind',
    '--standardize',
    '--model',
    'affine',
    '--lr',
    '0.5',
    '--epochs',
    '100',
    '--json',
    '--out',
    join(dir, 'csv-run'),
  );
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as {
    accuracy: { train: number; test: number };
    data: { split: number[] };
  };
  assert.deepEqual(result.data.split, [48, 6, 6]);
  assert.equal(result.accuracy.train, 1);
  assert.match(
    r.stderr,
    /^data {3}.*d\.csv: 48 train \/ 6 val \/ 6 test rows, 2 features, 2 classes$/m,
  );
  const pr = run('predict', join(dir, 'csv-run', 'model.safetensors'), '150,1', '0.2,0');
  assert.match(pr.stdout, /^1\s+big\s/m);
  assert.match(pr.stdout, /^2\s+small\s/m);
});

test('user errors: one line, exit 1, no stack trace', () => {
  const cases: [string[], RegExp][] = [
    [
      ['train', '--data', 'nope'],
      /--data must be one of spiral, moons, circles, xor, blobs, mnist or a \.csv file, got 'nope'/,
    ],
    [
      ['train', '--model', 'affine(10)-relu-afine'],
      /unknown layer 'afine' — did you mean 'affine'\? .*\n {2}affine\(10\)-relu-afine\n {18}\^{5}/,
    ],
    [['train', '--lr', '-1'], /--lr must be a number from 0 to 100, got '-1'/],
    [['train', '--epochs', '1e9'], /--epochs must be a whole number from 1 to 1000000/],
    [['train', '--batch', 'many'], /--batch must be a whole number from 1 to 1000000, got 'many'/],
    [
      ['train', '--optim', 'adma'],
      /--optim must be one of sgd, momentum, rmsprop, adam, adamw, got 'adma' — did you mean adam\?/,
    ],
    [['train', '--init', 'big'], /--init must be kaiming, xavier or a weight scale/],
    [['train', '--split', '1,2'], /--split must be TRAIN,VAL,TEST/],
    [
      ['train', '--data', join(dir, 'missing.csv')],
      /cannot read ".*missing\.csv": no such file or directory/,
    ],
    [['train', 'extra'], /unexpected argument 'extra'/],
    [['eval'], /which model\?/],
    [['eval', join(dir, 'missing.safetensors')], /cannot read .*missing\.safetensors/],
    [
      ['predict', join(out, 'model.safetensors'), '1,2,3'],
      /point 1 '1,2,3' must be 2 comma-separated numbers/,
    ],
    [['predict', join(out, 'model.safetensors')], /give points to predict/],
  ];
  writeFileSync(join(dir, 'garbage.safetensors'), 'not a model at all');
  cases.push([['eval', join(dir, 'garbage.safetensors')], /not a valid safetensors file/]);
  writeFileSync(join(dir, 'bad.csv'), 'a,b,label\n1,2,0\n1,x,1\n1,2,0\n');
  cases.push([
    ['train', '--data', join(dir, 'bad.csv')],
    /line 3, column "b": "x" is not a finite number/,
  ]);
  for (const [args, pattern] of cases) {
    const r = run(...args);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  // A file where --out should go fails before any training, not after the run.
  const blocked = run('train', '--epochs', '1', '--out', join(dir, 'bad.csv'));
  assert.equal(blocked.code, 1);
  assert.match(blocked.stderr, /--out: cannot create the output directory ".*bad\.csv": a file/);
  assert.equal(blocked.stdout, '', 'nothing trained');
});

test('the live progress line redraws in place and ends cleanly; plain mode prints whole lines', () => {
  let clock = 0;
  const written: string[] = [];
  const live = new Progress({ write: (t) => written.push(t), live: true, now: () => clock });
  const iteration = (i: number) => ({
    type: 'iteration' as const,
    iteration: i,
    iterations: 10,
    epoch: Math.floor((i - 1) / 5),
    batch: ((i - 1) % 5) + 1,
    batchesPerEpoch: 5,
    loss: 1 / i,
    learningRate: 0.1,
  });
  clock = 1000;
  live.event(iteration(1));
  clock = 1050;
  live.event(iteration(2)); // within 100 ms: not redrawn
  clock = 2000;
  live.event(iteration(4));
  live.event({ type: 'epoch', epoch: 1, numEpochs: 2, trainAcc: 0.5, valAcc: 0.25, best: true });
  live.finish();
  assert.equal(
    written[0],
    '\r\x1b[Kepoch 1/2 [##..................] batch 1/5  loss 1.0000  1.0 it/s  ETA 0:09',
  );
  assert.equal(
    written[1],
    '\r\x1b[Kepoch 1/2 [########............] batch 4/5  loss 0.2500  2.0 it/s  ETA 0:03',
  );
  assert.equal(written[2], '\r\x1b[K');
  assert.equal(written[3], 'epoch 1/2  loss 0.2500  train acc 0.5000  val acc 0.2500 *  (0:02)\n');
  assert.equal(written.length, 4);
  const plain: string[] = [];
  const p = new Progress({ write: (t) => plain.push(t), live: false, now: () => 0 });
  p.event(iteration(1));
  p.event({ type: 'epoch', epoch: 1, numEpochs: 2, trainAcc: 0.5, valAcc: 0.25, best: false });
  p.event({ type: 'stop', epoch: 1, reason: 'early-stopping' });
  assert.deepEqual(plain, [
    'epoch 1/2  loss 1.0000  train acc 0.5000  val acc 0.2500  (0:00)\n',
    'early stop after epoch 1: validation accuracy stopped improving\n',
  ]);
  assert.deepEqual([0, 7, 205, 3725].map(formatDuration), ['0:00', '0:07', '3:25', '1:02:05']);
  assert.equal(formatDuration(NaN), '–');
  assert.equal(bar(0.5, 4), '[##..]');
});
