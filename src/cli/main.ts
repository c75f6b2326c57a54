#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ChainruleError, formatWithCaret } from '../core/errors.js';
import { closestName } from '../expr/suggest.js';
import { checkCommand } from './commands/check.js';
import { examplesCommand } from './commands/examples.js';
import { gradCommand } from './commands/grad.js';
import { graphCommand } from './commands/graph.js';
import { processIo, type Command, type Io } from './io.js';
import { evalCommand } from './commands/eval.js';
import { predictCommand } from './commands/predict.js';
import { trainCommand } from './commands/train.js';

export const COMMANDS: readonly Command[] = [
  gradCommand,
  graphCommand,
  checkCommand,
  examplesCommand,
  trainCommand,
  evalCommand,
  predictCommand,
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
export function main(argv: readonly string[], io: Io = processIo): number | Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
      io.stdout((topic ? topic.help() : usage()) + '\n');
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
    const code = command.run(rest, io);
    return typeof code === 'number' ? code : code.catch((error: unknown) => report(error, io));
  } catch (error) {
    return report(error, io);
  }
}

/** An error as the user sees it: a message for ChainruleErrors (exit 1), a stack for bugs (2). */
function report(error: unknown, io: Io): number {
  if (error instanceof ChainruleError) {
    io.stderr(`chainrule: ${error.code.replaceAll('_', ' ')}: ${formatWithCaret(error)}\n`);
    return 1;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  io.stderr(`chainrule: internal error: ${e.message}\n${e.stack ?? ''}\nPlease report this.\n`);
  return 2;
}

// Run when executed as the binary (also through npm's bin symlink), not when imported.
const invoked = process.argv[1] ? realpathSync(process.argv[1]) : '';
if (invoked === fileURLToPath(import.meta.url)) {
  void Promise.resolve(main(process.argv.slice(2))).then((code) => (process.exitCode = code));
}
