import { formatValue } from '../../graph/format.js';
import { gradExpression } from '../../expr/evaluate.js';
import { alignColumns } from '../../viz/text.js';
import { escapeTerminal } from '../../viz/escape.js';
import { integerFlag, parseArgs, type FlagSpec } from '../args.js';
import { describeFlags } from '../help.js';
import { INPUT_FLAGS, gateWarnings, readInput } from '../input.js';
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

Variables are numbers or nested lists: W=[[0.1,0.5],[-0.3,0.8]]. A variable used as an index
(y in s[y]) holds integer labels and gets no gradient. Gradients are computed in fused mode by
default (σ as one gate): the same math as staged, with fewer roundings.

Examples:
  chainrule grad "1/(1+exp(-(w0*x0+w1*x1+w2)))" w0=2 x0=-1 w1=-3 x1=-2 w2=-3
  chainrule grad "sum((W@x)^2)" W=[[0.1,0.5],[-0.3,0.8]] x=[0.2,0.4] --json
  chainrule grad "s = W@x; L = -log(softmax(s)[y])" W=[[1,2],[3,4],[5,6]] x=[0.5,-1] y=2
  chainrule grad "softsign(w*x)" w=2 x=1 --gate "softsign(x) = x/(1+abs(x)); d/dx = 1/(1+abs(x))^2"
  chainrule grad --example patterns`,
  run(argv, io) {
    const args = parseArgs(argv, FLAGS);
    if (args.flags.has('help')) {
      io.stdout(gradCommand.help() + '\n');
      return 0;
    }
    const precision = integerFlag(args, 'precision', 2, 0, 17);
    const input = readInput(args, 'fused');
    io.stderr(gateWarnings(input.gates));
    const { value, gradients, labels } = gradExpression(input.expression, input.values, {
      mode: input.mode,
      functions: input.functions,
    });
    if (args.flags.has('json')) {
      io.stdout(JSON.stringify({ value, gradients: Object.fromEntries(gradients) }) + '\n');
      return 0;
    }
    const rows = [['variable', 'value', 'gradient']];
    for (const [name, v] of input.values) {
      const g = gradients.get(name);
      const shown =
        g === undefined ? (labels.includes(name) ? '— (labels)' : '') : formatValue(g, precision);
      const isLabel = labels.includes(name);
      rows.push([escapeTerminal(name), formatValue(v, isLabel ? 0 : precision), shown]);
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
