/**
 * The whole lecture in the explainer (issue 9, page side): the page opens at step 0 with a hint,
 * `#step=` is honoured; the quiz accepts honest arithmetic from the factors it shows and every
 * printed equation multiplies out; the gradient check prints true relative errors and colours
 * the graph; a learner's own gate is checked, drawn, animated, quizzed and kept in the link;
 * named steps label their wires; embed mode; errors that wrap.
 */
import type { Page } from '@playwright/test';
import { findExample } from '../src/expr/index.js';
import { schedule, snapshotExpression } from '../src/graph/index.js';
import { VERDICT_COLOURS } from '../src/viz/index.js';
import { nextQuestion, questionEdge } from '../web/quiz.js';
import { counter, expect, graph, numbers, open, outputWire, shot, test } from './fixtures.js';

const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

function link(expr: string, values: Record<string, string | number>, extra = ''): string {
  const p = new URLSearchParams();
  p.set('expr', expr);
  for (const [k, v] of Object.entries(values)) p.set(`v.${k}`, String(v));
  return `#${p.toString()}${extra}`;
}

function rgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
}

/** Nothing of the page sticks out sideways (what does not fit wraps). */
async function noSidewaysOverflow(page: Page, selector: string): Promise<void> {
  const over = await page.locator(selector).evaluateAll((els) =>
    els.map((el) => ({
      inner: el.scrollWidth - el.clientWidth,
      right: el.getBoundingClientRect().right - document.documentElement.clientWidth,
    })),
  );
  expect(over.length).toBeGreaterThan(0);
  for (const o of over) {
    expect(o.inner, selector).toBeLessThanOrEqual(1);
    expect(o.right, selector).toBeLessThanOrEqual(1);
  }
}

