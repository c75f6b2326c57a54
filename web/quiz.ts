/**
 * "Fill in the gradients": which steps of the schedule are questions. Pure, so it is tested
 * without a browser. Whether a typed answer is right is the library's `checkQuizAnswer`: within
 * rounding of the wire's gradient, or of the product of the factors the picture shows.
 */
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
