/**
 * The forward/backward animation as a GIF, in Node: every frame drawn by `renderFrameSvgs`
 * (`renderSvg` with a `frame`), rasterised by resvg (a native module, hence kept out of
 * `viz/index.ts`, like `png.ts`), then encoded by the DOM-free `encodeGif`.
 */
import { Resvg } from '@resvg/resvg-js';
import type { GraphSnapshot } from '../graph/types.js';
import { badArgument } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import { checkNumber, checkOptions } from '../core/validate.js';
import { encodeGif, type GifFrame } from './gif.js';
import { rasterSize } from './raster-size.js';
import { renderFrameSvgs } from './svg.js';

/** The longest frame delay a GIF can store: 65,535 hundredths of a second. */
const MAX_DELAY_MS = 655_350;

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
  const image = new Resvg(svg, rasterSize('renderGif', svg, scale).resvgOptions).render();
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
  const opts = checkOptions('renderGif', 'options', options);
  const scale = opts.scale ?? 1;
  for (const name of ['delayMs', 'holdMs'] as const) {
    const v = opts[name];
    if (v !== undefined)
      checkNumber('renderGif', `options.${name}`, v, { min: 0, max: MAX_DELAY_MS });
  }
  const svgs = renderFrameSvgs(snapshot, {
    ...(options.precision === undefined ? {} : { precision: options.precision }),
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.legend === undefined ? {} : { legend: options.legend }),
  });
  // Every frame is held in memory until the encoder has them all: bound the total first.
  const { width, height } = rasterSize('renderGif', svgs[0] ?? '', scale);
  if (width * height * svgs.length > LIMITS.maxGifPixels) {
    throw badArgument(
      'renderGif',
      `${svgs.length} frames of ${width}×${height} pixels would exceed the ${LIMITS.maxGifPixels} ` +
        'pixels a GIF may hold in all; use a smaller scale',
    );
  }
  const frames = svgs.map((svg) => rasterise(svg, scale));
  return encodeGif(frames, {
    delayMs: options.delayMs ?? 700,
    lastDelayMs: options.holdMs ?? 2000,
  });
}
