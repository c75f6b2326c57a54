import type { Rng } from '../core/random.js';

/** Points with binary labels. */
export interface Dataset2d {
  /** N points [x, y]. */
  points: [number, number][];
  /** N labels (0 or 1). */
  labels: number[];
}

/**
 * Two interleaving half circles (as scikit-learn's make_moons), with Gaussian noise, shuffled
 * by the given seeded RNG. The toy set of micrograd's demo.
 *
 * @example
 * makeMoons(100, { noise: 0.1, rng: new Rng(1) }).points.length // 100
 */
export function makeMoons(n: number, options: { noise?: number; rng: Rng }): Dataset2d {
  const { rng } = options;
  const noise = options.noise ?? 0.1;
  const outer = Math.ceil(n / 2);
  const rows: { p: [number, number]; y: number }[] = [];
  for (let i = 0; i < n; i++) {
    const first = i < outer;
    const count = first ? outer : n - outer;
    const t = (Math.PI * (first ? i : i - outer)) / Math.max(count - 1, 1);
    const p: [number, number] = first
      ? [Math.cos(t), Math.sin(t)]
      : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    rows.push({ p: [p[0] + rng.normal(0, noise), p[1] + rng.normal(0, noise)], y: first ? 0 : 1 });
  }
  rng.shuffle(rows);
  return { points: rows.map((r) => r.p), labels: rows.map((r) => r.y) };
}
