import { ChainruleError } from '../../core/errors.js';
import { Rng } from '../../core/random.js';
import { DTYPES, Tensor } from '../../core/tensor.js';
import type { Dataset } from '../../data/dataset.js';
import { accuracy } from '../../data/metrics.js';
import { Classifier, LOSSES, type LossName } from '../../nn/classifier.js';
import type { WeightInit } from '../../nn/init.js';
import { buildModel, parseModelSpec } from '../../nn/spec.js';
import { OPTIMIZERS, type OptimizerName } from '../../optim/optimizers.js';
import { DEFAULT_LEARNING_RATE } from '../../optim/rules.js';
import { Solver } from '../../optim/solver.js';
import { escapeTerminal } from '../../viz/escape.js';
import {
  choiceFlag,
  integerFlag,
  numberFlag,
  optionalNumberFlag,
  parseArgs,
  textFlag,
  type FlagSpec,
  type ParsedArgs,
} from '../args.js';
import { describeFlags } from '../help.js';
import type { Command, Io } from '../io.js';
import { DATA_NAMES, loadData, type DataSpec, type LoadedData } from '../training/data.js';
import { prepareOutputs, writeOutputs, type Check, type RunRecord } from '../training/outputs.js';
import { Progress, formatDuration } from '../training/progress.js';
import { predictClasses } from '../training/saved.js';

/** The optimizers by their flag names; each knows its rule's name for the Solver. */
const OPTIMS = Object.keys(OPTIMIZERS) as OptimizerName[];

/** The data flags, shared with `chainrule eval`. */
export const DATA_FLAGS: readonly FlagSpec[] = [
  {
    name: 'data',
    kind: 'value',
    help: `${DATA_NAMES.join('|')} or a FILE.csv with a header <DATA> (default spiral)`,
  },
  { name: 'points', kind: 'value', help: 'points per set of 2-D data <N> (default 300)' },
  { name: 'classes', kind: 'value', help: 'classes of spiral and blobs <K> (default 3)' },
  { name: 'noise', kind: 'value', help: 'noise of 2-D data <X> (spiral: angle, blobs: spread)' },
  {
    name: 'split',
    kind: 'value',
    help: 'train,val,test sizes for mnist and CSV <SIZES> (mnist: 8000,1000,1000)',
  },
  { name: 'label', kind: 'value', help: 'the label column of a CSV <NAME> (default the last)' },
  { name: 'standardize', kind: 'switch', help: 'scale features to mean 0, std 1 (train stats)' },
  { name: 'seed', kind: 'value', help: 'seed of data, weights and batches <N> (default 0)' },
];

const FLAGS: readonly FlagSpec[] = [
  ...DATA_FLAGS,
  {
    name: 'model',
    kind: 'value',
    help: 'layers joined by - <SPEC> (default affine(100)-relu-affine)',
  },
  { name: 'loss', kind: 'value', help: `${LOSSES.join('|')} <LOSS> (default softmax)` },
  { name: 'optim', kind: 'value', help: `${OPTIMS.join('|')} <RULE> (default sgd)` },
  { name: 'lr', kind: 'value', help: 'learning rate <LR> (default: 1e-2, adam 1e-3)' },
  {
    name: 'lr-decay',
    kind: 'value',
    help: 'multiply the rate by <X> after each epoch (default 1)',
  },
  { name: 'reg', kind: 'value', help: 'L2 strength: loss + 0.5·reg·Σw² <REG> (default 0)' },
  { name: 'epochs', kind: 'value', help: 'passes over the training set <N> (default 10)' },
  { name: 'batch', kind: 'value', help: "minibatch size or 'full' <N> (default 100)" },
  { name: 'init', kind: 'value', help: 'kaiming|xavier or a weight scale such as 0.01 <INIT>' },
  { name: 'dtype', kind: 'value', help: 'float64|float32 <TYPE> (default float64)' },
  { name: 'clip-norm', kind: 'value', help: 'clip gradients to this global norm <X>' },
  { name: 'patience', kind: 'value', help: 'stop after <N> checks without a better val acc' },
  { name: 'check-every', kind: 'value', help: 'epochs between accuracy checks <N>' },
  { name: 'out', kind: 'value', short: 'o', help: 'write weights, history and plots to <DIR>' },
  { name: 'json', kind: 'switch', help: 'print the results as JSON (progress goes to stderr)' },
  { name: 'help', kind: 'switch', short: 'h', help: 'show this help' },
];

/** `--split 8000,1000,1000` as three whole numbers ≥ 0 (train ≥ 1). */
function splitFlag(args: ParsedArgs): [number, number, number] | undefined {
  const raw = textFlag(args, 'split');
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
  if (
    parts.length !== 3 ||
    !parts.every((v) => Number.isInteger(v) && v >= 0 && v <= 10_000_000) ||
    parts[0]! < 1
  ) {
    throw new ChainruleError(
      'bad_argument',
      `--split must be TRAIN,VAL,TEST (three whole numbers, TRAIN ≥ 1), got '${escapeTerminal(raw)}'`,
    );
  }
  return parts as [number, number, number];
}

