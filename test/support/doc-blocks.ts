import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** One `// → value` claim of a document, with the value the code actually gave. */
export interface DocCheck {
  line: number;
  source: string;
  expected: string;
  actual: unknown;
}

/**
 * A markdown guide as one module: its ```ts blocks in order (other fences are shown, not run),
 * imports of the published entry points (`chainrule/nn` …) redirected to the sources under
 * `root`, and a recorded check after every line that ends in `// → value`. Import the module and
 * read its `__checks`.
 */
export function instrumentDoc(
  markdown: string,
  root: string,
  entryPoints: Record<string, string>,
): { code: string; checks: number } {
  const out: string[] = ['const __checks = [];', 'export { __checks };'];
  let inBlock = false;
  let checks = 0;
  markdown.split('\n').forEach((text, i) => {
    if (/^```ts\s*$/.test(text)) return void (inBlock = true);
    if (/^```/.test(text)) return void (inBlock = false);
    if (!inBlock) return;
    const replaced = text.replace(/from '(chainrule(?:\/[\w/]+)?)'/, (match, name: string) => {
      const file = entryPoints[name];
      return file ? `from '${pathToFileURL(join(root, file)).href}'` : match;
    });
    const shown = /^(\s*)(.*?);\s*\/\/ → (.*)$/.exec(replaced);
    if (!shown) return void out.push(replaced);
    const [, indent, statement, expected] = shown as unknown as [string, string, string, string];
    const record = (value: string) =>
      `${indent}__checks.push({ line: ${i + 1}, source: ${JSON.stringify(statement)}, ` +
      `expected: ${JSON.stringify(expected)}, actual: ${value} });`;
    const declaration = /^(?:const|let)\s+(\w+)\s*=/.exec(statement);
    out.push(
      declaration ? `${indent}${statement};\n${record(declaration[1]!)}` : record(`(${statement})`),
    );
    checks++;
  });
  return { code: out.join('\n'), checks };
}

/**
 * Runs a markdown guide's ```ts blocks as one module (see instrumentDoc) and returns each
 * `// → value` claim with the value the code gave, and how many claims the text makes.
 */
export async function runDoc(
  markdown: string,
  root: string,
  entryPoints: Record<string, string>,
): Promise<{ checks: DocCheck[]; claimed: number }> {
  const { code, checks: claimed } = instrumentDoc(markdown, root, entryPoints);
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-doc-'));
  try {
    const file = join(dir, 'doc.ts');
    writeFileSync(file, code);
    const { __checks } = (await import(pathToFileURL(file).href)) as { __checks: DocCheck[] };
    return { checks: __checks, claimed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
