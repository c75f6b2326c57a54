/**
 * Groups found in the structure of a graph, on top of the scopes the code opened (`withScope`):
 * n-ary sums (chains of add gates), dot products (sums of products), neurons (an activation of an
 * affine sum) and layers (neurons at the same depth). A picture can then collapse a 1,000-term
 * sum or a layer of 64 neurons into one box. Big sums are cut into runs of at most
 * `MAX_GROUP_CHILDREN` adds, nested, so that no group ever opens into more than that many parts.
 *
 * This works on a bare description of the graph (op names, inputs, spans) so that both engines
 * (tensors and Values) share it, and it is iterative: a 10,000-term chain cannot overflow the stack.
 */
import type { Span } from '../core/errors.js';
import type { Scope } from '../core/scope.js';
import type { GroupKind, SnapshotGroup } from './types.js';

/** A group before ids are given: kind, label and the index of its parent group (−1: none). */
export interface DraftGroup {
  kind: GroupKind;
  label: string;
  parent: number;
}

/** The graph as group detection sees it; `group` and `groups` are extended in place. */
export interface StructureGraph {
  /** Per vertex, in topological order: the op name of a gate, null for a leaf. */
  op: (string | null)[];
  inputs: number[][];
  span: (Span | undefined)[];
  /** Innermost group of each vertex (index into `groups`), −1 for none. */
  group: number[];
  groups: DraftGroup[];
  /** The source expression, to recognise a staged activation (`sigmoid(…)` as four gates). */
  source?: string;
}

/** No group opens into more parts than this: longer sums are cut into nested runs. */
export const MAX_GROUP_CHILDREN = 32;
/** A chain of adds becomes a group from this many terms on (`a + b` alone stays as it is). */
export const MIN_SUM_TERMS = 3;