/** The data flags as a DataSpec. */
export function dataSpecOf(args: ParsedArgs): DataSpec {
  const spec: DataSpec = {
    data: textFlag(args, 'data') ?? 'spiral',
    seed: integerFlag(args, 'seed', 0, 0, 2 ** 32 - 1),
  };
  const points = optionalNumberFlag(args, 'points', { min: 3, max: 1_000_000, integer: true });
  const classes = optionalNumberFlag(args, 'classes', { min: 1, max: 100, integer: true });
  const noise = optionalNumberFlag(args, 'noise', { min: 0, max: 100 });
  const split = splitFlag(args);
  const label = textFlag(args, 'label');
  if (points !== undefined) spec.points = points;
  if (classes !== undefined) spec.classes = classes;
  if (noise !== undefined) spec.noise = noise;
  if (split !== undefined) spec.split = split;
  if (label !== undefined) spec.label = label;
  if (args.flags.has('standardize')) spec.standardize = true;
  return spec;
}

function initOf(args: ParsedArgs): WeightInit {
  const raw = textFlag(args, 'init') ?? 'kaiming';
  if (raw === 'kaiming' || raw === 'xavier') return raw;
  const scale = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(scale) || scale <= 0 || scale > 10) {
    throw new ChainruleError(
      'bad_argument',
      `--init must be kaiming, xavier or a weight scale in (0, 10], got '${escapeTerminal(raw)}'`,
    );
  }
  return { weightScale: scale };
}

/** A dataset's features in the model's dtype. */
function inDtype(d: Dataset, dtype: 'float32' | 'float64'): Dataset {
  if (d.X.dtype === dtype) return d;
  const data = dtype === 'float32' ? Float32Array.from(d.X.data) : Float64Array.from(d.X.data);
  return { ...d, X: new Tensor(data, d.X.shape) };
}

const pct = (a: number) => `${(100 * a).toFixed(2)}%`;

