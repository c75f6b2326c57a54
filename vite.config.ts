import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The interactive page. It bundles the library straight from src/ (Vite maps the `.js` suffixes
 * of the TypeScript imports back to the `.ts` files), so the page always shows the library as it
 * is in the tree, with no separate build step in between.
 */
/**
 * Cross-origin isolation: with these two headers the page gets SharedArrayBuffer, so the
 * kernels run on shared memory and can use worker threads (without them: one thread).
 */
const isolated = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: 'web',
  base: './',
  plugins: [preact()],
  build: { outDir: '../dist-web', emptyOutDir: true, target: 'es2022' },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: isolated },
  server: { host: '127.0.0.1', port: 5173, strictPort: true, headers: isolated },
});
