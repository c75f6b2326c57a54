import { expect, open, test } from './fixtures.js';

// The page is served cross-origin isolated (COOP + COEP headers, vite.config.ts), so it has
// SharedArrayBuffer: the tensor kernels then run on shared memory and may use worker threads.
test('the page is cross-origin isolated, so the kernels can share memory with workers', async ({
  page,
}) => {
  await open(page);
  const isolation = await page.evaluate(() => ({
    isolated: globalThis.crossOriginIsolated,
    shared: typeof SharedArrayBuffer === 'function',
  }));
  expect(isolation).toEqual({ isolated: true, shared: true });
});
