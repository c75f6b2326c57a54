#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { ChainruleError, escapeControls, formatWithCaret } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import { closestName } from '../expr/suggest.js';
import { processIo, type Command, type Io } from './io.js';

/** A command as the CLI lists it; its module (and what it imports) loads only when it runs. */
export interface CommandEntry {
  name: string;
  /** One line for `chainrule --help`. */
  summary: string;
  load: () => Promise<Command>;
}

// One line per command. Lazy, so that `chainrule grad` starts without the PNG renderer (a native
// addon), the layout library or the GIF encoder that `graph` needs.
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'grad',
    summary: 'the value of an expression and its gradient with respect to every variable',
    load: () => import('./commands/grad.js').then((m) => m.gradCommand),
  },
  {
    name: 'graph',
    summary: 'draw the computational graph with values (green) and gradients (red)',
    load: () => import('./commands/graph.js').then((m) => m.graphCommand),
  },
  {
    name: 'check',
    summary: 'compare backprop gradients with centered differences (CS231n gradient check)',
    load: () => import('./commands/check.js').then((m) => m.checkCommand),
  },
  {
    name: 'examples',
    summary: 'list the built-in worked examples (use one with --example NAME)',
    load: () => import('./commands/examples.js').then((m) => m.examplesCommand),
  },
  {
    name: 'train',
    summary: 'train a network on spiral, moons, MNIST or a CSV; save weights, history and plots',
    load: () => import('./commands/train.js').then((m) => m.trainCommand),
  },
  {
    name: 'eval',
    summary: 'accuracy, confusion matrix and per-class accuracy of a saved model',
    load: () => import('./commands/eval.js').then((m) => m.evalCommand),
  },
  {
    name: 'predict',
    summary: 'the class a saved model predicts for points or CSV rows',
    load: () => import('./commands/predict.js').then((m) => m.predictCommand),
  },
];

const VERSION = '0.1.0';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `chainrule — backpropagation you can run, see and trust

Usage: chainrule <command> [arguments] [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`).join('\n')}

Run 'chainrule <command> --help' for its options. Start with:
  chainrule graph --example sigmoid
  chainrule grad "(x+y)*z" x=-2 y=5 z=-4`;
}

/**
 * Runs the CLI on `argv` (without node and the script). Exit codes: 0 ok; 1 a user error,
 * shown as a message (with a caret under the column for expressions), never a stack trace;
 * 2 an internal error (a bug: the stack is shown so it can be reported).
 */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
      io.stdout((topic ? (await topic.load()).help() : usage()) + '\n');
      return 0;
    }
    if (name === '--version' || name === '-v') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      const suggestion = closestName(
        name,
        COMMANDS.map((c) => c.name),
      );
      throw new ChainruleError(
        'bad_argument',
        `unknown command '${name}'${suggestion ? ` — did you mean '${suggestion}'?` : ''} ` +
          `(commands: ${COMMANDS.map((c) => c.name).join(', ')})`,
      );
    }
    return await (await command.load()).run(rest, io);
  } catch (error) {
    return reportError(error, io);
  }
}

/**
 * Writes an error to stderr and returns the exit code: 1 for a user error (a short message,
 * control characters shown visibly, long lines clipped), 2 for an internal one (a bug: the stack
 * is shown so that it can be reported), whatever type it was thrown as.
 */
export function reportError(error: unknown, io: Io): number {
  if (error instanceof ChainruleError && error.code !== 'internal') {
    const text = `chainrule: ${error.code.replaceAll('_', ' ')}: ${formatWithCaret(error)}`;
    io.stderr(clipLines(escapeControls(text)) + '\n');
    return 1;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  const text = `chainrule: internal error: ${e.message}\n${e.stack ?? ''}\nPlease report this.`;
  io.stderr(clipLines(escapeControls(text)) + '\n');
  return 2;
}

/** Cuts the middle out of lines longer than LIMITS.messageLineChars code points. */
function clipLines(text: string): string {
  const max = LIMITS.messageLineChars;
  return text
    .split('\n')
    .map((line) => {
      const chars = Array.from(line);
      if (chars.length <= max) return line;
      const keep = Math.floor(max / 2);
      return `${chars.slice(0, keep).join('')} … (${chars.length - 2 * keep} characters) … ${chars.slice(-keep).join('')}`;
    })
    .join('\n');
}

// Run when executed as the binary (also through npm's bin symlink), not when imported.
const invoked = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (invoked === fileURLToPath(import.meta.url)) {
  // Node 22+ keeps compiled code between runs (commands load after this line); Node 20 lacks it.
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  process.exitCode = await main(process.argv.slice(2));
}
