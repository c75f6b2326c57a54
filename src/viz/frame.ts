/**
 * What one frame of the forward/backward animation hides and highlights in the SVG picture. The
 * rule lives here once: `renderSvg(snapshot, { frame })` bakes it into a static picture (GIF and
 * PNG frames), `renderAnimatedSvg` turns it into CSS timings, and a web page that renders the
 * SVG once applies `frameClasses` to the DOM on every tick. All three show the same thing.
 */
import { badArgument } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { checkPrecision, checkSnapshot } from '../graph/check-args.js';
import { nodeIndex } from '../graph/view.js';
import { checkDrawn } from './check-render.js';
import { explainEdge, explainNode, findNode, nodeName } from '../graph/explain.js';
import { formatValue } from '../graph/format.js';
import type { FrameState } from '../graph/frames.js';
import type { GraphSnapshot, Step } from '../graph/types.js';
import { edgeIndex, flatView, viewForks, type GraphView } from '../graph/view.js';

/** The `data-edge-id` of the root's output wire (snapshot edge ids look like `e0`, `e1`, …). */
export const OUTPUT_EDGE_ID = 'output';

/** What a frame hides and highlights, by id. Wire ids include `OUTPUT_EDGE_ID`. */
export interface FrameParts {
  /** Wires whose forward value (green, above) is not known yet. */
  hiddenValues: Set<string>;
  /** Wires whose gradient (red, below, with its ◂ mark) has not arrived yet. */
  hiddenGrads: Set<string>;
  /** Fork nodes whose total gradient (`Σ ◂ …` under the node) is not complete yet. */
  hiddenTotals: Set<string>;
  /** Nodes the current step is about. */
  highlightNodes: Set<string>;
  /** Wires the current step is about. */
  highlightEdges: Set<string>;
}

/**
 * The parts of the picture a frame hides and highlights: a wire's value stays hidden until its
 * source node is computed, a wire's gradient until its `local × upstream` step, the output
 * wire's gradient until the seed, a fork's total until its `+=` step. The highlight is the
 * frame's active nodes and wires, plus the output wire when the step is the seed (that is
 * where the 1.00 appears).
 *
 * On a view with closed groups, ids are the view's: a step inside a closed group highlights the
 * group's box, and a wire into it shows its gradient once every snapshot wire it stands for has
 * its own.
 *
 * @example
 * const s = sigmoid; const steps = schedule(s);
 * frameParts(s, frameAt(s, steps, 0)).hiddenValues.has('e4') // true: w0*x0 is not computed yet
 */
export function frameParts(drawn: GraphSnapshot | GraphView, frame: FrameState): FrameParts {
  return parts(checkDrawn('frameParts', drawn), checkFrame('frameParts', frame));
}

/** A frame from frameAt, or a clear error naming `fn`. */
function checkFrame(fn: string, frame: FrameState): FrameState {
  const f = frame as Partial<FrameState> | null;
  const ok =
    f !== null &&
    typeof f === 'object' &&
    typeof f.index === 'number' &&
    f.values instanceof Set &&
    f.edgeGrads instanceof Set &&
    f.nodeGrads instanceof Set &&
    (f.step === null || (typeof f.step === 'object' && typeof f.step?.node === 'string')) &&
    Array.isArray(f.active?.nodes) &&
    Array.isArray(f.active?.edges);
  if (!ok)
    throw badArgument(fn, `argument frame must be a frame from frameAt, got ${describe(frame)}`);
  return frame;
}

function parts(drawn: GraphSnapshot | GraphView, frame: FrameState): FrameParts {
  const view = 'frames' in drawn ? drawn : flatView(drawn);
  const snapshot = view.snapshot;
  const edges = edgeIndex(snapshot);
  const parts: FrameParts = {
    hiddenValues: new Set(),
    hiddenGrads: new Set(),
    hiddenTotals: new Set(),
    highlightNodes: new Set(),
    highlightEdges: new Set(),
  };
  const stubs = new Map<string, string>();
  for (const n of view.nodes) if (n.kind === 'stub') stubs.set(n.id, n.id);
  for (const e of view.edges) {
    if (e.sources.some((s) => !frame.values.has(s))) parts.hiddenValues.add(e.id);
    if (e.edges.some((id) => edges.get(id)?.grad !== null && !frame.edgeGrads.has(id)))
      parts.hiddenGrads.add(e.id);
  }
  if (!frame.values.has(snapshot.root)) parts.hiddenValues.add(OUTPUT_EDGE_ID);
  if (!frame.nodeGrads.has(snapshot.root)) parts.hiddenGrads.add(OUTPUT_EDGE_ID);
  const nodeOf = new Map(view.nodes.map((n) => [n.id, n.node]));
  for (const id of viewForks(view)) {
    if (!frame.nodeGrads.has(nodeOf.get(id) ?? id)) parts.hiddenTotals.add(id);
  }
  for (const id of frame.active.nodes) {
    const rep = view.nodeRep.get(id);
    if (rep !== undefined) parts.highlightNodes.add(rep);
  }
  const viewEdges = new Map(view.edges.map((e) => [e.id, e]));
  for (const id of frame.active.edges) {
    const rep = view.edgeRep.get(id);
    if (rep === undefined) continue;
    parts.highlightEdges.add(rep);
    const from = viewEdges.get(rep)?.from;
    if (from !== undefined && stubs.has(from)) parts.highlightNodes.add(from);
  }
  if (frame.step?.kind === 'seed') parts.highlightEdges.add(OUTPUT_EDGE_ID);
  return parts;
}

