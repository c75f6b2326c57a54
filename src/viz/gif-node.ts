/**
 * The forward/backward animation as a GIF, in Node: every frame drawn by `renderFrameSvgs`
 * (`renderSvg` with a `frame`), rasterised by resvg (a native module, hence kept out of
 * `viz/index.ts`, like `png.ts`), then encoded by the DOM-free `encodeGif`.
 */
import { Resvg } from '@resvg/resvg-js';
import type { GraphSnapshot } from '../graph/types.js';
import { encodeGif, type GifFrame } from './gif.js';
import { renderFrameSvgs } from './svg.js';

export interface GifRenderOptions {
  /** Decimals of the numbers on the wires (default 2). */
  precision?: number;
  /** Zoom factor of every frame (default 1). */
  scale?: number;
  /** Milliseconds per step (default 700). */
  delayMs?: number;
  /** Milliseconds the finished picture stays before the loop starts over (default 2000). */
  holdMs?: number;
  /** A heading drawn above the graph. */
  title?: string;
  /** Draw the colour legend (default true). */
  legend?: boolean;
}

/**
 * Rasterises one SVG to RGBA pixels with the same fonts as `renderPng`, so a GIF frame looks
 * like the PNG of the same picture.
 */
function rasterise(svg: string, scale: number): GifFrame {
  const image = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  return { rgba: new Uint8Array(image.pixels), width: image.width, height: image.height };
}

/**
 * Renders the whole forward and backward pass of a snapshot as a looping GIF: frame 0 (the
 * inputs), then one frame per schedule step, the last one held for `holdMs`.
 *
 * @example
 * const gif = renderGif(snapshotExpression('(x+y)*z', { x: -2, y: 5, z: -4 }), { scale: 1 });
 * String.fromCharCode(...gif.subarray(0, 6)) // 'GIF89a'
 */
export function renderGif(snapshot: GraphSnapshot, options: GifRenderOptions = {}): Uint8Array {
  const scale = options.scale ?? 1;
  if (!(Number.isFinite(scale) && scale > 0)) {
    throw new RangeError(`renderGif: scale must be a positive number, got ${scale}`);
  }
  const svgs = renderFrameSvgs(snapshot, {
    ...(options.precision === undefined ? {} : { precision: options.precision }),
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.legend === undefined ? {} : { legend: options.legend }),
  });
  const frames = svgs.map((svg) => rasterise(svg, scale));
  return encodeGif(frames, {
    delayMs: options.delayMs ?? 700,
    lastDelayMs: options.holdMs ?? 2000,
  });
}
