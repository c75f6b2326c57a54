import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  fit,
  fitReadable,
  MAX_FIT_SCALE,
  MAX_SCALE,
  MIN_READABLE_SCALE,
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

test('a graph too wide for a phone starts legible at its left end', () => {
  const t = fitReadable(1200, 300, 370, 450);
  assert.equal(t.scale, MIN_READABLE_SCALE);
  assert.ok(t.x > 0 && t.x < 20);
  const wide = fitReadable(800, 200, 1000, 600);
  assert.deepEqual(wide, fit(800, 200, 1000, 600));
});

test('zooming keeps the point under the pointer in place and stays within the scale limits', () => {
  const t = { x: 10, y: 20, scale: 1 };
  const z = zoomAt(t, 2, 110, 70);
  // The content point under (110, 70) was (100, 50); it still is.
  assert.ok(Math.abs((110 - z.x) / z.scale - 100) < 1e-9);
  assert.ok(Math.abs((70 - z.y) / z.scale - 50) < 1e-9);
  assert.equal(zoomAt(t, 1000, 0, 0).scale, MAX_SCALE);
  assert.equal(zoomAt(t, 1e-6, 0, 0).scale, MIN_SCALE);
});