/** A CSS string literal: quotes, backslashes and line breaks escaped, so any id is safe. */
function cssString(text: string): string {
  const body = text
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/[\n\r\f]/g, (c) => {
      return `\\${c.charCodeAt(0).toString(16)} `;
    });
  return `"${body}"`;
}

const edgeSel = (id: string) => `[data-edge-id=${cssString(id)}]`;
const nodeSel = (id: string) => `[data-node-id=${cssString(id)}]`;

/** CSS selectors for the DOM: what to give the `hidden` class and the `highlight` class. */
export interface FrameClasses {
  hidden: string[];
  highlight: string[];
}

/**
 * The frame as CSS selectors into `renderSvg`'s output, for a page that renders the picture once
 * and animates it: remove `hidden` and `highlight` everywhere, then add `hidden` to every
 * element matching a `hidden` selector and `highlight` to every group matching a `highlight`
 * one. `renderSvg(snapshot, { frame })` puts the classes on exactly the same elements.
 *
 * In a page: remove both classes from `svg.querySelectorAll('.hidden, .highlight')`, then add
 * `hidden` to each element of `svg.querySelectorAll(selector)` for every hidden selector, and
 * `highlight` likewise.
 *
 * @example
 * const { hidden, highlight } = frameClasses(snapshot, frameAt(snapshot, steps, 14));
 * hidden[0] // '[data-edge-id="e0"] .grad'
 */
export function frameClasses(drawn: GraphSnapshot | GraphView, frame: FrameState): FrameClasses {
  const p = parts(checkDrawn('frameClasses', drawn), checkFrame('frameClasses', frame));
  return {
    hidden: [
      ...[...p.hiddenValues].map((id) => `${edgeSel(id)} .value`),
      ...[...p.hiddenGrads].map((id) => `${edgeSel(id)} .grad`),
      ...[...p.hiddenTotals].map((id) => `${nodeSel(id)} .total`),
    ],
    highlight: [...[...p.highlightNodes].map(nodeSel), ...[...p.highlightEdges].map(edgeSel)],
  };
}

/**
 * One line saying what a frame shows: the value a gate just computed, or the chain rule on the
 * wire the gradient just crossed (the same words as `explainEdge` and `explainNode`).
 *
 * @example
 * frameCaption(snapshot, frameAt(snapshot, steps, 1)) // 'forward: w0*x0 = -2.00'
 * frameCaption(snapshot, frameAt(snapshot, steps, 18))
 * // 'backward: dL/dx0 = local × upstream = (2.00) × (0.20) = 0.39'
 */
export function frameCaption(snapshot: GraphSnapshot, frame: FrameState, precision = 2): string {
  checkSnapshot('frameCaption', snapshot);
  checkFrame('frameCaption', frame);
  checkPrecision('frameCaption', precision);
  return caption(snapshot, frame.step, precision);
}

/**
 * The caption of the frame a step leads to (`null`: the first frame). Captions depend on the
 * step alone, so a renderer can size the caption band from the schedule without building
 * every frame.
 *
 * @example
 * stepCaption(snapshot, { phase: 'forward', kind: 'node', node: 'n2' }) // 'forward: w0*x0 = -2.00'
 */
export function stepCaption(snapshot: GraphSnapshot, step: Step | null, precision = 2): string {
  checkSnapshot('stepCaption', snapshot);
  checkPrecision('stepCaption', precision);
  if (
    step !== null &&
    !nodeIndex(snapshot).has((step as Partial<Step> | undefined)?.node as string)
  ) {
    throw badArgument(
      'stepCaption',
      `argument step must be a step of this snapshot (from schedule), got ${describe(step)}`,
    );
  }
  return caption(snapshot, step, precision);
}

function caption(snapshot: GraphSnapshot, step: Step | null, precision: number): string {
  if (step === null) return 'the inputs are given: the forward pass computes each gate in turn';
  const node = findNode(snapshot, step.node);
  if (node === undefined) return `${step.phase}: ${step.node}`;
  if (step.kind === 'node') {
    const name = nodeName(snapshot, node);
    // Staged gates expanded from one function (the four gates of sigmoid(x)) share its source
    // text: name the gate too, or `sigmoid(x) = -3.00` would be read as the function's value.
    const shared = snapshot.nodes.some((m) => m !== node && nodeName(snapshot, m) === name);
    let what = name;
    if (name === node.id) what = `${node.label} (${node.gate ?? node.op})`;
    else if (shared) what = `${node.label} in ${name}`;
    return `forward: ${what} = ${formatValue(node.value, precision)}`;
  }
  if (step.kind === 'edge') {
    const edge = snapshot.edges.find((e) => e.id === step.edge);
    return `backward: ${edge ? explainEdge(snapshot, edge, precision) : step.edge}`;
  }
  return `backward: ${explainNode(snapshot, node, precision)}`;
}
