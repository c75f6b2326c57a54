// Bundles the CLI (dist/cli/main.js, built by tsc) into dist/bin/: a handful of files instead of
// some fifty modules, which is most of what a cold `chainrule grad` spends on starting. Each
// command stays its own chunk, loaded when it runs; npm packages stay outside the bundle (the
// PNG, layout and GIF libraries load only with the commands that draw).
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = new URL('../dist/bin/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [new URL('../dist/cli/main.js', import.meta.url).pathname],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir,
  logLevel: 'warning',
});
chmodSync(new URL('main.js', `file://${outdir}`), 0o755);
chmodSync(new URL('../dist/cli/main.js', import.meta.url), 0o755);
