import { badArgument } from './errors.js';
import { LIMITS } from './limits.js';
import { checkSize, describe as describeValue } from './validate.js';

/** A number or a (rectangular) nested array of numbers. */
export type NestedArray = number | NestedArray[];

/**
 * Shape and row-major values of a rectangular nested array, or a clear error. Nesting deeper
 * than LIMITS.maxRank and more than LIMITS.maxTensorSize numbers are refused before the walk,
 * so neither a 5,000-deep list nor a huge sparse one can overflow the stack or hang.
 */
export function flattenNested(fn: string, value: unknown): { shape: number[]; values: number[] } {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    if (shape.length === LIMITS.maxRank) {
      throw badArgument(
        fn,
        `the nested array nests more than ${LIMITS.maxRank} levels deep (the most axes a tensor has)`,
      );
    }
    shape.push(probe.length);
    probe = probe[0];
  }
  checkSize(
    fn,
    shape.reduce((a, d) => a * d, 1),
    'the nested array',
  );
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
    // An index loop, not forEach: holes of a sparse array are reported, not skipped.
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
  };
  walk(value, 0, '');
  return { shape, values };
}

function describe(v: unknown): string {
  return typeof v === 'number' ? 'a number' : describeValue(v);
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
