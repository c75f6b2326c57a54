import { badArgument } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { Tensor } from '../core/tensor.js';
import { checkInt, checkNumber, optionsOf, show } from '../nn/validate.js';
import type { Dataset } from './dataset.js';
import { makeMoons } from './moons.js';

// Seeded 2-D toy problems, each an N×2 tensor of points with integer labels.

/** The most points a synthetic set may have. */
const MAX_POINTS = 1_000_000;

function checkRng(fn: string, rng: unknown): Rng {
  if (!(rng instanceof Rng))
    throw badArgument(fn, `rng must be a seeded generator (new Rng(seed)), got ${show(rng)}`);
  return rng;
}

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
  options = optionsOf('spiral', options);
  const rng = checkRng('spiral', options.rng);
  const n = checkInt('spiral', 'pointsPerClass', options.pointsPerClass ?? 100, 1, MAX_POINTS);
  const k = checkInt('spiral', 'classes', options.classes ?? 3, 1, 100);
  if (n * k > MAX_POINTS)
    throw badArgument('spiral', `${n * k} points are more than ${MAX_POINTS}`);
  const noise = checkNumber('spiral', 'noise', options.noise ?? 0.2, 0, 100);
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
  options = optionsOf('moons', options);
  const rng = checkRng('moons', options.rng);
  const n = checkInt('moons', 'n', options.n ?? 200, 1, MAX_POINTS);
  const noise = checkNumber('moons', 'noise', options.noise ?? 0.1, 0, 100);
  const { points: rows, labels } = makeMoons(n, { noise, rng });
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
  options = optionsOf('circles', options);
  const rng = checkRng('circles', options.rng);
  const n = checkInt('circles', 'n', options.n ?? 200, 1, MAX_POINTS);
  const noise = checkNumber('circles', 'noise', options.noise ?? 0.05, 0, 100);
  const factor = checkNumber('circles', 'factor', options.factor ?? 0.5, 0, 1, {
    lo: true,
    hi: true,
  });
  const outer = Math.floor(n / 2);
  const rows: { p: [number, number]; y: number }[] = [];
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
  rng.shuffle(rows);
  return points(
    rows.map((r) => r.p),
    rows.map((r) => r.y),
    2,
  );
}

/**
 * The XOR problem: points uniform in [−1, 1]², class 1 where x and y have different signs, then
 * Gaussian noise on the coordinates.
 *
 * @example
 * xor({ n: 100, rng: new Rng(0) }).numClasses // 2
 */
export function xor(options: { rng: Rng; n?: number; noise?: number }): Dataset {
  options = optionsOf('xor', options);
  const rng = checkRng('xor', options.rng);
  const n = checkInt('xor', 'n', options.n ?? 200, 1, MAX_POINTS);
  const noise = checkNumber('xor', 'noise', options.noise ?? 0, 0, 100);
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
  options = optionsOf('blobs', options);
  const rng = checkRng('blobs', options.rng);
  const n = checkInt('blobs', 'n', options.n ?? 300, 1, MAX_POINTS);
  const k = checkInt('blobs', 'classes', options.classes ?? 3, 1, 100);
  const std = checkNumber('blobs', 'std', options.std ?? 0.5, 0, 100);
  const radius = checkNumber('blobs', 'radius', options.radius ?? 2, 0, 1000);
  const rows: { p: [number, number]; y: number }[] = [];
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
  rng.shuffle(rows);
  return points(
    rows.map((r) => r.p),
    rows.map((r) => r.y),
    k,
  );
}
