import { EXAMPLES } from '../../expr/examples.js';
import { alignColumns } from '../../viz/text.js';
import { parseArgs } from '../args.js';
import type { Command } from '../io.js';

export const examplesCommand: Command = {
  name: 'examples',
  summary: 'list the built-in worked examples (use one with --example NAME)',
  usage: 'chainrule examples',
  help: () => `Lists the built-in worked examples. Load one into any command with --example NAME;
values given after it override the example's.

Usage: ${examplesCommand.usage}`,
  run(argv, io) {
    const args = parseArgs(argv, [
      { name: 'help', kind: 'switch', short: 'h', help: 'show this help' },
    ]);
    if (args.flags.has('help') || args.positionals.length > 0) {
      io.stdout(examplesCommand.help() + '\n');
      return args.flags.has('help') ? 0 : 1;
    }
    const rows = [['name', 'example', 'expression', 'values']];
    for (const e of EXAMPLES) {
      const values = Object.entries(e.values)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(' ');
      rows.push([e.name, e.title, e.expression, values]);
    }
    io.stdout(
      alignColumns(rows, new Set()).join('\n') +
        '\n\nTry: chainrule graph --example sigmoid --format svg -o sigmoid.svg\n',
    );
    return 0;
  },
};
