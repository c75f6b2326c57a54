import { Rng, configureKernels, kernelSettings, tensor } from '../dist/index.js';
import { poolStats } from '../dist/kernels/threads/pool.js';
import { CASES, type Case } from './cases.js';
import { simdCeiling } from './ceiling.js';
import { fmtMs, measureRounds, table, type Measured } from './timing.js';
import { loadTf, tfWasmThreads, type Tf } from './tfjs.js';
import { runTorch, torchAvailable, type TorchRun } from './torch.js';

type Data = Float64Array | Float32Array;

/** A side's median time and the first step's results, or why it has no figure. */
type Outcome = { time: Measured; results: Data[] } | { missing: string };

const BUDGET_MS = 4000;
/** float32 sides against chainrule's float64: max |a − b| over max |b|. */
const TOLERANCE = 1e-3;

/** The same float32 numbers for every side: drawn once per case from a seeded RNG. */
function inputsOf(c: Case): Float32Array[] {
  const rng = new Rng(7);
  return c.inputs.map(({ shape, scale = 1 }) =>
    Float32Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => rng.normal(0, scale)),
  );
}

/** A side ready to be timed: its step, the first step's results, and its clean-up. */
type Ready = { step: () => void; results: Data[]; finish(): void } | { missing: string };

/** chainrule on `threads` threads: the setting is switched around each step. */
function prepareOurs(
  c: Case,
  data: Float32Array[],
  dtype: 'float32' | 'float64',
  threads: number,
): Ready {
  const xs = c.inputs.map(({ shape }, k) =>
    tensor(dtype === 'float32' ? data[k]! : Float64Array.from(data[k]!), { shape }),
  );
  const p = c.ours(xs);
  const run = () => {
    const before = configureKernels({ threads });
    try {
      return p.step();
    } finally {
      configureKernels(before);
    }
  };
  const results = run().map((r) => r.slice());
  results.push(...(p.check?.() ?? []).map((r) => r.slice()));
  return { step: () => void run(), results, finish: () => p.dispose?.() };
}

async function prepareTf(tf: Tf, backend: string, c: Case, data: Float32Array[]): Promise<Ready> {
  if (!c.tf) return { missing: 'not written' };
  await tf.setBackend(backend);
  await tf.ready();
  const p = c.tf(tf, data);
  // Only the work is timed: each result is read back (dataSync) and disposed; no tf.tidy around
  // typed arrays (tidy walks a returned typed array element by element).
  const step = () => {
    const rs = p.step();
    for (const r of rs) r.dataSync();
    for (const r of rs) r.dispose();
  };
  try {
    const first = p.step();
    let results: Data[] = first.map((r) => Float32Array.from(r.dataSync()));
    first.forEach((r) => r.dispose());
    if (p.layout) results = p.layout(results);
    results.push(...(p.check?.() ?? []));
    const before = tf.memory().numTensors;
    const finish = () => {
      // A leak would make the timed runs pay for memory growth: none may outlive its run.
      const leaked = tf.memory().numTensors - before;
      if (leaked > 0) console.log(`  note: TF.js ${backend} leaked ${leaked} tensors on ${c.id}`);
      p.dispose?.();
    };
    return { step, results, finish };
  } catch (error) {
    p.dispose?.();
    return { missing: (error as Error).message.split('\n')[0]!.slice(0, 80) };
  }
}

/** Times the ready sides in turns (measureRounds), then cleans them up. */
function timeTogether(c: Case, sides: Ready[]): Outcome[] {
  const live = sides.filter((r) => 'step' in r);
  const times = measureRounds(
    live.map((r) => r.step),
    { runs: c.runs ?? 10, budgetMs: BUDGET_MS },
  );
  live.forEach((r) => r.finish());
  return sides.map((r) =>
    'missing' in r ? r : { time: times[live.indexOf(r)]!, results: r.results },
  );
}

/** max |a − ref| / max |ref|: how far a side's results are from chainrule's float64 ones. */
function relDiff(a: readonly Data[], ref: readonly Data[]): number {
  let diff = a.length === ref.length ? 0 : Infinity;
  for (let k = 0; k < Math.min(a.length, ref.length); k++) {
    const [x, y] = [a[k]!, ref[k]!];
    if (x.length !== y.length) return Infinity;
    let top = 1e-30;
    let worst = 0;
    for (let i = 0; i < y.length; i++) {
      top = Math.max(top, Math.abs(y[i]!));
      worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
    }
    diff = Math.max(diff, Number.isNaN(worst) ? Infinity : worst / top);
  }
  return diff;
}

