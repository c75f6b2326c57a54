import {
  counter,
  expect,
  graph,
  numbers,
  open,
  outputWire,
  shot,
  test,
  wireFrom,
} from './fixtures.js';

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('the page fits the screen and the animation works by touch', async ({ page }) => {
    await open(page);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.locator('.graph-view')).toBeInViewport();
    await expect(page.getByRole('button', { name: 'Play' })).toBeInViewport();
    await expect.poll(async () => (await numbers(outputWire(page))).value).toBe('0.73');
    await shot(page, '15-phone');

    await page.getByRole('button', { name: 'Reset to the start' }).tap();
    await page.getByRole('button', { name: 'Step forward' }).tap();
    await expect.poll(async () => (await counter(page))[0]).toBe(1);
    // A tap on a wire opens its card.
    await page.getByRole('button', { name: 'Step back' }).tap();
    await page.getByRole('button', { name: 'Fit' }).tap();
    const x0 = await wireFrom(page, 'x0');
    await x0.locator('text.value').tap();
    await expect(page.locator('.hover-card')).toContainText('wire x0');
    await shot(page, '16-phone-card');
    await page.locator('#expr').scrollIntoViewIfNeeded();
    await shot(page, '17-phone-editor');
  });
});

test('zoom buttons and fit change the view, not the picture', async ({ page }) => {
  await open(page);
  const content = page.locator('.graph-content');
  await page.getByRole('button', { name: 'Fit' }).click();
  const before = await content.evaluate((el) => el.style.transform);
  await page.getByRole('button', { name: 'Zoom in' }).click();
  const zoomed = await content.evaluate((el) => el.style.transform);
  expect(zoomed).not.toBe(before);
  await page.getByRole('button', { name: 'Fit' }).click();
  expect(await content.evaluate((el) => el.style.transform)).toBe(before);
  // Drag to pan.
  const box = (await page.locator('.graph-view').boundingBox())!;
  await page.mouse.move(box.x + 40, box.y + 40);
  await page.mouse.down();
  await page.mouse.move(box.x + 140, box.y + 90, { steps: 5 });
  await page.mouse.up();
  expect(await content.evaluate((el) => el.style.transform)).not.toBe(before);
  // The wheel zooms.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const panned = await content.evaluate((el) => el.style.transform);
  await page.mouse.wheel(0, -300);
  await expect.poll(() => content.evaluate((el) => el.style.transform)).not.toBe(panned);
  expect(await graph(page).count()).toBe(1);
});

test('every control is reachable and named for the keyboard', async ({ page }) => {
  await open(page);
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, textarea')]
      .filter((el) => {
        const e = el as HTMLInputElement;
        const label = e.labels?.length ? e.labels[0]!.textContent : '';
        return !(e.getAttribute('aria-label') || label?.trim() || e.textContent?.trim());
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  expect(unnamed).toEqual([]);
  // Tab goes from the expression to the values, and on into the graph's wires.
  await page.locator('#expr').focus();
  await page.keyboard.press('Tab');
  await expect(page.locator('#var-w0')).toBeFocused();
});

test('a 300-node graph opens collapsed, renders whole on request and animates', async ({
  page,
}) => {
  await open(page);
  // x1*w1 + … + x100*w100: 200 inputs, 100 × gates, 99 + gates — one dot product.
  const terms = Array.from({ length: 100 }, (_, i) => `x${i + 1}*w${i + 1}`);
  await page.locator('#expr').fill(terms.join(' + '));
  // Collapsed: the dot product's four runs of 32 terms as boxes (the page's first view).
  await expect(graph(page).locator('g.group-box[data-kind="sum"]')).toHaveCount(4, {
    timeout: 30_000,
  });
  expect(await graph(page).locator('g.node, g.group-box').count()).toBeLessThanOrEqual(150);
  await page.getByRole('button', { name: 'Expand all' }).click();
  await expect(graph(page).locator('g.node')).toHaveCount(399, { timeout: 30_000 });
  const [, n] = await counter(page);
  expect(n).toBeGreaterThan(300);
  await page.getByRole('button', { name: 'Reset to the start' }).click();
  // 398 wires and the output's.
  await expect(graph(page).locator('g.edge text.grad.hidden')).toHaveCount(399);
  await page.getByRole('slider', { name: 'Step' }).fill(String(n));
  await expect(graph(page).locator('g.edge text.grad.hidden')).toHaveCount(0);
  await expect.poll(async () => (await numbers(await wireFrom(page, 'x7'))).grad).toBe('1.00');
  const timings = await page.evaluate(() =>
    performance.getEntriesByName('chainrule:render').map((e) => Math.round(e.duration)),
  );
  test.info().annotations.push({ type: 'render ms', description: timings.join(', ') });
  await page.getByRole('button', { name: 'Fit' }).click();
  await shot(page, '18-big-graph');
});
