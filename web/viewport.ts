/**
 * Pan and zoom of the graph picture: a translate-then-scale transform on the element holding the
 * SVG. The SVG itself is never re-rendered or re-laid-out to move it. The arithmetic lives in
 * view-math.ts; this file wires it to pointer and wheel events, and tells listeners (the
 * minimap) where the view is.
 */
import { fit, MIN_SCALE, toCss, zoomAt, type Transform } from './view-math.js';

export interface ViewportHandle {
  /** Shows the whole picture (however large), centred. */
  fit(): void;
  /** The first view of a new graph: the whole of it, the output included. */
  start(): void;
  zoom(factor: number): void;
  /** Keeps the element at the centre of the view visible (for keyboard focus, the animation). */
  reveal(el: Element): void;
  /** Centres the view on a point of the picture (in picture pixels). */
  centreOn(x: number, y: number): void;
  /** Moves the view so that `el`'s top-left is where `before` (a client rect) was. */
  keepAt(el: Element, before: { left: number; top: number }): void;
  /** The current transform. */
  transform(): Transform;
  /** Calls `listener` whenever the view moves; returns the unsubscribe function. */
  onChange(listener: (t: Transform) => void): () => void;
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
  const listeners = new Set<(t: Transform) => void>();
  const apply = (next: Transform) => {
    t = next;
    content.style.transform = toCss(t);
    for (const l of listeners) l(t);
  };
  const whole = () => {
    const { width, height } = size();
    return fit(width, height, view.clientWidth, view.clientHeight);
  };
  // Zooming out stops at the scale that shows everything, if that is below the usual floor.
  const floor = () => Math.min(MIN_SCALE, whole().scale * 0.8);
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
    apply(zoomAt(t, factor, e.clientX - box.left, e.clientY - box.top, floor()));
  };

  view.addEventListener('pointerdown', onPointerDown);
  view.addEventListener('pointermove', onPointerMove);
  view.addEventListener('pointerup', onPointerUp);
  view.addEventListener('pointercancel', onPointerUp);
  view.addEventListener('wheel', onWheel, { passive: false });

  return {
    fit: () => apply(whole()),
    start: () => apply(whole()),
    zoom: (factor) =>
      apply(zoomAt(t, factor, view.clientWidth / 2, view.clientHeight / 2, floor())),
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
    centreOn: (x, y) =>
      apply({
        ...t,
        x: view.clientWidth / 2 - x * t.scale,
        y: view.clientHeight / 2 - y * t.scale,
      }),
    keepAt: (el, before) => {
      const r = el.getBoundingClientRect();
      apply({ ...t, x: t.x + before.left - r.left, y: t.y + before.top - r.top });
    },
    transform: () => t,
    onChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy: () => {
      listeners.clear();
      view.removeEventListener('pointerdown', onPointerDown);
      view.removeEventListener('pointermove', onPointerMove);
      view.removeEventListener('pointerup', onPointerUp);
      view.removeEventListener('pointercancel', onPointerUp);
      view.removeEventListener('wheel', onWheel);
    },
  };
}
