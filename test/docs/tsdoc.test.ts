import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { matches } from '../support/shown-values.js';

// The @example of a public function is executed, not just read: every example block that shows
// a value (`expression // [2, 3]`) runs with the public API in scope, and each shown value is
// checked. Blocks that only sketch usage (no literal value shown) are left alone.

const root = resolve(import.meta.dirname, '../..');
const ENTRY_POINTS = [
  'src/index.ts',
  'src/expr/index.ts',
  'src/graph/index.ts',
  'src/viz/index.ts',
  'src/nn/index.ts',
  'src/layers/index.ts',
  'src/optim/index.ts',
  'src/data/index.ts',
];

interface Example {
  file: string;
  line: number;
  lines: { line: number; code: string; expected?: string }[];
}

/** The shown value at the start of a comment, if it is a literal: 2, -0.20, [1, 2], 'w0', true. */
export function shownLiteral(comment: string): string | undefined {
  const text = comment.trim();
  const simple = /^(-?\d+(?:\.\d+)?(?:e-?\d+)?|true|false|'(?:[^'\\]|\\.)*')(?=\s|$|\))/.exec(text);
  if (simple) return simple[1];
  if (!text.startsWith('[')) return undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '[') depth++;
    if (text[i] === ']' && --depth === 0) {
      const literal = text.slice(0, i + 1);
      try {
        JSON.parse(literal.replace(/'/g, '"'));
        return literal;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? sourceFiles(join(dir, d.name))
      : d.name.endsWith('.ts')
        ? [join(dir, d.name)]
        : [],
  );
}

/** Every @example block with at least one shown literal value. */
function examples(): Example[] {
  const found: Example[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (!/^\s*\*\s*@example\s*$/.test(text)) return;
      const block: Example = { file: relative(root, file), line: i + 1, lines: [] };
      for (let k = i + 1; k < lines.length; k++) {
        const m = /^\s*\*(?:\s(.*))?$/.exec(lines[k]!);
        if (!m || /^\s*\*\//.test(lines[k]!) || /^\s*@\w/.test(m[1] ?? '')) break;
        const code = m[1] ?? '';
        const split = /^(.*?)\s*\/\/(.*)$/.exec(code);
        const statement = (split ? split[1]! : code).replace(/;\s*$/, '');
        const expected = split ? shownLiteral(split[2]!) : undefined;
        if (statement.trim() !== '')
          block.lines.push({ line: k + 1, code: statement, ...(expected ? { expected } : {}) });
      }
      if (block.lines.some((l) => l.expected !== undefined)) found.push(block);
    });
  }
  return found;
}

test('the @example values shown in the sources are what the code gives', async () => {
  const blocks = examples();
  const modules = [...new Set([...ENTRY_POINTS, ...blocks.map((b) => b.file)])];
  const apis = await Promise.all(
    modules.map(
      (e) => import(pathToFileURL(join(root, e)).href) as Promise<Record<string, unknown>>,
    ),
  );
  const taken = new Set(['snapshot', 'steps']);
  const names = [...new Set(apis.flatMap((m) => Object.keys(m)))].filter(
    (n) => /^[A-Za-z_$][\w$]*$/.test(n) && !taken.has(n),
  );
  assert.ok(blocks.length >= 30, `expected many executable examples, found ${blocks.length}`);
  const url = (file: string) => pathToFileURL(join(root, file)).href;
  /**
   * The names in scope for an example: every public entry point, then the one of its own folder,
   * then its own module (internal helpers document themselves too); later ones win on a clash
   * (`softmaxLoss` of chainrule/layers in src/layers). `snapshot` and `steps` are the CS231n
   * sigmoid neuron's graph and schedule, which examples use as their running example.
   */
  const prelude = (file: string) => {
    const own = [...ENTRY_POINTS, `src/${file.split('/')[1]}/index.ts`, file].filter(
      (f, i, all) => all.indexOf(f) === i || f === file,
    );
    const modules = own.filter((f) => existsSync(join(root, f)));
    return [
      ...modules.map((f, i) => `import * as api${i} from '${url(f)}';`),
      `const __api = Object.assign({}, ${modules.map((_, i) => `api${i}`).join(', ')});`,
      `const { ${names.join(', ')} } = __api as Record<string, any>;`,
      "const __sigmoid = findExample('sigmoid')!;",
      'const snapshot = snapshotExpression(__sigmoid.expression, __sigmoid.values);',
      'const steps = schedule(snapshot);',
      'export const __checks: unknown[] = [];',
    ];
  };
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-tsdoc-'));
  const failures: string[] = [];
  try {
    // One module per example, so that one broken example names itself instead of hiding others.
    for (const [k, b] of blocks.entries()) {
      const lines = b.lines.map((l) =>
        l.expected === undefined
          ? `${l.code};`
          : `__checks.push({ line: ${l.line}, source: ${JSON.stringify(l.code)}, expected: ${JSON.stringify(l.expected)}, actual: (${l.code}) });`,
      );
      const file = join(dir, `example-${k}.ts`);
      writeFileSync(file, [...prelude(b.file), ...lines].join('\n'));
      try {
        const { __checks } = (await import(pathToFileURL(file).href)) as {
          __checks: { line: number; source: string; expected: string; actual: unknown }[];
        };
        for (const c of __checks) {
          if (!matches(c.actual, c.expected)) {
            failures.push(
              `${b.file}:${c.line}: ${c.source} gives ${JSON.stringify(c.actual)}, the comment shows ${c.expected}`,
            );
          }
        }
      } catch (e) {
        failures.push(`${b.file}:${b.line}: the example does not run: ${String(e).split('\n')[0]}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(failures, []);
});
