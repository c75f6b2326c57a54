import { ChainruleError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import { closestName } from '../expr/suggest.js';

/** What a flag takes: nothing (a switch) or a value. */
export type FlagKind = 'switch' | 'value';

export interface FlagSpec {
  name: string;
  kind: FlagKind;
  /** A one-letter alias (`o` for `-o`). */
  short?: string;
  /** Help text; `<X>` in it names the value. */
  help: string;
}

export interface ParsedArgs {
  flags: Map<string, string | true>;
  positionals: string[];
}

/**
 * Splits argv into flags and positionals by the command's flag table. Hand-written rather than
 * node:util's parseArgs because expressions may start with a minus (`chainrule grad "-x*y"`):
 * anything that is not a known flag is a positional. Unknown `--flags` are errors with the
 * closest known flag suggested.
 */
export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positionals: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      spec = byName.get(name);
      if (!spec) {
        const suggestion = closestName(name, byName.keys());
        throw new ChainruleError(
          'bad_argument',
          `unknown option --${name}${suggestion ? ` — did you mean --${suggestion}?` : ''} (see --help)`,
        );
      }
    } else if (/^-[A-Za-z]$/.test(arg) && byShort.has(arg[1]!)) {
      spec = byShort.get(arg[1]!);
    }
    if (!spec) {
      positionals.push(arg);
      continue;
    }
    if (spec.kind === 'switch') {
      if (inline !== undefined)
        throw new ChainruleError('bad_argument', `--${spec.name} takes no value`);
      flags.set(spec.name, true);
    } else {
      const v = inline ?? argv[++i];
      if (v === undefined)
        throw new ChainruleError('bad_argument', `--${spec.name} needs a value (see --help)`);
      flags.set(spec.name, v);
    }
  }
  return { flags, positionals };
}

/** A flag's text (undefined when it is absent). */
export function textFlag(args: ParsedArgs, name: string): string | undefined {
  const raw = args.flags.get(name);
  if (raw === true) throw new ChainruleError('bad_argument', `--${name} needs a value`);
  return raw;
}

/** The values a number flag takes: [min, max], whole numbers with `integer`. */
export interface FlagRange {
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
  /** Where the range is documented, when it is one of the documented limits. */
  readonly see?: string;
}

/** A flag's value as an integer in [lo, hi], or a clear error. */
export function integerFlag(
  args: ParsedArgs,
  name: string,
  fallback: number,
  lo: number,
  hi: number,
): number {
  return numberFlag(args, name, fallback, { min: lo, max: hi, integer: true });
}

/** Ranges of the graph command's numeric flags, from the documented limits (docs/limits.md). */
export const FLAG_RANGES = {
  scale: { min: LIMITS.minScale, max: LIMITS.maxScale, see: 'docs/limits.md' },
  step: { min: LIMITS.minStepSeconds, max: LIMITS.maxStepSeconds, see: 'docs/limits.md' },
  hold: { min: 0, max: LIMITS.maxHoldSeconds, see: 'docs/limits.md' },
} as const;

/**
 * A flag's value as a number in `range` (both ends included), or, without a range, as a positive
 * number; anything else is a clear error.
 */
export function numberFlag(
  args: ParsedArgs,
  name: string,
  fallback: number,
  range?: FlagRange,
): number {
  const raw = args.flags.get(name);
  if (raw === undefined) return fallback;
  const n = raw === true || raw.trim() === '' ? NaN : Number(raw);
  const ok =
    Number.isFinite(n) &&
    (range ? n >= range.min && n <= range.max && (!range.integer || Number.isInteger(n)) : n > 0);
  if (!ok) {
    const kind = range?.integer ? 'a whole number' : 'a number';
    const want = range ? `${kind} from ${range.min} to ${range.max}` : 'a positive number';
    const see = range?.see ? ` (see ${range.see})` : '';
    throw new ChainruleError(
      'bad_argument',
      `--${name} must be ${want}, got '${String(raw)}'${see}`,
    );
  }
  return n;
}

/** An optional number flag: undefined when it is absent, else as numberFlag. */
export function optionalNumberFlag(
  args: ParsedArgs,
  name: string,
  range: FlagRange,
): number | undefined {
  return args.flags.has(name) ? numberFlag(args, name, range.min, range) : undefined;
}

/** A flag that must be one of `choices`. */
export function choiceFlag<T extends string>(
  args: ParsedArgs,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = args.flags.get(name);
  if (raw === undefined) return fallback;
  if (raw === true || !choices.includes(raw as T)) {
    const suggestion = raw === true ? undefined : closestName(raw, choices);
    throw new ChainruleError(
      'bad_argument',
      `--${name} must be one of ${choices.join(', ')}, got '${String(raw)}'` +
        (suggestion ? ` — did you mean ${suggestion}?` : ''),
    );
  }
  return raw as T;
}
