/**
 * The two animated exports. The animated SVG is the library's renderAnimatedSvg as is; the GIF
 * is the library's encodeGif over the frames renderFrameSvgs draws (one layout for all of them),
 * rasterised by the browser.
 */
import type { GraphView } from '../../src/graph/index.js';
import { encodeGif, renderAnimatedSvg, renderFrameSvgs } from '../../src/viz/index.js';
import { rgbaFrame, textBlob } from '../raster.js';
import type { Graph } from '../store.js';

/** How long each GIF frame shows (encodeGif holds the last one longer). */
export const GIF_DELAY_MS = 700;
/** A 300-node graph has ~900 steps; a GIF that long helps nobody, so long ones are sampled. */
export const MAX_GIF_FRAMES = 240;
/** Wider pictures are scaled down: a GIF is for a slide or a README, not for zooming. */
export const MAX_GIF_WIDTH = 1600;
/** The encoder holds every frame's RGBA pixels at once; this bounds that memory. */
export const GIF_PIXEL_BUDGET_BYTES = 256 * 1024 * 1024;

/** The animation of what is on screen (`view`: the groups as they are open or closed). */
export function animatedSvgBlob(g: Graph, precision: number, view?: GraphView): Blob {
  return textBlob(
    renderAnimatedSvg(g.snapshot, { precision, ...(view ? { view } : {}) }),
    'image/svg+xml',
  );
}

/** The frame indices a GIF shows: all of them, or evenly spaced ones (first and last kept). */
export function gifFrameIndices(steps: number, max = MAX_GIF_FRAMES): number[] {
  const count = steps + 1;
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.round((i * steps) / (max - 1)));
}

/** The size an SVG document declares on its root element. */
function svgSize(svg: string): { width: number; height: number } {
  const head = /<svg[^>]*>/.exec(svg)?.[0] ?? '';
  const num = (name: string) => Number(new RegExp(`\\s${name}="([\\d.]+)"`).exec(head)?.[1] ?? 0);
  return { width: num('width'), height: num('height') };
}

export async function gifBlob(g: Graph, precision: number, view?: GraphView): Promise<Blob> {
  const options = { precision, ...(view ? { view } : {}) };
  // Every frame of a snapshot has the same size: the first one tells the cost of each.
  const { width, height } = svgSize(renderFrameSvgs(g.snapshot, options, [0])[0] ?? '');
  const scale = Math.min(1, MAX_GIF_WIDTH / Math.max(1, width));
  const frameBytes = Math.max(1, Math.ceil(width * scale) * Math.ceil(height * scale) * 4);
  const max = Math.max(
    2,
    Math.min(MAX_GIF_FRAMES, Math.floor(GIF_PIXEL_BUDGET_BYTES / frameBytes)),
  );
  const frames = [];
  for (const svg of renderFrameSvgs(g.snapshot, options, gifFrameIndices(g.steps.length, max))) {
    frames.push(await rgbaFrame(svg, scale));
  }
  const bytes = encodeGif(frames, { delayMs: GIF_DELAY_MS });
  return new Blob([new Uint8Array(bytes)], { type: 'image/gif' });
}
