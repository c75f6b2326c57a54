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

  /**
   * A normal sample (Marsaglia's polar method). It uses only + − × ÷ and √, which IEEE 754
   * rounds exactly the same way everywhere, and a logarithm built from them, so a seed gives the
   * same numbers in every JavaScript engine (Math.log and Math.cos differ in the last bit between
   * V8 versions, such as Node 20's and Chromium's).
   */
  normal(mean = 0, std = 1): number {
    if (!(Number.isFinite(mean) && Number.isFinite(std) && std >= 0)) {
      throw badArgument(
        'Rng.normal',
        `needs a finite mean and std ≥ 0, got ${describe(mean)} and ${describe(std)}`,
      );
    }
    for (;;) {
      const u = 2 * this.next() - 1;
      const v = 2 * this.next() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) return mean + std * u * Math.sqrt((-2 * portableLog(s)) / s);
    }
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

const LN2_HI = 6.9314718036912381649e-1; // ln 2 split so that e·LN2_HI is exact
const LN2_LO = 1.90821492927058770002e-10;
const bits = new DataView(new ArrayBuffer(8));

/**
 * ln x for a positive finite x, from exact operations only: x = m·2^e with m in [√½, √2), then
 * ln m = 2·atanh(f), f = (m − 1)/(m + 1), summed as a series (|f| < 0.172, so 12 terms reach
 * double precision). Within a few ulps of Math.log, and the same in every engine.
 */
export function portableLog(x: number): number {
  if (x < 2.2250738585072014e-308) return portableLog(x * 2 ** 54) - 54 * (LN2_HI + LN2_LO);
  bits.setFloat64(0, x);
  const high = bits.getUint32(0);
  let e = ((high >>> 20) & 0x7ff) - 1023;
  bits.setUint32(0, (high & 0x800fffff) | 0x3ff00000); // the same mantissa, exponent 0
  let m = bits.getFloat64(0);
  if (m > Math.SQRT2) {
    m /= 2;
    e += 1;
  }
  const f = (m - 1) / (m + 1);
  const f2 = f * f;
  let term = f;
  let sum = 0;
  for (let k = 1; k <= 23; k += 2) {
    sum += term / k;
    term *= f2;
  }
  return e * LN2_HI + (2 * sum + e * LN2_LO);
}
