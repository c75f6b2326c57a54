/**
 * A left-to-right layered layout of one level of a picture (the top, or the inside of one open
 * group), in the Sugiyama tradition but kept near-linear so that thousands of nodes take
 * milliseconds:
 *
 * 1. ranks "as late as possible" (each node right before its first user, so an input sits next
 *    to the gate it feeds), in node columns with a label column between each two;
 * 2. a wire spanning several columns gets a point in each (its label in the one before its
 *    target);
 * 3. order within columns by barycentre sweeps, keeping the order with the fewest crossings;
 * 4. y by pulling each item towards its neighbours, solved exactly per column as an isotonic
 *    regression with minimum gaps (pool adjacent violators), so order and spacing always hold.
 *
 * Pure arithmetic on boxes: no text, no snapshot. `layout.ts` builds the levels, nests them and
 * routes the wires.
 */

export interface LevelNode {
  id: string;
  width: number;
  height: number;
  /** Ports of a group's frame: wires entering sit in the first column, leaving in the last. */
  pin?: 'first' | 'last';
}

export interface LevelEdge {
  id: string;
  from: string;
  to: string;
  /** The box of its value and gradient texts, placed in the column before its target. */
  label?: { width: number; height: number };
}

/** Where a wire crosses a column: the centre of its point there (its label box, if any). */
export interface Crossing {
  x: number;
  y: number;
  /** Half the width of the column it crosses (wires cross columns level, bend between them). */
  half: number;
  label: boolean;
}

export interface LevelLayout {
  width: number;
  height: number;
  /** Centres of the nodes. */
  nodes: Map<string, { x: number; y: number; half: number }>;
  /** Per wire, where it crosses the columns between its ends, left to right. */
  edges: Map<string, Crossing[]>;
}

/** Gaps between columns, between boxes in a column, and between wires in a column. */
export const SPACING = { column: 22, node: 22, wire: 10, label: 12 } as const;
/** Height of the point a bare wire takes in a column. */
const WIRE_HEIGHT = 4;

interface Item {
  /** Index into the level's nodes, or −1 for a wire's point. */
  node: number;
  width: number;
  height: number;
  layer: number;
  preds: number[];
  succs: number[];
  y: number;
  pos: number;
  /** The wire this point belongs to, or −1. */
  edge: number;
  label: boolean;
}

/** Node ranks: as late as possible, pins first or last, isolated nodes first. */
function ranks(nodes: readonly LevelNode[], edges: readonly [number, number][]): number[] {
  const n = nodes.length;
  const succ: number[][] = nodes.map(() => []);
  const indeg = new Array<number>(n).fill(0);
  for (const [u, v] of edges) {
    succ[u]!.push(v);
    indeg[v]!++;
  }
  // Kahn's order; the level's graph is acyclic (it comes from a DAG).
  const order: number[] = [];
  const queue: number[] = [];
  for (let v = 0; v < n; v++) if (indeg[v] === 0) queue.push(v);
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    order.push(v);
    for (const w of succ[v]!) if (--indeg[w]! === 0) queue.push(w);
  }
  // Longest path to a sink, then rank = (longest overall) − (own).
  const down = new Array<number>(n).fill(0);
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i]!;
    for (const w of succ[v]!)
      if (nodes[w]!.pin !== 'last') down[v] = Math.max(down[v]!, down[w]! + 1);
  }
  let top = 0;
  for (let v = 0; v < n; v++) if (!nodes[v]!.pin) top = Math.max(top, down[v]!);
  const rank = new Array<number>(n);
  const hasEdge = new Array<boolean>(n).fill(false);
  for (const [u, v] of edges) hasEdge[u] = hasEdge[v] = true;
  for (let v = 0; v < n; v++) {
    const pin = nodes[v]!.pin;
    if (pin === 'first') rank[v] = -1;
    else if (pin === 'last') rank[v] = top + 1;
    else rank[v] = hasEdge[v] ? top - down[v]! : 0;
  }
  return pins(rank);
}

/** Shifts ranks so that the first is 0 (in-ports sit at −1 before the shift). */
function pins(rank: number[]): number[] {
  let low = 0;
  for (const r of rank) low = Math.min(low, r);
  return rank.map((r) => r - low);
}

/** The largest of some numbers (0 for none), without spreading a long array onto the stack. */
function maxOf(xs: Iterable<number>): number {
  let m = 0;
  for (const x of xs) if (x > m) m = x;
  return m;
}

