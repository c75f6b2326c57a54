import { ChainruleError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { accuracy, confusionMatrix, perClassAccuracy } from '../../data/metrics.js';
import { escapeTerminal } from '../../viz/escape.js';
import { alignColumns } from '../../viz/text.js';
import { choiceFlag, parseArgs, type FlagSpec } from '../args.js';
import { describeFlags } from '../help.js';
import type { Command, Io } from '../io.js';
import { loadData, standardizeWith } from '../training/data.js';
import { predictClasses, readSavedModel } from '../training/saved.js';
import { DATA_FLAGS, dataSpecOf } from './train.js';

const SPLITS = ['train', 'val', 'test'] as const;

const FLAGS: readonly FlagSpec[] = [
  ...DATA_FLAGS,
  {
    name: 'part',
    kind: 'value',
    help: 'train|val|test: which part to score <PART> (default test)',
  },
  {
    name: 'json',
    kind: 'switch',
    help: 'print accuracy, confusion matrix and per-class accuracy as JSON',
  },
  { name: 'help', kind: 'switch', short: 'h', help: 'show this help' },
];

/** The model file: the one positional argument. */
export function modelPath(positionals: readonly string[], usage: string): string {
  const [path] = positionals;
  if (path === undefined) throw new ChainruleError('bad_argument', `which model? usage: ${usage}`);
  return path;
}

async function runEval(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, FLAGS);
  if (args.flags.has('help')) {
    io.stdout(evalCommand.help() + '\n');
    return 0;
  }
  if (args.positionals.length > 1) {
    throw new ChainruleError(
      'bad_argument',
      `expected one model file, got ${args.positionals.length} arguments`,
    );
  }
  const path = modelPath(args.positionals, evalCommand.usage);
  const part = choiceFlag(args, 'part', SPLITS, 'test');
  const saved = readSavedModel(path);
  // The data the model was trained on, unless --data names another.
  const spec = args.flags.has('data') ? dataSpecOf(args) : { ...saved.info.data };
  spec.standardize = false;
  const data = await loadData(spec);
  const set = data[part];
  const shape = set.X.shape.slice(1);
  if (shape.join(',') !== saved.info.inputShape.join(',')) {
    throw new ChainruleError(
      'bad_argument',
      `the model takes examples of shape [${saved.info.inputShape.join(', ')}], but this data has [${shape.join(', ')}]`,
    );
  }
  const X = standardizeWith(
    saved.info.dtype === 'float32' ? new Tensor(Float32Array.from(set.X.data), set.X.shape) : set.X,
    saved.standardize,
  );
  const predicted = predictClasses(saved.model, X);
  const c = saved.info.numClasses;
  if (set.y.some((y) => y >= c)) {
    throw new ChainruleError(
      'bad_argument',
      `this data has labels the model's ${c} classes do not cover`,
    );
  }
  const acc = accuracy(predicted, set.y);
  const matrix = confusionMatrix(predicted, set.y, c);
  const perClass = perClassAccuracy(matrix);
  const names = saved.info.classNames ?? Array.from({ length: c }, (_, k) => String(k));
  if (args.flags.has('json')) {
    io.stdout(
      JSON.stringify({
        split: part,
        examples: set.y.length,
        accuracy: acc,
        confusionMatrix: matrix,
        perClassAccuracy: perClass,
        classNames: names,
      }) + '\n',
    );
    return 0;
  }
  const lines = [
    `model  ${escapeTerminal(path)}: ${escapeTerminal(saved.info.spec)} (${saved.info.loss})`,
    `data   ${escapeTerminal(data.description)}`,
    `${part} accuracy ${(100 * acc).toFixed(2)}% (${Math.round(acc * set.y.length)} of ${set.y.length})`,
    '',
    'confusion matrix (rows: true class, columns: predicted)',
    ...alignColumns(
      [
        ['', ...names.map(escapeTerminal)],
        ...matrix.map((row, t) => [escapeTerminal(names[t]!), ...row.map(String)]),
      ],
      new Set(names.map((_, k) => k + 1)),
    ),
    '',
    'per-class accuracy',
    ...alignColumns(
      perClass.map((a, t) => [
        escapeTerminal(names[t]!),
        a === null ? 'no examples' : `${(100 * a).toFixed(1)}%`,
      ]),
      new Set([1]),
    ),
  ];
  io.stdout(lines.join('\n') + '\n');
  return 0;
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'accuracy, confusion matrix and per-class accuracy of a saved model',
  usage: 'chainrule eval MODEL.safetensors [--part train|val|test] [--data D] [--json]',
  help: () => `Scores a model saved by 'chainrule train --out DIR' (DIR/model.safetensors). By
default it rebuilds the data the model was trained on (same set, sizes and seed) and scores
the test part.

Usage: ${evalCommand.usage}

${describeFlags(FLAGS)}

Examples:
  chainrule eval spiral-run/model.safetensors
  chainrule eval mnist-run/model.safetensors --part val --json`,
  run: runEval,
};