const ACTIVATIONS = new Set(['relu', 'tanh', 'sigmoid', 'softplus']);
const STAGED_ACTIVATION = /^\s*(sigmoid|tanh|relu|softplus)\s*\(/;

interface Sum {
  root: number;
  /** The add gates, in topological order. */
  adds: number[];
  /** Products feeding only this sum (they make it a dot product). */
  products: number[];
  terms: number;
  /** The group made for it, or −1 when it is too small to be one. */
  group: number;
}

/** 1000 → '1,000': a fixed format, whatever the locale. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function consumersOf(g: StructureGraph): number[][] {
  const consumers: number[][] = g.op.map(() => []);
  g.inputs.forEach((inputs, v) => {
    for (const u of inputs) consumers[u]!.push(v);
  });
  return consumers;
}

function newGroup(g: StructureGraph, kind: GroupKind, label: string, parent: number): number {
  g.groups.push({ kind, label, parent });
  return g.groups.length - 1;
}

/**
 * Adds the structural groups of a graph to the scope groups it already has: sums, dot products,
 * neurons and layers. A structural group never crosses a scope: its members all sit in the same
 * innermost scope group, which becomes its parent.
 */
export function detectStructure(g: StructureGraph): void {
  const consumers = consumersOf(g);
  const sums = findSums(g, consumers);
  const gates = gatesPerGroup(g);
  for (const sum of sums) {
    if (sum.terms >= MIN_SUM_TERMS && !wholeStep(g, sum, gates)) groupSum(g, sum);
  }
  const neurons = findNeurons(g, consumers, sums);
  groupLayers(g, neurons);
}

function findSums(g: StructureGraph, consumers: number[][]): Sum[] {
  const isAdd = (v: number) => g.op[v] === 'add' && g.inputs[v]!.length === 2;
  // An add whose only use is another add of the same scope is part of that add's sum.
  const mergedInto = (v: number): number => {
    const c = consumers[v]!;
    return isAdd(v) && c.length === 1 && isAdd(c[0]!) && g.group[c[0]!] === g.group[v] ? c[0]! : -1;
  };
  const sums: Sum[] = [];
  for (let root = 0; root < g.op.length; root++) {
    if (!isAdd(root) || mergedInto(root) !== -1) continue;
    const adds: number[] = [];
    const products: number[] = [];
    let terms = 0;
    const stack = [root];
    while (stack.length > 0) {
      const v = stack.pop()!;
      adds.push(v);
      for (const u of g.inputs[v]!) {
        if (mergedInto(u) === v) {
          stack.push(u);
          continue;
        }
        terms++;
        const single = consumers[u]!.length === 1;
        if (g.op[u] === 'mul' && single && g.group[u] === g.group[root]) products.push(u);
      }
    }
    adds.sort((a, b) => a - b);
    products.sort((a, b) => a - b);
    sums.push({ root, adds, products, terms, group: -1 });
  }
  return sums;
}

/** How many gates each group holds directly. */
function gatesPerGroup(g: StructureGraph): Map<number, number> {
  const gates = new Map<number, number>();
  g.op.forEach((op, v) => {
    if (op !== null) gates.set(g.group[v]!, (gates.get(g.group[v]!) ?? 0) + 1);
  });
  return gates;
}

/**
 * Whether a sum is all there is to its named step (`dot = w0*x0 + w1*x1 + w2`): the step's box
 * already shows it, and a second box around the same gates would only add a frame.
 */
function wholeStep(g: StructureGraph, sum: Sum, gates: ReadonlyMap<number, number>): boolean {
  const scope = g.group[sum.root]!;
  if (scope === -1 || g.groups[scope]!.kind !== 'step') return false;
  return gates.get(scope) === sum.adds.length + sum.products.length;
}

function groupSum(g: StructureGraph, sum: Sum): void {
  const dot = sum.products.length >= 2;
  const label = dot ? `dot product, ${count(sum.terms)} terms` : `Σ ${count(sum.terms)} terms`;
  const group = newGroup(g, dot ? 'dot' : 'sum', label, g.group[sum.root]!);
  sum.group = group;
  for (const v of [...sum.adds, ...sum.products]) g.group[v] = group;
  if (sum.adds.length > MAX_GROUP_CHILDREN) chunk(g, sum, group);
}

/**
 * Cuts a long sum into runs of MAX_GROUP_CHILDREN adds (each with its products), and runs of
 * runs while there are too many, labelled by the terms they add: `terms 1–33`, `terms 34–65`.
 */
function chunk(g: StructureGraph, sum: Sum, group: number): void {
  interface Run {
    members: number[];
    from: number;
    to: number;
    children: Run[];
  }
  const inSum = new Set(sum.adds);
  const products = new Set(sum.products);
  // Terms are numbered in the order the adds take them.
  let first = 1;
  let runs: Run[] = [];
  for (let i = 0; i < sum.adds.length; i += MAX_GROUP_CHILDREN) {
    const adds = sum.adds.slice(i, i + MAX_GROUP_CHILDREN);
    const members = [...adds];
    let terms = 0;
    for (const a of adds) {
      for (const u of g.inputs[a]!) {
        if (inSum.has(u)) continue;
        terms++;
        if (products.has(u)) members.push(u);
      }
    }
    runs.push({ members, from: first, to: first + terms - 1, children: [] });
    first += terms;
  }
  while (runs.length > MAX_GROUP_CHILDREN) {
    const next: Run[] = [];
    for (let i = 0; i < runs.length; i += MAX_GROUP_CHILDREN) {
      const children = runs.slice(i, i + MAX_GROUP_CHILDREN);
      next.push({ members: [], from: children[0]!.from, to: children.at(-1)!.to, children });
    }
    runs = next;
  }
  const stack: Array<[Run, number]> = runs.map((run): [Run, number] => [run, group]).reverse();
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [run, parent] = top;
    const id = newGroup(g, 'sum', `terms ${count(run.from)}–${count(run.to)}`, parent);
    for (const v of run.members) g.group[v] = id;
    for (let k = run.children.length - 1; k >= 0; k--) stack.push([run.children[k]!, id]);
  }
}

interface Neuron {
  group: number;
  /** The activation's output: the neuron's value. */
  output: number;
  parent: number;
}

function findNeurons(g: StructureGraph, consumers: number[][], sums: Sum[]): Neuron[] {
  const neurons: Neuron[] = [];
  for (const sum of sums) {
    const r = sum.root;
    if (sum.products.length === 0 || consumers[r]!.length !== 1) continue;
    const outer = sum.group === -1 ? g.group[r]! : g.groups[sum.group]!.parent;
    if (outer !== -1 && g.groups[outer]!.kind === 'neuron') continue;
    const chain = activationChain(g, consumers, r, outer);
    if (chain.length === 0) continue;
    const id = newGroup(g, 'neuron', 'neuron', outer);
    for (const v of chain) g.group[v] = id;
    if (sum.group !== -1) g.groups[sum.group]!.parent = id;
    else for (const v of [...sum.adds, ...sum.products]) g.group[v] = id;
    neurons.push({ group: id, output: chain[chain.length - 1]!, parent: outer });
  }
  return neurons;
}