/** Crossings between two adjacent columns (edges as pairs of positions), by insertion counting. */
function crossingsBetween(pairs: [number, number][], width: number): number {
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  // A Fenwick tree over the lower positions counts earlier pairs that end further down.
  const tree = new Array<number>(width + 1).fill(0);
  let count = 0;
  let seen = 0;
  for (const [, b] of pairs) {
    let below = 0;
    for (let i = b + 1; i > 0; i -= i & -i) below += tree[i]!;
    count += seen - below;
    for (let i = b + 1; i <= width; i += i & -i) tree[i]!++;
    seen++;
  }
  return count;
}

/**
 * Lays out one level: nodes with their sizes, wires between them (each with an optional label
 * box). Deterministic: ties keep the order the nodes and wires were given in.
 */
export function layoutLevel(nodes: readonly LevelNode[], edges: readonly LevelEdge[]): LevelLayout {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const pairs: [number, number][] = [];
  const kept: LevelEdge[] = [];
  for (const e of edges) {
    const u = index.get(e.from);
    const v = index.get(e.to);
    if (u === undefined || v === undefined || u === v) continue;
    pairs.push([u, v]);
    kept.push(e);
  }
  const rank = ranks(nodes, pairs);

  // Items: nodes in even layers (2·rank), wire points in the layers between.
  const items: Item[] = nodes.map((n, i) => ({
    node: i,
    width: n.width,
    height: n.height,
    layer: 2 * rank[i]!,
    preds: [],
    succs: [],
    y: 0,
    pos: 0,
    edge: -1,
    label: false,
  }));
  const chains: number[][] = [];
  kept.forEach((e, k) => {
    const [u, v] = pairs[k]!;
    const from = items[u]!.layer;
    const to = items[v]!.layer;
    const chain: number[] = [];
    let prev = u;
    for (let layer = from + 1; layer < to; layer++) {
      const label = layer === to - 1 && e.label !== undefined;
      const item: Item = {
        node: -1,
        width: label ? e.label!.width : 0,
        height: label ? e.label!.height : WIRE_HEIGHT,
        layer,
        preds: [prev],
        succs: [],
        y: 0,
        pos: 0,
        edge: k,
        label,
      };
      items.push(item);
      const id = items.length - 1;
      items[prev]!.succs.push(id);
      chain.push(id);
      prev = id;
    }
    items[prev]!.succs.push(v);
    items[v]!.preds.push(prev);
    chains.push(chain);
  });

  const depth = maxOf(items.map((it) => it.layer)) + 1;
  const layers: number[][] = Array.from({ length: depth }, () => []);
  for (let i = 0; i < items.length; i++) layers[items[i]!.layer]!.push(i);
  for (const layer of layers) layer.forEach((id, p) => (items[id]!.pos = p));
  order(items, layers);
  place(items, layers);

  // Columns: each as wide as its widest item, with a gap between columns.
  const half = layers.map((layer) => maxOf(layer.map((id) => items[id]!.width / 2)));
  const centre: number[] = [];
  let x = 0;
  for (let l = 0; l < depth; l++) {
    if (l > 0) x += SPACING.column;
    centre.push(x + half[l]!);
    x += 2 * half[l]!;
  }
  let minY = Infinity;
  let maxY = -Infinity;
  for (const it of items) {
    minY = Math.min(minY, it.y - it.height / 2);
    maxY = Math.max(maxY, it.y + it.height / 2);
  }
  if (!Number.isFinite(minY)) minY = maxY = 0;
  const out: LevelLayout = { width: x, height: maxY - minY, nodes: new Map(), edges: new Map() };
  nodes.forEach((n, i) => {
    const it = items[i]!;
    out.nodes.set(n.id, { x: centre[it.layer]!, y: it.y - minY, half: half[it.layer]! });
  });
  kept.forEach((e, k) => {
    out.edges.set(
      e.id,
      chains[k]!.map((id) => {
        const it = items[id]!;
        return { x: centre[it.layer]!, y: it.y - minY, half: half[it.layer]!, label: it.label };
      }),
    );
  });
  return out;
}

