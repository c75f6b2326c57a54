import { Resvg } from '@resvg/resvg-js';
import { badArgument } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import { checkNumber } from '../core/validate.js';

// Shared by renderPng and renderGif (both rasterise with resvg, a native module, so this file
// stays out of viz/index.ts like they do).

/**
 * The size in pixels of `svg` drawn at `scale`, checked before anything is drawn: the scale
 * within [LIMITS.minScale, LIMITS.maxScale], at least one pixel each way and at most
 * LIMITS.maxPixels in all. (resvg aborts the whole process on an absurd zoom, and a large one
 * takes minutes and gigabytes.)
 */
export function rasterSize(
  fn: string,
  svg: string,
  scale: number,
): { width: number; height: number; resvgOptions: ConstructorParameters<typeof Resvg>[1] } {
  if (typeof svg !== 'string') {
    throw badArgument(fn, `argument svg must be an SVG document (a string), got ${typeof svg}`);
  }
  checkNumber(fn, 'options.scale', scale, { min: LIMITS.minScale, max: LIMITS.maxScale });
  const font = { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' };
  let natural: Resvg;
  try {
    natural = new Resvg(svg, { font: { loadSystemFonts: false } });
  } catch (e) {
    throw badArgument(fn, `the SVG could not be read: ${(e as Error).message}`);
  }
  const width = Math.ceil(natural.width * scale);
  const height = Math.ceil(natural.height * scale);
  if (width < 1 || height < 1) {
    throw badArgument(
      fn,
      `scale ${scale} makes the ${natural.width}×${natural.height} picture smaller than a pixel`,
    );
  }
  if (width * height > LIMITS.maxPixels) {
    const most = Math.sqrt(LIMITS.maxPixels / (natural.width * natural.height));
    throw badArgument(
      fn,
      `scale ${scale} would make a ${width}×${height} picture (${width * height} pixels); ` +
        `the limit is ${LIMITS.maxPixels} pixels, so use a scale of at most ${Math.floor(most * 100) / 100}`,
    );
  }
  return { width, height, resvgOptions: { fitTo: { mode: 'zoom', value: scale }, font } };
}
