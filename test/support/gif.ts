/**
 * A small GIF89a decoder for tests: it walks the blocks strictly (header, logical screen,
 * colour tables, NETSCAPE loop, graphic control, images, trailer), LZW-decodes every image and
 * composites the frames as a viewer would (transparency, "do not dispose"), so an encoder's
 * output can be checked pixel by pixel without a dependency.
 */

export interface DecodedFrame {
  /** Delay in hundredths of a second, as stored. */
  delayCs: number;
  disposal: number;
  transparentIndex: number | null;
  /** True when the frame brings its own colour table instead of the global one. */
  localPalette: boolean;
  /** The full picture after this frame is drawn (RGBA, the logical screen's size). */
  rgba: Uint8Array;
}

export interface DecodedGif {
  width: number;
  height: number;
  globalPalette: number[][];
  /** The NETSCAPE2.0 repeat count (0 = forever), or null when the GIF plays once. */
  loop: number | null;
  frames: DecodedFrame[];
}

/** Decodes GIF LZW codes (least significant bit first) into `count` palette indices. */
function lzw(minCodeSize: number, data: Uint8Array, count: number): Uint8Array {
  const clear = 1 << minCodeSize;
  const eoi = clear + 1;
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const stack = new Uint8Array(4097);
  const out = new Uint8Array(count);
  let size = minCodeSize + 1;
  let next = eoi + 1;
  let old = -1;
  let first = 0;
  let op = 0;
  let bit = 0;
  const read = (): number => {
    let v = 0;
    for (let i = 0; i < size; i++, bit++) v |= ((data[bit >> 3]! >> (bit & 7)) & 1) << i;
    return v;
  };
  while (bit + size <= data.length * 8 && op < count) {
    const code = read();
    if (code === clear) {
      size = minCodeSize + 1;
      next = eoi + 1;
      old = -1;
      continue;
    }
    if (code === eoi) break;
    if (old === -1) {
      out[op++] = first = code;
      old = code;
      continue;
    }
    let c = code;
    let sp = 0;
    if (code >= next) {
      if (code > next) throw new Error(`GIF: LZW code ${code} beyond the table (${next})`);
      stack[sp++] = first;
      c = old;
    }
    while (c > eoi) {
      stack[sp++] = suffix[c]!;
      c = prefix[c]!;
    }
    first = c;
    stack[sp++] = c;
    while (sp > 0 && op < count) out[op++] = stack[--sp]!;
    if (next < 4096) {
      prefix[next] = old;
      suffix[next] = first;
      next++;
      if (next === 1 << size && size < 12) size++;
    }
    old = code;
  }
  if (op !== count) throw new Error(`GIF: image has ${op} pixels, expected ${count}`);
  return out;
}

/** Decodes a whole GIF; throws on anything malformed. */
export function decodeGif(bytes: Uint8Array): DecodedGif {
  let p = 0;
  const u8 = () => {
    if (p >= bytes.length) throw new Error('GIF: unexpected end of data');
    return bytes[p++]!;
  };
  const u16 = () => u8() | (u8() << 8);
  const table = (size: number) => Array.from({ length: size }, () => [u8(), u8(), u8()]);
  const subBlocks = (): Uint8Array => {
    const parts: number[] = [];
    for (let n = u8(); n > 0; n = u8()) for (let i = 0; i < n; i++) parts.push(u8());
    return Uint8Array.from(parts);
  };
  const signature = String.fromCharCode(...bytes.subarray(0, 6));
  if (signature !== 'GIF89a') throw new Error(`GIF: bad signature ${signature}`);
  p = 6;
  const width = u16();
  const height = u16();
  const packed = u8();
  u8(); // background colour index
  u8(); // pixel aspect ratio
  const globalPalette = packed & 0x80 ? table(2 << (packed & 7)) : [];
  const canvas = new Uint8Array(width * height * 4);
  const gif: DecodedGif = { width, height, globalPalette, loop: null, frames: [] };
  let control = { delayCs: 0, disposal: 0, transparentIndex: null as number | null };
  for (;;) {
    const block = u8();
    if (block === 0x3b) break;
    if (block === 0x21) {
      const label = u8();
      const body = subBlocks();
      if (label === 0xf9) {
        control = {
          disposal: (body[0]! >> 2) & 7,
          delayCs: body[1]! | (body[2]! << 8),
          transparentIndex: body[0]! & 1 ? body[3]! : null,
        };
      } else if (label === 0xff && String.fromCharCode(...body.subarray(0, 11)) === 'NETSCAPE2.0') {
        gif.loop = body[12]! | (body[13]! << 8);
      }
      continue;
    }
    if (block !== 0x2c) throw new Error(`GIF: unknown block 0x${block.toString(16)} at ${p - 1}`);
    const left = u16();
    const top = u16();
    const w = u16();
    const h = u16();
    const flags = u8();
    if (flags & 0x40) throw new Error('GIF: interlaced images are not supported here');
    const palette = flags & 0x80 ? table(2 << (flags & 7)) : globalPalette;
    const index = lzw(u8(), subBlocks(), w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = index[y * w + x]!;
        if (i === control.transparentIndex) continue;
        const c = palette[i];
        if (c === undefined) throw new Error(`GIF: index ${i} outside the palette`);
        const o = ((top + y) * width + left + x) * 4;
        canvas.set([c[0]!, c[1]!, c[2]!, 255], o);
      }
    }
    gif.frames.push({ ...control, localPalette: (flags & 0x80) !== 0, rgba: canvas.slice() });
    control = { delayCs: 0, disposal: 0, transparentIndex: null };
  }
  if (p !== bytes.length) throw new Error(`GIF: ${bytes.length - p} bytes after the trailer`);
  return gif;
}
