import { formatValue } from '../../graph/format.js';
import { gradExpression } from '../../expr/evaluate.js';
import { alignColumns } from '../../viz/text.js';
import { escapeTerminal } from '../../viz/escape.js';
import { integerFlag, parseArgs, type FlagSpec } from '../args.js';
import { describeFlags } from '../help.js';
import { INPUT_FLAGS, readInput } from '../input.js';
import type { Command } from '../io.js';

const FLAGS: readonly FlagSpec[] = [
  {
    name: 'json',
    kind: 'switch',
    help: 'print {"value", "gradients"} as JSON, full float64 precision',
  },
  ...INPUT_FLAGS,
];

export const gradCommand: Command = {
  name: 'grad',
  summary: 'the value of an expression and its gradient with respect to every variable',
  usage: 'chainrule grad "<expr>" name=value ... [--json] [--precision N]',
  help: () => `Computes the value of a scalar expression and dL/d(variable) for every variable.

Usage: ${gradCommand.usage}

${describeFlags(FLAGS)}

Variables are numbers or nested lists: W=[[0.1,0.5],[-0.3,0.8]]. Gradients are computed in
fused mode by default (σ as one gate): the same math as staged, with fewer roundings.

Examples:
  chainrule grad "1/(1+exp(-(w0*x0+w1*x1+w2)))" w0=2 x0=-1 w1=-3 x1=-2 w2=-3
  chainrule grad "sum((W@x)^2)" W=[[0.1,0.5],[-0.3,0.8]] x=[0.2,0.4] --json
  chainrule grad --example patterns`,
  run(argv, io) {
    const args = parseArgs(argv, FLAGS);
    if (args.flags.has('help')) {
      io.stdout(gradCommand.help() + '\n');
      return 0;
    }
    const precision = integerFlag(args, 'precision', 2, 0, 17);
    const input = readInput(args, 'fused');
    const { value, gradients } = gradExpression(input.expression, input.values, {
      mode: input.mode,
    });
    if (args.flags.has('json')) {
      io.stdout(JSON.stringify({ value, gradients: Object.fromEntries(gradients) }) + '\n');
      return 0;
    }
    const rows = [['variable', 'value', 'gradient']];
    for (const [name, g] of gradients) {
      rows.push([
        escapeTerminal(name),
        formatValue(input.values.get(name)!, precision),
        formatValue(g, precision),
      ]);
    }
    const lines = [
      `f = ${escapeTerminal(input.expression)}`,
      `value = ${formatValue(value, precision)}`,
      '',
      ...alignColumns(rows, new Set([1, 2])),
    ];
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
};
