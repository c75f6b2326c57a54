/**
 * The page's reactive state: one signal holding the PageState, and what the library derives from
 * it — the graph snapshot and its step schedule, the last graph that worked, the current frame.
 * Derived values are split by what they depend on, so moving the animation never rebuilds the
 * graph and changing the precision never re-evaluates the expression.
 */
import { computed, signal } from '@preact/signals';
import { ChainruleError, type NestedArray } from '../src/index.js';
import {
  formatWithCaret,
  parseValue,
  type FunctionSpec,
  type GraphMode,
} from '../src/expr/index.js';
import {
  autoView,
  buildView,
  defineGate,
  flatView,
  frameAt,
  schedule,
  snapshotExpression,
  snapshotUnrolled,
  type CustomGate,
  type FrameState,
  type GraphSnapshot,
  type GraphView,
  type Step,
} from '../src/graph/index.js';
import { resolveStep } from './player.js';
import { nextQuestion } from './quiz.js';
import { defaultState, variablesOfText, type PageState } from './state.js';

/** The value a variable gets when it first appears in the expression. */
export const NEW_VARIABLE_VALUE = '1';

export interface Graph {
  snapshot: GraphSnapshot;
  steps: Step[];
  /** The parsed variable values the snapshot was built from (for the gradient check). */
  bindings: ReadonlyMap<string, NestedArray>;
  /** Whether the snapshot is the unrolled one (scalar gates). */
  unrolled: boolean;
  /** Why the unroll switch could not be followed (the vectorized graph is shown instead). */
  notice?: string;
}

/** Why there is no graph: a message (with a caret when it points into the expression). */
export interface GraphError {
  message: string;
  /** The variable whose value text is wrong, when that is the problem. */
  variable?: string;
}

export type Attempt = { ok: true; graph: Graph } | { ok: false; errors: GraphError[] };

export const state = signal<PageState>(defaultState());
/** A message about the link the page was opened with (a malformed or hostile hash). */
export const linkNotice = signal<string | null>(null);

/** Replaces some fields of the state. */
export function update(patch: Partial<PageState>): void {
  state.value = { ...state.value, ...patch };
}

function describe(e: unknown): string {
  if (e instanceof ChainruleError) return formatWithCaret(e);
  return e instanceof Error ? e.message : String(e);
}

/** Parses every value and builds the snapshot; all problems are returned, none thrown. */
export function attemptGraph(
  expr: string,
  values: ReadonlyMap<string, string>,
  mode: GraphMode,
  unroll = false,
  functions: readonly FunctionSpec[] = [],
): Attempt {
  const names = variablesOfText(expr, functions) ?? [];
  const bindings = new Map<string, NestedArray>();
  const errors: GraphError[] = [];
  for (const name of names) {
    try {
      bindings.set(name, parseValue(values.get(name) ?? NEW_VARIABLE_VALUE));
    } catch (e) {
      errors.push({ variable: name, message: describe(e) });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  let notice: string | undefined;
  if (unroll && functions.length === 0) {
    try {
      const snapshot = snapshotUnrolled(expr, bindings, { mode });
      return { ok: true, graph: { snapshot, steps: schedule(snapshot), bindings, unrolled: true } };
    } catch (e) {
      // Not unrollable (too big, or an op without a scalar form): show it vectorized, and say why.
      notice = `Not unrolled: ${describe(e)}`;
    }
  }
  try {
    const snapshot = snapshotExpression(expr, bindings, { mode, functions });
    const graph: Graph = { snapshot, steps: schedule(snapshot), bindings, unrolled: false };
    if (notice !== undefined) graph.notice = notice;
    return { ok: true, graph };
  } catch (e) {
    return { ok: false, errors: [{ message: describe(e) }] };
  }
}

// Narrow views of the state: each changes only when its field does, so what depends on the
// expression is not recomputed when the learner steps or changes the precision.
export const expr = computed(() => state.value.expr);
export const values = computed(() => state.value.values);
export const mode = computed(() => state.value.mode);
export const precision = computed(() => state.value.precision);
export const quiz = computed(() => state.value.quiz);
export const openGroups = computed(() => state.value.open);
export const unroll = computed(() => state.value.unroll);
export const embed = computed(() => state.value.embed);
export const gateDefinitions = computed(() => state.value.gates);

/** The learner's gates, each defined (and its derivative checked) by the library. */
export const customGates = computed<CustomGate[]>(() =>
  gateDefinitions.value.flatMap((d) => {
    try {
      return [defineGate(d)];
    } catch {
      return [];
    }
  }),
);
/** What the expression parser is given beyond its built-ins. */
export const functions = computed(() => customGates.value.map((g) => g.function));

export const attempt = computed(() => {
  performance.mark('chainrule:graph-start');
  const a = attemptGraph(expr.value, values.value, mode.value, unroll.value, functions.value);
  performance.measure('chainrule:graph', 'chainrule:graph-start');
  return a;
});

let lastGood: Graph | null = null;
/** The graph on screen: the current one, or the last one that worked while there are errors. */
export const graph = computed<Graph | null>(() => {
  const a = attempt.value;
  if (a.ok) lastGood = a.graph;
  return lastGood;
});
export const errors = computed(() => (attempt.value.ok ? [] : attempt.value.errors));

/**
 * What the picture shows of the graph: every node, or groups closed into boxes (the state's
 * `open`). A big graph opens collapsed (autoView) so that about 150 nodes are drawn.
 */
export const view = computed<GraphView | null>(() => {
  const g = graph.value;
  if (!g) return null;
  const open = openGroups.value;
  if (open === 'auto') return autoView(g.snapshot);
  if (open === 'flat') return flatView(g.snapshot);
  return buildView(g.snapshot, { grouped: true, open });
});

export const length = computed(() => graph.value?.steps.length ?? 0);
/** Steps done, clamped to the graph on screen. */
export const position = computed(() => resolveStep(state.value.step, length.value));

export const frame = computed<FrameState | null>(() => {
  const g = graph.value;
  return g ? frameAt(g.snapshot, g.steps, position.value) : null;
});

/** Moves the animation; the last step is stored as 'end' so it stays the end when edits grow the graph. */
export function seek(index: number): void {
  const n = length.value;
  const k = resolveStep(index, n);
  update({ step: k >= n ? 'end' : k });
}

/** In quiz mode: the step the learner is asked about (steps.length when the quiz is over). */
export const question = computed<number | null>(() => {
  const g = graph.value;
  if (!quiz.value || !g) return null;
  return nextQuestion(g.snapshot, g.steps, position.value);
});
