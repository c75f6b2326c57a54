/**
 * The graph view: the library's SVG, rendered once per graph change and then animated by toggling
 * classes per frame; pan (drag), zoom (wheel, buttons), fit, and a card on hover or focus.
 */
import { computed } from '@preact/signals';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { renderSvg } from '../../src/viz/index.js';
import { errors, frame, graph, precision, question } from '../store.js';
import { attachViewport, type ViewportHandle } from '../viewport.js';
import { CardContent, type Target } from './card.js';
import { applyFrame } from './frame-classes.js';
import { checkResult } from './gradcheck.js';
import { CARD_ID, mountSvg, type GraphDom } from './graph-dom.js';

/** The SVG text: depends on the graph and the precision only, never on the animation step. */
const svgText = computed(() => {
  const g = graph.value;
  if (!g) return null;
  performance.mark('chainrule:render-start');
  const svg = renderSvg(g.snapshot, { precision: precision.value, legend: true });
  performance.measure('chainrule:render', 'chainrule:render-start');
  return svg;
});

/** Where a card points: x, and the bottom and top of what it describes, in view coordinates. */
interface CardState {
  target: Target;
  x: number;
  below: number;
  above: number;
}

const CARD_GAP = 12;
const CARD_MARGIN = 8;

/** Puts the card under its target, or over it when there is no room below, inside the view. */
function placeCard(card: HTMLElement, view: HTMLElement, at: CardState): void {
  const w = card.offsetWidth;
  const h = card.offsetHeight;
  const maxLeft = view.clientWidth - w - CARD_MARGIN;
  const left = Math.max(CARD_MARGIN, Math.min(at.x - 24, maxLeft));
  let top = at.below + CARD_GAP;
  if (top + h > view.clientHeight - CARD_MARGIN) top = at.above - CARD_GAP - h;
  top = Math.max(CARD_MARGIN, Math.min(top, view.clientHeight - h - CARD_MARGIN));
  card.style.left = `${Math.round(left)}px`;
  card.style.top = `${Math.round(top)}px`;
}

function targetOf(el: EventTarget | null): { target: Target; el: Element } | null {
  if (!(el instanceof Element)) return null;
  const g = el.closest('[data-edge-id],[data-node-id]');
  if (!g) return null;
  const edge = g.getAttribute('data-edge-id');
  return edge !== null
    ? { target: { kind: 'edge', id: edge }, el: g }
    : { target: { kind: 'node', id: g.getAttribute('data-node-id')! }, el: g };
}

/** The node a first view starts from: the first input, where the forward pass begins. */
function firstNode(dom: GraphDom | null): Element | undefined {
  return dom?.svg.querySelector('g.node.input') ?? undefined;
}

