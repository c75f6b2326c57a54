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

/**
 * The items of a level, struct-of-arrays: node boxes first (index = node index), then the points
 * wires take in the columns they cross. Typed arrays keep thousands of items cheap for the GC.
 */
class Items {
  readonly count: number;
  /** The level node an item is, or −1 for a wire's point. */
  readonly node: Int32Array;
  readonly width: Float64Array;
  readonly height: Float64Array;
  readonly layer: Int32Array;
  readonly y: Float64Array;
  readonly pos: Int32Array;
  readonly label: Uint8Array;
  /** Neighbours, compressed rows: preds of i are predList[predStart[i] … predStart[i+1]). */
  readonly predStart: Int32Array;
  readonly predList: Int32Array;
  readonly succStart: Int32Array;
  readonly succList: Int32Array;

  constructor(count: number, links: Int32Array, linkCount: number) {
    this.count = count;
    this.node = new Int32Array(count).fill(-1);
    this.width = new Float64Array(count);
    this.height = new Float64Array(count);
    this.layer = new Int32Array(count);
    this.y = new Float64Array(count);
    this.pos = new Int32Array(count);
    this.label = new Uint8Array(count);
    const csr = (from: number, to: number) => {
      const start = new Int32Array(count + 1);
      for (let k = 0; k < linkCount; k++) start[links[2 * k + from]! + 1]!++;
      for (let i = 0; i < count; i++) start[i + 1]! += start[i]!;
      const list = new Int32Array(linkCount);
      const fill = start.slice(0, count);
      // Links are visited in order, so each item's neighbours keep the order they were given in.
      for (let k = 0; k < linkCount; k++) list[fill[links[2 * k + from]!]!++] = links[2 * k + to]!;
      return [start, list] as const;
    };
    [this.predStart, this.predList] = csr(1, 0);
    [this.succStart, this.succList] = csr(0, 1);
  }

  preds(i: number): number {
    return this.predStart[i + 1]! - this.predStart[i]!;
  }

  succs(i: number): number {
    return this.succStart[i + 1]! - this.succStart[i]!;
  }
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

  // Items: nodes in even layers (2·rank), then each wire's points in the layers between.
  let count = nodes.length;
  let linkCount = 0;
  for (const [u, v] of pairs) {
    const span = 2 * (rank[v]! - rank[u]!);
    count += span - 1;
    linkCount += span;
  }
  const links = new Int32Array(2 * linkCount);
  const chainStart = new Int32Array(kept.length + 1);
  const layerOf = new Int32Array(count);
  const labelled = new Uint8Array(count);
  nodes.forEach((_, i) => (layerOf[i] = 2 * rank[i]!));
  let next = nodes.length;
  let l = 0;
  kept.forEach((e, k) => {
    const [u, v] = pairs[k]!;
    chainStart[k] = next;
    let prev = u;
    for (let layer = layerOf[u]! + 1; layer < layerOf[v]!; layer++) {
      layerOf[next] = layer;
      if (layer === layerOf[v]! - 1 && e.label !== undefined) labelled[next] = 1;
      links[l++] = prev;
      links[l++] = next;
      prev = next++;
    }
    links[l++] = prev;
    links[l++] = v;
  });
  chainStart[kept.length] = next;
  const items = new Items(count, links, linkCount);
  items.layer.set(layerOf);
  items.label.set(labelled);
  nodes.forEach((n, i) => {
    items.node[i] = i;
    items.width[i] = n.width;
    items.height[i] = n.height;
  });
  kept.forEach((e, k) => {
    for (let id = chainStart[k]!; id < chainStart[k + 1]!; id++) {
      items.width[id] = labelled[id] ? e.label!.width : 0;
      items.height[id] = labelled[id] ? e.label!.height : WIRE_HEIGHT;
    }
  });

  let depth = 0;
  for (let i = 0; i < count; i++) depth = Math.max(depth, layerOf[i]! + 1);
  const layers: Int32Array[] = [];
  {
    const sizes = new Int32Array(depth);
    for (let i = 0; i < count; i++) sizes[layerOf[i]!]!++;
    for (let d = 0; d < depth; d++) layers.push(new Int32Array(sizes[d]!));
    const fill = new Int32Array(depth);
    for (let i = 0; i < count; i++) {
      const d = layerOf[i]!;
      items.pos[i] = fill[d]!;
      layers[d]![fill[d]!++] = i;
    }
  }
  order(items, layers);
  place(items, layers);

