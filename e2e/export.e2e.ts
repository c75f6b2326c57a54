import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { findExample } from '../src/expr/index.js';
import { schedule, snapshotExpression } from '../src/graph/index.js';
import { descendants, hasClass, parseXml } from '../test/support/xml.js';
import { expect, open, shot, test } from './fixtures.js';

const sigmoid = findExample('sigmoid')!;
const steps = schedule(snapshotExpression(sigmoid.expression, sigmoid.values)).length;

async function save(page: Page, id: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`[data-export="${id}"]`).click(),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: await readFile(path) };
}

/** Opens the export panel (a link opened on the same page keeps it as it was). */
async function showExports(page: Page): Promise<void> {
  const panel = page.locator('details.export');
  if ((await panel.getAttribute('open')) === null) await panel.locator('summary').click();
  await expect(panel).toHaveAttribute('open', '');
}

test('every export downloads a valid file', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Reset to the start' }).click();
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step forward' }).click();
  await showExports(page);
  await shot(page, '14-export');

  const svg = await save(page, 'svg');
  expect(svg.name).toBe('sigmoid-step-3.svg');
  const doc = parseXml(svg.bytes.toString('utf8'));
  expect(doc.name).toBe('svg');
  // The current frame: three gates computed, so the output value is still hidden.
  const hidden = descendants(doc).filter((e) => hasClass(e, 'hidden'));
  expect(hidden.length).toBeGreaterThan(0);

  const png = await save(page, 'png');
  expect(png.name).toBe('sigmoid-step-3.png');
  expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  expect(png.bytes.readUInt32BE(16)).toBeGreaterThan(100);

  const animated = await save(page, 'animated-svg');
  expect(animated.name).toBe('sigmoid-animated.svg');
  const anim = animated.bytes.toString('utf8');
  const animDoc = parseXml(anim);
  expect(animDoc.name).toBe('svg');
  // One keyframe rule per step of the schedule: the whole forward and backward pass.
  expect(anim.match(/@keyframes show-/g)?.length).toBe(steps);
  expect(anim).not.toContain('<script');

  const gif = await save(page, 'gif');
  expect(gif.name).toBe('sigmoid.gif');
  expect(gif.bytes.subarray(0, 6).toString('latin1')).toMatch(/^GIF8[79]a$/);
  expect(gif.bytes.readUInt16LE(6)).toBeGreaterThan(100);
  expect(gif.bytes[gif.bytes.length - 1]).toBe(0x3b);
  // One graphic control block per frame: the start and one frame per step.
  const frames = gif.bytes.toString('latin1').split('\x21\xf9\x04').length - 1;
  expect(frames).toBe(steps + 1);

  const dot = await save(page, 'dot');
  expect(dot.name).toBe('sigmoid.dot');
  expect(dot.bytes.toString('utf8')).toMatch(/^digraph /);

  const json = await save(page, 'json');
  expect(json.name).toBe('sigmoid.json');
  const snapshot = JSON.parse(json.bytes.toString('utf8')) as { version: number; nodes: unknown[] };
  expect(snapshot.version).toBe(1);
  expect(snapshot.nodes.length).toBeGreaterThan(10);
  await expect(page.locator('.export [role="status"]')).toContainText('Saved sigmoid.json');
});

test('a clean export has no highlight and no caption; names follow the example and the step', async ({
  page,
}) => {
  await open(page, '#step=5');
  await showExports(page);
  const marked = await save(page, 'svg');
  expect(marked.name).toBe('sigmoid-step-5.svg');
  const markedDoc = descendants(parseXml(marked.bytes.toString('utf8')));
  expect(markedDoc.filter((e) => hasClass(e, 'highlight')).length).toBeGreaterThan(0);
  expect(markedDoc.filter((e) => hasClass(e, 'caption')).length).toBe(1);

  await page.getByLabel(/Clean picture/).check();
  const cleanSvg = await save(page, 'svg');
  expect(cleanSvg.name).toBe('sigmoid-step-5-clean.svg');
  const cleanDoc = descendants(parseXml(cleanSvg.bytes.toString('utf8')));
  expect(cleanDoc.filter((e) => hasClass(e, 'highlight'))).toEqual([]);
  expect(cleanDoc.filter((e) => hasClass(e, 'caption'))).toEqual([]);
  // Still this step's picture: what is not computed yet stays hidden.
  expect(cleanDoc.filter((e) => hasClass(e, 'hidden')).length).toBeGreaterThan(0);
  const cleanPng = await save(page, 'png');
  expect(cleanPng.name).toBe('sigmoid-step-5-clean.png');
  expect(cleanPng.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');

  // The finished picture of an expression of one's own: named by its safe characters.
  await open(page, '#expr=(a%2Bb)*c&v.a=1&v.b=2&v.c=3&step=end');
  await showExports(page);
  await page.getByLabel(/Clean picture/).uncheck(); // a setting of the panel, kept across links
  expect((await save(page, 'png')).name).toBe('a-b-c.png');
});
