/**
 * "Fill in the gradients": which steps of the schedule are questions, and whether a typed answer
 * matches the gradient the library computed. Pure, so it is tested without a browser. The page
 * never computes a gradient itself: the expected answer is the snapshot's own `grad` of the wire.
 */
import type { NestedArray } from '../src/index.js';
import { parseValue } from '../src/expr/index.js';
import { isSummary, type GraphSnapshot, type SnapshotEdge, type Step } from '../src/graph/index.js';

/** A step the learner answers: a backward wire whose gradient is written out in full. */
export function questionEdge(snapshot: GraphSnapshot, step: Step | undefined): SnapshotEdge | null {
  if (step === undefined || step.kind !== 'edge') return null;
  const edge = snapshot.edges.find((e) => e.id === step.edge);
  if (edge === undefined || edge.grad === null || isSummary(edge.grad)) return null;
  return edge;
}

/** The first step at or after `from` that is a question (steps.length when none is left). */
export function nextQuestion(
  snapshot: GraphSnapshot,
  steps: readonly Step[],
  from: number,
): number {
  for (let i = Math.max(0, from); i < steps.length; i++) {
    if (questionEdge(snapshot, steps[i]) !== null) return i;
  }
  return steps.length;
}

/** How many questions a schedule asks, and how many of them come before `position`. */
export function progress(
  snapshot: GraphSnapshot,
  steps: readonly Step[],
  position: number,
): { done: number; total: number } {
  let done = 0;
  let total = 0;
  steps.forEach((step, i) => {
    if (questionEdge(snapshot, step) === null) return;
    total++;
    if (i < position) done++;
  });
  return { done, total };
}

/**
 * How far an answer may be from the exact gradient: half a unit of the last decimal shown, so
 * typing the number exactly as the picture would print it is always right.
 */
export function tolerance(precision: number): number {
  return 0.5 * 10 ** -precision;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * Checks a typed answer (`-0.2`, `−0.20`, `[1, 2]`) against the expected gradient, element by
 * element, within the tolerance of the precision shown.
 *
 * @example
 * checkAnswer('0.39', 0.3932238664829637, 2) // { ok: true }
 * checkAnswer('0.4', 0.3932238664829637, 2)  // { ok: false, reason: … }
 */
export function checkAnswer(text: string, expected: NestedArray, precision: number): Verdict {
  // People type the typographic minus they see in lecture notes.
  const cleaned = text.replace(/[−–]/g, '-').trim();
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
  // A little slack over the tolerance absorbs binary rounding of the decimal the learner typed.
  return close(typed, expected, tolerance(precision) * (1 + 1e-9))
    ? { ok: true }
    : { ok: false, reason: 'Not quite — try again, or ask for a hint.' };
}

function close(a: NestedArray, b: NestedArray, tol: number): boolean {
  if (typeof a === 'number' || typeof b === 'number') {
    return typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= tol;
  }
  return a.length === b.length && a.every((x, i) => close(x, b[i]!, tol));
}
