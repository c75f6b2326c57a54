import { ChainruleError } from '../../core/errors.js';
import { checkExpression, type ExpressionCheck } from '../../graph/from-expression.js';
import { renderCheckSvg } from '../../viz/verdicts.js';
import { describeRelError, VERDICT_TEXT, type InputCheck } from '../../graph/gradcheck.js';
import { findNode, nodeName } from '../../graph/explain.js';
import type { PartCheck } from '../../graph/check-graph.js';
import { formatValue } from '../../graph/format.js';
import type { NestedArray } from '../../core/nested.js';
import { escapeTerminal } from '../../viz/escape.js';
import { alignColumns } from '../../viz/text.js';
import { numberFlag, parseArgs, type FlagSpec } from '../args.js';
import { describeFlags } from '../help.js';
import { INPUT_FLAGS, readInput } from '../input.js';
import type { Command } from '../io.js';

const FLAGS: readonly FlagSpec[] = [
  { name: 'step', kind: 'value', help: 'finite-difference step <H> (default 1e-5)' },
  { name: 'json', kind: 'switch', help: 'print the report as JSON' },
  {
    name: 'output',
    kind: 'value',
    short: 'o',
    help: 'also draw the graph into <FILE>.svg, wires and gates coloured by their verdicts',
  },
  ...INPUT_FLAGS,
];

/** The element a row shows: the whole value of a scalar, the worst element of a tensor. */
function shownElement(r: InputCheck): { label: string; analytic: number; numerical: number } {
  const flat = (v: NestedArray): number[] => (typeof v === 'number' ? [v] : v.flatMap(flat));
  const index = r.shape.map((_, d) => {
    const stride = r.shape.slice(d + 1).reduce((a, b) => a * b, 1);
    return Math.floor(r.worst / stride) % r.shape[d]!;
  });
  return {
    label: r.shape.length === 0 ? r.name : `${r.name}[${index.join(', ')}]`,
    analytic: flat(r.analytic)[r.worst]!,
    numerical: flat(r.numerical)[r.worst]!,
  };
}

const failed = (c: PartCheck) => c.status === 'wrong' || c.status === 'uncomfortable';

