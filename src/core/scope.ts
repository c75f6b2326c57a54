/**
 * Scopes name the parts of a computation (a named step `dot = …`, a neuron, a layer, a module),
 * so that a graph view can group the gates made inside one and collapse them into a single box.
 * The core only records which scope was open when a node was made; views decide what to draw.
 */
import { badArgument } from './errors.js';
import { checkChoice, checkFunction, describe } from './validate.js';

/** What a scope stands for; views may draw kinds differently. */
export type ScopeKind = 'step' | 'neuron' | 'layer' | 'module';

/** One open scope. Each `withScope` call makes a new one, so two calls are two groups. */
export interface Scope {
  readonly name: string;
  readonly kind: ScopeKind;
  readonly parent: Scope | null;
}

const SCOPE_KINDS: readonly ScopeKind[] = ['step', 'neuron', 'layer', 'module'];

let current: Scope | null = null;

/** The innermost open scope, or null outside every scope. */
export function currentScope(): Scope | null {
  return current;
}

/**
 * Runs `fn` with a new scope open: every graph node made inside it (tensor ops and scalar Values)
 * records the scope, and snapshots turn scopes into groups.
 *
 * @example
 * const y = withScope('dot', 'step', () => add(mul(w, x), b));
 * toSnapshot(y).groups // [{ id: 'g0', kind: 'step', label: 'dot' }]
 */
export function withScope<T>(name: string, kind: ScopeKind, fn: () => T): T {
  if (typeof name !== 'string') {
    throw badArgument('withScope', `argument name must be a string, got ${describe(name)}`);
  }
  checkChoice('withScope', 'kind', kind, SCOPE_KINDS);
  checkFunction('withScope', 'fn', fn);
  const previous = current;
  current = { name, kind, parent: previous };
  try {
    return fn();
  } finally {
    current = previous;
  }
}
