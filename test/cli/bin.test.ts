import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

// The published binary is the bundled CLI (dist/bin, made by scripts/bundle-cli.mjs after tsc;
// npm test builds first). It must run on its own, and `chainrule grad` must start without the
// heavy libraries that only drawing needs.

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  bin: { chainrule: string };
};
const BIN = join(root, pkg.bin.chainrule);

test('the bundled binary runs grad on its own (shebang, executable bit)', () => {
  assert.ok(existsSync(BIN), `build first: ${BIN} is missing (npm run build)`);
  assert.ok((statSync(BIN).mode & 0o111) !== 0, 'executable');
  const r = spawnSync(BIN, ['grad', 'x*y', 'x=2', 'y=3', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { value: 6, gradients: { x: 3, y: 2 } });
});

/** Every file and package the file at `path` imports statically, transitively (not import()). */
function staticImports(path: string, seen = new Set<string>()): Set<string> {
  if (seen.has(path)) return seen;
  seen.add(path);
  const text = readFileSync(path, 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']/gm)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) staticImports(join(dirname(path), spec), seen);
    else seen.add(spec);
  }
  for (const m of text.matchAll(/^import\s*["']([^"']+)["']/gm)) seen.add(m[1]!);
  return seen;
}

test('grad loads neither the PNG renderer, the layout nor the GIF encoder', () => {
  const main = readFileSync(BIN, 'utf8');
  const grad = /import\(["'](\.\/grad-[^"']+)["']\)/.exec(main);
  assert.ok(grad, 'grad is a chunk of its own, imported on demand');
  const loaded = staticImports(join(dirname(BIN), grad[1]!), staticImports(BIN));
  const layout = (files: Set<string>) =>
    [...files].some(
      (f) => f.startsWith('/') && readFileSync(f, 'utf8').includes('function layoutView('),
    );
  for (const heavy of ['@resvg/resvg-js', 'gifenc']) {
    assert.ok(![...loaded].some((s) => s.startsWith(heavy)), `${heavy} is loaded by grad`);
  }
  assert.ok(!layout(loaded), 'the layout is loaded by grad');
  // …while graph does load them: the checks above can see them when they are there.
  const graph = /import\(["'](\.\/graph-[^"']+)["']\)/.exec(main)!;
  const drawing = staticImports(join(dirname(BIN), graph[1]!));
  assert.ok([...drawing].some((s) => s.startsWith('@resvg/resvg-js')));
  assert.ok(layout(drawing));
});