for (const size of SIZES) {
  test.describe(`at ${size.name} size`, () => {
    test.use({ viewport: size.viewport });

    test('the page opens at step 0 with a hint to press Play; #step= opens where it says', async ({
      page,
    }) => {
      await page.goto('/');
      await expect(graph(page)).toBeVisible();
      const [k, n] = await counter(page);
      expect(k).toBe(0);
      expect(n).toBe(21);
      await expect(page.locator('.play-hint')).toBeVisible();
      await expect(page.locator('.play-hint')).toContainText('Play');
      // Only the inputs are known: the output waits for the forward pass.
      expect((await numbers(outputWire(page))).value).toBe('');
      await shot(page, `lecture-start-${size.name}`);
      await page.getByRole('button', { name: 'Play' }).click();
      await expect.poll(async () => (await counter(page))[0]).toBeGreaterThan(0);
      await expect(page.locator('.play-hint')).toHaveCount(0);

      await open(page, '#step=5');
      expect(await counter(page)).toEqual([5, 21]);
      await expect(page.locator('.play-hint')).toHaveCount(0);
      await open(page, '#step=end');
      expect(await counter(page)).toEqual([21, 21]);
      await expect.poll(async () => (await numbers(outputWire(page))).value).toBe('0.73');
    });

    test('the gradient check prints true relative errors, wraps, and colours the graph', async ({
      page,
    }) => {
      await open(page);
      await page.locator('.gradcheck summary').click();
      const rows = page.locator('.gradcheck .check-row');
      await expect(rows).toHaveCount(5);
      // Measured relative errors (never a rounded 0), marked below noise where they are.
      for (const text of await rows.locator('.rel-error').allTextContents())
        expect(text).toMatch(/^(\d(\.\d)?e-\d+|0)( \(below noise\))?$/);
      expect((await rows.locator('.rel-error').allTextContents()).join(' ')).toMatch(/e-/);
      await noSidewaysOverflow(page, '.gradcheck');
      // On the graph: every checked wire and gate in the verdict's colour.
      const happy = graph(page).locator('g.edge.checked.verdict-happy');
      expect(await happy.count()).toBeGreaterThan(8);
      await expect(happy.first().locator('.wire')).toHaveCSS('stroke', rgb(VERDICT_COLOURS.happy));
      await expect(graph(page).locator('g.node.gate.checked.verdict-happy').first()).toBeVisible();
      await page.locator('.gradcheck').scrollIntoViewIfNeeded();
      await shot(page, `lecture-gradcheck-${size.name}`);

      // At a kink: "—" and the reason, and the wire drawn as not compared.
      await open(page, link('relu(x)*y', { x: 0, y: 2 }));
      // (The panel stays open across a new link.)
      const x = page.locator('.check-row[data-input="x"]');
      await expect(x.locator('.rel-error')).toHaveText('— (at a kink)');
      await expect(x.locator('.kink-why')).toContainText('two sides of a kink');
      await expect(graph(page).locator('g.checked.verdict-kink').first()).toBeVisible();
      await noSidewaysOverflow(page, '.gradcheck');
    });

    test('a softsign gate of your own passes the check, is drawn, animates and is quizzed', async ({
      page,
    }) => {
      await open(page);
      await page.locator('.gate-maker summary').click();
      // The panel opens with softsign filled in; its check runs at once.
      await expect(page.locator('#gate-name')).toHaveValue('softsign');
      await expect(page.locator('.gate-check')).toHaveAttribute('data-passed', 'true');
      await expect(page.locator('.gate-check')).toContainText('checks out');

      // A wrong derivative is caught and explained.
      await page.locator('#gate-derivative').fill('1/(1+abs(x))');
      await expect(page.locator('.gate-check')).toHaveAttribute('data-passed', 'false');
      await expect(page.locator('.gate-check')).toContainText('is wrong');
      await expect(page.locator('.gate-check')).toContainText('slope of softsign');
      await page.locator('#gate-derivative').fill('1/(1+abs(x))^2');
      await expect(page.locator('.gate-check')).toHaveAttribute('data-passed', 'true');

      await page.getByRole('button', { name: 'Add gate', exact: true }).click();
      await expect(page.locator('.gate-list li[data-gate="softsign"]')).toContainText('✓');
      await page.getByRole('button', { name: /Use it/ }).click();
      await expect(page.locator('#expr')).toHaveValue('softsign(w*x + b)');
      const gate = graph(page).locator('g.node.gate[data-op="softsign"]');
      await expect(gate).toHaveCount(1);
      await expect(gate.locator('text')).toContainText('softsign');
      await page.locator('.gate-maker').scrollIntoViewIfNeeded();
      await shot(page, `lecture-gate-${size.name}`);

      // It animates: forward to the end, the gradients flow back through it.
      await page.getByRole('button', { name: 'Reset to the start' }).click();
      const n = (await counter(page))[1];
      for (let i = 0; i < n; i++) await page.getByRole('button', { name: 'Step forward' }).click();
      await expect.poll(async () => (await numbers(outputWire(page))).value).toBe('0.67');
      // softsign(w·x + b) at 1·1 + 1 = 2: 2/3; dsoftsign = 1/9 flows to w, x and b.
      const into = graph(page).locator(
        `g.edge[data-to="${await gate.getAttribute('data-node-id')}"]`,
      );
      await expect(into.locator('text.grad')).toHaveText('0.11');

      // It is kept in the link: a reload restores gate and expression.
      await expect.poll(() => page.evaluate(() => location.hash)).toContain('gates=softsign');
      await page.reload();
      await expect(graph(page).locator('g.node.gate[data-op="softsign"]')).toHaveCount(1);

      // And quizzed: its wire is a question, answered with the learner's derivative.
      await page.getByLabel('Quiz: fill in the gradients').check();
      await expect(page.locator('.quiz .question')).toContainText('softsign');
      await page.getByLabel(/dL\/d/).fill('0.11');
      await page.getByRole('button', { name: 'Check' }).click();
      await expect(page.locator('.quiz .feedback')).toContainText('✓ Right');
    });

    test('a wrong derivative in a gate of your own shows up on the graph', async ({ page }) => {
      const bad = 'bad(x) = x^2; d/dx = 3*x';
      await open(page, link('bad(w)*2', { w: 1.5 }, `&gates=${encodeURIComponent(bad)}`));
      await expect(graph(page).locator('g.node.gate[data-op="bad"]')).toHaveCount(1);
      await page.locator('.gradcheck summary').click();
      await expect(page.locator('.check-row[data-input="w"] .verdict')).toContainText('wrong');
      const wrong = graph(page).locator('g.edge.checked.verdict-wrong');
      await expect(wrong.first()).toBeVisible();
      await expect(wrong.first().locator('.wire')).toHaveCSS('stroke', rgb(VERDICT_COLOURS.wrong));
      await expect(page.locator('.check-summary')).toContainText('coloured wires');

      // Inside a named step, closed: the step's box takes the worst verdict inside it.
      await open(
        page,
        link('h = bad(w) + w; h*2', { w: 1.5 }, `&gates=${encodeURIComponent(bad)}`),
      );
      await expect(page.locator('.check-row[data-input="w"] .verdict')).toContainText('wrong');
      await page.getByRole('button', { name: 'Collapse' }).click();
      const box = graph(page).locator('g.group-box.checked.verdict-wrong');
      await expect(box).toHaveCount(1);
      await expect(box.locator('rect.box')).toHaveCSS('stroke', rgb(VERDICT_COLOURS.wrong));
      await shot(page, `lecture-gate-closed-${size.name}`);
    });

    test('named steps label their wires: the softmax classifier shows W, x, s and y', async ({
      page,
    }) => {
      const softmax = findExample('softmax')!;
      await open(page);
      await page.locator('[data-example="softmax"]').click();
      await expect(page.locator('#expr')).toHaveValue(softmax.expression);
      await page.locator('.scrub input').fill('1000');
      for (const name of ['W', 'x', 'y'])
        await expect(
          graph(page).locator('text.name', { hasText: new RegExp(`^${name}$`) }),
        ).toHaveCount(1);
      // The named step s is written on the wire leaving its gate.
      await expect(graph(page).locator('g.edge text', { hasText: /^s: / }).first()).toBeVisible();
      await shot(page, `lecture-softmax-${size.name}`);

      // Typed over several lines, the staged sigmoid names dot and f on their wires.
      await page.locator('#expr').fill('dot = w0*x0 + w1*x1 + w2\nf = 1/(1+exp(-dot))');
      await expect(
        graph(page)
          .locator('g.edge text', { hasText: /^dot = / })
          .first(),
      ).toBeVisible();
      await expect(page.locator('.field-error')).toHaveCount(0);
    });

    test('a long parse error wraps instead of being clipped', async ({ page }) => {
      await open(page);
      await page.locator('#expr').fill(`${'w0*x0 + '.repeat(30)}(w1 * x1`);
      const error = page.locator('#expr-error');
      await expect(error).toBeVisible();
      await noSidewaysOverflow(page, '#expr-error');
      // The excerpt scrolls rather than wraps: its carets stay under the column they mark, and
      // they are in view.
      await page.locator('#expr').fill(`${'w0*x0 + '.repeat(30)}foo(w1 * x1)`);
      await expect(error).toContainText("unknown function 'foo'");
      const caret = await error.locator('.excerpt').evaluate((el) => {
        const text = el.firstChild!;
        const carets = el.querySelector('.carets')!;
        const column = el.textContent.split('\n')[1]!.search(/\^/);
        const range = document.createRange();
        range.setStart(text, column);
        range.setEnd(text, column + 1);
        const box = el.getBoundingClientRect();
        const at = carets.getBoundingClientRect().left;
        return { under: range.getBoundingClientRect().left, at, box, marked: range.toString() };
      });
      expect(Math.abs(caret.at - caret.under)).toBeLessThanOrEqual(1);
      expect(caret.marked).toBe('f');
      expect(caret.at).toBeGreaterThanOrEqual(caret.box.left);
      expect(caret.at).toBeLessThan(caret.box.right);
      await error.scrollIntoViewIfNeeded();
      await shot(page, `lecture-error-${size.name}`);
    });
  });
}

