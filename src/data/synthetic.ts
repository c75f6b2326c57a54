import { badArgument } from '../core/errors.js';
import type { Rng } from '../core/random.js';
import { Tensor } from '../core/tensor.js';
import { checkInteger, checkNumber, checkOptions, checkRng } from '../core/validate.js';
import type { Dataset } from './dataset.js';

// Seeded 2-D toy problems, each an N×2 tensor of points with integer labels.

/** The most points a synthetic set may have. */
const MAX_POINTS = 1_000_000;

function points(
  rows: readonly (readonly [number, number])[],
  y: number[],
  numClasses: number,
): Dataset {
  const data = new Float64Array(rows.length * 2);
  rows.forEach(([a, b], i) => {
    data[2 * i] = a;
    data[2 * i + 1] = b;
  });
  return { X: new Tensor(data, [rows.length, 2]), y, numClasses };
}

/** One point with its class, before the shuffle. */
type Labelled = { p: [number, number]; y: number };

/** The rows in a seeded random order, as points and labels. */
function shuffled(rows: Labelled[], rng: Rng): Dataset2d {
  rng.shuffle(rows);
  return { points: rows.map((r) => r.p), labels: rows.map((r) => r.y) };
}

/** NumPy's linspace(a, b, n)[i]: the ends exact. */
const linspace = (a: number, b: number, n: number, i: number) =>
  n === 1 ? a : i === n - 1 ? b : a + ((b - a) * i) / (n - 1);

/**
 * CS231n's spiral (the "Putting it together" case study): K arms of N points each, class j at
 * radius r = linspace(0, 1, N) and angle t = linspace(4j, 4(j + 1), N) + noise·randn, the point
 * (r·sin t, r·cos t). Points come class by class, as in the notes. A linear classifier stays near
 * 50% on three arms; a two-layer net separates them.
 *
 * @example
 * spiral({ rng: new Rng(0) }).X.shape // [300, 2] (100 points × 3 classes)
 */
export function spiral(options: {
  rng: Rng;
  pointsPerClass?: number;
  classes?: number;
  noise?: number;
}): Dataset {
  options = checkOptions('spiral', 'options', options);
  const rng = checkRng('spiral', 'options.rng', options.rng);
  const n = checkInteger(
    'spiral',
    'options.pointsPerClass',
    options.pointsPerClass ?? 100,
    1,
    MAX_POINTS,
  );
  const k = checkInteger('spiral', 'options.classes', options.classes ?? 3, 1, 100);
  if (n * k > MAX_POINTS)
    throw badArgument('spiral', `${n * k} points are more than ${MAX_POINTS}`);
  const noise = checkNumber('spiral', 'options.noise', options.noise ?? 0.2, { min: 0, max: 100 });
  const rows: [number, number][] = [];
  const y: number[] = [];
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < n; i++) {
      const r = linspace(0, 1, n, i);
      const t = linspace(4 * j, 4 * (j + 1), n, i) + noise * rng.normal();
      rows.push([r * Math.sin(t), r * Math.cos(t)]);
      y.push(j);
    }
  }
  return points(rows, y, k);
}

/**
 * Two interleaving half circles (scikit-learn's make_moons), shuffled.
 *
 * @example
 * moons({ n: 100, rng: new Rng(0) }).numClasses // 2
 */
export function moons(options: { rng: Rng; n?: number; noise?: number }): Dataset {
  options = checkOptions('moons', 'options', options);
  const rng = checkRng('moons', 'options.rng', options.rng);
  const n = checkInteger('moons', 'options.n', options.n ?? 200, 1, MAX_POINTS);
  const noise = checkNumber('moons', 'options.noise', options.noise ?? 0.1, { min: 0, max: 100 });
  const { points: rows, labels } = moonPoints(n, noise, rng);
  return points(rows, labels, 2);
}

/**
 * A small circle inside a big one (scikit-learn's make_circles): the outer ring (radius 1) is
 * class 0, the inner (radius `factor`) class 1, with Gaussian noise, shuffled.
 *
 * @example
 * circles({ n: 100, rng: new Rng(0) }).X.shape // [100, 2]
 */
