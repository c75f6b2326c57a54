import type { FlagSpec } from './args.js';

/** The flag table as help lines: `  --precision <N>   decimals shown (default 2)`. */
export function describeFlags(specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const value = s.kind === 'value' ? ` ${/<[A-Z]+>/.exec(s.help)?.[0] ?? '<value>'}` : '';
    const names = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${value}`;
    return [names, s.help.replace(/<([A-Z]+)>/, '$1')];
  });
  const width = Math.max(...rows.map(([n]) => n!.length));
  return rows.map(([n, h]) => `  ${n!.padEnd(width)}   ${h}`).join('\n');
}
