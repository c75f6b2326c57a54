import { Rng } from '../../src/core/random.js';
import type { CaseRandom, Domain } from '../../src/core/op.js';
import { tensor, Tensor } from '../../src/core/tensor.js';
import { sizeOf } from '../../src/core/shape.js';

/** The CaseRandom an op's gradcheck spec draws shapes from, on a seeded Rng. */
export function caseRandom(rng: Rng): CaseRandom {
  return {
    int: (lo, hi) => rng.int(lo, hi),
    shape: (minRank, maxRank, maxDim = 4) =>
      Array.from({ length: rng.int(minRank, maxRank) }, () => rng.int(1, maxDim)),
  };
}

/** A value from an op's gradient-check domain, kept away from kinks and singularities. */
export function sample(rng: Rng, domain: Domain): number {
  if (domain === 'real') return rng.uniform(-2, 2);
  if (domain === 'positive') return rng.uniform(0.2, 3);
  if (domain === 'nonzero') return (rng.next() < 0.5 ? -1 : 1) * rng.uniform(0.2, 2);
  return rng.uniform(domain[0], domain[1]);
}

/**
 * Random float64 input tensors for the given shapes. With `distinct`, all values across all
 * inputs are at least ~0.01 apart, so max/maximum never sit on a tie.
 */
export function randomInputs(
  rng: Rng,
  shapes: readonly (readonly number[])[],
  domain: Domain | readonly Domain[] = 'real',
  distinct = false,
): Tensor[] {
  const domainOf = (i: number): Domain =>
    Array.isArray(domain) ? (domain as readonly Domain[])[i]! : (domain as Domain);
  if (distinct) {
    const total = shapes.reduce((n, s) => n + sizeOf(s), 0);
    const spacing = 4 / Math.max(total, 1);
    const grid = rng.shuffle(Array.from({ length: total }, (_, i) => -2 + spacing * (i + 0.5)));
    let k = 0;
    return shapes.map((s) =>
      tensor(
        Array.from(
          { length: sizeOf(s) },
          () => grid[k++]! + rng.uniform(-spacing / 4, spacing / 4),
        ),
        {
          shape: s,
        },
      ),
    );
  }
  return shapes.map((s, i) =>
    tensor(
      Array.from({ length: sizeOf(s) }, () => sample(rng, domainOf(i))),
      { shape: s },
    ),
  );
}
