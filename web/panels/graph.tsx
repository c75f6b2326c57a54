/**
 * The graph view: the library's picture of the view on screen, drawn once per picture change and
 * then animated by toggling classes per frame; pan (drag), zoom (wheel, buttons), Fit, a minimap
 * on big pictures, a card on hover or focus, and groups that open and close on click.
 */
import { computed, signal } from '@preact/signals';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { verdictClasses, viewTooBig } from '../../src/graph/index.js';
import { drawSvg, layoutView, type GraphLayout } from '../../src/viz/index.js';
import { allOpen, withClosed, withOpened } from '../groups.js';
import {
  embed,
  errors,
  frame,
  graph,
  precision,
  question,
  state,
  unroll,
  update,
  view,
} from '../store.js';
import { fittedHeight } from '../view-math.js';
import { attachViewport, type ViewportHandle } from '../viewport.js';
import { CardContent, type Target } from './card.js';
import { applyFrame } from './frame-classes.js';
import { checkResult } from './gradcheck.js';
import { CARD_ID, mountSvg, type GraphDom } from './graph-dom.js';
import { Minimap, wantsMinimap } from './minimap.js';

/** The picture: depends on the view and the precision only, never on the animation step. */
const picture = computed<{ svg: string; layout: GraphLayout | null } | null>(() => {
  const v = view.value;
  if (!v) return null;
  performance.mark('chainrule:render-start');
  const options = { precision: precision.value, legend: true };
  // Moving a slider keeps the picture still while the numbers fit their boxes.
  const layout = viewTooBig(v) ? null : layoutView(v, { ...options, reuse: true });
  const svg = drawSvg(v, options, {}, layout ?? undefined);
  performance.measure('chainrule:render', 'chainrule:render-start');
  return { svg, layout };
});

/** A message about the last group the learner tried to open (too big to draw). */
const groupNotice = signal<string | null>(null);

/** The group clicked last and where it was on screen, so that opening it keeps it in place. */
let anchor: { group: string; left: number; top: number } | null = null;

/** Where a card points: x, and the bottom and top of what it describes, in view coordinates. */
interface CardState {
  target: Target;
  x: number;
  below: number;
  above: number;
}

const CARD_GAP = 12;
const CARD_MARGIN = 8;
/** Below this width the page is one column: the graph area takes its picture's height. */
const NARROW = '(max-width: 900px)';

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
  const g = el.closest('[data-edge-id],[data-node-id],g.group-box[data-group-id]');
  if (!g) return null;
  const edge = g.getAttribute('data-edge-id');
  if (edge !== null) return { target: { kind: 'edge', id: edge }, el: g };
  const id = g.getAttribute('data-node-id') ?? g.getAttribute('data-group-id')!;
  return { target: { kind: 'node', id }, el: g };
}

/** The group a click or a key means to open (a closed box) or close (a frame's band), if any. */
function groupToggle(el: EventTarget | null, key = false): { group: string; open: boolean } | null {
  if (!(el instanceof Element)) return null;
  const box = el.closest('g.group-box[data-group-id]');
  if (box) return { group: box.getAttribute('data-group-id')!, open: true };
  const frame = el.closest('g.frame[data-group-id]');
  // A frame closes from its band (or from the keyboard), not from anywhere inside it.
  if (frame && (key || el.closest('.frame-head, .frame-title, .toggle')))
    return { group: frame.getAttribute('data-group-id')!, open: false };
  return null;
}

function toggleGroup(toggle: { group: string; open: boolean }, el: Element): void {
  const v = view.peek();
  if (!v) return;
  const r = el.getBoundingClientRect();
  if (toggle.open) {
    const next = withOpened(v, toggle.group);
    if (!next.ok) {
      groupNotice.value = next.message;
      return;
    }
    anchor = { group: toggle.group, left: r.left, top: r.top };
    groupNotice.value = null;
    update({ open: next.open });
  } else {
    anchor = { group: toggle.group, left: r.left, top: r.top };
    groupNotice.value = null;
    update({ open: withClosed(v, toggle.group) });
  }
}