export async function runTrain(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (args.flags.has('help')) {
    io.stdout(trainCommand.help() + '\n');
    return 0;
  }
  if (args.positionals.length > 0) {
    throw new ChainruleError(
      'bad_argument',
      `unexpected argument '${escapeTerminal(args.positionals[0]!)}' (options start with --; see --help)`,
    );
  }
  const json = args.flags.has('json');
  const say = (text: string) => (json ? io.stderr(text) : io.stdout(text));
  const spec = textFlag(args, 'model') ?? 'affine(100)-relu-affine';
  parseModelSpec(spec); // a typo fails now, not after the data has loaded
  const loss = choiceFlag<LossName>(args, 'loss', LOSSES, 'softmax');
  const optim = choiceFlag(args, 'optim', OPTIMS, 'sgd');
  const rule = OPTIMIZERS[optim].ruleName;
  const lr = numberFlag(args, 'lr', DEFAULT_LEARNING_RATE[rule], { min: 0, max: 100 });
  const lrDecay = numberFlag(args, 'lr-decay', 1, { min: 0, max: 1 });
  const reg = numberFlag(args, 'reg', 0, { min: 0, max: 1000 });
  const epochs = integerFlag(args, 'epochs', 10, 1, 1_000_000);
  const dtype = choiceFlag(args, 'dtype', DTYPES, 'float64');
  const init = initOf(args);
  const clipNorm = optionalNumberFlag(args, 'clip-norm', { min: 1e-9, max: 1e9 });
  const patience = optionalNumberFlag(args, 'patience', { min: 1, max: 1_000_000, integer: true });
  const rawBatch = textFlag(args, 'batch');
  const batchFlag = rawBatch === 'full' ? Infinity : integerFlag(args, 'batch', 100, 1, 1_000_000);
  const checkEvery = integerFlag(
    args,
    'check-every',
    Math.max(1, Math.ceil(epochs / 20)),
    1,
    1_000_000,
  );
  const out = textFlag(args, 'out');
  if (out !== undefined) prepareOutputs(out);
  const dataSpec = dataSpecOf(args);

  const loaded = await loadData(dataSpec);
  const data: LoadedData = {
    ...loaded,
    train: inDtype(loaded.train, dtype),
    val: inDtype(loaded.val, dtype),
    test: inDtype(loaded.test, dtype),
  };
  const { model: net, summary } = buildModel(spec, {
    inputShape: data.inputShape,
    numClasses: data.numClasses,
    rng: new Rng(dataSpec.seed),
    init,
    dtype,
  });
  const model = new Classifier(net, { loss, reg });
  const nTrain = data.train.y.length;
  const batchSize = Math.min(batchFlag, nTrain);
  const batches = Math.ceil(nTrain / batchSize);

  say(`data   ${escapeTerminal(data.description)}\n`);
  say(`model  ${escapeTerminal(spec)}: ${net.parameterCount()} parameters, ${loss} loss\n`);
  const width = Math.max(...summary.map((s) => s.layer.length));
  for (const s of summary) {
    say(
      `         ${s.layer.padEnd(width)}  → [${s.outputShape.join(', ')}]  ${s.parameters} parameters\n`,
    );
  }
  say(
    `train  ${optim}, lr ${lr}${lrDecay !== 1 ? ` (×${lrDecay} per epoch)` : ''}, reg ${reg}, ` +
      `${epochs} epoch${epochs === 1 ? '' : 's'} of ${batches} batch${batches === 1 ? '' : 'es'} (${batchSize}), seed ${dataSpec.seed}\n`,
  );

  const checks: Check[] = [];
  let iteration = 0;
  const progress = new Progress({
    write: say,
    live: io.isTTY && !json,
    now: () => performance.now(),
  });
  const solver = new Solver(
    model,
    { XTrain: data.train.X, yTrain: data.train.y, XVal: data.val.X, yVal: data.val.y },
    {
      updateRule: rule,
      optimConfig: { learningRate: lr },
      lrDecay,
      batchSize,
      numEpochs: epochs,
      batches: 'shuffled',
      checkEvery,
      numTrainSamples: 1000,
      verbose: false,
      seed: dataSpec.seed,
      reuseBuffers: true,
      ...(clipNorm === undefined ? {} : { clipNorm }),
      ...(patience === undefined ? {} : { earlyStopping: { patience } }),
      onProgress: (e) => {
        if (e.type === 'iteration') iteration = e.iteration;
        if (e.type === 'epoch')
          checks.push({ iteration, epoch: e.epoch, train: e.trainAcc, val: e.valAcc });
        progress.event(e);
      },
    },
  );
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  try {
    solver.train();
  } finally {
    progress.finish();
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  // On a shared machine the CPU time says more about the work than the wall-clock time.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const accuracyOn = (d: Dataset) =>
    d.y.length === 0 ? NaN : accuracy(predictClasses(model, d.X), d.y);
  const final = {
    train: accuracyOn(data.train),
    val: accuracyOn(data.val),
    test: accuracyOn(data.test),
  };
  const run: RunRecord = { loss: solver.lossHistory, checks, final, seconds, cpuSeconds };
  const rate = solver.lossHistory.length / Math.max(seconds, 1e-9);
  say(
    `done   in ${formatDuration(seconds)} (${seconds.toFixed(1)} s, ${cpuSeconds.toFixed(1)} s of CPU, ${rate.toFixed(0)} it/s)\n`,
  );
  const show = (a: number) => (Number.isNaN(a) ? 'n/a' : pct(a));
  say(`acc    train ${show(final.train)}   val ${show(final.val)}   test ${show(final.test)}\n`);

  let written: string[] = [];
  if (out !== undefined) {
    written = writeOutputs(out, {
      model,
      info: {
        spec,
        loss,
        inputShape: data.inputShape,
        numClasses: data.numClasses,
        classNames: data.classNames,
        dtype,
        data: data.spec,
      },
      data,
      run,
      title: `${dataSpec.data.split(/[\\/]/).pop()} · ${spec}`,
    });
    say(`wrote  ${written.map(escapeTerminal).join('\n       ')}\n`);
  }
  if (json) {
    io.stdout(
      JSON.stringify({
        data: data.spec,
        model: spec,
        parameters: net.parameterCount(),
        iterations: solver.lossHistory.length,
        seconds,
        cpuSeconds,
        finalLoss: solver.lossHistory.at(-1),
        accuracy: final,
        files: written,
      }) + '\n',
    );
  }
  return 0;
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a network on spiral, moons, MNIST or a CSV; save weights, history and plots',
  usage:
    'chainrule train [--data D] [--model SPEC] [--optim RULE] [--lr LR] [--epochs N] [--out DIR]',
  help: () => `Trains a classifier and reports train, validation and test accuracy.

Usage: ${trainCommand.usage}

${describeFlags(FLAGS)}

A model SPEC is layers joined by '-': affine(M), conv(F,K[,stride]), pool(S), relu, tanh,
sigmoid, batchnorm, layernorm, dropout(KEEP), flatten. 'affine' alone is a linear classifier;
the last affine defaults to the number of classes.

Examples:
  chainrule train --data spiral --model "affine(100)-relu-affine" --lr 1 --reg 1e-3 \\
      --batch full --epochs 10000 --init 0.01 --out spiral-run
  chainrule train --data spiral --model affine --lr 1 --reg 1e-3 --batch full --epochs 200
  chainrule train --data mnist --model "conv(16,3)-relu-pool(2)-affine" --optim adam --epochs 5
  chainrule train --data iris.csv --label species --standardize --model "affine(16)-relu-affine"`,
  run: runTrain,
};
