/**
 * Pictures of big graphs: snapshot + layout + SVG for 100 … 3,000 nodes, every node drawn (flat)
 * and every group open (frames), on two shapes — a sum of products (one long chain with an
 * input pair per term) and a fan-out net (a dense two-layer net: each hidden value feeds every
 * neuron of the next layer). The growth exponent is fitted between 300 and 3,000 nodes.
 *
 * Then the layout engine alone against its peers on the same flat graphs, same box sizes:
 * dagre (what chainrule used before) and elkjs's layered algorithm. A peer is skipped at sizes
 * where its previous time projects past a minute.
 */
import dagre from '@dagrejs/dagre';
import ELK from 'elkjs/lib/elk.bundled.js';
import { add, mul, sum, tanh, tensor, type Tensor } from '../dist/index.js';
import { toSnapshot } from '../dist/graph/index.js';
import { buildView, flatView, type GraphView } from '../dist/graph/view.js';
import { clearLayoutCache, layoutView, type GraphLayout } from '../dist/viz/layout.js';
import { drawSvg } from '../dist/viz/svg.js';
import { fmtMs, table } from './timing.js';

const SIZES = [100, 300, 1000, 3000];

function leaf(x: number, name: string): Tensor {
  return tensor(x, { requiresGrad: true, name });
}

/** Σ wᵢ·xᵢ with about n nodes (4 per term). */
function sumOfProducts(n: number): Tensor {
  const terms = Math.max(2, Math.round(n / 4));
  let acc: Tensor | null = null;
  for (let i = 0; i < terms; i++) {
    const p = mul(leaf(((i % 7) - 3) / 10, `w${i}`), leaf(((i % 5) - 2) / 10, `x${i}`));
    acc = acc === null ? p : add(acc, p);
  }
  return acc!;
}

/** A dense net d → d → d (tanh), summed: about 6d² nodes; hidden values fan out d ways. */
function fanOutNet(n: number): Tensor {
  const d = Math.max(2, Math.round(Math.sqrt(n / 6)));
  let xs = Array.from({ length: d }, (_, i) => leaf((i % 3) / 3, `x${i}`));
  for (let layer = 0; layer < 2; layer++) {
    xs = Array.from({ length: d }, (_, j) => {
      let acc: Tensor | null = null;
      for (let i = 0; i < d; i++) {
        const w = leaf((((i + j + layer) % 5) - 2) / 5, `w${layer}_${j}_${i}`);
        acc = acc === null ? mul(w, xs[i]!) : add(acc, mul(w, xs[i]!));
      }
      return tanh(acc!);
    });
  }
  return sum(xs.reduce((a, b) => add(a, b)));
}

/**
 * Median of `runs` timings of fn, in ms, after one unmeasured run (JIT compilation); the layout
 * cache is cleared before each run.
 */
function time<T>(fn: () => T, runs: number): { ms: number; result: T } {
  const times: number[] = [];
  clearLayoutCache();
  let result: T = fn();
  for (let i = 0; i < runs; i++) {
    clearLayoutCache();
    const t0 = performance.now();
    result = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, result };
}

/** Least-squares slope of log(ms) against log(nodes). */
function exponent(points: Array<{ nodes: number; ms: number }>): number {
  const xs = points.map((p) => Math.log(p.nodes));
  const ys = points.map((p) => Math.log(p.ms));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

interface Row {
  nodes: number;
  snapshot: number;
  layout: number;
  svg: number;
  ms: number;
}

function pipeline(make: (n: number) => Tensor, open: boolean): Row[] {
  const rows: Row[] = [];
  for (const n of SIZES) {
    // Enough runs that one collection in the middle of a run does not move the median.
    const runs = 7;
    const root = make(n);
    const snap = time(() => toSnapshot(root), runs);
    const view: GraphView = open
      ? buildView(snap.result, { grouped: true, open: 'all' })
      : flatView(snap.result);
    const laid = time(() => layoutView(view), runs);
    const svg = time(() => drawSvg(view, {}, {}, laid.result), runs);
    rows.push({
      nodes: snap.result.nodes.length,
      snapshot: snap.ms,
      layout: laid.ms,
      svg: svg.ms,
      ms: snap.ms + laid.ms + svg.ms,
    });
  }
  return rows;
}

/** The flat view's boxes and label sizes, as the peers get them. */
function boxesOf(view: GraphView, laid: GraphLayout) {
  const nodes = view.nodes.map((v) => ({ id: v.id, ...laid.nodes[v.id]! }));
  const edges = view.edges.map((e) => ({
    id: e.id,
    from: e.from,
    to: e.to,
    width: laid.edges[e.id]!.labelWidth,
    height: laid.edges[e.id]!.labelHeight,
  }));
  return { nodes, edges };
}

function runDagre(g: ReturnType<typeof boxesOf>): void {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 22, edgesep: 14, ranksep: 44 });
  for (const n of g.nodes) graph.setNode(n.id, { width: n.width, height: n.height });
  for (const e of g.edges)
    graph.setEdge(e.from, e.to, { width: e.width, height: e.height, labelpos: 'c' }, e.id);
  dagre.layout(graph);
}