export function GraphView() {
  const viewRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const dom = useRef<GraphDom | null>(null);
  const viewport = useRef<ViewportHandle | null>(null);
  const fittedFor = useRef<string | null>(null);
  const [card, setCard] = useState<CardState | null>(null);
  const [mounted, setMounted] = useState(0);
  const cardRef = useRef<HTMLDivElement>(null);

  const pic = picture.value;
  const g = graph.value;
  const v = view.value;
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
    const refit = () => firstView();
    window.addEventListener('resize', refit);
    return () => {
      window.removeEventListener('resize', refit);
      handle.destroy();
    };
  }, []);

  /** On a phone the graph area is as tall as the picture needs (within limits). */
  const fitHeight = () => {
    const el = viewRef.current;
    const d = dom.current;
    if (!el || !d) return;
    if (window.matchMedia(NARROW).matches && !embed.peek()) {
      const h = fittedHeight(d.width, d.height, el.clientWidth);
      const max = Math.max(220, window.innerHeight * 0.62);
      el.style.height = `${Math.round(Math.min(max, Math.max(160, h)))}px`;
    } else {
      el.style.height = '';
    }
  };

  /** The first view of a graph: the whole picture, the output included. */
  const firstView = () => {
    fitHeight();
    viewport.current?.start();
  };

  // Once per picture change: insert the SVG; a new graph is shown whole, a group opened or
  // closed stays where it was clicked.
  useEffect(() => {
    if (pic === null || !g || !v) return;
    dom.current = mountSvg(hostRef.current!, pic.svg, v);
    const s = state.peek();
    const key = `${s.mode}|${s.expr}|${String(s.unroll)}`;
    if (fittedFor.current !== key) {
      fittedFor.current = key;
      anchor = null;
      firstView();
    } else if (anchor) {
      const el =
        dom.current.frames.get(anchor.group) ??
        dom.current.nodes.get(anchor.group) ??
        dom.current.svg.querySelector(`[data-group-id="${CSS.escape(anchor.group)}"]`);
      fitHeight();
      if (el) viewport.current?.keepAt(el, anchor);
      anchor = null;
    }
    if (frame.peek()) applyFrame(dom.current, v, frame.peek()!);
    setCard(null);
    setMounted((k) => k + 1);
  }, [pic]);

  // The card's size is known only once it is drawn: place it before the browser paints.
  useLayoutEffect(() => {
    if (card && cardRef.current && viewRef.current)
      placeCard(cardRef.current, viewRef.current, card);
  });

  // Every frame: only classes change; on a graph bigger than the view, it follows the step.
  useEffect(() => {
    if (!dom.current || !v || !f) return;
    performance.mark('chainrule:frame-start');
    applyFrame(dom.current, v, f);
    const active = f.active.edges[0] ?? f.active.nodes[0];
    const id = active === undefined ? undefined : (v.edgeRep.get(active) ?? v.nodeRep.get(active));
    const el =
      id === undefined ? undefined : (dom.current.edges.get(id) ?? dom.current.nodes.get(id));
    if (el) viewport.current?.reveal(el);
    performance.measure('chainrule:frame', 'chainrule:frame-start');
  }, [f, mounted]);

  // The quiz's question wire, and the gradient check's verdict on each input.
  const asking = q !== null && g ? g.steps[q] : undefined;
  const askingEdge = asking?.kind === 'edge' && v ? (v.edgeRep.get(asking.edge) ?? null) : null;
  useEffect(() => {
    if (!dom.current) return;
    for (const [id, el] of dom.current.edges) el.classList.toggle('asking', id === askingEdge);
    const asked = askingEdge === null ? undefined : dom.current.edges.get(askingEdge);
    if (asked) viewport.current?.reveal(asked);
  }, [askingEdge, mounted]);
  useEffect(() => {
    if (!dom.current || !g) return;
    // The check's snapshot has the ids of the picture on screen (same expression, values and
    // mode); an unrolled picture has other ids, so it stays uncoloured.
    // With the view on screen, closed groups and bundled wires show the worst verdict inside.
    const classes =
      check?.ok && !g.unrolled
        ? verdictClasses(check.check.graph, v ?? undefined)
        : { nodes: {}, edges: {} };
    const paint = (els: Map<string, SVGGElement>, byId: Record<string, string>) => {
      for (const [id, el] of els) {
        for (const c of [...el.classList])
          if (c.startsWith('verdict-') || c === 'checked') el.classList.remove(c);
        const cls = byId[id];
        if (cls !== undefined) el.classList.add('checked', cls);
      }
    };
    paint(dom.current.edges, classes.edges);
    paint(dom.current.nodes, classes.nodes);
  }, [check, v, mounted]);

  const cardAt = (hit: { target: Target; el: Element }, px?: { x: number; y: number }) => {
    const box = viewRef.current!.getBoundingClientRect();
    const r = hit.el.getBoundingClientRect();
    setCard({
      target: hit.target,
      x: (px?.x ?? r.left + r.width / 2) - box.left,
      below: (px?.y ?? r.bottom) - box.top,
      above: (px?.y ?? r.top) - box.top,
    });
  };

  const groups = (g?.snapshot.groups?.length ?? 0) > 0;
  const hasTensors = g?.snapshot.nodes.some((n) => n.shape.length > 0) ?? false;
  const notice = groupNotice.value ?? g?.notice ?? null;
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
        {groups ? (
          <>
            <button
              type="button"
              onClick={() => {
                groupNotice.value = null;
                update({ open: [] });
              }}
              title="Close every group into one box"
            >
              Collapse
            </button>
            <button
              type="button"
              onClick={() => {
                const cur = view.peek();
                if (!cur) return;
                const all = allOpen(cur);
                groupNotice.value = all.ok ? null : all.message;
                if (all.ok) update({ open: 'all' });
              }}
              title="Open every group (big graphs are refused)"
            >
              Expand all
            </button>
          </>
        ) : null}
        {hasTensors || g?.unrolled ? (
          <label class="switch unroll">
            <input
              type="checkbox"
              checked={unroll.value}
              onChange={(e) => update({ unroll: e.currentTarget.checked, open: 'auto' })}
            />
            <span title="Show each tensor op as its scalar gates (small tensors only)">
              Unroll to scalars
            </span>
          </label>
        ) : null}
        {stale ? (
          <span class="stale-note" role="status">
            Showing the last graph that worked — fix the error to update it.
          </span>
        ) : (
          <span class="hint">
            Drag to pan, wheel to zoom; hover or Tab to a wire for its numbers
            {groups ? '; click a box to open it' : ''}.
          </span>
        )}
      </div>
      {notice ? (
        <p class="graph-notice" role="status">
          {notice}
        </p>
      ) : null}
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
          const toggle = groupToggle(e.target);
          if (toggle) {
            toggleGroup(toggle, (e.target as Element).closest('[data-group-id]')!);
            return;
          }
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
          if (e.key === 'Enter' || e.key === ' ') {
            const toggle = groupToggle(e.target, true);
            if (!toggle) return;
            e.preventDefault();
            toggleGroup(toggle, e.target as Element);
          }
        }}
      >
        <div ref={contentRef} class="graph-content">
          <div ref={hostRef} class="graph-host" />
        </div>
        {card && v && f ? (
          <div ref={cardRef} id={CARD_ID} class="hover-card" role="tooltip">
            <CardContent view={v} frame={f} target={card.target} precision={precision.value} />
          </div>
        ) : null}
        {pic?.layout && v && viewport.current && wantsMinimap(v) ? (
          <Minimap layout={pic.layout} viewport={viewport.current} key={mounted} />
        ) : null}
      </div>
    </section>
  );
}
