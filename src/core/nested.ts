import { badArgument } from './errors.js';

/** A number or a (rectangular) nested array of numbers. */
export type NestedArray = number | NestedArray[];

/** Shape and row-major values of a rectangular nested array, or a clear error. */
export function flattenNested(fn: string, value: unknown): { shape: number[]; values: number[] } {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const values: number[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') {
        throw badArgument(
          fn,
          `expected a number at ${path || 'the top level'}, got ${describe(v)}`,
        );
      }
      values.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw badArgument(
        fn,
        `ragged nested array: ${path || 'the top level'} should be a list of ${shape[depth]} ` +
          `items like its first sibling, got ${describe(v)}`,
      );
    }
    v.forEach((x, i) => walk(x, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, '');
  return { shape, values };
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.slice(0, 20))}`;
  return v === null ? 'null' : typeof v;
}

/** The inverse of flattenNested. */
export function toNested(data: ArrayLike<number>, shape: readonly number[]): NestedArray {
  if (shape.length === 0) return data[0]!;
  let offset = 0;
  const build = (depth: number): NestedArray[] => {
    const n = shape[depth]!;
    const out: NestedArray[] = new Array<NestedArray>(n);
    for (let i = 0; i < n; i++) {
      out[i] = depth === shape.length - 1 ? data[offset++]! : build(depth + 1);
    }
    return out;
  };
  return build(0);
}
