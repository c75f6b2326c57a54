/**
 * Browser-side file making: downloads through a Blob and an `<a download>`, and SVG → pixels
 * through an `<img>` and a `<canvas>` (the library's PNG renderer is resvg, which is Node-only).
 */

/** Saves `data` as a file named `name`. */
export function download(name: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the click; the URL can go once the event loop moves on.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function textBlob(text: string, type: string): Blob {
  return new Blob([text], { type: `${type};charset=utf-8` });
}

/** Browsers refuse canvases much larger than this on a side (Chromium: 32767, less on phones). */
const MAX_CANVAS_SIDE = 12_000;

/**
 * Draws an SVG document on a canvas at `scale` device pixels per SVG unit, or less when the
 * picture would not fit a canvas.
 */
export async function rasterize(svg: string, scale = 1): Promise<HTMLCanvasElement> {
  const url = URL.createObjectURL(textBlob(svg, 'image/svg+xml'));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const fit = Math.min(
      scale,
      MAX_CANVAS_SIDE / Math.max(1, img.naturalWidth),
      MAX_CANVAS_SIDE / Math.max(1, img.naturalHeight),
    );
    const width = Math.max(1, Math.round(img.naturalWidth * fit));
    const height = Math.max(1, Math.round(img.naturalHeight * fit));
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot draw on a canvas');
    // The picture has its own white background; fill anyway so no pixel is transparent.
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(img, 0, 0, width, height);
    return canvas;
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function pngBlob(svg: string, scale = 2): Promise<Blob> {
  const canvas = await rasterize(svg, scale);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}

/** One frame's pixels, for a GIF encoder. */
export async function rgbaFrame(
  svg: string,
  scale = 1,
): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
  const canvas = await rasterize(svg, scale);
  const ctx = canvas.getContext('2d')!;
  const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return { rgba: data, width, height };
}
