import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';

const SRC = resolve(import.meta.dirname, '../../src');

/** Every package (bare specifier) reachable through the imports of `entry`. */
function reachablePackages(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const stack = [join(SRC, entry)];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    // Type-only imports vanish at run time and do not count.
    for (const m of text.matchAll(/^(?:import|export)(?!\s+type\b)[^'"]*?from\s+'([^']+)'/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) {
        const target = join(dirname(file), spec.replace(/\.js$/, '.ts'));
        assert.ok(existsSync(target), `${file} imports a missing ${spec}`);
        stack.push(target);
      } else {
        packages.add(spec);
      }
    }
  }
  return packages;
}

test('the core and the learning modules have no runtime dependencies (and no Node built-ins)', () => {
  for (const entry of ['index.ts', 'expr/index.ts', 'graph/index.ts']) {
    assert.deepEqual([...reachablePackages(entry)], [], entry);
  }
});

test('viz lays out with its own code (no layout library); PNG is a subpath of its own', () => {
  const viz = reachablePackages('viz/index.ts');
  for (const library of ['@dagrejs/dagre', 'elkjs']) assert.ok(!viz.has(library), library);
  assert.ok(!viz.has('@resvg/resvg-js'), 'viz/index must not pull in the native PNG renderer');
});