  // Columns: each as wide as its widest item, with a gap between columns.
  const half = layers.map((layer) => {
    let h = 0;
    for (const id of layer) h = Math.max(h, items.width[id]! / 2);
    return h;
  });
  const centre: number[] = [];
  let x = 0;
  for (let d = 0; d < depth; d++) {
    if (d > 0) x += SPACING.column;
    centre.push(x + half[d]!);
    x += 2 * half[d]!;
  }
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < count; i++) {
    minY = Math.min(minY, items.y[i]! - items.height[i]! / 2);
    maxY = Math.max(maxY, items.y[i]! + items.height[i]! / 2);
  }
  if (!Number.isFinite(minY)) minY = maxY = 0;
  const out: LevelLayout = { width: x, height: maxY - minY, nodes: new Map(), edges: new Map() };
  nodes.forEach((n, i) => {
    const d = layerOf[i]!;
    out.nodes.set(n.id, { x: centre[d]!, y: items.y[i]! - minY, half: half[d]! });
  });
  kept.forEach((e, k) => {
    const crossings: Crossing[] = [];
    for (let id = chainStart[k]!; id < chainStart[k + 1]!; id++) {
      const d = layerOf[id]!;
      crossings.push({
        x: centre[d]!,
        y: items.y[id]! - minY,
        half: half[d]!,
        label: labelled[id] === 1,
      });
    }
    out.edges.set(e.id, crossings);
  });
  return out;
}

/** Barycentre sweeps, keeping the ordering with the fewest crossings. */
function order(items: Items, layers: Int32Array[]): void {
  const size = items.count;
  const { pos, predStart, predList, succStart, succList } = items;
  // Fewer sweeps on big levels: each costs a sort per column.
  const rounds = size > 8000 ? 4 : 8;
  const keys = new Float64Array(size);
  const seq = new Int32Array(succList.length);
  let widest = 1;
  for (const layer of layers) widest = Math.max(widest, layer.length);
  const tree = new Int32Array(widest + 1);
  // Crossings between two columns: the targets' positions, read in the sources' order, counted
  // for inversions with a Fenwick tree.
  const count = () => {
    let total = 0;
    for (let l = 0; l + 1 < layers.length; l++) {
      let n = 0;
      for (const id of layers[l]!) {
        const start = n;
        for (let e = succStart[id]!; e < succStart[id + 1]!; e++) {
          // Insertion sort of this source's targets (they are few).
          let k = n++;
          const p = pos[succList[e]!]!;
          while (k > start && seq[k - 1]! > p) {
            seq[k] = seq[k - 1]!;
            k--;
          }
          seq[k] = p;
        }
      }
      const width = layers[l + 1]!.length;
      tree.fill(0, 0, width + 1);
      for (let i = 0; i < n; i++) {
        const b = seq[i]!;
        let atMost = 0;
        for (let k = b + 1; k > 0; k -= k & -k) atMost += tree[k]!;
        total += i - atMost;
        for (let k = b + 1; k <= width; k += k & -k) tree[k]!++;
      }
    }
    return total;
  };
  let best = count();
  const bestPos = pos.slice();
  const byKey = (a: number, b: number) => keys[a]! - keys[b]! || pos[a]! - pos[b]!;
  const sweep = (layer: Int32Array, down: boolean) => {
    const start = down ? predStart : succStart;
    const list = down ? predList : succList;
    for (const id of layer) {
      const from = start[id]!;
      const to = start[id + 1]!;
      let sum = 0;
      for (let e = from; e < to; e++) sum += pos[list[e]!]!;
      keys[id] = to > from ? sum / (to - from) : pos[id]!;
    }
    layer.sort(byKey);
    for (let p = 0; p < layer.length; p++) pos[layer[p]!] = p;
  };
  for (let r = 0; r < rounds && best > 0; r++) {
    if (r % 2 === 0) for (let l = 1; l < layers.length; l++) sweep(layers[l]!, true);
    else for (let l = layers.length - 2; l >= 0; l--) sweep(layers[l]!, false);
    const c = count();
    if (c < best) {
      best = c;
      bestPos.set(pos);
    }
  }
  pos.set(bestPos);
  for (const layer of layers) layer.sort((a, b) => pos[a]! - pos[b]!);
}

/** The smallest gap between the centres of two neighbours in a column. */
function gap(items: Items, a: number, b: number): number {
  const wireA = items.node[a]! < 0;
  const wireB = items.node[b]! < 0;
  const bare = wireA && !items.label[a] && wireB && !items.label[b];
  const sep = bare ? SPACING.wire : wireA || wireB ? SPACING.label : SPACING.node;
  return (items.height[a]! + items.height[b]!) / 2 + sep;
}

