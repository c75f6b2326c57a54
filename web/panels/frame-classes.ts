/**
 * Shows one frame of the animation on the live SVG by toggling the renderer's hook classes
 * (`hidden`, `highlight`). What to hide and highlight is the library's `frameParts` on the view
 * on screen — the same rule `renderSvg({ frame })`, the animated SVG and the GIF use. The
 * elements are looked up once per picture, and a frame only touches what changed since the
 * last one, so a step costs next to nothing even on a big picture.
 */
import type { FrameState, GraphView } from '../../src/graph/index.js';
import { frameParts, type FrameParts } from '../../src/viz/index.js';
import type { GraphDom } from './graph-dom.js';

interface Parts {
  values: Map<string, Element[]>;
  grads: Map<string, Element[]>;
  totals: Map<string, Element[]>;
  /** What the last frame applied, to undo only that. */
  last: FrameParts | null;
}

const cache = new WeakMap<GraphDom, Parts>();

function partsOf(dom: GraphDom): Parts {
  let parts = cache.get(dom);
  if (parts) return parts;
  parts = { values: new Map(), grads: new Map(), totals: new Map(), last: null };
  for (const [id, g] of dom.edges) {
    parts.values.set(id, [...g.querySelectorAll('.value')]);
    parts.grads.set(id, [...g.querySelectorAll('.grad')]);
  }
  for (const [id, g] of dom.nodes) parts.totals.set(id, [...g.querySelectorAll('.total')]);
  cache.set(dom, parts);
  return parts;
}

function toggleAll(map: Map<string, Element[]>, hidden: Set<string>): void {
  for (const [id, els] of map) {
    const hide = hidden.has(id);
    for (const el of els)
      if (el.classList.contains('hidden') !== hide) el.classList.toggle('hidden', hide);
  }
}

export function applyFrame(dom: GraphDom, view: GraphView, frame: FrameState): void {
  const p = frameParts(view, frame);
  const parts = partsOf(dom);
  toggleAll(parts.values, p.hiddenValues);
  toggleAll(parts.grads, p.hiddenGrads);
  toggleAll(parts.totals, p.hiddenTotals);
  const last = parts.last;
  for (const id of last?.highlightEdges ?? dom.edges.keys())
    dom.edges.get(id)?.classList.toggle('highlight', p.highlightEdges.has(id));
  for (const id of last?.highlightNodes ?? dom.nodes.keys())
    dom.nodes.get(id)?.classList.toggle('highlight', p.highlightNodes.has(id));
  for (const id of p.highlightEdges) dom.edges.get(id)?.classList.add('highlight');
  for (const id of p.highlightNodes) dom.nodes.get(id)?.classList.add('highlight');
  parts.last = p;
}
