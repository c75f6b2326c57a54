/**
 * The SVG the page puts into its DOM does not rest on the renderer's escaping alone (issue 10):
 * hostile labels typed into the page are refused and shown as text, and the page's own
 * sanitizer — the module itself, run in the browser — drops scripts, foreignObject, links,
 * animations and event handlers from any SVG, keeping labels as text.
 */
import { readFile } from 'node:fs/promises';
import { transform } from 'esbuild';
import { autoView, toSnapshot } from '../src/graph/index.js';
import { mul, tensor } from '../src/index.js';
import { drawSvg } from '../src/viz/index.js';
import { expect, graph, open, test } from './fixtures.js';

const HOSTILE = [
  '<script>window.__pwned=1</script>',
  '<svg onload="window.__pwned=2">',
  '</text><script>window.__pwned=3</script><text>',
  '"><img src=x onerror="window.__pwned=4">',
];

/** What the page would see if some escaping failed: every trick at once. */
const RAW = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
  width="200" height="100" onload="window.__pwned=10">
  <script>window.__pwned=11</script>
  <g class="edge" data-edge-id="e0" onclick="window.__pwned=12" style="background:url(javascript:x)">
    <text class="name" x="1" y="1">&lt;script&gt;label&lt;/script&gt;</text>
    <path class="wire" d="M0 0L10 10" onmouseover="window.__pwned=13"/>
  </g>
  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">
    <img src="x" onerror="window.__pwned=14"/></div></foreignObject>
  <a href="javascript:window.__pwned=15"><text>link</text></a>
  <use xlink:href="#x" href="data:image/svg+xml,&lt;svg onload=alert(1)&gt;"/>
  <animate attributeName="href" to="javascript:window.__pwned=16"/>
  <set attributeName="onmouseover" to="window.__pwned=17"/>
  <image href="x" onerror="window.__pwned=18"/>
  <iframe src="javascript:window.__pwned=19"/>
  <rect width="5" height="5" fill="javascript:alert(1)"/>
  <style>@import url(https://example.com/x.css); .a{}</style>
</svg>`;

test('hostile text typed as an expression, a variable or a gate name is refused and shown as text', async ({
  page,
}) => {
  await open(page);
  const scripts = await page.locator('script').count();
  for (const text of HOSTILE) {
    await page.locator('#expr').fill(`x * ${text}`);
    await expect(page.locator('#expr-error')).toContainText(text.slice(0, 8));
  }
  await page.locator('.gate-maker summary').click();
  for (const text of HOSTILE) {
    await page.locator('#gate-name').fill(text);
    await expect(page.locator('.gate-maker .field-error')).toContainText(text);
  }
  await page.locator('#gate-name').fill('softsign');
  await page
    .locator('#gate-forward')
    .fill('x/(1+abs(x)) + </text><script>window.__pwned=5</script>');
  await expect(page.locator('.gate-maker .field-error')).toContainText('</text><script>');
  // Links bring the same text: refused, shown in the notice as text.
  await page.goto(`/#gates=${encodeURIComponent(`${HOSTILE[0]}(x) = x; d/dx = 1`)}`);
  await page.reload();
  await expect(page.locator('.notice')).toContainText(HOSTILE[0]!);
  expect(await page.locator('script').count()).toBe(scripts);
  expect(await page.locator('img, foreignObject').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBe(
    undefined,
  );
  await expect(graph(page)).toBeVisible();
});

