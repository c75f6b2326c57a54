/**
 * Hand-written graph snapshots for the renderer and explanation tests. They do not depend on the
 * autograd core: a tiny scalar evaluator below computes values and gradients exactly with Math,
 * so the numbers are the lecture's numbers whatever state the core is in.
 */
import type {
  GraphSnapshot,
  NodeKind,
  SnapshotEdge,
  SnapshotNode,
  Span,
  TensorSummary,
} from '../../src/graph/types.js';

/** One scalar node: a leaf (value) or a gate (inputs, forward f and local derivative df). */
export interface ScalarSpec {
  kind: NodeKind;
  op: string;
  label: string;
  value?: number;
  inputs?: number[];
  f?: (xs: number[]) => number;
  /** d(output)/d(input i) at xs. */
  df?: (xs: number[], i: number) => number;
  gate?: string;
  rule?: string;
  span?: Span;
}

const at = (xs: number[], i: number): number => {
  const x = xs[i];
  if (x === undefined) throw new Error(`fixture: missing input ${i}`);
  return x;
};

/** Gate constructors for the evaluator. */
export const g = {
  input: (label: string, value: number): ScalarSpec => ({
    kind: 'input',
    op: 'input',
    label,
    value,
  }),
  constant: (value: number): ScalarSpec => ({
    kind: 'constant',
    op: 'constant',
    label: String(value),
    value,
  }),
  add: (a: number, b: number): ScalarSpec => ({
    kind: 'gate',
    op: 'add',
    label: '+',
    gate: 'add gate',
    inputs: [a, b],
    f: (xs) => at(xs, 0) + at(xs, 1),
    df: () => 1,
  }),
  mul: (a: number, b: number): ScalarSpec => ({
    kind: 'gate',
    op: 'mul',
    label: '×',
    gate: 'multiply gate',
    rule: 'mul swaps: each input receives upstream × the other input',
    inputs: [a, b],
    f: (xs) => at(xs, 0) * at(xs, 1),
    df: (xs, i) => at(xs, 1 - i),
  }),
  max: (a: number, b: number): ScalarSpec => ({
    kind: 'gate',
    op: 'max',
    label: 'max',
    gate: 'max gate',
    inputs: [a, b],
    f: (xs) => Math.max(at(xs, 0), at(xs, 1)),
    df: (xs, i) => (at(xs, 0) >= at(xs, 1) === (i === 0) ? 1 : 0),
  }),
  sum: (inputs: number[]): ScalarSpec => ({
    kind: 'gate',
    op: 'sum',
    label: 'Σ',
    gate: 'sum gate',
    inputs,
    f: (xs) => xs.reduce((a, b) => a + b, 0),
    df: () => 1,
  }),
  neg: (a: number): ScalarSpec => ({
    kind: 'gate',
    op: 'neg',
    label: '*-1',
    gate: 'negate gate',
    inputs: [a],
    f: (xs) => -at(xs, 0),
    df: () => -1,
  }),
  exp: (a: number): ScalarSpec => ({
    kind: 'gate',
    op: 'exp',
    label: 'exp',
    gate: 'exp gate',
    inputs: [a],
    f: (xs) => Math.exp(at(xs, 0)),
    df: (xs) => Math.exp(at(xs, 0)),
  }),
  addConst: (a: number, c: number): ScalarSpec => ({
    kind: 'gate',
    op: 'add',
    label: c < 0 ? `${c}` : `+${c}`,
    gate: 'add gate',
    inputs: [a],
    f: (xs) => at(xs, 0) + c,
    df: () => 1,
  }),
  reciprocal: (a: number): ScalarSpec => ({
    kind: 'gate',
    op: 'reciprocal',
    label: '1/x',
    gate: 'reciprocal gate',
    inputs: [a],
    f: (xs) => 1 / at(xs, 0),
    df: (xs) => -1 / at(xs, 0) ** 2,
  }),
  tanh: (a: number): ScalarSpec => ({
    kind: 'gate',
    op: 'tanh',
    label: 'tanh',
    gate: 'tanh gate',
    inputs: [a],
    f: (xs) => Math.tanh(at(xs, 0)),
    df: (xs) => 1 - Math.tanh(at(xs, 0)) ** 2,
  }),
};

/**
 * Evaluates a list of scalar specs (every input before its users; the last one is the root)
 * forwards and backwards, and returns the snapshot a correct `toSnapshot` would produce.
 */
