import { ChainruleError } from '../core/errors.js';
import type { NestedArray } from '../core/nested.js';
import type { GraphMode } from '../expr/ast.js';
import { EXAMPLES, findExample } from '../expr/examples.js';
import { closestName } from '../expr/suggest.js';
import { parseAssignments } from '../expr/values.js';
import type { FunctionSpec } from '../expr/functions.js';
import { defineGates, type CustomGate } from '../graph/custom-gate.js';
import { escapeTerminal } from '../viz/escape.js';
import type { FlagSpec, ParsedArgs } from './args.js';

/** The flags every expression command shares. */
export const INPUT_FLAGS: readonly FlagSpec[] = [
  {
    name: 'example',
    kind: 'value',
    help: 'load a built-in example <NAME> (see `chainrule examples`)',
  },
  { name: 'staged', kind: 'switch', help: 'every operator its own gate, as the slides draw them' },
  { name: 'fused', kind: 'switch', help: 'σ and similar chains as one gate' },
  { name: 'precision', kind: 'value', help: 'decimals shown <N> (default 2)' },
  {
    name: 'gate',
    kind: 'value',
    help: "your own gates <DEF>: 'softsign(x) = x/(1+abs(x)); d/dx = 1/(1+abs(x))^2'",
  },
  { name: 'help', kind: 'switch', short: 'h', help: 'show this help' },
];

export interface ExpressionInput {
  expression: string;
  values: Map<string, NestedArray>;
  mode: GraphMode;
  /** The example it came from, if any. */
  example?: string;
  /** Gates defined with --gate (their derivatives already checked). */
  gates: CustomGate[];
  /** The gates as functions for the expression options. */
  functions: FunctionSpec[];
}

/**
 * Warnings for gates whose derivative failed its check, one line each (empty when all pass):
 * the commands still run, so a learner can see what a wrong derivative does to the gradients.
 */
export function gateWarnings(gates: readonly CustomGate[]): string {
  return gates
    .filter((g) => !g.check.passed)
    .map((g) => `warning: your gate ${escapeTerminal(`${g.name}: ${g.check.explanation}`)}\n`)
    .join('');
}

/**
 * The expression and variable values of a command: `"<expr>" name=value …`, or `--example NAME`
 * (whose values the given assignments override).
 */
export function readInput(args: ParsedArgs, defaultMode: GraphMode): ExpressionInput {
  if (args.flags.has('staged') && args.flags.has('fused')) {
    throw new ChainruleError('bad_argument', 'choose one of --staged and --fused');
  }
  const exampleName = args.flags.get('example');
  let expression: string | undefined;
  let values = new Map<string, NestedArray>();
  let assignments = args.positionals;
  let mode = defaultMode;
  if (typeof exampleName === 'string') {
    const example = findExample(exampleName);
    if (!example) {
      const suggestion = closestName(
        exampleName,
        EXAMPLES.map((e) => e.name),
      );
      throw new ChainruleError(
        'unknown_name',
        `no example named '${exampleName}'${suggestion ? ` — did you mean '${suggestion}'?` : ''} ` +
          `(examples: ${EXAMPLES.map((e) => e.name).join(', ')})`,
      );
    }
    expression = example.expression;
    values = new Map(Object.entries(example.values));
    if (defaultMode === 'staged') mode = example.mode;
  } else if (exampleName === true) {
    throw new ChainruleError('bad_argument', '--example needs a name (see `chainrule examples`)');
  }
  if (expression === undefined || (assignments[0] !== undefined && !assignments[0].includes('='))) {
    if (assignments.length === 0) {
      throw new ChainruleError(
        'bad_argument',
        'give an expression, e.g. chainrule grad "(x+y)*z" x=-2 y=5 z=-4, or --example NAME',
      );
    }
    expression = assignments[0]!;
    assignments = assignments.slice(1);
    if (typeof exampleName === 'string') values = new Map();
  }
  for (const [name, value] of parseAssignments(assignments)) values.set(name, value);
  if (args.flags.has('staged')) mode = 'staged';
  if (args.flags.has('fused')) mode = 'fused';
  const gateText = args.flags.get('gate');
  const gates = typeof gateText === 'string' ? defineGates(gateText) : [];
  return {
    expression,
    values,
    mode,
    gates,
    functions: gates.map((g) => g.function),
    ...(typeof exampleName === 'string' ? { example: exampleName } : {}),
  };
}
