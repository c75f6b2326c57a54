/**
 * Pan and zoom of the graph picture: a translate-then-scale transform on the element holding the
 * SVG. The SVG itself is never re-rendered or re-laid-out to move it. The arithmetic lives in
 * view-math.ts; this file wires it to pointer and wheel events.
 */
import { fit, fitReadable, toCss, zoomAt, type Transform } from './view-math.js';

/** How far from the left edge the anchor of a first view sits. */
const ANCHOR_MARGIN = 16;

export interface ViewportHandle {
  fit(): void;
  /**
   * The first view of a new graph (see fitReadable); when the graph is too big to show whole
   * legibly, `anchor` (an input, say) is put at the left middle of the view.
   */
  start(anchor?: Element): void;
  zoom(factor: number): void;
  /** Keeps the element at the centre of the view visible (for keyboard focus). */
  reveal(el: Element): void;
  destroy(): void;
}

/**
 * Makes `view` a pan/zoom window onto `content` (its only child that moves): drag to pan, wheel
 * to zoom at the pointer. `size()` tells the natural size of the content.
 */
export function attachViewport(
  view: HTMLElement,
  content: HTMLElement,
  size: () => { width: number; height: number },
): ViewportHandle {
  let t: Transform = { x: 0, y: 0, scale: 1 };
  const apply = (next: Transform) => {
    t = next;
    content.style.transform = toCss(t);
  };
  let drag: { id: number; x: number; y: number; moved: boolean } | null = null;

  const onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    drag = { id: e.pointerId, x: e.clientX, y: e.clientY, moved: false };
  };
  const onPointerMove = (e: PointerEvent) => {
    if (drag === null || drag.id !== e.pointerId) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    // A few pixels of jitter is a click (or a tap on a wire), not a drag.
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) view.setPointerCapture(e.pointerId);
    drag = { id: drag.id, x: e.clientX, y: e.clientY, moved: true };
    view.classList.add('dragging');
    apply({ ...t, x: t.x + dx, y: t.y + dy });
  };
  const onPointerUp = (e: PointerEvent) => {
    if (drag?.id !== e.pointerId) return;
    drag = null;
    view.classList.remove('dragging');
  };
  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const box = view.getBoundingClientRect();
    // Trackpads send many small deltas, mouse wheels a few large ones: scale by the delta.
    const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
    apply(zoomAt(t, factor, e.clientX - box.left, e.clientY - box.top));
  };

  view.addEventListener('pointerdown', onPointerDown);
  view.addEventListener('pointermove', onPointerMove);
  view.addEventListener('pointerup', onPointerUp);
  view.addEventListener('pointercancel', onPointerUp);
  view.addEventListener('wheel', onWheel, { passive: false });

  return {
    fit: () => {
      const { width, height } = size();
      apply(fit(width, height, view.clientWidth, view.clientHeight));
    },
    start: (anchor) => {
      const { width, height } = size();
      const whole = fit(width, height, view.clientWidth, view.clientHeight);
      const first = fitReadable(width, height, view.clientWidth, view.clientHeight);
      apply(first);
      if (anchor === undefined || first.scale === whole.scale) return;
      const v = view.getBoundingClientRect();
      const r = anchor.getBoundingClientRect();
      const dx = v.left + ANCHOR_MARGIN - r.left;
      const dy = v.top + v.height / 2 - (r.top + r.height / 2);
      apply({ ...first, x: first.x + dx, y: first.y + dy });
    },
    zoom: (factor) => apply(zoomAt(t, factor, view.clientWidth / 2, view.clientHeight / 2)),
    reveal: (el) => {
      const v = view.getBoundingClientRect();
      const r = el.getBoundingClientRect();
      const inside =
        r.left >= v.left && r.right <= v.right && r.top >= v.top && r.bottom <= v.bottom;
      if (inside) return;
      const cx = r.left + r.width / 2 - v.left;
      const cy = r.top + r.height / 2 - v.top;
      apply({ ...t, x: t.x + v.width / 2 - cx, y: t.y + v.height / 2 - cy });
    },
    destroy: () => {
      view.removeEventListener('pointerdown', onPointerDown);
      view.removeEventListener('pointermove', onPointerMove);
      view.removeEventListener('pointerup', onPointerUp);
      view.removeEventListener('pointercancel', onPointerUp);
      view.removeEventListener('wheel', onWheel);
    },
  };
}
