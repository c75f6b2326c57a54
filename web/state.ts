/**
 * The page state and its URL-hash form. The state is described once, as a table of fields; the
 * two pure functions below read and write every field from that table, so adding a setting is
 * one row. Nothing here touches the DOM or `window`: only main.ts reads and writes the location.
 *
 * The hash is untrusted input (anyone can send a link), so `parse` is total: any string gives
 * either a valid state or the default state with a message saying what was wrong. Nothing in a
 * hash is ever executed — the expression is only read by the library's parser.
 */
import { ChainruleError } from '../src/index.js';
import {
  findExample,
  formatWithCaret,
  GRAPH_MODES,
  parse as parseExpression,
  parseValue,
  variablesOf,
  type FunctionSpec,
  type GraphMode,
} from '../src/expr/index.js';
import { defineGate, parseGateDefinitions, type GateDefinition } from '../src/graph/index.js';

/**
 * Which groups the picture opens: `auto` (the whole graph when it is small, else collapsed to
 * about 150 nodes), `flat` (every node, no groups drawn), `all` (every group open, in frames),
 * or the list of open group ids (`g0`, `g3`; an empty list closes every group).
 */
export type OpenGroups = 'auto' | 'flat' | 'all' | readonly string[];

export interface PageState {
  /** The expression as typed (possibly not parseable while the learner edits it). */
  expr: string;
  /** Each variable's value as text (`-1`, `[[1, 2], [3, 4]]`), in order of first appearance. */
  values: ReadonlyMap<string, string>;
  mode: GraphMode;
  /** Decimals shown on the wires. */
  precision: number;
  /** Steps of the animation done; 'end' is the finished picture whatever the graph's length. */
  step: number | 'end';
  /** Quiz mode: gradients hidden until the learner types them. */
  quiz: boolean;
  /** Which groups are open (see OpenGroups). */
  open: OpenGroups;
  /** Tensor ops unrolled into their scalar gates (a 2×2 matmul into its × and + gates). */
  unroll: boolean;
  /** Embed mode (`embed=1`): only the graph and the player, for an iframe or a slide. */
  embed: boolean;
  /** The learner's own gates, usable in the expression (`softsign(x)`). */
  gates: readonly Required<GateDefinition>[];
}

export type ParseResult =
  { ok: true; state: PageState } | { ok: false; state: PageState; error: string };

/** Longer hashes are refused before any parsing: a link is not a place for megabytes. */
export const MAX_HASH_LENGTH = 20_000;
export const MAX_EXPR_LENGTH = 4_000;
export const MAX_VALUE_LENGTH = 4_000;
export const MAX_PRECISION = 6;
export const MAX_STEP = 1_000_000;
/** Hash keys of variable values: `v.w0=2`, so a variable called `mode` cannot clash with a field. */
export const VALUE_PREFIX = 'v.';
/** At most this many open groups in a link (a big graph has a few hundred groups). */
export const MAX_OPEN_GROUPS = 2_000;
/** At most this many custom gates, and this much text for all of them, in a link. */
export const MAX_GATES = 8;
export const MAX_GATES_LENGTH = 2_000;

const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** Thrown by a field's reader; the message is shown to the learner as is. */
class FieldError extends Error {}

/** One scalar setting: its hash key, its default, and how to read and write it as text. */
interface Field<K extends keyof PageState> {
  key: K;
  param: string;
  read(text: string): PageState[K];
  write(value: PageState[K]): string;
  /** Left out of the hash when it holds this (settings most links never use). */
  omit?: string;
}

function integer(param: string, min: number, max: number, text: string): number {
  if (!/^\d{1,7}$/.test(text) || Number(text) < min || Number(text) > max)
    throw new FieldError(`'${param}' must be a whole number from ${min} to ${max}`);
  return Number(text);
}