export function GraphView() {
  const viewRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const dom = useRef<GraphDom | null>(null);
  const viewport = useRef<ViewportHandle | null>(null);
  const fittedFor = useRef<string | null>(null);
  const [card, setCard] = useState<CardState | null>(null);
  const cardRef = useRef<HTMLDivElement>(null);

  const svg = svgText.value;
  const g = graph.value;
  const f = frame.value;
  const stale = errors.value.length > 0;
  const q = question.value;
  const check = checkResult.value;

  useEffect(() => {
    const handle = attachViewport(viewRef.current!, contentRef.current!, () => ({
      width: dom.current?.width ?? 0,
      height: dom.current?.height ?? 0,
    }));
    viewport.current = handle;
    const refit = () => handle.start(firstNode(dom.current));
    window.addEventListener('resize', refit);
    return () => {
      window.removeEventListener('resize', refit);
      handle.destroy();
    };
  }, []);

  // Once per graph change: insert the SVG and, for a new expression or mode, fit it to the view.
  useEffect(() => {
    if (svg === null || !g) return;
    dom.current = mountSvg(hostRef.current!, svg, g.snapshot);
    const key = `${g.snapshot.mode ?? ''}|${g.snapshot.expression ?? ''}`;
    if (fittedFor.current !== key) {
      fittedFor.current = key;
      viewport.current?.start(firstNode(dom.current));
    }
    if (frame.peek()) applyFrame(dom.current, g.snapshot, frame.peek()!);
    setCard(null);
  }, [svg]);

  // The card's size is known only once it is drawn: place it before the browser paints.
  useLayoutEffect(() => {
    if (card && cardRef.current && viewRef.current)
      placeCard(cardRef.current, viewRef.current, card);
  });

  // Every frame: only classes change; on a graph bigger than the view, it follows the step.
  useEffect(() => {
    if (!dom.current || !g || !f) return;
    applyFrame(dom.current, g.snapshot, f);
    const active = f.active.edges[0] ?? f.active.nodes[0];
    const el =
      active === undefined
        ? undefined
        : (dom.current.edges.get(active) ?? dom.current.nodes.get(active));
    if (el) viewport.current?.reveal(el);
  }, [f]);

  // The quiz's question wire, and the gradient check's verdict on each input.
  const asking = q !== null && g ? g.steps[q] : undefined;
  const askingEdge = asking?.kind === 'edge' ? asking.edge : null;
  useEffect(() => {
    if (!dom.current) return;
    for (const [id, el] of dom.current.edges) el.classList.toggle('asking', id === askingEdge);
    const asked = askingEdge === null ? undefined : dom.current.edges.get(askingEdge);
    if (asked) viewport.current?.reveal(asked);
  }, [askingEdge, svg]);
  useEffect(() => {
    if (!dom.current || !g) return;
    const verdicts = new Map(check?.ok ? check.check.inputs.map((r) => [r.name, r.status]) : []);
    for (const node of g.snapshot.nodes) {
      const el = dom.current.nodes.get(node.id);
      if (!el || node.kind !== 'input') continue;
      const status = verdicts.get(node.label);
      for (const c of [...el.classList]) if (c.startsWith('check-')) el.classList.remove(c);
      if (status !== undefined) el.classList.add(`check-${status}`);
    }
  }, [check, svg]);

  const cardAt = (hit: { target: Target; el: Element }, px?: { x: number; y: number }) => {
    const view = viewRef.current!.getBoundingClientRect();
    const r = hit.el.getBoundingClientRect();
    setCard({
      target: hit.target,
      x: (px?.x ?? r.left + r.width / 2) - view.left,
      below: (px?.y ?? r.bottom) - view.top,
      above: (px?.y ?? r.top) - view.top,
    });
  };

  return (
    <section class="panel graph-panel" aria-label="Computational graph">
      <div class="graph-toolbar" role="toolbar" aria-label="Graph view">
        <button type="button" onClick={() => viewport.current?.zoom(1.25)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => viewport.current?.zoom(0.8)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => viewport.current?.fit()}>
          Fit
        </button>
        {stale ? (
          <span class="stale-note" role="status">
            Showing the last graph that worked — fix the error to update it.
          </span>
        ) : (
          <span class="hint">
            Drag to pan, wheel to zoom; hover or Tab to a wire for its numbers.
          </span>
        )}
      </div>
      <div
        ref={viewRef}
        class={`graph-view${stale ? ' stale' : ''}`}
        onPointerOver={(e) => {
          if (e.pointerType === 'touch') return;
          const hit = targetOf(e.target);
          if (hit) cardAt(hit, { x: e.clientX, y: e.clientY });
        }}
        onPointerLeave={(e) => {
          if (e.pointerType !== 'touch') setCard(null);
        }}
        onClick={(e) => {
          const hit = targetOf(e.target);
          if (hit) cardAt(hit);
          else setCard(null);
        }}
        onFocusIn={(e) => {
          const hit = targetOf(e.target);
          if (!hit) return;
          viewport.current?.reveal(hit.el);
          cardAt(hit);
        }}
        onFocusOut={() => setCard(null)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setCard(null);
        }}
      >
        <div ref={contentRef} class="graph-content">
          <div ref={hostRef} class="graph-host" />
        </div>
        {card && g && f ? (
          <div ref={cardRef} id={CARD_ID} class="hover-card" role="tooltip">
            <CardContent
              snapshot={g.snapshot}
              frame={f}
              target={card.target}
              precision={precision.value}
            />
          </div>
        ) : null}
      </div>
    </section>
  );
}
