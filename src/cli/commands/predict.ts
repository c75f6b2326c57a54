import { ChainruleError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { parseCsvFeatures } from '../../data/csv.js';
import { readBytes } from '../../io/node.js';
import { softmax } from '../../ops/softmax.js';
import { escapeTerminal } from '../../viz/escape.js';
import { alignColumns } from '../../viz/text.js';
import { parseArgs, textFlag, type FlagSpec } from '../args.js';
import { describeFlags } from '../help.js';
import type { Command, Io } from '../io.js';
import { readSavedModel, scoresOf } from '../training/saved.js';
import { standardizeWith } from '../training/data.js';
import { modelPath } from './eval.js';

const FLAGS: readonly FlagSpec[] = [
  { name: 'csv', kind: 'value', help: 'predict every row of a CSV with a header <FILE>' },
  { name: 'json', kind: 'switch', help: 'print class, name and probabilities as JSON' },
  { name: 'help', kind: 'switch', short: 'h', help: 'show this help' },
];

/** The most points one command line may give. */
const MAX_POINTS = 10_000;

/** Points typed on the command line: `0.5,-1.2` each. */
function pointsOf(texts: readonly string[], d: number): Tensor {
  if (texts.length > MAX_POINTS) {
    throw new ChainruleError(
      'bad_argument',
      `at most ${MAX_POINTS} points on the command line; use --csv`,
    );
  }
  const data = new Float64Array(texts.length * d);
  texts.forEach((text, i) => {
    const values = text.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
    if (values.length !== d || !values.every(Number.isFinite)) {
      throw new ChainruleError(
        'bad_argument',
        `point ${i + 1} '${escapeTerminal(text)}' must be ${d} comma-separated numbers (the model takes ${d} features)`,
      );
    }
    data.set(values, i * d);
  });
  return new Tensor(data, [texts.length, d]);
}

function runPredict(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, FLAGS);
  if (args.flags.has('help')) {
    io.stdout(predictCommand.help() + '\n');
    return 0;
  }
  const path = modelPath(args.positionals, predictCommand.usage);
  const saved = readSavedModel(path);
  const { inputShape, classNames, numClasses, loss, dtype } = saved.info;
  const d = inputShape.reduce((a, b) => a * b, 1);
  const csv = textFlag(args, 'csv');
  const typed = args.positionals.slice(1);
  if ((csv === undefined) === (typed.length === 0)) {
    throw new ChainruleError(
      'bad_argument',
      `give points to predict (x1,x2 …) or --csv FILE, one of the two; usage: ${predictCommand.usage}`,
    );
  }
  let X: Tensor;
  if (csv !== undefined) {
    const bytes = readBytes(csv, 'predict');
    const text = new TextDecoder().decode(bytes);
    const label = saved.info.data.label;
    const read = parseCsvFeatures(text, label === undefined ? {} : { drop: label });
    // A CSV laid out as the training file: its last column is the label.
    const features =
      read.X.shape[1] === d + 1 && label === undefined
        ? parseCsvFeatures(text, { drop: read.X.shape[1] - 1 })
        : read;
    if (features.X.shape[1] !== d) {
      throw new ChainruleError(
        'bad_argument',
        `${escapeTerminal(csv)} has ${features.X.shape[1]} feature columns, the model takes ${d}`,
      );
    }
    X = features.X;
  } else {
    X = pointsOf(typed, d);
  }
  X = new Tensor(dtype === 'float32' ? Float32Array.from(X.data) : X.data, [
    X.shape[0]!,
    ...inputShape,
  ]);
  const scores = scoresOf(saved.model, standardizeWith(X, saved.standardize));
  const probs = softmax(scores, { axis: 1 });
  const names = classNames ?? Array.from({ length: numClasses }, (_, k) => String(k));
  const results = Array.from({ length: X.shape[0]! }, (_, i) => {
    const row = Array.from(probs.data.subarray(i * numClasses, (i + 1) * numClasses));
    const best = row.indexOf(Math.max(...row));
    return { class: best, name: names[best]!, probabilities: row };
  });
  if (args.flags.has('json')) {
    io.stdout(JSON.stringify(results) + '\n');
    return 0;
  }
  const header = ['#', 'class', loss === 'softmax' ? 'probability' : 'softmax of scores'];
  const rows = results.map((r, i) => [
    String(i + 1),
    escapeTerminal(r.name),
    r.probabilities[r.class]!.toFixed(4),
  ]);
  io.stdout(alignColumns([header, ...rows], new Set([0, 2])).join('\n') + '\n');
  return 0;
}

export const predictCommand: Command = {
  name: 'predict',
  summary: 'the class a saved model predicts for points or CSV rows',
  usage: 'chainrule predict MODEL.safetensors (x1,x2,… … | --csv FILE) [--json]',
  help: () => `Predicts classes with a model saved by 'chainrule train --out DIR'.

Usage: ${predictCommand.usage}

${describeFlags(FLAGS)}

A CSV needs a header; a column named like the training label (or, for a file laid out like
the training CSV, the last column) is left out.

Examples:
  chainrule predict spiral-run/model.safetensors 0.1,0.5 -0.4,-0.2
  chainrule predict iris-run/model.safetensors --csv new-flowers.csv --json`,
  run: runPredict,
};
