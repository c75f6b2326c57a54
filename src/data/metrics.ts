import { badArgument } from '../core/errors.js';
import { checkInteger, describe } from '../core/validate.js';

// How a classifier did, class by class.

function labelsOf(
  fn: string,
  name: string,
  values: unknown,
  numClasses = Infinity,
): readonly number[] {
  if (!Array.isArray(values) && !(values instanceof Int32Array)) {
    throw badArgument(
      fn,
      `argument ${name} must be a list of class indices, got ${describe(values)}`,
    );
  }
  const list = values as ArrayLike<unknown>;
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= numClasses) {
      const classes = numClasses === Infinity ? 'an integer ≥ 0' : `in [0, ${numClasses})`;
      throw badArgument(fn, `${name}[${i}] is ${describe(v)}, not a class ${classes}`);
    }
  }
  return Array.from(list as ArrayLike<number>);
}

/**
 * The confusion matrix: entry [t][p] counts the examples of true class t predicted as p.
 *
 * @example
 * confusionMatrix([0, 1, 1], [0, 1, 0], 2) // [[1, 1], [0, 1]]
 */
export function confusionMatrix(
  predicted: readonly number[] | Int32Array,
  labels: readonly number[] | Int32Array,
  numClasses: number,
): number[][] {
  const c = checkInteger('confusionMatrix', 'numClasses', numClasses, 1, 100_000);
  const p = labelsOf('confusionMatrix', 'predicted', predicted, c);
  const y = labelsOf('confusionMatrix', 'labels', labels, c);
  if (p.length !== y.length) {
    throw badArgument('confusionMatrix', `${p.length} predictions for ${y.length} labels`);
  }
  const m = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  y.forEach((t, i) => m[t]![p[i]!]!++);
  return m;
}

/**
 * Per-class accuracy (recall) from a confusion matrix: the fraction of each class predicted
 * right, or null for a class with no examples.
 *
 * @example
 * perClassAccuracy([[1, 1], [0, 1]]) // [0.5, 1]
 */
export function perClassAccuracy(matrix: readonly (readonly number[])[]): (number | null)[] {
  const counts = matrix;
  const square =
    Array.isArray(matrix) &&
    (matrix as readonly unknown[]).every(
      (row) =>
        Array.isArray(row) &&
        row.length === matrix.length &&
        (row as unknown[]).every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0),
    );
  if (!square) {
    throw badArgument(
      'perClassAccuracy',
      'matrix must be a square confusion matrix of counts (number[][])',
    );
  }
  return counts.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? null : row[t]! / total;
  });
}

/**
 * The fraction of predictions equal to the labels.
 *
 * @example
 * accuracy([0, 1, 1], [0, 1, 0]) // 0.6666666666666666
 */
export function accuracy(
  predicted: readonly number[] | Int32Array,
  labels: readonly number[] | Int32Array,
): number {
  const p = labelsOf('accuracy', 'predicted', predicted);
  const y = labelsOf('accuracy', 'labels', labels);
  if (p.length !== y.length || p.length === 0) {
    throw badArgument(
      'accuracy',
      `needs as many predictions as labels (at least one), got ${p.length} and ${y.length}`,
    );
  }
  let right = 0;
  for (let i = 0; i < p.length; i++) if (p[i] === y[i]) right++;
  return right / p.length;
}
