import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ALL_OPS } from '../src/ops/registry.js';
import type { Domain, OpDef } from '../src/core/op.js';
import { expressionUsage } from '../src/expr/functions.js';
import { fillNames, vjpTemplateText } from '../src/graph/vjp-text.js';

function domainText(d: Domain | readonly Domain[] | undefined): string {
  if (d === undefined) return 'real';
  if (typeof d === 'string') return d;
  if (typeof d[0] === 'number') return `[${d.join(', ')}]`;
  return (d as readonly Domain[]).map((x) => domainText(x)).join(', ');
}

function row(op: OpDef): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const backward = op.vjpText
    ? op.vjpText.map((t, i) => vjpTemplateText(t, i)).join('; ')
    : op.local
      ? 'upstream × local (elementwise)'
      : '—';
  const usage = expressionUsage(op);
  return `| \`${op.name}\` | ${cell(op.label.symbol)} | ${cell(op.label.gate)} | ${cell(fillNames(op.label.rule, ['A', 'B']))} | ${cell(backward)} | ${usage ? `\`${cell(usage)}\`` : '—'} | ${domainText(op.gradcheck.domain)}${op.decisions ? ' (kinked)' : ''} |`;
}

/** docs/ops.md, generated from ALL_OPS: the one list of ops, their labels and gradient rules. */
export function opsReference(): string {
  return [
    '# Op reference',
    '',
    'Generated from `ALL_OPS` (src/ops/registry.ts) by `npm run docs`; do not edit by hand.',
    'Every op here is gradient-checked against centered differences in float64 by the test suite,',
    'on random shapes drawn from its own spec, in the domain shown.',
    '',
    '| op | symbol | gate | how the gradient flows | backward | in expressions | check domain |',
    '|---|---|---|---|---|---|---|',
    ...ALL_OPS.map(row),
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../docs/ops.md', import.meta.url), opsReference());
  console.log(`wrote docs/ops.md (${ALL_OPS.length} ops)`);
}