async function runElk(g: ReturnType<typeof boxesOf>): Promise<void> {
  const elk = new ELK();
  await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.spacing.nodeNode': '22',
      'elk.layered.spacing.nodeNodeBetweenLayers': '44',
    },
    children: g.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height })),
    edges: g.edges.map((e) => ({
      id: e.id,
      sources: [e.from],
      targets: [e.to],
      labels: [{ text: ' ', width: e.width, height: e.height }],
    })),
  });
}

async function peers(make: (n: number) => Tensor): Promise<string[][]> {
  const rows: string[][] = [['nodes', 'chainrule', 'dagre', 'elkjs layered']];
  const last: Record<string, number> = {};
  const projected = (name: string, n: number, prev: number) =>
    last[name] !== undefined && last[name] * (n / prev) ** 2 > 60_000;
  let prev = SIZES[0]!;
  for (const n of SIZES) {
    const snapshot = toSnapshot(make(n));
    const view = flatView(snapshot);
    const ours = time(() => layoutView(view), 3);
    const boxes = boxesOf(view, ours.result);
    const cells = [String(snapshot.nodes.length), fmtMs(ours.ms)];
    for (const [name, run] of [
      ['dagre', () => Promise.resolve(runDagre(boxes))],
      ['elk', () => runElk(boxes)],
    ] as const) {
      if (projected(name, n, prev)) {
        cells.push('skipped (> 1 min)');
        continue;
      }
      const t0 = performance.now();
      await run();
      last[name] = performance.now() - t0;
      cells.push(fmtMs(last[name]));
    }
    rows.push(cells);
    prev = n;
  }
  return rows;
}

export async function benchLayout(): Promise<void> {
  console.log('Pictures of big graphs: snapshot + layout + SVG (median), every node drawn');
  for (const [name, make] of [
    ['sum of products', sumOfProducts],
    ['fan-out net', fanOutNet],
  ] as const) {
    for (const open of [false, true]) {
      const rows = pipeline(make, open);
      console.log(`\n${name}, ${open ? 'every group open (frames)' : 'flat'}:`);
      table([
        ['nodes', 'snapshot', 'layout', 'SVG', 'total'],
        ...rows.map((r) => [
          String(r.nodes),
          fmtMs(r.snapshot),
          fmtMs(r.layout),
          fmtMs(r.svg),
          fmtMs(r.ms),
        ]),
      ]);
      const k = exponent(rows.filter((r) => r.nodes >= 250));
      const at1000 = rows.find((r) => r.nodes >= 900 && r.nodes <= 1100);
      console.log(
        `growth exponent 300 → 3,000 nodes: ${k.toFixed(2)} (target ≤ 1.2); ` +
          `~1,000 nodes: ${fmtMs(at1000?.ms ?? NaN)} (target ≤ 300 ms)`,
      );
    }
  }
  for (const [name, make] of [
    ['sum of products', sumOfProducts],
    ['fan-out net', fanOutNet],
  ] as const) {
    console.log(`\nLayout alone, flat ${name}: chainrule's layered layout against its peers`);
    table(await peers(make));
  }
}
