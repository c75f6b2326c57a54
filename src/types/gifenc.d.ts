/**
 * Types for gifenc 1.0.3, which ships none. Only what `viz/gif.ts` uses. The package is CommonJS
 * for Node (`main`) and ESM for bundlers (`module`): Node gives a default export holding every
 * function, Vite gives named exports and a default that is `GIFEncoder` itself, so `viz/gif.ts`
 * imports the namespace and picks whichever holds the functions.
 */
declare module 'gifenc' {
  /** Colours as `[r, g, b]` (or `[r, g, b, a]` with an alpha format), 0–255. */
  export type Palette = number[][];
  export type PixelFormat = 'rgb565' | 'rgb444' | 'rgba4444';

  export interface FrameOptions {
    palette?: Palette;
    /** Milliseconds; stored in hundredths of a second. */
    delay?: number;
    /** 0 loops forever, -1 plays once, n repeats n times (first frame only). */
    repeat?: number;
    transparent?: boolean;
    transparentIndex?: number;
    /** GIF disposal method; -1 leaves gifenc's default. */
    dispose?: number;
    first?: boolean;
  }

  export interface Encoder {
    writeFrame(index: Uint8Array, width: number, height: number, options?: FrameOptions): void;
    finish(): void;
    bytes(): Uint8Array;
    bytesView(): Uint8Array;
  }

  export function GIFEncoder(options?: { auto?: boolean; initialCapacity?: number }): Encoder;
  export function quantize(
    rgba: Uint8Array | Uint8ClampedArray,
    maxColors: number,
    options?: { format?: PixelFormat },
  ): Palette;
  export function applyPalette(
    rgba: Uint8Array | Uint8ClampedArray,
    palette: Palette,
    format?: PixelFormat,
  ): Uint8Array;

  const gifenc: {
    GIFEncoder: typeof GIFEncoder;
    quantize: typeof quantize;
    applyPalette: typeof applyPalette;
  };
  export default gifenc;
}
