import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fit,
  fittedHeight,
  MAX_FIT_SCALE,
  MAX_SCALE,
  MIN_SCALE,
  zoomAt,
} from '../../web/view-math.js';

test('fit centres the whole content, never enlarging past the fit cap', () => {
  const t = fit(800, 200, 1000, 600);
  assert.ok(t.scale <= MAX_FIT_SCALE);
  assert.ok(800 * t.scale <= 1000 && 200 * t.scale <= 600);
  assert.ok(Math.abs(t.x - (1000 - 800 * t.scale) / 2) < 1e-9);
  assert.ok(Math.abs(t.y - (600 - 200 * t.scale) / 2) < 1e-9);
  assert.deepEqual(fit(0, 0, 100, 100), { x: 0, y: 0, scale: 1 });
});

test('fit fits any graph, however large: no zoom floor stops it', () => {
  const t = fit(60_000, 900, 1000, 600);
  assert.ok(t.scale < MIN_SCALE);
  assert.ok(60_000 * t.scale <= 1000 && t.x >= 0);
});

test('on a phone the graph area is as tall as its picture at the width that fits', () => {
  // 640 × 280 px picture in a 390 px wide view: scale (390 − 24) / 640, no empty canvas.
  const h = fittedHeight(640, 280, 390);
  assert.ok(Math.abs(h - (280 * (366 / 640) + 24)) < 1e-9);
  const t = fit(640, 280, 390, h);
  assert.ok(Math.abs(t.y - 12) < 1e-6, 'the picture fills the height');
  assert.equal(fittedHeight(10, 10, 390), 10 * MAX_FIT_SCALE + 24);
});

test('zooming keeps the point under the pointer in place and stays within the scale limits', () => {
  const t = { x: 10, y: 20, scale: 1 };
  const z = zoomAt(t, 2, 110, 70);
  // The content point under (110, 70) was (100, 50); it still is.
  assert.ok(Math.abs((110 - z.x) / z.scale - 100) < 1e-9);
  assert.ok(Math.abs((70 - z.y) / z.scale - 50) < 1e-9);
  assert.equal(zoomAt(t, 1000, 0, 0).scale, MAX_SCALE);
  assert.equal(zoomAt(t, 1e-6, 0, 0).scale, MIN_SCALE);
  // A graph that only fits smaller may be zoomed out to that.
  assert.equal(zoomAt(t, 1e-6, 0, 0, 0.02).scale, 0.02);
});
