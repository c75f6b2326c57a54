/** Edit distance (insertions, deletions, substitutions, adjacent swaps). */
export function editDistance(a: string, b: string): number {
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
  let best: string | undefined;
  let bestDistance = Infinity;
  let bestPrefix = -1;
  const lower = name.toLowerCase();
  for (const k of known) {
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
  const limit = Math.max(1, Math.floor(name.length / 3));
  return bestDistance <= limit ? best : undefined;
}