export function scalarSnapshot(
  specs: ScalarSpec[],
  extra: { expression?: string; mode?: 'staged' | 'fused' } = {},
): GraphSnapshot {
  const n = specs.length;
  const values = new Array<number>(n).fill(0);
  const inputsOf = (s: ScalarSpec): number[] => s.inputs ?? [];
  specs.forEach((s, k) => {
    const xs = inputsOf(s).map((i) => at(values, i));
    values[k] = s.f ? s.f(xs) : (s.value ?? 0);
  });
  // Backward in reverse topological order: a node's gradient is complete before it is used.
  const grads = new Array<number>(n).fill(0);
  const reached = new Array<boolean>(n).fill(false);
  grads[n - 1] = 1;
  reached[n - 1] = true;
  const edgeParts: Array<Omit<SnapshotEdge, 'id'> & { key: number }> = [];
  for (let k = n - 1; k >= 0; k--) {
    const s = specs[k];
    if (!s) continue;
    const xs = inputsOf(s).map((i) => at(values, i));
    inputsOf(s).forEach((from, i) => {
      const local = s.df ? s.df(xs, i) : 0;
      const upstream = reached[k] ? at(grads, k) : null;
      const source = specs[from];
      const flows = upstream !== null && source?.kind !== 'constant';
      const global = flows ? local * upstream : null;
      if (global !== null) {
        grads[from] = at(grads, from) + global;
        reached[from] = true;
      }
      edgeParts.push({
        key: k * 1000 + i,
        from: `n${from}`,
        to: `n${k}`,
        inputIndex: i,
        value: at(values, from),
        grad: global,
        local,
        upstream,
        global,
      });
    });
  }
  edgeParts.sort((a, b) => a.key - b.key);
  const edges: SnapshotEdge[] = edgeParts.map(({ key: _key, ...e }, i) => ({ id: `e${i}`, ...e }));
  const nodes: SnapshotNode[] = specs.map((s, k) => {
    const node: SnapshotNode = {
      id: `n${k}`,
      kind: s.kind,
      op: s.op,
      label: s.label,
      shape: [],
      value: at(values, k),
      grad: reached[k] && s.kind !== 'constant' ? at(grads, k) : null,
    };
    if (s.gate !== undefined) node.gate = s.gate;
    if (s.rule !== undefined) node.rule = s.rule;
    if (s.span !== undefined) node.span = s.span;
    if (k === n - 1) node.output = true;
    return node;
  });
  const snapshot: GraphSnapshot = { version: 1, root: `n${n - 1}`, nodes, edges };
  if (extra.expression !== undefined) snapshot.expression = extra.expression;
  if (extra.mode !== undefined) snapshot.mode = extra.mode;
  return snapshot;
}

/** The span of the `occurrence`-th appearance of `part` in `text`. */
function spanOf(text: string, part: string, occurrence = 0): Span {
  let start = -1;
  for (let k = 0; k <= occurrence; k++) start = text.indexOf(part, start + 1);
  if (start < 0) throw new Error(`fixture: '${part}' not in '${text}'`);
  return { start, end: start + part.length };
}

function withSpan(spec: ScalarSpec, text: string, part: string, occurrence = 0): ScalarSpec {
  return { ...spec, span: spanOf(text, part, occurrence) };
}

export const SIGMOID_EXPRESSION = '1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))';

/**
 * CS231n lecture 4, "another example": f(w, x) = 1 / (1 + e^-(w0·x0 + w1·x1 + w2)), staged.
 * Ids: n0 w0, n1 x0, n2 ×, n3 w1, n4 x1, n5 ×, n6 +, n7 w2, n8 +, n9 *-1, n10 exp, n11 +1,
 * n12 1/x (root). Edges e0 w0→n2, e1 x0→n2, e2 w1→n5, e3 x1→n5, e4 n2→n6, e5 n5→n6, e6 n6→n8,
 * e7 w2→n8, e8 n8→n9, e9 n9→n10, e10 n10→n11, e11 n11→n12.
 */
