/**
 * Opening and closing groups, and moving through the animation a group at a time. The rules are
 * pure functions of the view and the schedule (tested in Node); the actions at the bottom apply
 * them to the page state. Nothing is opened that would draw more than the library can lay out:
 * the learner gets a message instead.
 */
import {
  buildView,
  groupAndDescendants,
  viewTooBig,
  MAX_VIEW_NODES,
  type GraphSnapshot,
  type GraphView,
  type Step,
} from '../src/graph/index.js';
import { groupContents, groupText } from '../src/viz/index.js';

/** What a group holds, in words (`8 neurons · 57 gates`). */
export function groupCount(snapshot: GraphSnapshot, group: string): string {
  const g = snapshot.groups?.find((x) => x.id === group);
  return g ? groupText(g, groupContents(snapshot).get(group)).detail : '';
}

/** The open groups of a view as a list (every group of a flat view). */
export function openList(view: GraphView): string[] {
  return (view.snapshot.groups ?? []).map((g) => g.id).filter((id) => view.open.has(id));
}

/** The open groups after opening `group`, or a message when the picture would be too big. */
export function withOpened(
  view: GraphView,
  group: string,
): { ok: true; open: string[] } | { ok: false; message: string } {
  const open = [...openList(view), group];
  const next = buildView(view.snapshot, { grouped: true, open });
  if (viewTooBig(next)) {
    return {
      ok: false,
      message:
        `Opening this group would draw ${next.nodes.length.toLocaleString('en')} nodes, more ` +
        `than the ${MAX_VIEW_NODES.toLocaleString('en')} a picture can hold: close other groups first.`,
    };
  }
  return { ok: true, open };
}

/** Whether every group can be opened at once (a message when that is too big to draw). */
export function allOpen(view: GraphView): { ok: true } | { ok: false; message: string } {
  const next = buildView(view.snapshot, { grouped: true, open: 'all' });
  if (!viewTooBig(next)) return { ok: true };
  return {
    ok: false,
    message:
      `With every group open the picture would have ${next.nodes.length.toLocaleString('en')} ` +
      `nodes, more than the ${MAX_VIEW_NODES.toLocaleString('en')} a picture can hold: open groups one by one.`,
  };
}

/** The open groups after closing `group` and everything inside it. */
export function withClosed(view: GraphView, group: string): string[] {
  const closing = new Set(groupAndDescendants(view.snapshot, group));
  return openList(view).filter((id) => !closing.has(id));
}

/** What a step is about on screen: the box or node that shows its gate (or its value). */
export function stepRep(view: GraphView, step: Step | undefined): string | undefined {
  return step === undefined ? undefined : view.nodeRep.get(step.node);
}

/**
 * The position one group further: all the following steps that happen in the same box on
 * screen are taken at once (in a flat view, one step). `position` counts steps done.
 *
 * @example
 * // x+x+…+x collapsed: the 999 forward steps of the sum are one group step.
 * groupStep(view, steps, 0, 1) // 999
 */
export function groupStep(
  view: GraphView,
  steps: readonly Step[],
  position: number,
  direction: 1 | -1,
): number {
  const n = steps.length;
  if (direction === 1) {
    if (position >= n) return n;
    const rep = stepRep(view, steps[position]);
    const phase = steps[position]!.phase;
    let k = position + 1;
    while (k < n && steps[k]!.phase === phase && stepRep(view, steps[k]) === rep) k++;
    return k;
  }
  if (position <= 0) return 0;
  const rep = stepRep(view, steps[position - 1]);
  const phase = steps[position - 1]!.phase;
  let k = position - 1;
  while (k > 0 && steps[k - 1]!.phase === phase && stepRep(view, steps[k - 1]) === rep) k--;
  return k;
}

/** The position right after the seed: the backward pass begins (dL/dL = 1 on the output). */
export function backwardStart(steps: readonly Step[]): number {
  const seed = steps.findIndex((s) => s.phase === 'backward');
  return seed < 0 ? steps.length : seed + 1;
}