/** Barycentre sweeps, keeping the ordering with the fewest crossings. */
function order(items: Item[], layers: number[][]): void {
  const size = items.length;
  // Fewer sweeps on big levels: each costs a sort per column.
  const rounds = size > 4000 ? 2 : size > 1000 ? 4 : 8;
  const count = () => {
    let total = 0;
    for (let l = 0; l + 1 < layers.length; l++) {
      const pairs: [number, number][] = [];
      for (const id of layers[l]!) {
        for (const s of items[id]!.succs) pairs.push([items[id]!.pos, items[s]!.pos]);
      }
      total += crossingsBetween(pairs, layers[l + 1]!.length);
    }
    return total;
  };
  let best = count();
  let bestPos = items.map((it) => it.pos);
  const sweep = (l: number, down: boolean) => {
    const layer = layers[l]!;
    const keys = new Map<number, number>();
    for (const id of layer) {
      const it = items[id]!;
      const nb = down ? it.preds : it.succs;
      let sum = 0;
      for (const o of nb) sum += items[o]!.pos;
      keys.set(id, nb.length > 0 ? sum / nb.length : it.pos);
    }
    layer.sort((a, b) => keys.get(a)! - keys.get(b)! || items[a]!.pos - items[b]!.pos);
    layer.forEach((id, p) => (items[id]!.pos = p));
  };
  for (let r = 0; r < rounds && best > 0; r++) {
    if (r % 2 === 0) for (let l = 1; l < layers.length; l++) sweep(l, true);
    else for (let l = layers.length - 2; l >= 0; l--) sweep(l, false);
    const c = count();
    if (c < best) {
      best = c;
      bestPos = items.map((it) => it.pos);
    }
  }
  items.forEach((it, i) => (it.pos = bestPos[i]!));
  for (const layer of layers) layer.sort((a, b) => items[a]!.pos - items[b]!.pos);
}

/** The smallest gap between the centres of two neighbours in a column. */
function gap(a: Item, b: Item): number {
  const wires = a.node < 0 && !a.label && b.node < 0 && !b.label;
  const sep = wires ? SPACING.wire : a.node < 0 || b.node < 0 ? SPACING.label : SPACING.node;
  return (a.height + b.height) / 2 + sep;
}

/**
 * y coordinates: start stacked, then pull every item towards the mean of its neighbours, column
 * by column, down and up. Each column is solved exactly (least squares under "keep the order and
 * the gaps") by pool-adjacent-violators on y minus the cumulative gaps.
 */
function place(items: Item[], layers: number[][]): void {
  for (const layer of layers) {
    let y = 0;
    layer.forEach((id, i) => {
      if (i > 0) y += gap(items[layer[i - 1]!]!, items[id]!);
      items[id]!.y = y;
    });
  }
  // Light items (an input feeding one gate, and its wire) give way to the main line: a chain of
  // gates stays straight and its side inputs sit above and below it, as in the lecture.
  const light = new Array<boolean>(items.length).fill(false);
  for (const layer of layers) {
    for (const id of layer) {
      const it = items[id]!;
      light[id] =
        it.node >= 0 ? it.preds.length === 0 && it.succs.length === 1 : light[it.preds[0] ?? id]!;
    }
  }
  const heavy = (nb: number[]) => nb.some((o) => !light[o]);
  const rounds = items.length > 4000 ? 4 : 8;
  for (let r = 0; r < rounds; r++) {
    const down = r % 2 === 0;
    const last = r === rounds - 1;
    const seq = down ? layers.map((_, l) => l) : layers.map((_, l) => layers.length - 1 - l);
    for (const l of seq) {
      const layer = layers[l]!;
      const target = layer.map((id) => {
        const it = items[id]!;
        const nb = last ? [...it.preds, ...it.succs] : down ? it.preds : it.succs;
        if (nb.length === 0) return it.y;
        // Light neighbours count only when there is nothing else to follow.
        const skipLight = heavy(nb);
        let sum = 0;
        let total = 0;
        for (const o of nb) {
          if (skipLight && light[o]) continue;
          sum += items[o]!.y;
          total++;
        }
        return sum / total;
      });
      solveColumn(
        layer.map((id) => items[id]!),
        target,
      );
    }
  }
}

/** Least-squares y for one column under order and gap constraints (pool adjacent violators). */
function solveColumn(column: Item[], target: number[]): void {
  const offset: number[] = [];
  let s = 0;
  column.forEach((it, i) => {
    if (i > 0) s += gap(column[i - 1]!, it);
    offset.push(s);
  });
  // Blocks of (sum of weighted targets, weight, count), merged while out of order.
  const sums: number[] = [];
  const weights: number[] = [];
  const counts: number[] = [];
  column.forEach((it, i) => {
    const w = Math.max(1, it.preds.length + it.succs.length) * (it.node >= 0 ? 2 : 1);
    sums.push((target[i]! - offset[i]!) * w);
    weights.push(w);
    counts.push(1);
    while (sums.length > 1) {
      const k = sums.length - 1;
      if (sums[k - 1]! / weights[k - 1]! <= sums[k]! / weights[k]!) break;
      sums[k - 1]! += sums[k]!;
      weights[k - 1]! += weights[k]!;
      counts[k - 1]! += counts[k]!;
      sums.pop();
      weights.pop();
      counts.pop();
    }
  });
  let i = 0;
  sums.forEach((sum, b) => {
    const z = sum / weights[b]!;
    for (let c = 0; c < counts[b]!; c++, i++) column[i]!.y = z + offset[i]!;
  });
}
