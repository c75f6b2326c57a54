/**
 * SVG → PNG with resvg (a native module). Kept out of `viz/index.ts` and exported on its own
 * subpath so that the web page, which imports `viz`, never pulls a native binary.
 */
import { Resvg } from '@resvg/resvg-js';
import { checkOptions } from '../core/validate.js';
import { rasterSize } from './raster-size.js';

export interface PngOptions {
  /** Zoom factor: 2 gives a PNG twice the SVG's width and height (default 1). */
  scale?: number;
}

/**
 * Rasterises an SVG document (such as `renderSvg`'s output) to PNG bytes, with system fonts
 * (DejaVu Sans on our machines) so the picture looks the same in CI and on a laptop.
 *
 * @example
 * const png = renderPng(renderSvg(snapshot), { scale: 2 });
 * png.subarray(1, 4) // Uint8Array [80, 78, 71] ('PNG')
 */
export function renderPng(svg: string, options: PngOptions = {}): Uint8Array {
  const opts = checkOptions('renderPng', 'options', options);
  const resvg = rasterizer('renderPng', svg, opts.scale ?? 1);
  const png = resvg.render().asPng();
  // A plain Uint8Array view: callers need not know about Node's Buffer.
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

function rasterizer(fn: string, svg: string, scale: number): Resvg {
  return new Resvg(svg, rasterSize(fn, svg, scale).resvgOptions);
}
