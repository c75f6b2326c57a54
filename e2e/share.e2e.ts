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

test('the URL hash holds the whole state; a reload restores it, step included', async ({
  page,
}) => {
  await open(page);
  await page.locator('[data-example="chain"]').click();
  await page.locator('#var-z').fill('-3');
  await page.getByLabel('Decimals').selectOption('1');
  await page.getByRole('button', { name: 'Reset to the start' }).click();
  for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Step forward' }).click();
  const before = await counter(page);
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('step=4');
  const hash = await page.evaluate(() => location.hash);
  expect(hash).toContain('expr=');
  expect(hash).toContain('v.z=-3');
  expect(hash).toContain('precision=1');

  await page.reload();
  await expect(graph(page)).toBeVisible();
  await expect(page.locator('#expr')).toHaveValue('(x+y)*z');
  await expect(page.locator('#var-z')).toHaveValue('-3');
  await expect(page.getByLabel('Decimals')).toHaveValue('1');
  await expect.poll(() => counter(page)).toEqual(before);
  await expect.poll(() => numbers(outputWire(page))).toEqual({ value: '-9.0', grad: '1.0' });
  await expect.poll(async () => (await numbers(await wireFrom(page, 'x'))).grad).toBe('');

  // Quiz mode travels too.
  await page.getByLabel('Quiz: fill in the gradients').check();
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('quiz=1');
  await page.reload();
  await expect(page.locator('.quiz h2')).toHaveText(/Question 1 of/);
});

test('a hostile hash is shown as text with the default example, and nothing runs', async ({
  page,
}) => {
  await page.goto('/');
  const scriptsBefore = await page.locator('script').count();
  const hostile =
    '#expr=' +
    encodeURIComponent('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">');
  await page.goto(`/${hostile}`);
  await page.reload();
  await expect(graph(page)).toBeVisible();
  const notice = page.locator('.notice');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('This link could not be read');
  await expect(notice).toContainText('<script>window.__pwned=1</script>');
  expect(await page.locator('script').count()).toBe(scriptsBefore);
  expect(await page.locator('img').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBe(
    undefined,
  );
  await expect(page.locator('#expr')).toHaveValue('1/(1+exp(-(w0*x0+w1*x1+w2)))');
  // The default page: at the start, the inputs known, a hint to press Play.
  await expect.poll(async () => (await numbers(await wireFrom(page, 'x0'))).value).toBe('-1.00');
  await expect.poll(async () => (await numbers(outputWire(page))).value).toBe('');
  await expect(page.locator('.play-hint')).toBeVisible();
  await shot(page, '13-hostile-hash');

  await page.goto(`/#expr=x&v.${encodeURIComponent('<svg onload=alert(1)>')}=1`);
  await page.reload();
  await expect(page.locator('.notice')).toContainText(
    "'<svg onload=alert(1)>' is not a variable name",
  );
  expect(await page.locator('.notice svg, .notice img').count()).toBe(0);
});

test('a hash pasted into the address bar is read at once', async ({ page }) => {
  await open(page);
  await page.evaluate(() => {
    location.hash = '#expr=a*b&v.a=3&v.b=-4';
  });
  await expect(outputWire(page).locator('text.value')).toHaveText('-12.00');
  await open(page, '#step=nonsense');
  await expect(page.locator('.notice')).toContainText("'step'");
});