/** The scalar fields, in the order they are written. The variable values follow them. */
const FIELDS: readonly [
  Field<'expr'>,
  Field<'mode'>,
  Field<'precision'>,
  Field<'step'>,
  Field<'quiz'>,
  Field<'open'>,
  Field<'unroll'>,
  Field<'embed'>,
] = [
  {
    key: 'expr',
    param: 'expr',
    // Checked again with the link's gates once they are read (see `read`).
    read: (text) => text,
    write: (v) => v,
  },
  {
    key: 'mode',
    param: 'mode',
    read: (text) => {
      const mode = GRAPH_MODES.find((m) => m === text);
      if (mode === undefined)
        throw new FieldError(`'mode' must be ${GRAPH_MODES.map((m) => `'${m}'`).join(' or ')}`);
      return mode;
    },
    write: (v) => v,
  },
  {
    key: 'precision',
    param: 'precision',
    read: (text) => integer('precision', 0, MAX_PRECISION, text),
    write: (v) => String(v),
  },
  {
    key: 'step',
    param: 'step',
    read: (text) => (text === 'end' ? 'end' : integer('step', 0, MAX_STEP, text)),
    write: (v) => String(v),
  },
  {
    key: 'quiz',
    param: 'quiz',
    read: (text) => {
      if (text !== '0' && text !== '1') throw new FieldError("'quiz' must be 0 or 1");
      return text === '1';
    },
    write: (v) => (v ? '1' : '0'),
  },
  {
    key: 'open',
    param: 'open',
    read: (text) => {
      if (text === 'auto' || text === 'flat' || text === 'all') return text;
      if (text === '') return [];
      const ids = text.split(',');
      if (ids.length > MAX_OPEN_GROUPS || !ids.every((id) => /^g\d{1,6}$/.test(id)))
        throw new FieldError(
          "'open' must be auto, flat, all, or group ids separated by commas (g0,g3)",
        );
      return [...new Set(ids)];
    },
    write: (v) => (typeof v === 'string' ? v : v.join(',')),
  },
  {
    key: 'unroll',
    param: 'unroll',
    read: (text) => {
      if (text !== '0' && text !== '1') throw new FieldError("'unroll' must be 0 or 1");
      return text === '1';
    },
    write: (v) => (v ? '1' : '0'),
  },
  {
    key: 'embed',
    param: 'embed',
    read: (text) => {
      if (text !== '0' && text !== '1') throw new FieldError("'embed' must be 0 or 1");
      return text === '1';
    },
    write: (v) => (v ? '1' : '0'),
    omit: '0',
  },
];

/** Custom gates as a link writes them: `softsign(x) = x/(1+abs(x)); d/dx = 1/(1+abs(x))^2; …`. */
export function gatesText(gates: readonly Required<GateDefinition>[]): string {
  return gates
    .map((g) => `${g.name}(${g.variable}) = ${g.forward}; d/d${g.variable} = ${g.derivative}`)
    .join('; ');
}

/**
 * Reads the gates of a link: each one defined by the library (names, formulas and variables
 * checked by its parser, never evaluated as code), at most MAX_GATES of them, no name twice.
 * A gate whose derivative is wrong is kept: the page shows the check that catches it.
 */
function readGates(text: string): Required<GateDefinition>[] {
  if (text.length > MAX_GATES_LENGTH)
    throw new FieldError(`'gates' is longer than ${MAX_GATES_LENGTH} characters`);
  if (text.trim() === '') return [];
  let definitions: Required<GateDefinition>[];
  try {
    definitions = parseGateDefinitions(text) as Required<GateDefinition>[];
  } catch (e) {
    throw new FieldError(`the gates cannot be read: ${describe(e)}`);
  }
  if (definitions.length > MAX_GATES) throw new FieldError(`at most ${MAX_GATES} gates`);
  for (const d of definitions) {
    try {
      defineGate(d);
    } catch (e) {
      throw new FieldError(`the gate '${d.name}' cannot be read: ${describe(e)}`);
    }
  }
  const names = new Set<string>();
  for (const d of definitions) {
    if (names.has(d.name)) throw new FieldError(`the gate '${d.name}' is defined twice`);
    names.add(d.name);
  }
  return definitions.map(({ name, variable, forward, derivative }) => ({
    name,
    variable,
    forward,
    derivative,
  }));
}

/** The function table entries of the gates (for the expression parser). */
export function gateFunctions(gates: readonly Required<GateDefinition>[]): FunctionSpec[] {
  const out: FunctionSpec[] = [];
  for (const g of gates) {
    try {
      out.push(defineGate(g).function);
    } catch {
      // Checked when read: a gate that cannot be defined is simply not offered.
    }
  }
  return out;
}

/** Throws a FieldError with the parser's message (and caret) when `text` is not an expression. */
function checkExpression(text: string, functions: readonly FunctionSpec[] = []): void {
  if (text.length > MAX_EXPR_LENGTH)
    throw new FieldError(`the expression is longer than ${MAX_EXPR_LENGTH} characters`);
  try {
    parseExpression(text, { functions });
  } catch (e) {
    throw new FieldError(`the expression cannot be read: ${describe(e)}`);
  }
}

function describe(e: unknown): string {
  if (e instanceof ChainruleError) return formatWithCaret(e);
  // A parser bug or a stack overflow on absurd nesting: still a message, never a crash.
  return e instanceof Error ? e.message : String(e);
}

