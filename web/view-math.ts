/**
 * The arithmetic of pan and zoom: a translate-then-scale transform, zooming about a point, and
 * fitting content into a view. Pure and DOM-free, so it is unit-tested in Node.
 */

export interface Transform {
  x: number;
  y: number;
  scale: number;
}

/** Zooming out stops here, or at the scale that fits the whole graph if that is smaller. */
export const MIN_SCALE = 0.1;
export const MAX_SCALE = 4;
/** Fitting never blows a small graph up beyond this: 2-gate graphs should not look shouted. */
export const MAX_FIT_SCALE = 1.5;
const FIT_MARGIN = 12;

function clampScale(s: number, min = MIN_SCALE): number {
  return Math.min(MAX_SCALE, Math.max(min, s));
}

/**
 * Zooms by `factor` keeping the point (px, py) of the viewport where it is on screen, never below
 * `min` (MIN_SCALE, or less for a graph that only fits smaller).
 */
export function zoomAt(
  t: Transform,
  factor: number,
  px: number,
  py: number,
  min = MIN_SCALE,
): Transform {
  const scale = clampScale(t.scale * factor, min);
  const k = scale / t.scale;
  return { scale, x: px - (px - t.x) * k, y: py - (py - t.y) * k };
}

/**
 * The transform that shows content of the given size whole and centred in the viewport, however
 * small that makes it (a big graph is shown whole, then zoomed into).
 */
export function fit(contentW: number, contentH: number, viewW: number, viewH: number): Transform {
  if (contentW <= 0 || contentH <= 0 || viewW <= 0 || viewH <= 0) return { x: 0, y: 0, scale: 1 };
  const scale = Math.min(
    MAX_FIT_SCALE,
    Math.max(1e-4, (viewW - 2 * FIT_MARGIN) / contentW),
    Math.max(1e-4, (viewH - 2 * FIT_MARGIN) / contentH),
  );
  return { scale, x: (viewW - contentW * scale) / 2, y: (viewH - contentH * scale) / 2 };
}

/**
 * The height a view of width `viewW` needs to show content whole at the scale that fits its
 * width: on a phone the graph area shrinks to its picture instead of leaving empty canvas.
 */
export function fittedHeight(contentW: number, contentH: number, viewW: number): number {
  if (contentW <= 0 || contentH <= 0) return 0;
  const scale = Math.min(MAX_FIT_SCALE, (viewW - 2 * FIT_MARGIN) / contentW);
  return contentH * scale + 2 * FIT_MARGIN;
}

export function toCss(t: Transform): string {
  return `translate(${t.x}px, ${t.y}px) scale(${t.scale})`;
}
