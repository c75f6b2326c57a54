/**
 * Animated GIF encoding from RGBA frames, with gifenc. DOM-free and without Node APIs, so the web
 * page (bundled by Vite) and the CLI (through `gif-node.ts`, which rasterises with resvg) share
 * it. One palette for the whole animation, so colours never flicker between frames; each frame
 * after the first stores only the pixels that changed, which keeps a step-by-step animation of a
 * mostly still picture small.
 */
import * as gifencModule from 'gifenc';
import type { Palette } from 'gifenc';
import { badArgument } from '../core/errors.js';
import { checkNumber, checkOptions } from '../core/validate.js';

/**
 * gifenc is CommonJS for Node (a default export holding every function; named imports fail at
 * run time) and ESM for bundlers (named exports, and a default that is `GIFEncoder` alone).
 * Take whichever object holds the functions.
 */
const gifenc =
  typeof (gifencModule as Partial<typeof gifencModule.default>).GIFEncoder === 'function'
    ? (gifencModule as unknown as typeof gifencModule.default)
    : gifencModule.default;

/** One picture of the animation: `width × height` pixels, 4 bytes each (RGBA, row-major). */
export interface GifFrame {
  rgba: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

export interface GifOptions {
  /** How long each frame shows, in milliseconds (default 700; GIF stores hundredths). */
  delayMs?: number;
  /** How long the last frame shows, so a loop pauses on the finished picture (default 2000). */
  lastDelayMs?: number;
  /** true loops forever (default), false plays once, a number n plays n + 1 times. */
  loop?: boolean | number;
}

/** Frame delays a GIF can store: 0 to 65,535 hundredths of a second. */
const DELAY_RANGE = { min: 0, max: 655_350 };

/** At most this many pixels (sampled evenly over all frames) choose the shared palette. */
const PALETTE_SAMPLE = 1 << 21;

/**
 * A copy that starts at offset 0 of its own buffer: gifenc reads `rgba.buffer` as a whole, which
 * would be wrong for a view into a larger buffer (Node's Buffer pool, a subarray).
 */
function ownBuffer(rgba: Uint8Array | Uint8ClampedArray): Uint8Array {
  if (rgba.byteOffset === 0 && rgba.buffer.byteLength === rgba.byteLength) {
    return rgba instanceof Uint8Array ? rgba : new Uint8Array(rgba.buffer);
  }
  return new Uint8Array(rgba);
}

/** Every frame's pixels, subsampled to at most `PALETTE_SAMPLE`, in one buffer. */
function paletteSample(frames: readonly Uint8Array[]): Uint8Array {
  const pixels = frames.reduce((sum, f) => sum + f.length / 4, 0);
  const stride = Math.max(1, Math.ceil(pixels / PALETTE_SAMPLE));
  const out = new Uint8Array(Math.ceil(pixels / stride) * 4 + frames.length * 4);
  let o = 0;
  for (const f of frames) {
    for (let i = 0; i < f.length; i += 4 * stride) {
      out[o++] = f[i]!;
      out[o++] = f[i + 1]!;
      out[o++] = f[i + 2]!;
      out[o++] = f[i + 3]!;
    }
  }
  return out.slice(0, o);
}

function repeatCount(loop: boolean | number): number {
  if (loop === true) return 0;
  if (loop === false) return -1;
  if (!Number.isInteger(loop) || loop < 0 || loop > 65535) {
    throw badArgument(
      'encodeGif',
      `loop must be true, false or a count 0..65535, got ${String(loop)}`,
    );
  }
  // The NETSCAPE count is how many times to repeat after the first play; 0 would mean forever.
  return loop === 0 ? -1 : loop;
}

function checkFrames(frames: readonly GifFrame[]): { width: number; height: number } {
  const list: unknown = frames;
  if (!Array.isArray(list)) throw badArgument('encodeGif', 'argument frames must be a list');
  const first = frames[0];
  if (first === undefined) throw badArgument('encodeGif', 'no frames');
  if (first === null || typeof first !== 'object') {
    throw badArgument('encodeGif', 'frame 0 is not a frame { rgba, width, height }');
  }
  const { width, height } = first;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw badArgument('encodeGif', `bad frame size ${String(width)}×${String(height)}`);
  }
  if (width > 65535 || height > 65535) {
    throw badArgument('encodeGif', `${width}×${height} is larger than GIF allows (65535)`);
  }
  frames.forEach((f, i) => {
    if (f === null || typeof f !== 'object' || f.width !== width || f.height !== height) {
      throw badArgument('encodeGif', `frame ${i} is not a ${width}×${height} frame like frame 0`);
    }
    if (
      !(f.rgba instanceof Uint8Array || f.rgba instanceof Uint8ClampedArray) ||
      f.rgba.length !== width * height * 4
    ) {
      throw badArgument(
        'encodeGif',
        `frame ${i} must have ${width * height * 4} bytes of RGBA pixels (Uint8Array)`,
      );
    }
  });
  return { width, height };
}

/**
 * Encodes RGBA frames of one size as an animated GIF89a. The palette (up to 255 colours) is
 * quantised once from all frames; a frame after the first marks unchanged pixels transparent
 * and keeps the previous picture underneath. Deterministic: equal frames give equal bytes.
 * Transparency in the input is not kept (pixels are taken as opaque).
 *
 * @example
 * const red = new Uint8Array(4 * 4 * 4).fill(255).map((v, i) => (i % 4 === 1 || i % 4 === 2 ? 0 : v));
 * const gif = encodeGif([{ rgba: red, width: 4, height: 4 }], { delayMs: 500 });
 * String.fromCharCode(...gif.subarray(0, 6)) // 'GIF89a'
 */
export function encodeGif(frames: readonly GifFrame[], options: GifOptions = {}): Uint8Array {
  const { width, height } = checkFrames(frames);
  const opts = checkOptions('encodeGif', 'options', options);
  // GIF stores delays as 16-bit hundredths of a second: longer ones would wrap around.
  const delay = checkNumber('encodeGif', 'options.delayMs', opts.delayMs ?? 700, DELAY_RANGE);
  const lastDelay = checkNumber(
    'encodeGif',
    'options.lastDelayMs',
    opts.lastDelayMs ?? 2000,
    DELAY_RANGE,
  );
  const repeat = repeatCount(options.loop ?? true);
  const rgba = frames.map((f) => ownBuffer(f.rgba));

  const colours: Palette = gifenc.quantize(paletteSample(rgba), 255);
  // One extra entry that no pixel maps to: the "unchanged" (transparent) index.
  const transparentIndex = colours.length;
  const palette: Palette = [...colours, [0, 0, 0]];

  const encoder = gifenc.GIFEncoder();
  let previous: Uint8Array | undefined;
  rgba.forEach((pixels, k) => {
    const index = gifenc.applyPalette(pixels, colours);
    const frameDelay = k === rgba.length - 1 ? lastDelay : delay;
    // Disposal 1 ("do not dispose"): the next frame is drawn over this one.
    if (previous === undefined) {
      encoder.writeFrame(index, width, height, { palette, delay: frameDelay, repeat, dispose: 1 });
    } else {
      const delta = index.slice();
      for (let i = 0; i < delta.length; i++)
        if (delta[i] === previous[i]) delta[i] = transparentIndex;
      encoder.writeFrame(delta, width, height, {
        delay: frameDelay,
        transparent: true,
        transparentIndex,
        dispose: 1,
      });
    }
    previous = index;
  });
  encoder.finish();
  return encoder.bytes();
}
