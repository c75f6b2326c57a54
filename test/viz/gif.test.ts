import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Resvg } from '@resvg/resvg-js';
import { schedule } from '../../src/graph/schedule.js';
import { encodeGif, type GifFrame } from '../../src/viz/gif.js';
import { renderGif } from '../../src/viz/gif-node.js';
import { renderFrameSvgs } from '../../src/viz/svg.js';
import { badArgument } from '../support/assert.js';
import { sigmoidSnapshot } from '../support/fixtures.js';
import { decodeGif } from '../support/gif.js';

/** A `width × height` frame where pixel i has colour `colours[pick(i)]`. */
function frame(
  width: number,
  height: number,
  colours: number[][],
  pick: (i: number) => number,
): GifFrame {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([...colours[pick(i)]!, 255], i * 4);
  return { rgba, width, height };
}

const RED = [200, 30, 40];
const GREEN = [20, 130, 60];
const WHITE = [255, 255, 255];
const COLOURS = [WHITE, RED, GREEN];

describe('encodeGif', () => {
  const frames = [
    frame(5, 3, COLOURS, () => 0),
    frame(5, 3, COLOURS, (i) => (i < 5 ? 1 : 0)),
    frame(5, 3, COLOURS, (i) => (i < 5 ? 1 : i < 10 ? 2 : 0)),
  ];
  const gif = encodeGif(frames, { delayMs: 100, lastDelayMs: 1500 });
  const decoded = decodeGif(gif);

  test('writes a GIF89a with the logical screen size and one image per frame', () => {
    assert.equal(String.fromCharCode(...gif.subarray(0, 6)), 'GIF89a');
    assert.equal(decoded.width, 5);
    assert.equal(decoded.height, 3);
    assert.equal(decoded.frames.length, 3);
  });

  test('loops forever by default, holds the last frame longer', () => {
    assert.equal(decoded.loop, 0);
    assert.deepEqual(
      decoded.frames.map((f) => f.delayCs),
      [10, 10, 150],
    );
  });

  test('decodes back to the same pixels, with one shared palette', () => {
    decoded.frames.forEach((f, k) => assert.deepEqual(f.rgba, frames[k]!.rgba, `frame ${k}`));
    assert.ok(decoded.frames.every((f) => !f.localPalette));
    // Later frames store only what changed: the rest is transparent, drawn over the previous.
    assert.ok(
      decoded.frames.slice(1).every((f) => f.transparentIndex !== null && f.disposal === 1),
    );
  });

  test('is deterministic', () => {
    assert.deepEqual(encodeGif(frames, { delayMs: 100, lastDelayMs: 1500 }), gif);
  });

  test('loop: false plays once, a number repeats that often', () => {
    assert.equal(decodeGif(encodeGif(frames, { loop: false })).loop, null);
    assert.equal(decodeGif(encodeGif(frames, { loop: 3 })).loop, 3);
  });

  test('accepts Uint8ClampedArray and views into larger buffers', () => {
    const [a] = frames;
    const big = new Uint8Array(a!.rgba.length + 8);
    big.set(a!.rgba, 4);
    const view = { ...a!, rgba: big.subarray(4, 4 + a!.rgba.length) };
    const clamped = { ...a!, rgba: new Uint8ClampedArray(a!.rgba) };
    for (const f of [view, clamped]) {
      assert.deepEqual(decodeGif(encodeGif([f])).frames[0]!.rgba, a!.rgba);
    }
  });

  test('rejects no frames, mixed sizes and wrong byte counts', () => {
    assert.throws(() => encodeGif([]), badArgument(/^encodeGif: no frames/));
    assert.throws(
      () => encodeGif([frames[0]!, frame(4, 3, COLOURS, () => 0)]),
      badArgument(/frame 1 is not a 5×3 frame like frame 0/),
    );
    assert.throws(
      () => encodeGif([{ rgba: new Uint8Array(10), width: 5, height: 3 }]),
      badArgument(/frame 0 must have 60 bytes/),
    );
    assert.throws(() => encodeGif(frames, { loop: -2 }), badArgument(/^encodeGif: loop must be/));
    // GIF delays are 16-bit hundredths of a second: a longer one would wrap around.
    assert.throws(
      () => encodeGif(frames, { delayMs: 70_000_000 }),
      badArgument(/^encodeGif: options\.delayMs must be a finite number in \[0, 655350\]/),
    );
    assert.throws(() => encodeGif(frames, { lastDelayMs: Number.NaN }), badArgument(/lastDelayMs/));
  });
});

describe('renderGif', () => {
  const s = sigmoidSnapshot();
  const steps = schedule(s);
  const gif = renderGif(s, { delayMs: 500, holdMs: 3000 });
  const decoded = decodeGif(gif);
  const svgs = renderFrameSvgs(s);

  test('has one frame per step plus the start, at the SVG size', () => {
    assert.equal(decoded.frames.length, steps.length + 1);
    assert.equal(decoded.width, Number(/width="(\d+)"/.exec(svgs[0]!)?.[1]));
    assert.equal(decoded.height, Number(/height="(\d+)"/.exec(svgs[0]!)?.[1]));
    assert.equal(decoded.loop, 0);
    assert.deepEqual(
      decoded.frames.map((f) => f.delayCs),
      [...Array<number>(steps.length).fill(50), 300],
    );
  });

  test('each frame looks like that frame rasterised (up to the palette)', () => {
    for (const k of [0, 9, steps.length]) {
      const image = new Resvg(svgs[k]!, {
        font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
      }).render();
      const want = image.pixels;
      const got = decoded.frames[k]!.rgba;
      assert.equal(got.length, want.length);
      let diff = 0;
      for (let i = 0; i < got.length; i++) diff += Math.abs(got[i]! - want[i]!);
      assert.ok(diff / got.length < 1, `frame ${k}: mean difference ${diff / got.length}`);
    }
    assert.notDeepEqual(decoded.frames[0]!.rgba, decoded.frames[steps.length]!.rgba);
  });

  test('scales and rejects a bad scale', () => {
    const small = decodeGif(renderGif(s, { scale: 0.5 }));
    assert.equal(small.width, Math.round(decoded.width / 2));
    assert.throws(
      () => renderGif(s, { scale: 0 }),
      badArgument(/^renderGif: options\.scale must be/),
    );
    assert.throws(() => renderGif(s, { scale: 1e308 }), badArgument(/^renderGif: options\.scale/));
  });
});