const fmtOutcome = (o: Outcome) => ('missing' in o ? 'n/a' : fmtTime(o.time));
const fmtTime = (t: Measured) => `${fmtMs(t.ms)}${t.runs < 3 ? '¹' : ''}`;
const ratio = (ours: Outcome, peer: Outcome) =>
  'missing' in ours || 'missing' in peer ? 'n/a' : `${(ours.time.ms / peer.time.ms).toFixed(2)}×`;

/** A side of the comparison: its name, whom its ratios are taken against, its outcome. */
interface Side {
  name: string;
  outcome: Outcome;
}

/**
 * Every case on chainrule (float64 and float32, one thread and `threads`) and on its peers —
 * TF.js cpu and wasm, PyTorch CPU on one thread and on `threads` — in the same run, with a check
 * that they all computed the same numbers.
 */
export async function benchTensors(wanted: (id: string) => boolean = () => true): Promise<void> {
  const cases = CASES.filter((c) => wanted(c.id));
  if (cases.length === 0) return;
  const threads = kernelSettings().threads;
  const tf = loadTf();
  const torchOk = torchAvailable();
  if (typeof tf !== 'string') {
    await tf.setBackend('wasm');
    await tf.ready();
  }
  const inputs = new Map(cases.map((c) => [c.id, inputsOf(c)]));
  // PyTorch runs first, in its own process, so nothing else of ours competes with it.
  const torch1 = torchOk === true ? runTorch(cases, inputs, 1, BUDGET_MS) : torchOk;
  const torchN =
    torchOk !== true
      ? torchOk
      : threads > 1
        ? runTorch(cases, inputs, threads, BUDGET_MS)
        : '1 thread';
  console.log(
    typeof tf === 'string'
      ? `TF.js: skipped — ${tf}`
      : `TF.js 4.x: cpu backend, and wasm backend on ${tfWasmThreads() ?? '?'} thread(s) with SIMD`,
  );
  console.log(
    typeof torch1 === 'string'
      ? `PyTorch: skipped — ${torch1}`
      : `PyTorch ${torch1.version} CPU on 1 thread and on ${threads}`,
  );
  console.log(`chainrule: WebAssembly SIMD kernels on 1 thread and on ${threads} (×${threads})\n`);

  const names = ['chainrule f64', 'chainrule f32', `chainrule f32 ×${threads}`, 'TF.js cpu'];
  const times = [['case', ...names, 'TF.js wasm', 'PyTorch', `PyTorch ×${threads}`]];
  const ratios = [
    [
      'case',
      'f32 ÷ TF.js cpu',
      'f32 ÷ TF.js wasm',
      'f32 ÷ PyTorch',
      `×${threads} ÷ PyTorch ×${threads}`,
    ],
  ];
  const gflops: string[] = [];
  const ceilingShares: string[] = [];
  const ceiling = cases.some((c) => c.flops) ? simdCeiling() : 'no case counts its flops';
  const checks: string[] = [];
  const ahead: string[] = [];
  const behind: string[] = [];
  const compare = (c: Case, ours: Side, peer: Side) => {
    if (!('time' in ours.outcome) || !('time' in peer.outcome)) return;
    const r = ours.outcome.time.ms / peer.outcome.time.ms;
    const line =
      `  ${c.name}: ${peer.name} ${fmtMs(peer.outcome.time.ms)} vs ${ours.name} ` +
      fmtMs(ours.outcome.time.ms);
    if (r > 1) ahead.push(`${line} — ${peer.name} is ${r.toFixed(1)}× faster`);
    else behind.push(`${line} — chainrule is ${(1 / r).toFixed(1)}× faster`);
  };
  const torchSide = (run: TorchRun | string, id: string): Outcome => {
    const t = typeof run === 'string' ? undefined : run.cases.get(id);
    return t ? { time: t, results: t.results } : { missing: 'skipped' };
  };
  for (const c of cases) {
    const data = inputs.get(c.id)!;
    // TF.js cpu alone (a call can take seconds); then chainrule and TF.js wasm in turns.
    const cpuSide =
      typeof tf === 'string'
        ? { missing: tf }
        : timeTogether(c, [await prepareTf(tf, 'cpu', c, data)])[0]!;
    const [ours64, ours32, ours32N, wasmSide] = timeTogether(c, [
      prepareOurs(c, data, 'float64', 1),
      prepareOurs(c, data, 'float32', 1),
      prepareOurs(c, data, 'float32', threads),
      typeof tf === 'string' ? { missing: tf } : await prepareTf(tf, 'wasm', c, data),
    ]) as [Outcome, Outcome, Outcome, Outcome];
    const sides: Side[] = [
      { name: 'chainrule f64', outcome: ours64 },
      { name: 'chainrule f32', outcome: ours32 },
      { name: `chainrule f32 ×${threads}`, outcome: ours32N },
      {
        name: 'TF.js cpu',
        outcome: cpuSide,
      },
      {
        name: 'TF.js wasm',
        outcome: wasmSide,
      },
      { name: 'PyTorch', outcome: torchSide(torch1, c.id) },
      { name: `PyTorch ×${threads}`, outcome: torchSide(torchN, c.id) },
    ];
    const [, f32, f32N, cpu, wasm, pt, ptN] = sides as [Side, Side, Side, Side, Side, Side, Side];
    times.push([c.name, ...sides.map((side) => fmtOutcome(side.outcome))]);
    ratios.push([
      c.name,
      ratio(f32.outcome, cpu.outcome),
      ratio(f32.outcome, wasm.outcome),
      ratio(f32.outcome, pt.outcome),
      ratio(f32N.outcome, ptN.outcome),
    ]);
    if (c.flops) {
      const rates = sides.flatMap(({ name, outcome }) =>
        'time' in outcome ? [`${name} ${(c.flops! / outcome.time.ms / 1e6).toFixed(1)}`] : [],
      );
      gflops.push(`  ${c.name}: ${rates.join(', ')}`);
      if (typeof ceiling === 'number') {
        const shares = [f32, wasm].flatMap(({ name, outcome }) =>
          'time' in outcome
            ? [`${name} ${((100 * c.flops!) / outcome.time.ms / 1e6 / ceiling).toFixed(0)}%`]
            : [],
        );
        ceilingShares.push(`  ${c.name}: ${shares.join(', ')}`);
      }
    }
    if ('results' in ours64) {
      const diffs = sides.slice(1).flatMap(({ name, outcome }) => {
        if (!('results' in outcome)) return [];
        const d = relDiff(outcome.results, ours64.results);
        return [`${name} ${d.toExponential(0)}${d <= TOLERANCE ? '' : ' ✗ DIFFERS'}`];
      });
      checks.push(`  ${c.name}: ${diffs.join(', ')}`);
    }
    for (const peer of [cpu, wasm, pt]) compare(c, f32, peer);
    if (threads > 1) compare(c, f32N, ptN);
  }
  table(times);
  console.log(
    '¹ fewer than 3 timed runs (a call takes seconds). Every peer computes in float32; ' +
      `×${threads}: on ${threads} threads, the others on one.`,
  );
  console.log('\nRatios (chainrule time ÷ peer time; above 1 the peer is faster):');
  table(ratios);
  const stats = poolStats();
  console.log(
    `(worker pool: ${stats.workers} worker(s), ${stats.jobs} jobs shared, ` +
      `${stats.chunksByWorkers} chunks run by workers)`,
  );
  console.log('\nGFLOP/s (useful work per second):');
  gflops.forEach((l) => console.log(l));
  if (typeof ceiling === 'number') {
    console.log(
      `Ceiling: one thread here does at most ${ceiling.toFixed(1)} GFLOP/s of 128-bit float32 ` +
        'multiply + add from registers (bench/ceiling.c), what WebAssembly SIMD compiles to; ' +
        'share of it on one thread:',
    );
    ceilingShares.forEach((l) => console.log(l));
  } else if (gflops.length > 0) console.log(`Ceiling: skipped — ${ceiling}`);
  console.log(
    `\nSame numbers? max |side − chainrule f64| / max |chainrule f64| (✗ above ${TOLERANCE}):`,
  );
  checks.forEach((l) => console.log(l));
  console.log('\nWhere a peer is ahead of chainrule (same number of threads):');
  console.log(ahead.length > 0 ? ahead.join('\n') : '  nowhere in this run');
  console.log('Where chainrule is ahead:');
  console.log(behind.length > 0 ? behind.join('\n') : '  nowhere in this run');
}
