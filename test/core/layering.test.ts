import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

// The layering of src/, pinned: which folder may import which. The table is the architecture of
// DESIGN.md written down; a new import across folders that is not in it fails here, so a change
// of the layering is a decision (edit the table, say why), never an accident.

const SRC = resolve(import.meta.dirname, '../../src');

/** folder → the folders it may import from ('.' is src/index.ts, the main entry). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  '.': ['core', 'kernels', 'ops', 'scalar'],
  kernels: [], // raw typed-array loops: no Tensor, no autograd
  // The documented exception: Tensor's methods call the op functions, and the elementwise method
  // types are read from ops/elementwise.ts; ops import core in turn. Neither side touches the
  // other at load time (test/nn/entry-points.test.ts loads each module first).
  core: ['kernels', 'ops'],
  ops: ['core', 'kernels'],
  scalar: ['core', 'ops'],
  nn: ['core', 'expr', 'ops'], // expr: the model-spec parser's "did you mean" suggestions
  layers: ['core', 'nn', 'ops'],
  optim: ['core', 'data', 'kernels', 'nn', 'ops'], // nn: a Module's parameters; data: batches
  data: ['core'],
  io: ['core', 'data', 'nn', 'optim'], // saving modules, optimizer state and checkpoints
  expr: ['core', 'ops'],
  graph: ['core', 'expr', 'ops', 'scalar'],
  viz: ['core', 'graph'],
  cli: ['core', 'data', 'expr', 'graph', 'io', 'nn', 'ops', 'optim', 'viz'],
  types: [],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const folderOf = (file: string) => {
  const r = relative(SRC, file);
  return r.includes('/') ? r.split('/')[0]! : '.';
};

/** Every relative import of a file (type-only ones too: they are part of the design as well). */
function imports(file: string): { spec: string; typeOnly: boolean }[] {
  const text = readFileSync(file, 'utf8');
  const out: { spec: string; typeOnly: boolean }[] = [];
  for (const m of text.matchAll(/^(?:import|export)(\s+type\b)?[^'"]*?from\s+'([^']+)'/gm)) {
    out.push({ spec: m[2]!, typeOnly: m[1] !== undefined });
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm))
    out.push({ spec: m[1]!, typeOnly: false });
  return out.filter((i) => i.spec.startsWith('.'));
}

test('imports between src/ folders follow the allowed table', () => {
  const unknown: string[] = [];
  const violations: string[] = [];
  for (const file of files(SRC)) {
    const from = folderOf(file);
    if (!(from in ALLOWED)) unknown.push(from);
    for (const { spec } of imports(file)) {
      const to = folderOf(join(dirname(file), spec));
      if (to === from) continue;
      if (!ALLOWED[from]?.includes(to))
        violations.push(`${relative(SRC, file)} imports ${spec} (${from} → ${to})`);
    }
  }
  assert.deepEqual([...new Set(unknown)], [], 'a new folder needs a line in ALLOWED');
  assert.deepEqual(violations, [], 'imports outside the allowed layering (see ALLOWED)');
});

test('the table is not looser than the code: every allowed edge is used', () => {
  const used = new Set<string>();
  for (const file of files(SRC)) {
    for (const { spec } of imports(file)) {
      used.add(`${folderOf(file)} → ${folderOf(join(dirname(file), spec))}`);
    }
  }
  const unused = Object.entries(ALLOWED).flatMap(([from, tos]) =>
    tos.filter((to) => !used.has(`${from} → ${to}`)).map((to) => `${from} → ${to}`),
  );
  assert.deepEqual(unused, [], 'drop these from ALLOWED: nothing imports that way any more');
});

test('"." (src/index.ts) does not pull in the layout library, nor any other package', () => {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const stack = [join(SRC, 'index.ts')];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)(?!\s+type\b)[^'"]*?from\s+'([^']+)'/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) stack.push(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  }
  assert.ok(!packages.has('@dagrejs/dagre'), 'the main entry reaches the layout library');
  assert.deepEqual([...packages], []);
  assert.ok(![...seen].some((f) => f.includes('/viz/')), 'the main entry reaches viz/');
});
