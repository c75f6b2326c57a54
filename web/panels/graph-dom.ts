/**
 * The live SVG: inserted once per graph change (the library's renderSvg output, unchanged in
 * layout), then prepared for interaction — focusable wires and gates with accessible names,
 * wider invisible hit areas on the thin wires, and the SVG's own hover titles removed so they
 * neither double the page's cards nor give the quiz away.
 */
import type { GraphSnapshot } from '../../src/graph/index.js';
import { ariaLabel } from './card.js';

export interface GraphDom {
  svg: SVGSVGElement;
  edges: Map<string, SVGGElement>;
  nodes: Map<string, SVGGElement>;
  width: number;
  height: number;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function mountSvg(host: HTMLElement, svgText: string, snapshot: GraphSnapshot): GraphDom {
  // The SVG comes from the library's renderer, which escapes every user text; parsing it as
  // XML (not HTML) keeps it exactly the document the CLI writes.
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const svg = document.importNode(doc.documentElement, true) as unknown as SVGSVGElement;
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
    prepare(g, 'wire', ariaLabel(snapshot, { kind: 'edge', id }));
  }
  for (const g of svg.querySelectorAll<SVGGElement>('g[data-node-id]')) {
    const id = g.dataset.nodeId!;
    nodes.set(id, g);
    prepare(
      g,
      g.classList.contains('gate') ? 'gate' : 'node',
      ariaLabel(snapshot, { kind: 'node', id }),
    );
  }
  return {
    svg,
    edges,
    nodes,
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
