/**
 * The arithmetic of pan and zoom: a translate-then-scale transform, zooming about a point, and
 * fitting content into a view. Pure and DOM-free, so it is unit-tested in Node.
 */

export interface Transform {
  x: number;
  y: number;
  scale: number;
}

export const MIN_SCALE = 0.1;
export const MAX_SCALE = 4;
/** Fitting never blows a small graph up beyond this: 2-gate graphs should not look shouted. */
export const MAX_FIT_SCALE = 1.5;
const FIT_MARGIN = 12;
/** Below this scale the wire numbers (14 px in the SVG) are too small to read. */
export const MIN_READABLE_SCALE = 0.6;

function clampScale(s: number): number {
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, s));
}

/** Zooms by `factor` keeping the point (px, py) of the viewport where it is on screen. */
export function zoomAt(t: Transform, factor: number, px: number, py: number): Transform {
  const scale = clampScale(t.scale * factor);
  const k = scale / t.scale;
  return { scale, x: px - (px - t.x) * k, y: py - (py - t.y) * k };
}

/** The transform that shows content of the given size whole and centred in the viewport. */
export function fit(contentW: number, contentH: number, viewW: number, viewH: number): Transform {
  if (contentW <= 0 || contentH <= 0 || viewW <= 0 || viewH <= 0) return { x: 0, y: 0, scale: 1 };
  const scale = clampScale(
    Math.min(
      MAX_FIT_SCALE,
      (viewW - 2 * FIT_MARGIN) / contentW,
      (viewH - 2 * FIT_MARGIN) / contentH,
    ),
  );
  return { scale, x: (viewW - contentW * scale) / 2, y: (viewH - contentH * scale) / 2 };
}

/**
 * The first view of a new graph: the whole graph when that is legible, else the graph at the
 * smallest legible scale from its left end (the inputs), where the animation starts; the learner
 * pans to follow it. On a phone, a wide graph fitted whole has unreadable numbers.
 */
export function fitReadable(
  contentW: number,
  contentH: number,
  viewW: number,
  viewH: number,
  minScale = MIN_READABLE_SCALE,
): Transform {
  const whole = fit(contentW, contentH, viewW, viewH);
  if (whole.scale >= minScale) return whole;
  const scale = minScale;
  return { scale, x: FIT_MARGIN, y: (viewH - contentH * scale) / 2 };
}

export function toCss(t: Transform): string {
  return `translate(${t.x}px, ${t.y}px) scale(${t.scale})`;
}