export function sigmoidSnapshot(): GraphSnapshot {
  const t = SIGMOID_EXPRESSION;
  return scalarSnapshot(
    [
      withSpan(g.input('w0', 2), t, 'w0'),
      withSpan(g.input('x0', -1), t, 'x0'),
      withSpan(g.mul(0, 1), t, 'w0*x0'),
      withSpan(g.input('w1', -3), t, 'w1'),
      withSpan(g.input('x1', -2), t, 'x1'),
      withSpan(g.mul(3, 4), t, 'w1*x1'),
      withSpan(g.add(2, 5), t, 'w0*x0 + w1*x1'),
      withSpan(g.input('w2', -3), t, 'w2'),
      withSpan(g.add(6, 7), t, 'w0*x0 + w1*x1 + w2'),
      withSpan(g.neg(8), t, '-(w0*x0 + w1*x1 + w2)'),
      withSpan(g.exp(9), t, 'exp(-(w0*x0 + w1*x1 + w2))'),
      withSpan(g.addConst(10, 1), t, '1 + exp(-(w0*x0 + w1*x1 + w2))'),
      { ...g.reciprocal(11), span: { start: 0, end: t.length } },
    ],
    { expression: t, mode: 'staged' },
  );
}

export const FORK_EXPRESSION = '(x + y) * x';

/** A value used twice: (x + y) * x at x = 2, y = -3. dL/dx = 2.00 + (-1.00) = 1.00. */
export function forkSnapshot(): GraphSnapshot {
  const t = FORK_EXPRESSION;
  return scalarSnapshot(
    [
      withSpan(g.input('x', 2), t, 'x'),
      withSpan(g.input('y', -3), t, 'y'),
      withSpan(g.add(0, 1), t, 'x + y'),
      { ...g.mul(2, 0), span: { start: 0, end: t.length } },
    ],
    { expression: t, mode: 'staged' },
  );
}

/** A graph whose only input has a hostile name, to check escaping everywhere. */
export function injectionSnapshot(name = '<script>alert("x&y")</script>'): GraphSnapshot {
  return scalarSnapshot([g.input(name, 1.5), g.input('b\\"q\'', 2), g.mul(0, 1)]);
}

/** A folded-in-nothing constant: 3 * x at x = 0.5 (the constant gets no gradient). */
export function constantSnapshot(): GraphSnapshot {
  return scalarSnapshot([g.constant(3), g.input('x', 0.5), g.mul(0, 1)]);
}

/** A chain x → tanh → tanh → … of `length` gates. */
export function chainSnapshot(length: number): GraphSnapshot {
  const specs: ScalarSpec[] = [g.input('x', 0.5)];
  for (let k = 0; k < length; k++) specs.push(g.tanh(k));
  return scalarSnapshot(specs);
}

/** mulberry32: a tiny seeded generator, so random graphs are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random DAG of exactly `size` nodes (about a fifth inputs). Gates prefer values nobody uses
 * yet, as in a real expression, and the root adds up whatever is still unused, so the whole
 * graph feeds the output.
 */
export function randomSnapshot(size: number, seed = 1): GraphSnapshot {
  const rand = seededRandom(seed);
  const specs: ScalarSpec[] = [];
  const unused: number[] = [];
  const pick = (): number => {
    const k = specs.length;
    if (unused.length > 0 && rand() < 0.7) {
      return unused.splice(Math.floor(rand() * unused.length), 1)[0] ?? 0;
    }
    const i = Math.max(0, k - 1 - Math.floor(rand() * Math.min(k, 8)));
    const at = unused.indexOf(i);
    if (at >= 0) unused.splice(at, 1);
    return i;
  };
  const values: number[] = [];
  while (specs.length < size - 1) {
    const k = specs.length;
    const r = rand();
    let spec: ScalarSpec;
    if (k < 2 || r < 0.2) spec = g.input(`v${k}`, Math.round((rand() * 4 - 2) * 100) / 100);
    else if (r < 0.5) spec = g.add(pick(), pick());
    else if (r < 0.75) spec = g.mul(pick(), pick());
    else if (r < 0.85) spec = g.max(pick(), pick());
    else spec = g.tanh(pick());
    let value = spec.f ? spec.f((spec.inputs ?? []).map((i) => at(values, i))) : (spec.value ?? 0);
    // Keep values small (a squashing gate instead of a big one) so gradients stay finite.
    if (Math.abs(value) > 2) {
      // The dropped operand goes back to the unused pool, so it still feeds the root.
      unused.push(...(spec.inputs ?? []).slice(1));
      spec = g.tanh(spec.inputs?.[0] ?? 0);
      value = Math.tanh(at(values, spec.inputs?.[0] ?? 0));
    }
    specs.push(spec);
    values.push(value);
    unused.push(k);
  }
  specs.push(g.sum(unused.sort((a, b) => a - b)));
  return scalarSnapshot(specs);
}