export function circles(options: {
  rng: Rng;
  n?: number;
  noise?: number;
  factor?: number;
}): Dataset {
  options = checkOptions('circles', 'options', options);
  const rng = checkRng('circles', 'options.rng', options.rng);
  const n = checkInteger('circles', 'options.n', options.n ?? 200, 1, MAX_POINTS);
  const noise = checkNumber('circles', 'options.noise', options.noise ?? 0.05, {
    min: 0,
    max: 100,
  });
  const factor = checkNumber('circles', 'options.factor', options.factor ?? 0.5, {
    min: 0,
    max: 1,
    minOpen: true,
    maxOpen: true,
  });
  const outer = Math.floor(n / 2);
  const rows: Labelled[] = [];
  for (let i = 0; i < n; i++) {
    const inner = i >= outer;
    const count = inner ? n - outer : outer;
    const t = (2 * Math.PI * (inner ? i - outer : i)) / count;
    const r = inner ? factor : 1;
    rows.push({
      p: [r * Math.cos(t) + noise * rng.normal(), r * Math.sin(t) + noise * rng.normal()],
      y: inner ? 1 : 0,
    });
  }
  const shuffledRows = shuffled(rows, rng);
  return points(shuffledRows.points, shuffledRows.labels, 2);
}

/**
 * The XOR problem: points uniform in [−1, 1]², class 1 where x and y have different signs, then
 * Gaussian noise on the coordinates.
 *
 * @example
 * xor({ n: 100, rng: new Rng(0) }).numClasses // 2
 */
export function xor(options: { rng: Rng; n?: number; noise?: number }): Dataset {
  options = checkOptions('xor', 'options', options);
  const rng = checkRng('xor', 'options.rng', options.rng);
  const n = checkInteger('xor', 'options.n', options.n ?? 200, 1, MAX_POINTS);
  const noise = checkNumber('xor', 'options.noise', options.noise ?? 0, { min: 0, max: 100 });
  const rows: [number, number][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rng.uniform(-1, 1);
    const b = rng.uniform(-1, 1);
    y.push(a > 0 !== b > 0 ? 1 : 0);
    rows.push([a + noise * rng.normal(), b + noise * rng.normal()]);
  }
  return points(rows, y, 2);
}

/**
 * Gaussian blobs: `classes` centers evenly spaced on a circle of radius `radius`, each point its
 * class's center plus std·N(0, 1) per coordinate; classes take turns, then the rows are shuffled.
 *
 * @example
 * blobs({ n: 90, classes: 3, rng: new Rng(0) }).y.filter((c) => c === 2).length // 30
 */
export function blobs(options: {
  rng: Rng;
  n?: number;
  classes?: number;
  std?: number;
  radius?: number;
}): Dataset {
  options = checkOptions('blobs', 'options', options);
  const rng = checkRng('blobs', 'options.rng', options.rng);
  const n = checkInteger('blobs', 'options.n', options.n ?? 300, 1, MAX_POINTS);
  const k = checkInteger('blobs', 'options.classes', options.classes ?? 3, 1, 100);
  const std = checkNumber('blobs', 'options.std', options.std ?? 0.5, { min: 0, max: 100 });
  const radius = checkNumber('blobs', 'options.radius', options.radius ?? 2, { min: 0, max: 1000 });
  const rows: Labelled[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % k;
    const angle = (2 * Math.PI * c) / k;
    rows.push({
      p: [
        radius * Math.cos(angle) + std * rng.normal(),
        radius * Math.sin(angle) + std * rng.normal(),
      ],
      y: c,
    });
  }
  const shuffledRows = shuffled(rows, rng);
  return points(shuffledRows.points, shuffledRows.labels, k);
}

/** Points with binary labels. */
export interface Dataset2d {
  /** N points [x, y]. */
  points: [number, number][];
  /** N labels (0 or 1). */
  labels: number[];
}

/**
 * Two interleaving half circles (as scikit-learn's make_moons), with Gaussian noise, shuffled
 * by the given seeded RNG, as plain points: the toy set of micrograd's demo (`moons` gives the
 * same points as a Dataset).
 *
 * @example
 * makeMoons(100, { noise: 0.1, rng: new Rng(1) }).points.length // 100
 */
export function makeMoons(n: number, options: { noise?: number; rng: Rng }): Dataset2d {
  const count = checkInteger('makeMoons', 'n', n, 1, MAX_POINTS);
  options = checkOptions('makeMoons', 'options', options);
  const rng = checkRng('makeMoons', 'options.rng', options.rng);
  const noise = checkNumber('makeMoons', 'options.noise', options.noise ?? 0.1, {
    min: 0,
    max: 100,
  });
  return moonPoints(count, noise, rng);
}

function moonPoints(n: number, noise: number, rng: Rng): Dataset2d {
  const outer = Math.ceil(n / 2);
  const rows: Labelled[] = [];
  for (let i = 0; i < n; i++) {
    const first = i < outer;
    const count = first ? outer : n - outer;
    const t = (Math.PI * (first ? i : i - outer)) / Math.max(count - 1, 1);
    const p: [number, number] = first
      ? [Math.cos(t), Math.sin(t)]
      : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    rows.push({ p: [p[0] + rng.normal(0, noise), p[1] + rng.normal(0, noise)], y: first ? 0 : 1 });
  }
  return shuffled(rows, rng);
}