/** The value text written for a number or a nested array (parseValue reads it back). */
export function valueText(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** The variables of an expression in order of first appearance, or null when it does not parse. */
export function variablesOfText(
  expr: string,
  functions: readonly FunctionSpec[] = [],
): string[] | null {
  try {
    return variablesOf(parseExpression(expr, { functions }));
  } catch {
    return null;
  }
}

/**
 * The page as it opens: the CS231n sigmoid neuron, staged, at step 0 (only the inputs known), so
 * the learner presses Play and watches it; a link with `step=` opens where it says.
 */
export function defaultState(): PageState {
  const example = findExample('sigmoid')!;
  return {
    expr: example.expression,
    values: new Map(Object.entries(example.values).map(([k, v]) => [k, valueText(v)])),
    mode: example.mode,
    precision: 2,
    step: 0,
    quiz: false,
    open: 'auto',
    unroll: false,
    embed: false,
    gates: [],
  };
}

/**
 * Reads a URL hash (with or without its `#`). Missing fields keep their defaults; an unknown key,
 * a repeated key or any invalid field gives the default state and a message naming the problem.
 *
 * @example
 * parse('#expr=x*y&v.x=3&v.y=-4').state.values // Map { 'x' => '3', 'y' => '-4' }
 * parse('#expr=<script>').ok                   // false
 */
export function parse(hash: string): ParseResult {
  try {
    return { ok: true, state: read(hash) };
  } catch (e) {
    const text = e instanceof FieldError ? e.message : describe(e);
    const reason = text.charAt(0).toUpperCase() + text.slice(1);
    return {
      ok: false,
      state: defaultState(),
      error: `This link could not be read, so the default example is shown instead.\n${reason}`,
    };
  }
}

function read(hash: string): PageState {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  if (text.length > MAX_HASH_LENGTH)
    throw new FieldError(`it is longer than ${MAX_HASH_LENGTH} characters`);
  const state = { ...defaultState() };
  if (text.trim() === '') return state;

  const seen = new Set<string>();
  const given = new Map<string, string>();
  const fields = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(text)) {
    if (seen.has(key)) throw new FieldError(`'${key}' is given twice`);
    seen.add(key);
    if (key.startsWith(VALUE_PREFIX)) {
      const name = key.slice(VALUE_PREFIX.length);
      if (!IDENTIFIER.test(name)) throw new FieldError(`'${name}' is not a variable name`);
      if (value.length > MAX_VALUE_LENGTH)
        throw new FieldError(`the value of '${name}' is too long`);
      try {
        parseValue(value);
      } catch (e) {
        throw new FieldError(`the value of '${name}' cannot be read: ${describe(e)}`);
      }
      given.set(name, value);
    } else if (key === 'gates' || FIELDS.some((f) => f.param === key)) {
      fields.set(key, value);
    } else {
      throw new FieldError(`'${key}' is not a setting of this page`);
    }
  }
  for (const field of FIELDS) {
    const raw = fields.get(field.param);
    if (raw !== undefined) Object.assign(state, { [field.key]: field.read(raw) });
  }
  const gates = fields.get('gates');
  if (gates !== undefined) state.gates = readGates(gates);
  const functions = gateFunctions(state.gates);
  checkExpression(state.expr, functions);
  // A link that names its own expression brings its own values; otherwise they adjust the default.
  const values = new Map(fields.has('expr') ? [] : state.values);
  for (const [name, value] of given) values.set(name, value);
  state.values = orderValues(state.expr, values, functions);
  return state;
}

/**
 * The values of exactly the expression's variables, in their order of first appearance. Throws a
 * FieldError naming a missing value or a value for a name that is not a variable.
 */
function orderValues(
  expr: string,
  values: ReadonlyMap<string, string>,
  functions: readonly FunctionSpec[],
): Map<string, string> {
  const names = variablesOfText(expr, functions) ?? [];
  for (const name of values.keys()) {
    if (!names.includes(name))
      throw new FieldError(
        `a value is given for '${name}', which is not a variable of the expression`,
      );
  }
  const out = new Map<string, string>();
  for (const name of names) {
    const value = values.get(name);
    if (value === undefined) throw new FieldError(`the variable '${name}' has no value`);
    out.set(name, value);
  }
  return out;
}

/**
 * Writes a state as a URL hash (with its `#`); `parse` reads it back to the same state.
 *
 * @example
 * serialize(defaultState()) // '#expr=1%2F%281%2Bexp…&mode=staged&precision=2&step=0&quiz=0&open=auto&unroll=0&v.w0=2…'
 */
export function serialize(state: PageState): string {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const text = writeField(field, state);
    if (text !== field.omit) params.set(field.param, text);
  }
  if (state.gates.length > 0) params.set('gates', gatesText(state.gates));
  for (const [name, value] of state.values) params.set(VALUE_PREFIX + name, value);
  return `#${params.toString()}`;
}

function writeField<K extends keyof PageState>(field: Field<K>, state: PageState): string {
  return field.write(state[field.key]);
}
