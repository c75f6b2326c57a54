/**
 * Does `actual` match the value a document shows (`expected`, a literal as written: `0.73`,
 * `[[19, 22], [43, 50]]`, `'w0'`, `true`)? Numbers shown with decimals match when they round to
 * them; integers, booleans and strings must match exactly; arrays element by element, at any
 * depth. Typed arrays count as arrays.
 */
export function matches(actual: unknown, expected: string): boolean {
  if (expected.startsWith("'")) return actual === unquote(expected);
  const shown: unknown = JSON.parse(expected.replace(/'/g, '"'));
  // The decimals of each number literal, in the order a depth-first walk meets them.
  const decimals = [
    ...expected.replace(/'[^']*'/g, "''").matchAll(/-?\d+(?:\.(\d+))?(?:e-?\d+)?/g),
  ].map((m) => m[1]?.length ?? 0);
  let next = 0;
  const walk = (a: unknown, e: unknown): boolean => {
    if (Array.isArray(e)) {
      const values: unknown = ArrayBuffer.isView(a) ? Array.from(a as Float64Array) : a;
      if (!Array.isArray(values) || values.length !== e.length) return false;
      return e.every((x, k) => walk(values[k], x));
    }
    if (typeof e === 'number') {
      const d = decimals[next++] ?? 0;
      if (typeof a !== 'number') return false;
      return d === 0 ? a === e : Math.abs(a - e) <= 0.5 * 10 ** -d * (1 + 1e-9);
    }
    return a === e;
  };
  return walk(actual, shown);
}

/** The text of a single-quoted JavaScript string literal: 'say \\"hi\\"' → say \"hi\". */
export function unquote(literal: string): string {
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r' };
  return literal.slice(1, -1).replace(/\\(.)/g, (_, c: string) => escapes[c] ?? c);
}