test('the quiz accepts −0.60 and −0.59 for dx1 on the sigmoid neuron and rejects −0.50', async ({
  page,
}) => {
  const ex = findExample('sigmoid')!;
  const snapshot = snapshotExpression(ex.expression, ex.values);
  const steps = schedule(snapshot);
  const x1 = snapshot.nodes.find((n) => n.label === 'x1')!.id;
  const before: number[] = [];
  for (let i = nextQuestion(snapshot, steps, 0); i < steps.length;) {
    const e = questionEdge(snapshot, steps[i])!;
    if (e.from === x1) break;
    before.push(e.grad as number);
    i = nextQuestion(snapshot, steps, i + 1);
  }
  for (const right of ['-0.59', '−0.60']) {
    await page.goto('about:blank'); // a fresh page: the quiz starts from its first question
    await open(page);
    await page.getByLabel('Quiz: fill in the gradients').check();
    const input = page.getByLabel(/dL\/d/);
    const question = page.locator('.quiz .question');
    for (const g of before) {
      // Each answer moves the quiz on: wait for that before typing the next one.
      const asked = await question.textContent();
      await input.fill(g.toFixed(2));
      await input.press('Enter');
      await expect(question).not.toHaveText(asked ?? '');
    }
    await expect(page.locator('.quiz .question')).toContainText('x1');
    await page.getByRole('button', { name: 'Hint' }).click();
    // The hint's factors multiply out to the answer: −3.00 × 0.197 = −0.591 → −0.59.
    const hint = (await page.locator('.hint-text').textContent()) ?? '';
    const [, l, u] = /local gradient = (-?[\d.]+), upstream gradient = (-?[\d.]+)/.exec(hint)!;
    expect((Number(l) * Number(u)).toFixed(2)).toBe('-0.59');
    await input.fill('-0.50');
    await input.press('Enter');
    await expect(page.locator('.quiz .feedback')).toContainText('Not quite');
    await input.fill(right);
    await input.press('Enter');
    await expect(page.locator('.quiz .feedback')).toContainText('✓ Right');
  }
  await expect(page.locator('.quiz .feedback')).toContainText('rounded numbers');
});

