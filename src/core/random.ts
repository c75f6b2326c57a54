import { badArgument } from './errors.js';
import { checkInteger, describe } from './validate.js';

/**
 * A small seeded random number generator (mulberry32), passed explicitly wherever randomness is
 * needed, so that every run with the same seed gives the same numbers — never Math.random.
 *
 * @example
 * const rng = new Rng(42);
 * rng.uniform(-1, 1); // the same number on every machine, every run
 */
export class Rng {
  private state: number;

  constructor(seed = 0) {
    // Any integer is a seed (taken modulo 2³²); a string or NaN is a mistake, not seed 0.
    this.state = checkInteger('Rng', 'seed', seed) >>> 0;
  }

  /** A uniform number in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A uniform number in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi)) {
      throw badArgument(
        'Rng.uniform',
        `needs finite bounds lo ≤ hi, got ${describe(lo)} and ${describe(hi)}`,
      );
    }
    return lo + (hi - lo) * this.next();
  }

  /** An integer in [lo, hi] (both ends included). */
  int(lo: number, hi: number): number {
    if (!(Number.isSafeInteger(lo) && Number.isSafeInteger(hi) && lo <= hi)) {
      throw badArgument(
        'Rng.int',
        `needs integers lo ≤ hi, got ${describe(lo)} and ${describe(hi)}`,
      );
    }
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** A standard normal sample (Box–Muller). */
  normal(mean = 0, std = 1): number {
    if (!(Number.isFinite(mean) && Number.isFinite(std) && std >= 0)) {
      throw badArgument(
        'Rng.normal',
        `needs a finite mean and std ≥ 0, got ${describe(mean)} and ${describe(std)}`,
      );
    }
    const u = 1 - this.next(); // (0, 1]: log stays finite
    const v = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    if (!Array.isArray(items)) {
      throw badArgument('Rng.shuffle', `argument items must be a list, got ${describe(items)}`);
    }
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}