/**
 * y coordinates: start stacked, then pull every item towards the mean of its neighbours, column
 * by column, down and up. Each column is solved exactly (least squares under "keep the order and
 * the gaps") by pool-adjacent-violators on y minus the cumulative gaps.
 */
function place(items: Items, layers: Int32Array[]): void {
  const { y, predStart, predList, succStart, succList } = items;
  let widest = 1;
  for (const layer of layers) {
    widest = Math.max(widest, layer.length);
    let at = 0;
    for (let i = 0; i < layer.length; i++) {
      if (i > 0) at += gap(items, layer[i - 1]!, layer[i]!);
      y[layer[i]!] = at;
    }
  }
  // Light items (an input feeding one gate, and its wire) give way to the main line: a chain of
  // gates stays straight and its side inputs sit above and below it, as in the lecture.
  const light = new Uint8Array(items.count);
  for (const layer of layers) {
    for (const id of layer) {
      light[id] =
        items.node[id]! >= 0
          ? items.preds(id) === 0 && items.succs(id) === 1
            ? 1
            : 0
          : light[items.preds(id) > 0 ? predList[predStart[id]!]! : id]!;
    }
  }
  const hasHeavy = (start: Int32Array, list: Int32Array, id: number) => {
    for (let e = start[id]!; e < start[id + 1]!; e++) if (!light[list[e]!]) return true;
    return false;
  };
  let sum = 0;
  let n = 0;
  // Light neighbours count only when there is nothing else to follow.
  const pull = (start: Int32Array, list: Int32Array, id: number, skipLight: boolean) => {
    for (let e = start[id]!; e < start[id + 1]!; e++) {
      const o = list[e]!;
      if (skipLight && light[o]) continue;
      sum += y[o]!;
      n++;
    }
  };
  const target = new Float64Array(widest);
  const work = new ColumnWork(widest);
  const rounds = items.count > 8000 ? 4 : 8;
  for (let r = 0; r < rounds; r++) {
    const down = r % 2 === 0;
    const last = r === rounds - 1;
    for (let k = 0; k < layers.length; k++) {
      const layer = layers[down ? k : layers.length - 1 - k]!;
      for (let i = 0; i < layer.length; i++) {
        const id = layer[i]!;
        sum = 0;
        n = 0;
        if (last) {
          const skip = hasHeavy(predStart, predList, id) || hasHeavy(succStart, succList, id);
          pull(predStart, predList, id, skip);
          pull(succStart, succList, id, skip);
        } else {
          const start = down ? predStart : succStart;
          const list = down ? predList : succList;
          pull(start, list, id, hasHeavy(start, list, id));
        }
        target[i] = n > 0 ? sum / n : y[id]!;
      }
      work.solve(items, layer, target);
    }
  }
}

/** Least-squares y for one column under order and gap constraints (pool adjacent violators). */
class ColumnWork {
  private readonly offset: Float64Array;
  private readonly sums: Float64Array;
  private readonly weights: Float64Array;
  private readonly counts: Int32Array;

  constructor(size: number) {
    this.offset = new Float64Array(size);
    this.sums = new Float64Array(size);
    this.weights = new Float64Array(size);
    this.counts = new Int32Array(size);
  }

  solve(items: Items, column: Int32Array, target: Float64Array): void {
    const { offset, sums, weights, counts } = this;
    let s = 0;
    let blocks = 0;
    for (let i = 0; i < column.length; i++) {
      const id = column[i]!;
      if (i > 0) s += gap(items, column[i - 1]!, id);
      offset[i] = s;
      const w = Math.max(1, items.preds(id) + items.succs(id)) * (items.node[id]! >= 0 ? 2 : 1);
      sums[blocks] = (target[i]! - s) * w;
      weights[blocks] = w;
      counts[blocks] = 1;
      blocks++;
      // Merge blocks while they are out of order.
      while (
        blocks > 1 &&
        sums[blocks - 2]! / weights[blocks - 2]! > sums[blocks - 1]! / weights[blocks - 1]!
      ) {
        sums[blocks - 2]! += sums[blocks - 1]!;
        weights[blocks - 2]! += weights[blocks - 1]!;
        counts[blocks - 2]! += counts[blocks - 1]!;
        blocks--;
      }
    }
    let i = 0;
    for (let b = 0; b < blocks; b++) {
      const z = sums[b]! / weights[b]!;
      for (let c = 0; c < counts[b]!; c++, i++) items.y[column[i]!] = z + offset[i]!;
    }
  }
}
