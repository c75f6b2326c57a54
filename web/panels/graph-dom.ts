/**
 * The live SVG: inserted once per picture change (the library's drawSvg output, unchanged in
 * layout), then prepared for interaction — focusable wires, gates, closed groups and frames with
 * accessible names, wider invisible hit areas on the thin wires, and the SVG's own hover titles
 * removed so they neither double the page's cards nor give the quiz away.
 */
import type { GraphView } from '../../src/graph/index.js';
import { sanitizeSvg } from '../sanitize-svg.js';
import { ariaLabel } from './card.js';

export interface GraphDom {
  svg: SVGSVGElement;
  /** View wires by id (snapshot wire ids, or the first of a merged bundle; `output`). */
  edges: Map<string, SVGGElement>;
  /** Drawn nodes by view id: snapshot nodes, stubs (`n0~e5`) and closed groups (`g3`). */
  nodes: Map<string, SVGGElement>;
  /** Frames of open groups by group id. */
  frames: Map<string, SVGGElement>;
  width: number;
  height: number;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function mountSvg(host: HTMLElement, svgText: string, view: GraphView): GraphDom {
  const snapshot = view.snapshot;
  // The SVG comes from the library's renderer, which escapes every user text; the page does not
  // rely on that alone: it is parsed as XML and rebuilt from an allow-list (sanitizeSvg).
  const svg = sanitizeSvg(svgText);
  host.replaceChildren(svg);
  // role=img would hide the focusable wires inside from assistive technology.
  svg.setAttribute('role', 'group');
  svg.setAttribute(
    'aria-label',
    `computational graph of ${snapshot.expression ?? 'the expression'}`,
  );
  for (const title of svg.querySelectorAll('g title')) title.remove();

  const edges = new Map<string, SVGGElement>();
  const nodes = new Map<string, SVGGElement>();
  const frames = new Map<string, SVGGElement>();
  for (const g of svg.querySelectorAll<SVGGElement>('g[data-edge-id]')) {
    const id = g.dataset.edgeId!;
    edges.set(id, g);
    const wire = g.querySelector('.wire');
    if (wire) {
      const hit = document.createElementNS(SVG_NS, 'path');
      hit.setAttribute('d', wire.getAttribute('d') ?? '');
      hit.setAttribute('class', 'hit');
      g.insertBefore(hit, wire);
    }
    prepare(g, 'wire', ariaLabel(view, { kind: 'edge', id }));
  }
  for (const g of svg.querySelectorAll<SVGGElement>('g[data-node-id]')) {
    const id = g.dataset.nodeId!;
    nodes.set(id, g);
    prepare(
      g,
      g.classList.contains('gate') ? 'gate' : 'node',
      ariaLabel(view, { kind: 'node', id }),
    );
  }
  for (const g of svg.querySelectorAll<SVGGElement>('g.group-box[data-group-id]')) {
    const id = g.dataset.groupId!;
    nodes.set(id, g);
    prepare(g, 'group', ariaLabel(view, { kind: 'node', id }));
  }
  for (const g of svg.querySelectorAll<SVGGElement>('g.frame[data-group-id]')) {
    const id = g.dataset.groupId!;
    frames.set(id, g);
    const title = g.querySelector('.frame-title')?.textContent ?? id;
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('aria-label', `${title}: open group — press Enter to close it`);
  }
  return {
    svg,
    edges,
    nodes,
    frames,
    width: svg.width.baseVal.value,
    height: svg.height.baseVal.value,
  };
}

/** Focusable, with a name; the card shown on focus describes it (see GraphView). */
function prepare(g: SVGGElement, kind: string, label: string): void {
  g.setAttribute('tabindex', '0');
  g.setAttribute('role', 'group');
  g.setAttribute('aria-roledescription', kind);
  g.setAttribute('aria-label', label);
  g.setAttribute('aria-describedby', CARD_ID);
}

/** The id of the hover card, which describes the focused wire or gate. */
export const CARD_ID = 'graph-card';
