/**
 * Shows one frame of the animation on the live SVG by toggling the renderer's hook classes
 * (`hidden`, `highlight`). What to hide and highlight is the library's `frameParts` — the same
 * rule `renderSvg({ frame })`, the animated SVG and the GIF use. The elements are looked up once
 * per graph, so a frame costs one class toggle per part, even on a 300-node graph (running
 * `frameClasses`' selectors through querySelectorAll would scan the whole SVG per selector).
 */
import type { FrameState, GraphSnapshot } from '../../src/graph/index.js';
import { frameParts } from '../../src/viz/index.js';
import type { GraphDom } from './graph-dom.js';

interface Parts {
  values: Map<string, Element[]>;
  grads: Map<string, Element[]>;
  totals: Map<string, Element[]>;
}

const cache = new WeakMap<GraphDom, Parts>();

function partsOf(dom: GraphDom): Parts {
  let parts = cache.get(dom);
  if (parts) return parts;
  parts = { values: new Map(), grads: new Map(), totals: new Map() };
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
    for (const el of els) el.classList.toggle('hidden', hide);
  }
}

export function applyFrame(dom: GraphDom, snapshot: GraphSnapshot, frame: FrameState): void {
  const p = frameParts(snapshot, frame);
  const parts = partsOf(dom);
  toggleAll(parts.values, p.hiddenValues);
  toggleAll(parts.grads, p.hiddenGrads);
  toggleAll(parts.totals, p.hiddenTotals);
  for (const [id, g] of dom.edges) g.classList.toggle('highlight', p.highlightEdges.has(id));
  for (const [id, g] of dom.nodes) g.classList.toggle('highlight', p.highlightNodes.has(id));
}
