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