test('the page sanitizer keeps labels as text and drops every active part of an SVG', async ({
  page,
  problems,
}) => {
  await open(page);
  // The page's own module, compiled as it is, run in the page.
  const source = await readFile('web/sanitize-svg.ts', 'utf8');
  const { code } = await transform(source, {
    loader: 'ts',
    format: 'iife',
    globalName: '__sanitize',
  });
  await page.evaluate(code);

  // Labels the renderer escaped: they come out as the same text, nothing else.
  const x = tensor(2, { requiresGrad: true, name: HOSTILE[2]! });
  const y = tensor(3, { requiresGrad: true, name: HOSTILE[1]! });
  const rendered = drawSvg(autoView(toSnapshot(mul(x, y))), {}, {});

  await page.evaluate(
    ({ rendered, raw }) => {
      const w = window as unknown as {
        __sanitize: { sanitizeSvg(text: string): SVGSVGElement };
      };
      const host = document.createElement('div');
      host.id = 'sanitized';
      document.body.append(host);
      host.append(w.__sanitize.sanitizeSvg(rendered), w.__sanitize.sanitizeSvg(raw));
    },
    { rendered, raw: RAW },
  );
  await page.waitForTimeout(300);
  // Chromium tries the hostile document's inline handlers while it parses it (inert, and refused
  // by the page's CSP: console errors, nothing runs). The sanitized copy in the page has none.
  const refusedWhileParsing = problems.filter((p) => /inline event handler/.test(p)).length;
  problems.splice(0, problems.length, ...problems.filter((p) => !/inline event handler/.test(p)));
  const outcome = await page.evaluate(() => {
    const host = document.getElementById('sanitized')!;
    const [clean, dirty] = [...host.children] as [SVGSVGElement, SVGSVGElement];
    // Give handlers and animations every chance to fire.
    for (const el of host.querySelectorAll('*')) {
      el.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
      el.dispatchEvent(new Event('load'));
    }
    const all = [...host.querySelectorAll('*')];
    const result = {
      labels: [...clean.querySelectorAll('text.name')].map((t) => t.textContent),
      dirtyText: dirty.querySelector('text.name')?.textContent ?? null,
      elements: [...new Set(all.map((e) => e.localName))].sort(),
      handlers: all.flatMap((e) =>
        [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name),
      ),
      urls: all.flatMap((e) =>
        [...e.attributes]
          .filter((a) => /javascript:|data:|url\(/i.test(a.value))
          .map((a) => `${a.name}=${a.value}`),
      ),
      styles: [...host.querySelectorAll('style')].map((s) => s.textContent),
      styleAttributes: all.filter((e) => e.hasAttribute('style')).length,
      hooks: dirty.querySelector('[data-edge-id="e0"] .wire') !== null,
    };
    host.remove();
    return result;
  });
  await page.waitForTimeout(300);
  expect(problems, 'no handler of the sanitized SVG was even tried').toEqual([]);
  expect(refusedWhileParsing).toBeGreaterThanOrEqual(0);
  // (Each label is its full text in a <title> and, cut to fit, on the picture.)
  expect(outcome.labels).toHaveLength(2);
  for (const label of [HOSTILE[2]!, HOSTILE[1]!]) expect(outcome.labels.join('|')).toContain(label);
  expect(outcome.dirtyText).toBe('<script>label</script>');
  for (const banned of [
    'script',
    'foreignobject',
    'foreignObject',
    'a',
    'use',
    'animate',
    'set',
    'image',
    'iframe',
    'img',
    'div',
  ])
    expect(outcome.elements).not.toContain(banned);
  expect(outcome.handlers).toEqual([]);
  expect(outcome.urls).toEqual([]);
  expect(outcome.styles.join('')).not.toContain('@import');
  expect(outcome.styleAttributes).toBe(0);
  // What the page needs survives: classes, data hooks, geometry.
  expect(outcome.hooks).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBe(
    undefined,
  );

  // A text that is not an SVG document is refused, not inserted.
  const refused = await page.evaluate(() => {
    const w = window as unknown as { __sanitize: { sanitizeSvg(text: string): SVGSVGElement } };
    try {
      w.__sanitize.sanitizeSvg('<html><body><script>1</script></body></html>');
      return 'inserted';
    } catch (e) {
      return (e as Error).message;
    }
  });
  expect(refused).toContain('not an SVG document');
});
