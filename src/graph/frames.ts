import { badArgument } from '../core/errors.js';
import { checkArray, checkInteger, describe } from '../core/validate.js';
import { checkSnapshot } from './check-args.js';
import type { GraphSnapshot, Step } from './types.js';

/**
 * What a picture of the graph shows at one moment of the animation. Frame 0 is the start (only
 * the inputs' values are known); frame k is the state after step k − 1 of the schedule, so
 * there are steps.length + 1 frames.
 */
export interface FrameState {
  index: number;
  /** The step that led to this frame (null for frame 0). */
  step: Step | null;
  /** Nodes whose forward value is known (drawn green on the wires leaving them). */
  values: Set<string>;
  /** Wires whose gradient (local × upstream) has arrived (drawn red under them). */
  edgeGrads: Set<string>;
  /** Nodes whose total gradient dL/d(node) is complete (all their branches have arrived). */
  nodeGrads: Set<string>;
  /** What the current step is about, for highlighting. */
  active: { nodes: string[]; edges: string[] };
}

/**
 * The frame after `index` steps of `steps` (clamped to the valid range). Pure: the player, the
 * exports and the tests all derive what is visible from this one function.
 *
 * @example
 * const s = snapshotExpression('(x+y)*z', { x: -2, y: 5, z: -4 });
 * frameAt(s, schedule(s), 0).values // Set { 'n0', 'n1', 'n3' } (the inputs)
 */
const checkedSteps = new WeakMap<readonly Step[], GraphSnapshot>();

/** Steps of `snapshot` (from `schedule`): each names a node, and an edge step a wire, of it. */
function checkSteps(fn: string, snapshot: GraphSnapshot, steps: readonly Step[]): void {
  if (checkedSteps.get(checkArray(fn, 'steps', steps)) === snapshot) return;
  const nodes = new Set(snapshot.nodes.map((n) => n.id));
  const edges = new Set(snapshot.edges.map((e) => e.id));
  steps.forEach((step: unknown, i) => {
    const s = step as Partial<Record<string, unknown>> | null;
    const ok =
      s !== null &&
      typeof s === 'object' &&
      nodes.has(s.node as string) &&
      (s.kind === 'node' ||
        s.kind === 'seed' ||
        (s.kind === 'edge' && edges.has(s.edge as string)) ||
        (s.kind === 'accumulate' &&
          Array.isArray(s.edges) &&
          s.edges.every((e) => edges.has(e as string))));
    if (!ok) {
      throw badArgument(
        fn,
        `steps[${i}] is not a step of this snapshot (from schedule): ${describe(step)}`,
      );
    }
  });
  checkedSteps.set(steps, snapshot);
}

export function frameAt(
  snapshot: GraphSnapshot,
  steps: readonly Step[],
  index: number,
): FrameState {
  checkSnapshot('frameAt', snapshot);
  checkSteps('frameAt', snapshot, steps);
  // An index past either end shows the first or last frame (a player may be ahead of a new graph).
  checkInteger('frameAt', 'index', index);
  const k = Math.max(0, Math.min(steps.length, Math.floor(index)));
  const values = new Set(snapshot.nodes.filter((n) => n.kind !== 'gate').map((n) => n.id));
  const edgeGrads = new Set<string>();
  const nodeGrads = new Set<string>();
  const edges = new Map(snapshot.edges.map((e) => [e.id, e]));
  const fanOut = new Map<string, number>();
  for (const e of snapshot.edges)
    if (e.grad !== null) fanOut.set(e.from, (fanOut.get(e.from) ?? 0) + 1);
  const doneOut = new Map<string, number>();
  for (let i = 0; i < k; i++) {
    const step = steps[i]!;
    if (step.kind === 'node') values.add(step.node);
    else if (step.kind === 'seed') nodeGrads.add(step.node);
    else if (step.kind === 'accumulate') nodeGrads.add(step.node);
    else {
      edgeGrads.add(step.edge);
      const from = edges.get(step.edge)!.from;
      const done = (doneOut.get(from) ?? 0) + 1;
      doneOut.set(from, done);
      // A value used once is complete with its only branch; forks wait for their += step.
      if (done === fanOut.get(from) && done === 1) nodeGrads.add(from);
    }
  }
  const step = k > 0 ? steps[k - 1]! : null;
  const active = { nodes: [] as string[], edges: [] as string[] };
  if (step) {
    if (step.kind === 'edge') {
      active.edges.push(step.edge);
      active.nodes.push(step.node, edges.get(step.edge)!.from);
    } else if (step.kind === 'accumulate') {
      active.nodes.push(step.node);
      active.edges.push(...step.edges);
    } else {
      active.nodes.push(step.node);
    }
  }
  return { index: k, step, values, edgeGrads, nodeGrads, active };
}
