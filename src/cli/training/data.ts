import { ChainruleError } from '../../core/errors.js';
import { Rng } from '../../core/random.js';
import { Tensor } from '../../core/tensor.js';
import type { Dataset } from '../../data/dataset.js';
import { fitStandardizer, splitDataset, standardizerOf } from '../../data/loader.js';
import { loadMnist } from '../../data/mnist.js';
import { blobs, circles, moons, spiral, xor } from '../../data/synthetic.js';
import { readCsvFile } from '../../io/node.js';
import { escapeTerminal } from '../../viz/escape.js';

// The data side of `chainrule train`, `eval` and `predict`: a --data name (or a CSV path) and its
// settings become train / validation / test sets, and are recorded in the saved model so that
// eval can rebuild the same sets.

export const SYNTHETIC = ['spiral', 'moons', 'circles', 'xor', 'blobs'] as const;
export const DATA_NAMES = [...SYNTHETIC, 'mnist'] as const;

/** Everything needed to make the data again (saved in the model's metadata). */
export interface DataSpec {
  /** A name from DATA_NAMES, or a CSV path. */
  data: string;
  seed: number;
  /** Synthetic sets: points per set and noise; spiral and blobs: classes. */
  points?: number;
  noise?: number;
  classes?: number;
  /** MNIST and CSV: sizes of train, validation and test. */
  split?: [number, number, number];
  /** CSV: the label column. */
  label?: string;
  /** Standardize features with the training set's statistics. */
  standardize?: boolean;
}

export interface LoadedData {
  train: Dataset;
  val: Dataset;
  test: Dataset;
  /** The shape of one example ([D] or [C, H, W]). */
  inputShape: number[];
  numClasses: number;
  classNames: string[] | undefined;
  /** One line for the terminal. */
  description: string;
  /** The standardization applied (saved with the model), if any. */
  standardizer: { mean: Float64Array; std: Float64Array } | undefined;
  /** The spec completed with the defaults used. */
  spec: DataSpec;
}

const userError = (message: string) => new ChainruleError('bad_argument', message);

function synthetic(name: (typeof SYNTHETIC)[number], spec: DataSpec, seed: number): Dataset {
  const rng = new Rng(seed);
  const n = spec.points ?? 300;
  const noise = spec.noise;
  const classes = spec.classes ?? 3;
  const withNoise = <T extends object>(o: T) => (noise === undefined ? o : { ...o, noise });
  switch (name) {
    case 'spiral':
      return spiral(
        withNoise({ rng, classes, pointsPerClass: Math.max(1, Math.floor(n / classes)) }),
      );
    case 'moons':
      return moons(withNoise({ rng, n }));
    case 'circles':
      return circles(withNoise({ rng, n }));
    case 'xor':
      return xor(withNoise({ rng, n }));
    default:
      return blobs({ rng, n, classes, ...(noise === undefined ? {} : { std: noise }) });
  }
}

/** CSV splits: the given sizes, or 80% / 10% / the rest. */
function csvSizes(n: number, split: DataSpec['split']): [number, number, number] {
  if (split) return split;
  if (n < 3)
    throw userError(`the CSV has ${n} rows; training needs at least 3 (train, validation, test)`);
  const train = Math.max(1, Math.floor(n * 0.8));
  const val = Math.max(1, Math.floor(n * 0.1));
  return [train, val, n - train - val];
}

/** Loads the data a spec describes, split and (if asked) standardized. */
export async function loadData(spec: DataSpec): Promise<LoadedData> {
  let train: Dataset;
  let val: Dataset;
  let test: Dataset;
  let description: string;
  const completed: DataSpec = { ...spec };
  if ((SYNTHETIC as readonly string[]).includes(spec.data)) {
    const name = spec.data as (typeof SYNTHETIC)[number];
    // Three independent draws from the same distribution.
    [train, val, test] = [0, 1, 2].map((k) => synthetic(name, spec, (spec.seed + k) >>> 0)) as [
      Dataset,
      Dataset,
      Dataset,
    ];
    description = `${name}: ${train.y.length} train / ${val.y.length} val / ${test.y.length} test points, 2 features, ${train.numClasses} classes`;
  } else if (spec.data === 'mnist') {
    const [trainSize, valSize, testSize] = spec.split ?? [8000, 1000, 1000];
    completed.split = [trainSize, valSize, testSize];
    ({ train, val, test } = await loadMnist({
      train: trainSize,
      val: valSize,
      test: testSize,
      seed: spec.seed,
    }));
    description = `mnist: ${trainSize} train / ${valSize} val / ${testSize} test digits, 1×28×28, 10 classes`;
  } else if (spec.data.toLowerCase().endsWith('.csv')) {
    const all = readCsvFile(spec.data, spec.label === undefined ? {} : { label: spec.label });
    const [t, v, s] = csvSizes(all.y.length, spec.split);
    if (t + v + s > all.y.length) {
      throw userError(
        `--split ${t},${v},${s} asks for ${t + v + s} rows, but ${escapeTerminal(spec.data)} has ${all.y.length}`,
      );
    }
    completed.split = [t, v, s];
    ({ train, val, test } = splitDataset(all, {
      train: t,
      val: v,
      test: s,
      rng: new Rng(spec.seed),
    }));
    description = `${spec.data}: ${t} train / ${v} val / ${s} test rows, ${all.featureNames.length} features, ${all.numClasses} classes`;
  } else {
    throw userError(
      `--data must be one of ${DATA_NAMES.join(', ')} or a .csv file, got '${escapeTerminal(spec.data)}'`,
    );
  }
  let standardizer: LoadedData['standardizer'];
  if (spec.standardize) {
    const fitted = fitStandardizer(train.X);
    standardizer = { mean: fitted.mean, std: fitted.std };
    train = { ...train, X: fitted.apply(train.X) };
    val = { ...val, X: fitted.apply(val.X) };
    test = { ...test, X: fitted.apply(test.X) };
  }
  return {
    train,
    val,
    test,
    inputShape: train.X.shape.slice(1),
    numClasses: Math.max(train.numClasses, val.numClasses, test.numClasses),
    classNames: train.classNames,
    description,
    standardizer,
    spec: completed,
  };
}

/** Applies saved standardization statistics to features, checking they fit. */
export function standardizeWith(
  X: Tensor,
  stats: { mean: Tensor; std: Tensor } | undefined,
): Tensor {
  if (!stats) return X;
  return standardizerOf(
    Float64Array.from(stats.mean.data),
    Float64Array.from(stats.std.data),
  ).apply(X);
}
