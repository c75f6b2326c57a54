import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderPng } from '../../src/viz/png.js';
import { renderSvg } from '../../src/viz/svg.js';
import { badArgument } from '../support/assert.js';
import { sigmoidSnapshot } from '../support/fixtures.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which always comes first. */
function ihdr(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  assert.equal(String.fromCharCode(...png.subarray(12, 16)), 'IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('renderPng', () => {
  const svg = renderSvg(sigmoidSnapshot());
  const width = Number(/width="(\d+)"/.exec(svg)?.[1]);
  const height = Number(/height="(\d+)"/.exec(svg)?.[1]);

  test('writes a PNG as large as the SVG at scale 1', () => {
    const png = renderPng(svg);
    assert.ok(png instanceof Uint8Array);
    assert.deepEqual([...png.subarray(0, 8)], SIGNATURE);
    assert.deepEqual(ihdr(png), { width, height });
  });

  test('scales the picture', () => {
    assert.deepEqual(ihdr(renderPng(svg, { scale: 2 })), { width: width * 2, height: height * 2 });
  });

  test('rejects a bad scale', () => {
    assert.throws(() => renderPng(svg, { scale: 0 }), badArgument(/^renderPng: options\.scale/));
    assert.throws(() => renderPng(svg, { scale: Number.NaN }), badArgument(/options\.scale/));
    // resvg aborts the process on this zoom; it must be refused before resvg sees it.
    assert.throws(() => renderPng(svg, { scale: 1e308 }), badArgument(/options\.scale/));
    assert.throws(
      () => renderPng(svg, { scale: 99 }),
      badArgument(/pixels\); the limit is 33554432 pixels, so use a scale of at most/),
    );
  });
});
