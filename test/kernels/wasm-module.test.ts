import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileKernels, kernelsModule, sourceDigest } from '../../scripts/build-wasm.js';
import { KERNELS_BASE64, SOURCE_DIGEST } from '../../src/kernels/wasm/module.js';
import { readFileSync } from 'node:fs';

// src/kernels/wasm/module.ts carries the compiled kernels so that tsc, Vite and a fresh clone find
// them without a build step. These tests fail when it no longer matches assembly/*.ts.

test('the committed WebAssembly module was built from the current assembly/ sources', () => {
  assert.equal(
    SOURCE_DIGEST,
    sourceDigest(),
    'src/kernels/wasm/module.ts is stale: run npm run build',
  );
});

test('compiling assembly/ again gives exactly the committed bytes and module text', async () => {
  const bytes = compileKernels();
  assert.equal(Buffer.from(bytes).toString('base64'), KERNELS_BASE64, 'stale: run npm run build');
  const committed = readFileSync(
    new URL('../../src/kernels/wasm/module.ts', import.meta.url),
    'utf8',
  );
  assert.equal(await kernelsModule(bytes), committed);
});
