/**
 * "Fill in the gradient": is a typed answer right for a wire? A learner works from the numbers on
 * the picture, which are rounded: on the sigmoid neuron the wire into x1 shows local −3.00 and
 * upstream 0.20, whose product is −0.60, while the exact gradient −0.5898… prints as −0.59. Both
 * are honest answers; −0.50 is not. So an answer is right when it is within rounding of the
 * exact gradient, or of the product of the local and upstream gradients as the picture prints
 * them.
 */
import { badArgument } from '../core/errors.js';
import { checkInteger, checkOptions, describe } from '../core/validate.js';
import { MAX_PRECISION } from './check-args.js';
import { parseValue } from '../expr/values.js';
import { checkSnapshotValue, formatNumber, formatValue, isSummary } from './format.js';
import type { NestedArray, SnapshotEdge, SnapshotValue } from './types.js';

export type QuizVerdict =
  | {
      ok: true;
      /** `exact`: within rounding of the true gradient; `shown`: of the printed factors' product. */
      matched: 'exact' | 'shown';
      /** What to tell the learner (for `shown`: the exact value, and why both count). */
      note: string;
    }
  | { ok: false; reason: string };

function flat(v: NestedArray): number[] {
  return typeof v === 'number' ? [v] : v.flatMap(flat);
}

function shapeOf(v: NestedArray): number[] {
  return typeof v === 'number' ? [] : [v.length, ...(v.length > 0 ? shapeOf(v[0]!) : [])];
}

/** Half a unit of the last decimal shown: how far a correctly rounded answer may be. */
function slack(precision: number): number {
  // A little more absorbs the binary rounding of the decimal the learner typed.
  return 0.5 * 10 ** -precision * (1 + 1e-9);
}

/**
 * The product of a wire's local and upstream gradients as the picture prints them, elementwise,
 * when their elements pair up with the gradient's (same size, or a single number).
 *
 * @example
 * shownProduct({ local: -3, upstream: 0.19661193324148185, global: -0.5898 } as SnapshotEdge, 2) // [-0.6]
 */
export function shownProduct(edge: SnapshotEdge, precision: number): number[] | undefined {
  checkQuizEdge('shownProduct', edge, precision);
  const { local, upstream, global } = edge;
  const plain = (v: SnapshotValue | null): v is NestedArray => v !== null && !isSummary(v);
  if (!plain(local) || !plain(upstream) || !plain(global)) return undefined;
  const shown = (v: NestedArray) => flat(v).map((x) => Number(formatNumber(x, precision)));
  const [l, u, n] = [shown(local), shown(upstream), flat(global).length];
  if (![l, u].every((x) => x.length === n || x.length === 1)) return undefined;
  return Array.from(
    { length: n },
    (_, i) => l[l.length === 1 ? 0 : i]! * u[u.length === 1 ? 0 : i]!,
  );
}

/** A snapshot wire whose numbers are snapshot values, and a precision given explicitly. */
function checkQuizEdge(fn: string, edge: SnapshotEdge, precision: number): void {
  // Only the wire's numbers are read: any object with them will do.
  checkOptions(fn, 'edge', edge);
  for (const key of ['local', 'upstream', 'global'] as const) {
    if (edge[key] !== null) checkSnapshotValue(fn, `edge.${key}`, edge[key]);
  }
  checkInteger(fn, 'precision', precision, 0, MAX_PRECISION);
}

function within(typed: readonly number[], target: readonly number[], tolerance: number): boolean {
  return (
    typed.length === target.length && typed.every((x, i) => Math.abs(x - target[i]!) <= tolerance)
  );
}

/**
 * Checks a typed answer (`-0.59`, `−0.60`, `[1, 2]`) for the gradient a wire carries, with the
 * numbers shown at `precision` decimals.
 *
 * @example
 * const x1 = { local: -3, upstream: 0.19661193324148185, global: -0.5898357997244456 } as SnapshotEdge;
 * checkQuizAnswer('-0.59', x1, 2).ok // true
 * checkQuizAnswer('−0.60', x1, 2).ok // true
 * checkQuizAnswer('-0.50', x1, 2).ok // false
 */
export function checkQuizAnswer(text: string, edge: SnapshotEdge, precision: number): QuizVerdict {
  if (typeof text !== 'string') {
    throw badArgument('checkQuizAnswer', `argument text must be a string, got ${describe(text)}`);
  }
  checkQuizEdge('checkQuizAnswer', edge, precision);
  const expected = edge.global;
  if (expected === null || isSummary(expected)) {
    return { ok: false, reason: 'No gradient to type here: this wire carries none.' };
  }
  // People type the typographic minus they see in lecture notes.
  const cleaned = String(text).replace(/[−–]/g, '-').trim();
  if (cleaned === '') return { ok: false, reason: 'Type a number first.' };
  let typed: NestedArray;
  try {
    typed = parseValue(cleaned);
  } catch {
    return {
      ok: false,
      reason: 'That is not a number (write e.g. -0.20, or [1, 2] for a vector).',
    };
  }
  if (shapeOf(typed).join() !== shapeOf(expected).join()) {
    const n = flat(expected).length;
    return {
      ok: false,
      reason:
        n === 1
          ? 'The gradient here is a single number.'
          : `The gradient here has ${n} numbers, shaped like the value on the wire.`,
    };
  }
  const answer = flat(typed);
  const tolerance = slack(precision);
  if (within(answer, flat(expected), tolerance)) {
    return { ok: true, matched: 'exact', note: `Right: ${formatValue(expected, precision)}.` };
  }
  const product = shownProduct(edge, precision);
  if (product !== undefined && within(answer, product, tolerance)) {
    return {
      ok: true,
      matched: 'shown',
      note:
        `Right from the rounded numbers on the picture; unrounded, the gradient is ` +
        `${formatValue(expected, precision + 2)}, which shows as ${formatValue(expected, precision)}.`,
    };
  }
  return { ok: false, reason: 'Not quite — multiply the local gradient by the upstream one.' };
}
