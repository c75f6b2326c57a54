/**
 * Export file names: from the example on screen (`sigmoid.png`), else from the expression
 * (`x-y-z.svg`), with the step when the picture is not the finished one (`sigmoid-step-5.png`).
 * Only safe filename characters: letters, digits, `-` and `_`, never a path or a dot-file.
 */
import { EXAMPLES } from '../src/expr/index.js';

/** Long names are cut: a file name is not the place for a whole expression. */
export const MAX_BASE_LENGTH = 40;

/** `text` reduced to [A-Za-z0-9_-], runs of anything else one `-`, no `-` at either end. */
export function safeName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_]+/g, '-')
    .slice(0, MAX_BASE_LENGTH)
    .replace(/^-+|-+$/g, '');
}

/**
 * The base name of an export (no extension).
 *
 * @example
 * exportBaseName(findExample('sigmoid')!.expression, 21, 21) // 'sigmoid'
 * exportBaseName(findExample('sigmoid')!.expression, 5, 21)  // 'sigmoid-step-5'
 * exportBaseName('(x + y) * z', 21, 21)                      // 'x-y-z'
 */
export function exportBaseName(expr: string, step: number, length: number): string {
  const example = EXAMPLES.find((e) => e.expression.trim() === expr.trim());
  const base = safeName(example?.name ?? expr) || 'graph';
  return step < length ? `${base}-step-${step}` : base;
}