/** A large tensor (sin-wave data) as a snapshot would summarise it. */
export function bigSummary(shape: number[], scale = 1): TensorSummary {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: size }, (_, i) => Math.sin(i * 0.37) * scale);
  const sum = data.reduce((a, b) => a + b, 0);
  return {
    summary: true,
    shape,
    size,
    min: Math.min(...data),
    max: Math.max(...data),
    mean: sum / size,
    head: data.slice(0, 6),
  };
}

/**
 * A small tensor graph: L = sum(relu(X · W)) + sum(E), X 2×3, W 3×2, E a 64×64 tensor that the
 * snapshot summarises. The matmul edges have `local: null` and a `vjp` text instead.
 * Ids: n0 X, n1 W, n2 matmul, n3 relu, n4 sum, n5 E, n6 sum, n7 + (root).
 */
export function tensorSnapshot(): GraphSnapshot {
  const X = [
    [1, -2, 0.5],
    [0, 1, 3],
  ];
  const W = [
    [0.5, -1],
    [1, 0.25],
    [-0.5, 2],
  ];
  const H = X.map((row) => [0, 1].map((j) => row.reduce((s, x, k) => s + x * (W[k]?.[j] ?? 0), 0)));
  const R = H.map((row) => row.map((h) => Math.max(h, 0)));
  const dR = R.map((row) => row.map(() => 1));
  const dH = H.map((row) => row.map((h) => (h > 0 ? 1 : 0)));
  const dX = X.map((_, i) => W.map((wk) => wk.reduce((s, w, j) => s + w * (dH[i]?.[j] ?? 0), 0)));
  const dW = W.map((_, k) =>
    [0, 1].map((j) => X.reduce((s, x, i) => s + (x[k] ?? 0) * (dH[i]?.[j] ?? 0), 0)),
  );
  const sumR = R.flat().reduce((a, b) => a + b, 0);
  const E = bigSummary([64, 64]);
  const sumE = E.mean * E.size;
  const ones: TensorSummary = { ...bigSummary([64, 64], 0), min: 1, max: 1, mean: 1 };
  ones.head = ones.head.map(() => 1);
  type V = SnapshotNode['value'];
  type G = SnapshotNode['grad'];
  const node = (id: string, label: string, shape: number[], value: V, grad: G): SnapshotNode =>
    /^[A-Z]$/.test(label)
      ? { id, kind: 'input', op: 'input', label, shape, value, grad }
      : { id, kind: 'gate', op: label === '@' ? 'matmul' : label, label, shape, value, grad };
  const nodes: SnapshotNode[] = [
    node('n0', 'X', [2, 3], X, dX),
    node('n1', 'W', [3, 2], W, dW),
    node('n2', '@', [2, 2], H, dH),
    node('n3', 'relu', [2, 2], R, dR),
    node('n4', 'sum', [], sumR, 1),
    node('n5', 'E', [64, 64], E, ones),
    node('n6', 'sum', [], sumE, 1),
    { ...node('n7', '+', [], sumR + sumE, 1), op: 'add', output: true },
  ];
  // [id, from, to, inputIndex, value, local, upstream, global, vjp?]
  type Row = [string, string, string, number, V, G, G, G, string?];
  const rows: Row[] = [
    ['e0', 'n0', 'n2', 0, X, null, dH, dX, 'dX = upstream · Wᵀ'],
    ['e1', 'n1', 'n2', 1, W, null, dH, dW, 'dW = Xᵀ · upstream'],
    ['e2', 'n2', 'n3', 0, H, dH, dR, dH],
    ['e3', 'n3', 'n4', 0, R, dR, 1, dR],
    ['e4', 'n5', 'n6', 0, E, ones, 1, ones],
    ['e5', 'n4', 'n7', 0, sumR, 1, 1, 1],
    ['e6', 'n6', 'n7', 1, sumE, 1, 1, 1],
  ];
  const edges = rows.map(
    ([id, from, to, inputIndex, value, local, upstream, global, vjp]): SnapshotEdge => ({
      ...{ id, from, to, inputIndex, value, grad: global, local, upstream, global },
      ...(vjp === undefined ? {} : { vjp }),
    }),
  );
  return { version: 1, root: 'n7', nodes, edges };
}