/** The graph's verdicts in lines: one summary, then every node and wire that disagrees. */
function graphLines(report: ExpressionCheck): string[] {
  const { snapshot, nodes, edges, unchecked } = report.graph;
  const name = (id: string) => {
    const node = findNode(snapshot, id);
    return escapeTerminal(node === undefined ? id : nodeName(snapshot, node));
  };
  const badNodes = Object.entries(nodes).filter(([, c]) => failed(c));
  const badEdges = Object.entries(edges).filter(([, c]) => failed(c));
  const count = (parts: Record<string, PartCheck>, kink: boolean, noun: string) => {
    const n = Object.values(parts).filter((c) => (c.status === 'kink') === kink).length;
    return `${n} ${noun}${n === 1 ? '' : 's'}`;
  };
  const kinks = Object.values({ ...nodes, ...edges }).some((c) => c.status === 'kink')
    ? ` (${count(nodes, true, 'node')} and ${count(edges, true, 'wire')} at a kink, not compared)`
    : '';
  const counted = `${count(nodes, false, 'node')} and ${count(edges, false, 'wire')}`;
  const mode = snapshot.mode ?? 'fused';
  const lines = [
    badNodes.length + badEdges.length === 0
      ? `On the graph (${mode}): ${counted} check out${kinks}.`
      : `On the graph (${mode}), of ${counted}${kinks}, these disagree:`,
  ];
  for (const [id, c] of badEdges) {
    const edge = snapshot.edges.find((e) => e.id === id)!;
    lines.push(
      `  wire ${id} (${name(edge.from)} → ${name(edge.to)}): ${c.status}, ` +
        `relative error ${describeRelError(c)}`,
    );
  }
  for (const [id, c] of badNodes) {
    lines.push(`  node ${id} (${name(id)}): ${c.status}, relative error ${describeRelError(c)}`);
  }
  if (badEdges.length > 0) {
    lines.push('  A wrong wire is a gate whose local gradient disagrees with its forward.');
  }
  if (unchecked.length > 0) {
    lines.push(`  (${unchecked.length} large parts left unchecked: ${unchecked.join(', ')})`);
  }
  return lines;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'compare backprop gradients with centered differences (CS231n gradient check)',
  usage: 'chainrule check "<expr>" name=value ... [--step H] [--json] [-o FILE.svg]',
  help: () => `Compares the analytic gradient (backprop) with the numerical one,
(f(x+h) − f(x−h)) / 2h, for every variable, and judges the relative error |a−n| / max(|a|, |n|)
with the CS231n thresholds: ≤ 1e-7 happy; ≤ 1e-4 ok only if the function has kinks (relu, max,
abs); above that wrong. The relative error shown is the one measured; "below noise" marks a
difference within float64 round-off. An element where f(x+h) and f(x−h) take different sides of
a kink is not compared ("—" and why). Every node and wire of the graph is checked too, so a
wrong local gradient is named by its wire; -o check.svg draws the graph with every wire and
gate coloured by its verdict. Exits with 1 when anything fails.

Usage: ${checkCommand.usage}

${describeFlags(FLAGS)}

Examples:
  chainrule check "relu(w*x + b)" w=0.5 x=2 b=-0.3
  chainrule check "softsign(w*x)" w=2 x=1 --gate "softsign(x) = x/(1+abs(x)); d/dx = 1/(1+abs(x))"`,
  run(argv, io) {
    const args = parseArgs(argv, FLAGS);
    if (args.flags.has('help')) {
      io.stdout(checkCommand.help() + '\n');
      return 0;
    }
    const h = numberFlag(args, 'step', 1e-5);
    const input = readInput(args, 'fused');
    const report = checkExpression(input.expression, input.values, {
      mode: input.mode,
      h,
      functions: input.functions,
    });
    const gatesPassed = input.gates.every((g) => g.check.passed);
    const passed = report.passed && gatesPassed;
    const output = args.flags.get('output');
    if (output !== undefined) {
      if (output === true || !output.toLowerCase().endsWith('.svg')) {
        throw new ChainruleError(
          'bad_argument',
          `-o takes a file name ending in .svg (the picture of the check), got '${String(output)}'`,
        );
      }
      io.writeFile(output, renderCheckSvg(report.graph, { title: 'gradient check' }));
      io.stderr(`wrote ${output} (the graph coloured by its verdicts)\n`);
    }
    if (args.flags.has('json')) {
      const gates = input.gates.map((g) => ({ name: g.name, ...g.check }));
      io.stdout(JSON.stringify({ ...report, passed, gates }) + '\n');
      return passed ? 0 : 1;
    }
    const precision = 6;
    // A tensor's row shows its worst element (the largest relative error): the one to look at.
    const rows = [['variable', 'analytic', 'numerical', 'rel. error', 'verdict']];
    for (const r of report.inputs) {
      const shown = shownElement(r);
      rows.push([
        escapeTerminal(shown.label),
        formatValue(shown.analytic, precision),
        formatValue(shown.numerical, precision),
        describeRelError(r),
        VERDICT_TEXT[r.status],
      ]);
    }
    for (const name of input.values.keys()) {
      if (!report.inputs.some((r) => r.name === name)) {
        rows.push([escapeTerminal(name), '—', '—', '—', 'labels: no gradient']);
      }
    }
    const tensors = report.inputs.some((r) => r.shape.length > 0);
    const lines = [
      `f = ${escapeTerminal(input.expression)}   (step h = ${h}, ${input.mode})`,
      ...input.gates.map((g) => escapeTerminal(`your gate ${g.name}: ${g.check.explanation}`)),
      '',
      ...alignColumns(rows, new Set([1, 2])),
      ...(tensors ? ['(a tensor shows its element with the largest relative error)'] : []),
      '',
      ...graphLines(report),
      '',
      passed ? 'gradient check passed' : 'gradient check FAILED',
    ];
    io.stdout(lines.join('\n') + '\n');
    return passed ? 0 : 1;
  },
};