test('every equation the page prints multiplies out at the precision shown', async ({ page }) => {
  // Captions of every backward step, and the hover card of every wire, at 2 and 1 decimals.
  const check = (text: string) => {
    const product = /(-?[\d.]+)\)? × \(?(-?[\d.]+)\)? (=|≈) \(?(-?[\d.]+)/.exec(text);
    if (product && product[3] === '=') {
      const decimals = product[4]!.split('.')[1]?.length ?? 0;
      const exact = Number(product[1]) * Number(product[2]);
      expect(Math.abs(exact - Number(product[4])), text).toBeLessThanOrEqual(
        0.5 * 10 ** -decimals + 1e-12,
      );
      return 1;
    }
    return 0;
  };
  let checked = 0;
  for (const precision of [2, 1]) {
    await open(page, `#precision=${precision}&step=0`);
    const n = (await counter(page))[1];
    for (let i = 0; i < n; i++) {
      await page.getByRole('button', { name: 'Step forward' }).click();
      checked += check((await page.locator('.step-caption .caption-text').textContent()) ?? '');
    }
    for (const wire of await graph(page).locator('g.edge:not(.output)').all()) {
      await wire.locator('text.value').hover();
      checked += check((await page.locator('.hover-card .equation').textContent()) ?? '');
    }
  }
  expect(checked).toBeGreaterThan(20);
});

test('embed mode shows only the player and the graph, and fits a 480×320 frame', async ({
  page,
}) => {
  await page.setViewportSize({ width: 480, height: 320 });
  await page.goto('/#embed=1');
  await expect(graph(page)).toBeVisible();
  for (const hidden of ['.top', '.editor', '.gallery', '.gradcheck', '.export', '.gate-maker'])
    await expect(page.locator(hidden)).toHaveCount(0);
  await expect(page.getByLabel('Quiz: fill in the gradients')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Play' })).toBeInViewport();
  const view = (await page.locator('.graph-view').boundingBox())!;
  expect(view.height).toBeGreaterThan(120);
  expect(view.y + view.height).toBeLessThanOrEqual(320 + 1);
  const scroll = await page.evaluate(() => ({
    x: document.documentElement.scrollWidth - innerWidth,
    y: document.documentElement.scrollHeight - innerHeight,
  }));
  expect(scroll.x).toBeLessThanOrEqual(0);
  expect(scroll.y).toBeLessThanOrEqual(0);
  await shot(page, 'lecture-embed-480x320');
  await page.getByRole('button', { name: 'Step forward' }).click();
  expect((await counter(page))[0]).toBe(1);
  // The link out opens the same state as the full page.
  await expect(page.locator('.embed-open')).toHaveAttribute('href', /^#expr=.*step=1/);
  await expect(page.locator('.embed-open')).not.toHaveAttribute('href', /embed=1/);

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/#embed=1&step=end');
  await expect(page.locator('.editor')).toHaveCount(0);
  await expect.poll(async () => (await numbers(outputWire(page))).value).toBe('0.73');
  await shot(page, 'lecture-embed-desktop');
});
