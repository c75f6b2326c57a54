/**
 * The explainer at network scale (issue 7): tensors drawn as grids with their shapes, captions
 * that name the operands, the unrolled view agreeing number for number; big graphs (a written-out
 * 2-8-8-1 network, x+x+… with 1,000 and 10,000 terms) opening collapsed and expanding group by
 * group; Fit, the minimap, stepping; all at desktop and phone sizes.
 */
import type { Locator, Page } from '@playwright/test';
import { writtenOutMlpSource } from '../test/support/big-graphs.js';
import { counter, expect, graph, open, outputWire, shot, test } from './fixtures.js';

function link(expr: string, values: Record<string, string | number>): string {
  const p = new URLSearchParams();
  p.set('expr', expr);
  for (const [k, v] of Object.entries(values)) p.set(`v.${k}`, String(v));
  return `#${p.toString()}`;
}

const VECTORIZED = link('sum((W@x)^2)', { W: '[[0.1,0.5],[-0.3,0.8]]', x: '[0.2,0.4]' });
const TWO_LAYER = link('W2@relu(W1@x+b1)+b2', {
  W1: '[[0.1,-0.2],[0.3,0.4],[-0.5,0.6]]',
  x: '[1,2]',
  b1: '[0.1,0.2,0.3]',
  W2: '[[1,-1,0.5]]',
  b2: '[0.2]',
});

/** A 2-8-8-1 ReLU network written out as one expression (579 nodes), with fixed weights. */
function writtenOutMlp(): string {
  const { expression, values } = writtenOutMlpSource();
  return link(expression, values);
}

const MLP = writtenOutMlp();
const SUM_1000 = link(Array.from({ length: 1000 }, () => 'x').join('+'), { x: 1 });
const SUM_10000 = Array.from({ length: 10_000 }, () => 'x').join('+');

/** Milliseconds the page took to build the graph and draw its picture, as it measured them. */
async function openTime(page: Page): Promise<number> {
  return page.evaluate(() => {
    const last = (name: string) => performance.getEntriesByName(name).at(-1)?.duration ?? 0;
    return last('chainrule:graph') + last('chainrule:render');
  });
}

/**
 * The fastest of up to three openings of the page (reloads), stopping at the first one within
 * `budget` ms. A slow algorithm misses the budget every time; a machine busy with other jobs
 * (CI runners are shared) only sometimes, so one good opening shows the page is fast enough.
 */
async function fastestOpen(page: Page, budget: number): Promise<number> {
  let best = await openTime(page);
  for (let i = 1; i < 3 && best >= budget; i++) {
    await page.reload();
    await expect(graph(page)).toBeVisible();
    best = Math.min(best, await openTime(page));
  }
  return best;
}

/** Whether `el` lies inside the graph area (not cut off by its edges). */
async function insideGraphArea(page: Page, el: Locator): Promise<boolean> {
  const view = (await page.locator('.graph-view').boundingBox())!;
  const box = (await el.boundingBox())!;
  return (
    box.x >= view.x - 1 &&
    box.y >= view.y - 1 &&
    box.x + box.width <= view.x + view.width + 1 &&
    box.y + box.height <= view.y + view.height + 1
  );
}

/** Boxes drawn: nodes, stubs and closed groups. */
function drawn(page: Page): Locator {
  return graph(page).locator('g.node, g.group-box');
}

async function cells(wire: Locator, part: 'value' | 'grad'): Promise<string[]> {
  return wire.locator(`g.${part}.grid text.cell`).allTextContents();
}

const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, touch: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, touch: true },
] as const;

