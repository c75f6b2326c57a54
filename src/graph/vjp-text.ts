import { badArgument } from '../core/errors.js';
import { checkArray, checkShapeArg, describe } from '../core/validate.js';

/**
 * The vector-Jacobian product of an op in words, with the real operands named: an op's `vjpText`
 * is a template such as `upstream · {B}ᵀ | up · Bᵀ → A`, and a snapshot fills it for each wire —
 * `upstream · xᵀ  (2×1 · 1×3 → 2×3)` for the W of `W@x` — the lecture's "the shapes leave only
 * one way". Before `|`: the rule, `{A}` and `{B}` standing for the names of inputs 0 and 1. After
 * it (optional): the shapes, `A`, `B` and `up` (the upstream gradient) standing for matrix forms —
 * a vector on the left is a row, on the right a column, and `up` has the rows of A and the
 * columns of B; `ᵀ` transposes.
 */

/** A name as a factor: bare when it is one identifier, else in parentheses (`(W@x)ᵀ`). */
function factor(name: string): string {
  return /^[\p{L}_][\p{L}\p{N}_']*$/u.test(name) ? name : `(${name})`;
}

const shapeText = (rows: number, cols: number) => `${rows}×${cols}`;

/** The matrix forms of the operands and the upstream gradient of a product A·B. */
function matrixForms(a: readonly number[], b: readonly number[]): Record<string, [number, number]> {
  const A: [number, number] = a.length >= 2 ? [a[0]!, a[1]!] : [1, a[0] ?? 1];
  const B: [number, number] = b.length >= 2 ? [b[0]!, b[1]!] : [b[0] ?? 1, 1];
  return { A, B, up: [A[0], B[1]] };
}

/**
 * `{A}` and `{B}` in a text replaced by operand names (as factors: `(W@x)` in parentheses).
 *
 * @example
 * fillNames('d{A} = upstream · {B}ᵀ', ['W', 'x']) // 'dW = upstream · xᵀ'
 */
export function fillNames(text: string, names: readonly (string | undefined)[]): string {
  return text.replace(/\{([AB])\}/g, (_, which: string) =>
    factor(names[which === 'A' ? 0 : 1] ?? which),
  );
}

/**
 * A template filled in for one wire: operand names in the rule, the shapes after it. Without
 * shapes, the shape part is left out; texts without a template (`dx = the upstream gradient
 * transposed back`) lose only their `dx =`, which the caption says already (`dL/dX = …`).
 *
 * @example
 * fillVjpText('upstream · {B}ᵀ | up · Bᵀ → A', ['W', 'x'], [[2, 3], [3]]) // 'upstream · xᵀ  (2×1 · 1×3 → 2×3)'
 * fillVjpText('{A}ᵀ · upstream | Aᵀ · up → B', ['W', 'relu(h)'], [[2, 3], [3]]) // 'Wᵀ · upstream  (3×2 · 2×1 → 3×1)'
 */
export function fillVjpText(
  template: string,
  names: readonly (string | undefined)[],
  shapes?: readonly (readonly number[] | undefined)[],
): string {
  if (typeof template !== 'string') {
    throw badArgument(
      'fillVjpText',
      `argument template must be a string, got ${describe(template)}`,
    );
  }
  const given = checkArray('fillVjpText', 'names', names);
  if (!given.every((n) => n === undefined || n === null || typeof n === 'string')) {
    throw badArgument(
      'fillVjpText',
      `argument names must hold operand names (strings), got ${describe(names)}`,
    );
  }
  if (shapes !== undefined) {
    checkArray('fillVjpText', 'shapes', shapes).forEach((s, i) => {
      if (s !== undefined && s !== null) checkShapeArg('fillVjpText', `shapes[${i}]`, s);
    });
  }
  const [rule = '', shapePart] = template.split(' | ');
  const text = fillNames(rule.replace(/^d\w+\s*=\s*/, ''), names);
  const a = shapes?.[0];
  const b = shapes?.[1];
  if (shapePart === undefined || a === undefined || b === undefined) return text;
  const forms = matrixForms(a, b);
  const shown = shapePart.replace(/\b(A|B|up)(ᵀ?)/g, (_, which: string, t: string) => {
    const [r, c] = forms[which]!;
    return t === '' ? shapeText(r, c) : shapeText(c, r);
  });
  return `${text}  (${shown})`;
}

/**
 * A template as the op reference prints it: `dA = upstream · Bᵀ`, operands as A and B.
 *
 * @example
 * vjpTemplateText('upstream · {B}ᵀ | up · Bᵀ → A', 0) // 'dA = upstream · Bᵀ'
 */
export function vjpTemplateText(template: string, input: number): string {
  if (!/[{|]/.test(template)) return template;
  return `d${input === 0 ? 'A' : 'B'} = ${fillVjpText(template, ['A', 'B'])}`;
}