/** The gates of an activation applied to `r` (one relu/tanh/σ, or a staged σ's four), or []. */
function activationChain(
  g: StructureGraph,
  consumers: number[][],
  r: number,
  scope: number,
): number[] {
  const c = consumers[r]![0]!;
  if (g.group[c] !== scope) return [];
  if (ACTIVATIONS.has(g.op[c] ?? '') && g.inputs[c]!.length === 1) return [c];
  const span = g.span[c];
  if (!span || g.source === undefined) return [];
  if (!STAGED_ACTIVATION.test(g.source.slice(span.start, span.end))) return [];
  const rs = g.span[r];
  if (rs && rs.start === span.start && rs.end === span.end) return [];
  const chain = [c];
  for (;;) {
    const last = chain[chain.length - 1]!;
    const next = consumers[last]!;
    if (next.length !== 1) break;
    const d = next[0]!;
    const s = g.span[d];
    if (!s || s.start !== span.start || s.end !== span.end || g.group[d] !== scope) break;
    chain.push(d);
  }
  return chain;
}

/**
 * Neurons at the same depth (counted in neurons from the inputs) with the same parent form a
 * layer: `layer 1`, `layer 2`, … Each neuron is then named by its place in the layer.
 */
function groupLayers(g: StructureGraph, neurons: Neuron[]): void {
  if (neurons.length < 2) return;
  const outputs = new Map(neurons.map((n) => [n.output, n]));
  const depth = new Array<number>(g.op.length).fill(0);
  const neuronDepth = new Map<Neuron, number>();
  for (let v = 0; v < g.op.length; v++) {
    let d = 0;
    for (const u of g.inputs[v]!) d = Math.max(d, depth[u]!);
    const n = outputs.get(v);
    if (n) {
      d += 1;
      neuronDepth.set(n, d);
    }
    depth[v] = d;
  }
  const layers = new Map<string, Neuron[]>();
  for (const n of neurons) {
    const key = `${n.parent}:${neuronDepth.get(n)}`;
    const list = layers.get(key);
    if (list) list.push(n);
    else layers.set(key, [n]);
  }
  for (const list of layers.values()) {
    if (list.length < 2) continue;
    const d = neuronDepth.get(list[0]!)!;
    const layer = newGroup(g, 'layer', `layer ${d}`, list[0]!.parent);
    list.forEach((n, i) => {
      const group = g.groups[n.group]!;
      group.parent = layer;
      group.label = `neuron ${i + 1}`;
    });
  }
}

/**
 * The draft groups of the scopes the vertices were made in (a scope's parents included), and each
 * vertex's innermost one.
 */
export function scopeGroups(scopes: readonly (Scope | null)[]): {
  group: number[];
  groups: DraftGroup[];
} {
  const groups: DraftGroup[] = [];
  const index = new Map<Scope, number>();
  const indexOf = (scope: Scope): number => {
    // Parents first: collect the chain up to a known scope, then number it outermost first.
    const chain: Scope[] = [];
    for (let s: Scope | null = scope; s !== null && !index.has(s); s = s.parent) chain.push(s);
    for (let i = chain.length - 1; i >= 0; i--) {
      const s = chain[i]!;
      index.set(s, groups.length);
      groups.push({ kind: s.kind, label: s.name, parent: s.parent ? index.get(s.parent)! : -1 });
    }
    return index.get(scope)!;
  };
  return { group: scopes.map((s) => (s === null ? -1 : indexOf(s))), groups };
}

/**
 * Snapshot groups with ids `g0`, `g1`, … in order of first appearance among the drawn vertices
 * (`order`), parents before children; groups with no drawn member are left out.
 */
export function numberGroups(
  g: Pick<StructureGraph, 'group' | 'groups'>,
  order: readonly number[],
): { groups: SnapshotGroup[]; idOf: (draft: number) => string | undefined } {
  const ids = new Map<number, string>();
  const groups: SnapshotGroup[] = [];
  for (const v of order) {
    const chain: number[] = [];
    for (let d = g.group[v]!; d !== -1 && !ids.has(d); d = g.groups[d]!.parent) chain.push(d);
    for (let i = chain.length - 1; i >= 0; i--) {
      const d = chain[i]!;
      const draft = g.groups[d]!;
      const id = `g${groups.length}`;
      ids.set(d, id);
      const parent = draft.parent === -1 ? undefined : ids.get(draft.parent);
      groups.push({ id, kind: draft.kind, label: draft.label, ...(parent ? { parent } : {}) });
    }
  }
  return { groups, idOf: (d) => ids.get(d) };
}
