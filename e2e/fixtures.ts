/**
 * Shared setup of the browser tests: every test fails on a console error, an uncaught page
 * error or a dialog (a hostile link must never get to call alert), and helpers find the number
 * on a wire through the SVG's data attributes, never through coordinates.
 */
import { test as base, expect, type Locator, type Page } from '@playwright/test';

export { expect };

export const test = base.extend<{ problems: string[] }>({
  problems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('dialog', (d) => {
        problems.push(`dialog: ${d.type()} ${d.message()}`);
        void d.dismiss();
      });
      await use(problems);
      expect(problems, 'no console errors, page errors or dialogs').toEqual([]);
    },
    { auto: true },
  ],
});

/** Screenshots go to test-results/ (gitignored), to be looked at by a person. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png` });
}

/** The graph's SVG on the page. */
export function graph(page: Page): Locator {
  return page.locator('.graph-host svg');
}

/** The id of the input (or constant) node drawn with this label. */
export async function nodeId(page: Page, label: string): Promise<string> {
  const id = await graph(page)
    .locator('g.node')
    .filter({ has: page.locator('text.name', { hasText: new RegExp(`^${label}$`) }) })
    .first()
    .getAttribute('data-node-id');
  expect(id, `a node labelled ${label}`).not.toBeNull();
  return id!;
}

/** The wire leaving the input labelled `label` (its first use). */
export async function wireFrom(page: Page, label: string): Promise<Locator> {
  const id = await nodeId(page, label);
  return graph(page).locator(`g.edge[data-from="${id}"]`).first();
}

export function outputWire(page: Page): Locator {
  return graph(page).locator('g.edge[data-edge-id="output"]');
}

/** The text of the forward value and gradient on a wire, '' for a hidden one. */
export async function numbers(wire: Locator): Promise<{ value: string; grad: string }> {
  const read = async (sel: string) => {
    const el = wire.locator(sel).first();
    return (await el.isVisible()) ? ((await el.textContent()) ?? '').trim() : '';
  };
  return { value: await read('text.value'), grad: await read('text.grad') };
}

export async function counter(page: Page): Promise<[number, number]> {
  const text = (await page.locator('.counter').textContent()) ?? '';
  const [k, n] = text.split('/').map((s) => Number(s.trim()));
  return [k!, n!];
}

/**
 * Opens the page and waits for the graph to be drawn. The page itself opens at step 0 (with a
 * hint to press Play); most tests look at the finished picture, so unless `start` is asked for
 * or the hash names its own step, the link asks for `step=end`.
 */
export async function open(page: Page, hash = '', { start = false } = {}): Promise<void> {
  const text = hash.replace(/^#/, '');
  const atEnd = !start && !/(^|&)step=/.test(text);
  const full = atEnd ? `#${text}${text === '' ? '' : '&'}step=end` : hash;
  await page.goto(`/${full}`);
  await expect(graph(page)).toBeVisible();
}
