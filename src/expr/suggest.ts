import { badArgument } from '../core/errors.js';
import { describe } from '../core/validate.js';
/**
 * The longest text `editDistance` compares, and beyond which `closestName` suggests nothing: the
 * table it fills grows with the product of the lengths (two 100,000-character texts would need
 * 10¹⁰ cells), and no typo of a name is that long.
 */
export const MAX_SUGGEST_CHARS = 1000;

function checkText(fn: string, name: string, v: unknown): string {
  if (typeof v !== 'string')
    throw badArgument(fn, `argument ${name} must be a string, got ${describe(v)}`);
  return v;
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
export function editDistance(a: string, b: string): number {
  for (const [name, v] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (checkText('editDistance', name, v).length > MAX_SUGGEST_CHARS) {
      throw badArgument(
        'editDistance',
        `argument ${name} has ${v.length} characters; at most ${MAX_SUGGEST_CHARS} are compared (see docs/limits.md)`,
      );
    }
  }
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name closest to `name`, if it is close enough to be a likely typo.
 *
 * @example
 * closestName('epx', ['exp', 'log']) // 'exp'
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  checkText('closestName', 'name', name);
  if (
    known === null ||
    typeof known !== 'object' ||
    typeof (known as Partial<Iterable<string>>)[Symbol.iterator] !== 'function'
  ) {
    throw badArgument(
      'closestName',
      `argument known must be a list of names, got ${describe(known)}`,
    );
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  if (name.length > MAX_SUGGEST_CHARS) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  let bestPrefix = -1;
  const lower = name.toLowerCase();
  for (const k of known) {
    checkText('closestName', 'known', k);
    // The distance is at least the difference in length: skip what cannot be close enough.
    if (Math.abs(k.length - name.length) > limit) continue;
    const candidate = k.toLowerCase();
    const dist = editDistance(lower, candidate);
    // Ties go to the name sharing the longest start ('grap' → 'graph', not 'grad').
    let prefix = 0;
    while (prefix < lower.length && lower[prefix] === candidate[prefix]) prefix++;
    if (dist < bestDistance || (dist === bestDistance && prefix > bestPrefix)) {
      best = k;
      bestDistance = dist;
      bestPrefix = prefix;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
