import { checkExpression } from '../../graph/from-expression.js';
import type { CheckStatus } from '../../graph/gradcheck.js';
import { escapeTerminal } from '../../viz/escape.js';
import { alignColumns } from '../../viz/text.js';
import { formatValue } from '../../graph/format.js';
import { numberFlag, parseArgs, type FlagSpec } from '../args.js';
import { describeFlags } from '../help.js';
import { INPUT_FLAGS, readInput } from '../input.js';
import type { Command } from '../io.js';

const FLAGS: readonly FlagSpec[] = [
  { name: 'step', kind: 'value', help: 'finite-difference step <H> (default 1e-5)' },
  { name: 'json', kind: 'switch', help: 'print the report as JSON' },
  ...INPUT_FLAGS,
];

const VERDICTS: Record<CheckStatus, string> = {
  happy: 'happy (≤ 1e-7)',
  ok: 'ok (≤ 1e-4, the function has kinks)',
  uncomfortable: 'TOO HIGH for a smooth function (> 1e-7)',
  wrong: 'WRONG (> 1e-4)',
  kink: 'kink crossed: the numerical gradient is not meaningful here',
};

function scientific(x: number): string {
  return x === 0 ? '0' : x.toExponential(1);
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'compare backprop gradients with centered differences (CS231n gradient check)',
  usage: 'chainrule check "<expr>" name=value ... [--step H] [--json]',
  help: () => `Compares the analytic gradient (backprop) with the numerical one,
(f(x+h) − f(x−h)) / 2h, for every variable, and judges the relative error |a−n| / max(|a|, |n|)
with the CS231n thresholds: ≤ 1e-7 happy; ≤ 1e-4 ok only if the function has kinks (relu, max,
abs); above that wrong. An element where f(x+h) and f(x−h) take different sides of a kink is
reported, not counted. Exits with 1 when any variable fails.

Usage: ${checkCommand.usage}

${describeFlags(FLAGS)}

Example:
  chainrule check "relu(w*x + b)" w=0.5 x=2 b=-0.3`,
  run(argv, io) {
    const args = parseArgs(argv, FLAGS);
    if (args.flags.has('help')) {
      io.stdout(checkCommand.help() + '\n');
      return 0;
    }
    const h = numberFlag(args, 'step', 1e-5);
    const input = readInput(args, 'fused');
    const report = checkExpression(input.expression, input.values, { mode: input.mode, h });
    if (args.flags.has('json')) {
      io.stdout(JSON.stringify(report) + '\n');
      return report.passed ? 0 : 1;
    }
    const precision = 6;
    const rows = [['variable', 'analytic', 'numerical', 'rel. error', 'verdict']];
    for (const r of report.inputs) {
      rows.push([
        escapeTerminal(r.name),
        formatValue(r.analytic, precision),
        formatValue(r.numerical, precision),
        scientific(r.relError),
        VERDICTS[r.status] +
          (r.kinks > 0 && r.status !== 'kink' ? ` (${r.kinks} element(s) at a kink skipped)` : ''),
      ]);
    }
    const lines = [
      `f = ${escapeTerminal(input.expression)}   (step h = ${h})`,
      '',
      ...alignColumns(rows, new Set([1, 2])),
      '',
      report.passed ? 'gradient check passed' : 'gradient check FAILED',
    ];
    io.stdout(lines.join('\n') + '\n');
    return report.passed ? 0 : 1;
  },
};
