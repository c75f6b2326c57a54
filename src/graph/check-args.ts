/**
 * The argument checks of the graph, expression-picture and renderer functions: snapshots, views,
 * snapshot values and precisions. A snapshot is plain data (it may come from JSON or a link), so
 * one that is not one — a wire to a node that does not exist, a circle of wires, a repeated id —
 * is refused here, naming the function the user called, before any code walks it.
 */
import { badArgument } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import { checkInteger, checkOptions, describe } from '../core/validate.js';
import type { GraphView } from './view.js';
import type { GraphSnapshot, NestedArray } from './types.js';

/** The most decimals a number is printed with (toFixed allows 100; equations add 6 more). */
export const MAX_PRECISION = 20;

/** A precision (decimals), 2 when left out. */
export function checkPrecision(fn: string, v: unknown, name = 'precision'): number {
  if (v === undefined) return 2;
  return checkInteger(fn, name, v, 0, MAX_PRECISION);
}

/** A number or a (nested) list of numbers, at most LIMITS.maxRank deep and maxTensorSize long. */
export function checkNested(fn: string, name: string, v: unknown): NestedArray {
  const what = name.includes('.') ? name : `argument ${name}`;
  const stack: [unknown, number][] = [[v, 0]];
  let count = 0;
  while (stack.length > 0) {
    const [x, depth] = stack.pop()!;
    if (typeof x === 'number') {
      count++;
      continue;
    }
    if (!Array.isArray(x)) {
      throw badArgument(fn, `${what} must be a number or a list of numbers, got ${describe(x)}`);
    }
    if (depth >= LIMITS.maxRank) {
      throw badArgument(fn, `${what} nests deeper than ${LIMITS.maxRank} levels`);
    }
    count += x.length;
    if (count > LIMITS.maxTensorSize) {
      throw badArgument(fn, `${what} holds more than ${LIMITS.maxTensorSize} numbers`);
    }
    for (const y of x as unknown[]) stack.push([y, depth + 1]);
  }
  return v as NestedArray;
}

/**
 * Groups nest at most this deep (a module, its layers, their neurons, their steps and sums need
 * a handful): the first view opens groups level by level, and a chain of thousands would cost
 * a view per level.
 */
export const MAX_GROUP_DEPTH = 64;

const validSnapshots = new WeakSet<object>();

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A graph snapshot, or a clear error: nodes and wires in lists, unique string ids, every wire
 * between two nodes of the snapshot and the wires without a circle, the root one of the nodes,
 * groups with ids and known parents. Checked once per snapshot object (snapshots are not edited
 * after they are made).
 */
export function checkSnapshot(fn: string, v: unknown, name = 'snapshot'): GraphSnapshot {
  if (isObject(v) && validSnapshots.has(v)) return v as unknown as GraphSnapshot;
  const bad = (why: string) =>
    badArgument(fn, `argument ${name} is not a graph snapshot (from toSnapshot): ${why}`);
  if (!isObject(v)) throw bad(`got ${describe(v)}`);
  const { nodes, edges, groups, root } = v;
  if (!Array.isArray(nodes)) throw bad(`its nodes are ${describe(nodes)}, not a list`);
  if (!Array.isArray(edges)) throw bad(`its edges are ${describe(edges)}, not a list`);
  if (groups !== undefined && !Array.isArray(groups)) {
    throw bad(`its groups are ${describe(groups)}, not a list`);
  }
  const ids = new Set<string>();
  for (const n of nodes as unknown[]) {
    if (!isObject(n) || typeof n.id !== 'string') throw bad(`a node is ${describe(n)}`);
    if (ids.has(n.id)) throw bad(`the node id ${JSON.stringify(n.id)} is used twice`);
    if (typeof n.op !== 'string' || typeof n.label !== 'string' || !Array.isArray(n.shape)) {
      throw bad(`node ${JSON.stringify(n.id)} has no op, label or shape`);
    }
    if (n.group !== undefined && typeof n.group !== 'string') {
      throw bad(`node ${JSON.stringify(n.id)} has a group that is not an id`);
    }
    ids.add(n.id);
  }
  if (typeof root !== 'string' || !ids.has(root))
    throw bad(`its root ${JSON.stringify(root) ?? describe(root)} is not one of its nodes`);
  const edgeIds = new Set<string>();
  const users = new Map<string, string[]>();
  for (const e of edges as unknown[]) {
    if (!isObject(e) || typeof e.id !== 'string') throw bad(`a wire is ${describe(e)}`);
    if (edgeIds.has(e.id)) throw bad(`the wire id ${JSON.stringify(e.id)} is used twice`);
    edgeIds.add(e.id);
    if (
      typeof e.from !== 'string' ||
      !ids.has(e.from) ||
      typeof e.to !== 'string' ||
      !ids.has(e.to)
    ) {
      throw bad(`wire ${JSON.stringify(e.id)} does not run between two of its nodes`);
    }
    const list = users.get(e.from);
    if (list) list.push(e.to);
    else users.set(e.from, [e.to]);
  }
  // Kahn's algorithm: a graph of chainrule has no circle of wires (every walk would loop).
  const indegree = new Map<string, number>();
  for (const e of edges as { to: string }[]) indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
  const ready = [...ids].filter((id) => !indegree.has(id));
  let seen = 0;
  for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
    seen++;
    for (const u of users.get(id) ?? []) {
      const d = indegree.get(u)! - 1;
      indegree.set(u, d);
      if (d === 0) ready.push(u);
    }
  }
  if (seen !== ids.size) throw bad('its wires run in a circle');
  const depth = new Map<string, number>();
  for (const g of (groups ?? []) as unknown[]) {
    if (!isObject(g) || typeof g.id !== 'string' || typeof g.label !== 'string') {
      throw bad(`a group is ${describe(g)}`);
    }
    if (g.parent !== undefined && typeof g.parent !== 'string') {
      throw bad(`group ${JSON.stringify(g.id)} has a parent that is not an id`);
    }
    // A parent is known only when it comes first (as snapshots list them), so no circle.
    const d = g.parent !== undefined && depth.has(g.parent) ? depth.get(g.parent)! + 1 : 0;
    if (d >= MAX_GROUP_DEPTH) throw bad(`its groups nest more than ${MAX_GROUP_DEPTH} deep`);
    if (depth.has(g.id)) throw bad(`the group id ${JSON.stringify(g.id)} is used twice`);
    depth.set(g.id, d);
  }
  validSnapshots.add(v);
  return v as unknown as GraphSnapshot;
}

const views = new WeakSet<object>();

/** Records a view made by buildView (views hold maps and sets: they never come from JSON). */
export function markView<V extends GraphView>(view: V): V {
  views.add(view);
  return view;
}

/** True for a view made by buildView, flatView or autoView. */
export function isView(v: unknown): v is GraphView {
  return isObject(v) && views.has(v);
}

/** A view made by buildView, flatView or autoView, or a clear error. */
export function checkView(fn: string, v: unknown, name = 'view'): GraphView {
  if (isObject(v) && views.has(v)) return v as unknown as GraphView;
  throw badArgument(
    fn,
    `argument ${name} must be a view made by buildView, flatView or autoView, got ${describe(v)}`,
  );
}

/** A snapshot node or wire given as an object with a string id, or a clear error. */
export function checkPart<T>(fn: string, name: string, v: T): T {
  const o = checkOptions(fn, name, v as object);
  if (typeof (o as { id?: unknown }).id !== 'string') {
    throw badArgument(fn, `argument ${name} must be a ${name} of the snapshot, got ${describe(v)}`);
  }
  return v;
}
