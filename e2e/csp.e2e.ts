import { test as base } from '@playwright/test';
import { expect, open, test } from './fixtures.js';

// The page defends itself: the served page carries a Content-Security-Policy (as a header from
// `vite preview` and as a <meta> in the built index.html) that forbids inline script and eval.

test('the page sends a CSP that forbids inline script and eval, and works under it', async ({
  page,
}) => {
  const response = await page.goto('/');
  const header = response?.headers()['content-security-policy'] ?? '';
  const meta = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  for (const policy of [header, meta ?? '']) {
    const scripts = /(?:^|;)\s*script-src ([^;]*)/.exec(policy)?.[1] ?? '';
    expect(scripts, policy).toContain("'self'");
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("base-uri 'none'");
  }
  expect(meta).toBe(header);
  // Under the policy the page still draws, steps and exports (the PNG goes through a blob URL
  // and a canvas); the fixture fails the test on any console error.
  await open(page);
  await page.getByRole('button', { name: 'Reset to the start' }).click();
  await page.getByRole('button', { name: 'Step forward' }).click();
  await page.locator('.export summary').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-export="png"]').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.png$/);
});

// (eval is refused by the same policy, which has no 'unsafe-eval'; Playwright's own evaluate
// runs through DevTools, which the policy does not govern, so it cannot show that here.)
base('an injected inline script or inline event handler does not run', async ({ page }) => {
  const console: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') console.push(m.text());
  });
  await page.goto('/');
  await expect(page.locator('.graph-host svg')).toBeVisible();
  const outcome = await page.evaluate(async () => {
    const w = window as unknown as Record<string, unknown>;
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      violations.push(e.violatedDirective),
    );
    const script = document.createElement('script');
    script.textContent = 'window.pwnedByScript = true';
    document.body.append(script);
    const img = document.createElement('img');
    img.setAttribute('src', 'data:,');
    img.setAttribute('onload', 'window.pwnedByHandler = true');
    document.body.append(img);
    await new Promise((r) => setTimeout(r, 200));
    return {
      script: w.pwnedByScript === true,
      handler: w.pwnedByHandler === true,
      violations,
    };
  });
  expect(outcome.script, 'inline <script> ran').toBe(false);
  expect(outcome.handler, 'inline onload handler ran').toBe(false);
  expect(
    outcome.violations.filter((d) => d.startsWith('script-src')).length,
  ).toBeGreaterThanOrEqual(2);
  // The only console errors are the browser's reports of the blocked attempts.
  for (const text of console) expect(text).toMatch(/Content Security Policy/);
});