for (const size of SIZES) {
  test.describe(`at ${size.name} size`, () => {
    test.use({ viewport: size.viewport, hasTouch: size.touch, isMobile: size.touch });
    const click = (l: Locator) => (size.touch ? l.tap() : l.click());

    test('the vectorized example shows shapes, whole grids and the operands by name', async ({
      page,
    }) => {
      await open(page, VECTORIZED);
      const svgText = await graph(page).locator('g.edges').textContent();
      expect(svgText).not.toContain('…');
      const w = graph(page).locator('g.edge[data-from="n0"]');
      await expect(w.locator('.grid-shape').first()).toHaveText('2×2');
      expect(await cells(w, 'value')).toEqual(['0.10', '0.50', '-0.30', '0.80']);
      const dW = await cells(w, 'grad');
      expect(dW).toEqual(['0.09', '0.18', '0.10', '0.21']);
      const x = graph(page).locator('g.edge[data-from="n1"]');
      await expect(x.locator('.grid-shape').first()).toHaveText('2');
      const dx = await cells(x, 'grad');
      expect(dx).toEqual(['-0.11', '0.64']);
      // The finished frame's caption is dL/dx, with the operand and the shapes.
      await expect(page.locator('.step-caption')).toContainText(
        'dL/dx = Wᵀ · upstream (2×2 · 2×1 → 2×1)',
      );
      expect(await insideGraphArea(page, outputWire(page))).toBe(true);
      if (size.touch) {
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);
      }
      // The card shows the whole arrays, value and gradient side by side, and the VJP by name.
      await click(w.locator('text.cell').first());
      const card = page.locator('.hover-card');
      await expect(card).toContainText('dL/dW = upstream · xᵀ (2×1 · 1×2 → 2×2)');
      await expect(card.locator('.array-grid')).toHaveCount(2);
      await expect(card.locator('.card-row.grad td')).toHaveText(['0.09', '0.18', '0.10', '0.21']);
      await shot(page, `scale-vectorized-${size.name}`);

      // Unrolled: the same numbers, gate by gate.
      await click(page.getByText('Unroll to scalars'));
      await expect(graph(page).locator('g.node.input')).toHaveCount(6);
      const unrolled: string[] = [];
      for (const name of ['W[0,0]', 'W[0,1]', 'W[1,0]', 'W[1,1]']) {
        const id = await graph(page)
          .locator('g.node.input', { has: page.locator('text.name', { hasText: name }) })
          .getAttribute('data-node-id');
        unrolled.push(
          (await graph(page).locator(`g.edge[data-from="${id}"] text.grad`).textContent())!,
        );
      }
      expect(unrolled).toEqual(dW);
      const totals: string[] = [];
      for (const name of ['x[0]', 'x[1]']) {
        const node = graph(page).locator('g.node.input', {
          has: page.locator('text.name', { hasText: name }),
        });
        totals.push((await node.locator('.total .sum').textContent())!);
      }
      expect(totals).toEqual(dx);
      await expect(page.locator('.counter')).toContainText('28 / 28');
      await shot(page, `scale-unrolled-${size.name}`);
    });

    test('a two-layer net W2@relu(W1@x+b1)+b2 shows every shape and whole grids', async ({
      page,
    }) => {
      await open(page, TWO_LAYER);
      expect(await graph(page).locator('g.edges').textContent()).not.toContain('…');
      const shapes = await graph(page).locator('.grid-shape').allTextContents();
      for (const s of ['3×2', '2', '3', '1×3', '1']) expect(shapes).toContain(s);
      const w1 = graph(page).locator('g.edge[data-from="n1"]');
      expect(await cells(w1, 'grad')).toEqual(['0.00', '0.00', '-1.00', '-2.00', '0.50', '1.00']);
      await click(w1.locator('text.cell').first());
      await expect(page.locator('.hover-card')).toContainText(
        'dL/dW1 = upstream · xᵀ (3×1 · 1×2 → 3×2)',
      );
      expect(await insideGraphArea(page, outputWire(page))).toBe(true);
      await shot(page, `scale-two-layer-${size.name}`);
    });

    test('the written-out 2-8-8-1 network opens collapsed and expands layer → neuron → gate', async ({
      page,
    }) => {
      await open(page, MLP);
      // Opens within 1 s (graph + picture, measured by the page), collapsed to a few boxes.
      expect(await fastestOpen(page, 1000)).toBeLessThan(1000);
      const boxes = await drawn(page).count();
      expect(boxes).toBeLessThanOrEqual(150);
      await expect(graph(page).locator('g.group-box[data-kind="layer"]')).toHaveCount(2);
      await expect(graph(page).locator('.note')).toContainText('579 nodes, drawn collapsed');
      expect(await insideGraphArea(page, outputWire(page))).toBe(true);
      await shot(page, `scale-mlp-collapsed-${size.name}`);

      // Layer → neuron → gates.
      await click(graph(page).locator('g.group-box[data-kind="layer"]', { hasText: 'layer 2' }));
      await expect(graph(page).locator('g.frame.layer')).toHaveCount(1);
      await expect(graph(page).locator('g.group-box[data-kind="neuron"]')).toHaveCount(8);
      await click(graph(page).locator('g.group-box[data-kind="neuron"]').first());
      await expect(graph(page).locator('g.frame.neuron')).toHaveCount(1);
      const relu = graph(page).locator('g.node.gate[data-op="relu"]');
      await expect(relu).toHaveCount(1);
      const neuron = await graph(page).locator('g.frame.neuron').getAttribute('data-group-id');
      await click(graph(page).locator(`g.group-box[data-parent="${neuron}"]`));
      await expect(graph(page).locator('g.node.gate[data-op="mul"]')).toHaveCount(8);
      await expect(page).toHaveURL(/open=g\d+%2Cg\d+%2Cg\d+/);
      await shot(page, `scale-mlp-expanded-${size.name}`);

      // Stepping stays under 50 ms (the page measures each frame it applies): the median of 8
      // steps, the best of up to three rounds (see fastestOpen for why).
      let median = Infinity;
      for (let round = 0; round < 3 && median >= 50; round++) {
        await click(page.getByRole('button', { name: 'Reset to the start' }));
        for (let i = 0; i < 8; i++) await click(page.getByRole('button', { name: 'Step forward' }));
        await expect.poll(async () => (await counter(page))[0]).toBe(8);
        const frames = await page.evaluate(() =>
          performance
            .getEntriesByName('chainrule:frame')
            .slice(-8)
            .map((e) => e.duration),
        );
        frames.sort((a, b) => a - b);
        median = Math.min(median, frames[Math.floor(frames.length / 2)]!);
      }
      expect(median).toBeLessThan(50);

      // A group at a time: from the start, the first steps happen inside the closed layer 1
      // and are taken in one go.
      await click(page.getByRole('button', { name: 'Reset to the start' }));
      await click(page.getByRole('button', { name: 'Next group' }));
      await expect.poll(async () => (await counter(page))[0]).toBeGreaterThan(1);

      // Jump to the backward pass: every forward value is there, the seed is on the output.
      await click(page.getByRole('button', { name: 'Jump to the backward pass' }));
      await expect(page.locator('.phase-badge')).toHaveText('← Backward');
      await expect(outputWire(page).locator('text.grad')).toHaveText('1.00');
      await expect(outputWire(page).locator('text.grad')).not.toHaveClass(/hidden/);
    });

    test('every group open: Fit shows it whole and a minimap moves the view', async ({ page }) => {
      await open(page, MLP);
      await click(page.getByRole('button', { name: 'Expand all' }));
      await expect(graph(page).locator('g.node.gate')).toHaveCount(472, { timeout: 20_000 });
      await expect(page.locator('canvas.minimap')).toBeVisible();
      await click(page.getByRole('button', { name: 'Fit' }));
      expect(await insideGraphArea(page, graph(page))).toBe(true);
      expect(await insideGraphArea(page, outputWire(page))).toBe(true);
      await shot(page, `scale-mlp-all-open-${size.name}`);
      // Zoom in, then a click on the minimap's corner moves the view there.
      for (let i = 0; i < 6; i++) await click(page.getByRole('button', { name: 'Zoom in' }));
      const content = page.locator('.graph-content');
      const zoomed = await content.evaluate((el) => el.style.transform);
      const map = (await page.locator('canvas.minimap').boundingBox())!;
      await page.mouse.click(map.x + 4, map.y + 4);
      expect(await content.evaluate((el) => el.style.transform)).not.toBe(zoomed);
    });

    test('x+x+… with 1,000 terms opens collapsed with x as stubs, and opens part by part', async ({
      page,
    }) => {
      await open(page, SUM_1000);
      expect(await fastestOpen(page, 1000)).toBeLessThan(1000);
      expect(await drawn(page).count()).toBeLessThanOrEqual(150);
      await expect(graph(page).locator('g.group-box[data-kind="sum"]')).toHaveCount(32);
      await expect(graph(page).locator('g.node.stub')).toHaveCount(32);
      await expect(page.locator('canvas.minimap')).toBeVisible();
      expect(await insideGraphArea(page, outputWire(page))).toBe(true);
      await shot(page, `scale-sum1000-${size.name}`);
      await click(graph(page).locator('g.group-box[data-kind="sum"]').first());
      await expect(graph(page).locator('g.node.gate[data-op="add"]')).toHaveCount(32);
      expect(await drawn(page).count()).toBeLessThanOrEqual(150);
    });

    test('x+x+… with 10,000 terms: refused as a link, collapsed with a message when typed', async ({
      page,
    }) => {
      const hash = link(SUM_10000, { x: 1 });
      await page.goto(`/${hash}`);
      await expect(page.locator('.notice')).toContainText('longer than');
      await page.locator('#expr').fill(SUM_10000);
      await expect(graph(page).locator('.note')).toContainText('10,000 nodes, drawn collapsed', {
        timeout: 30_000,
      });
      expect(await drawn(page).count()).toBeLessThanOrEqual(150);
      expect(await insideGraphArea(page, outputWire(page))).toBe(true);
      await shot(page, `scale-sum10000-${size.name}`);
    });
  });
}
