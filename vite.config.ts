import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

/**
 * The page's Content-Security-Policy. Scripts come only from the page's own origin: no inline
 * script, no eval, so injected markup cannot run code even if some escaping failed. Styles may
 * be inline because the graph is the library's SVG, which carries its own <style>. Images may be
 * data: and blob: URLs: the favicon is one, and the PNG/GIF exports draw the SVG through a blob
 * URL onto a canvas. No frame-ancestors: the page is meant to be embedded (and a <meta> policy
 * cannot carry it anyway).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Writes the policy into the built index.html as a <meta http-equiv>, so it holds wherever the
 * files are served from. Only for the build: the dev server injects an inline script of its own.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'chainrule-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * The interactive page. It bundles the library straight from src/ (Vite maps the `.js` suffixes
 * of the TypeScript imports back to the `.ts` files), so the page always shows the library as it
 * is in the tree, with no separate build step in between. `vite preview` sends the same policy
 * as a header.
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
  plugins: [preact(), contentSecurityPolicy()],
  build: { outDir: '../dist-web', emptyOutDir: true, target: 'es2022' },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    strictPort: true,
    headers: { ...isolated, 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true, headers: isolated },
});
