import { Rng, tensor } from '../dist/index.js';
import { CASES, type Case, type Prepared } from './cases.js';
import { fmtMs, measure, table, type Measured } from './timing.js';
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

function runOurs(c: Case, data: Float32Array[], dtype: 'float32' | 'float64'): Outcome {
  const xs = c.inputs.map(({ shape }, k) =>
    tensor(dtype === 'float32' ? data[k]! : Float64Array.from(data[k]!), { shape }),
  );
  return runPrepared(c, c.ours(xs), (rs) => rs.map((r) => r.slice()));
}

function runPrepared<T>(c: Case, p: Prepared<T>, first: (rs: T[]) => Data[]): Outcome {
  const results = first(p.step());
  results.push(...(p.check?.() ?? []).map((r) => r.slice()));
  const time = measure(() => void p.step(), { runs: c.runs ?? 10, budgetMs: BUDGET_MS });
  p.dispose?.();
  return { time, results };
}

async function runTf(tf: Tf, backend: string, c: Case, data: Float32Array[]): Promise<Outcome> {
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
    const time = measure(step, { runs: c.runs ?? 10, budgetMs: BUDGET_MS });
    // A leak would make the timed runs pay for memory growth: none may outlive its run.
    const leaked = tf.memory().numTensors - before;
    if (leaked > 0) console.log(`  note: TF.js ${backend} leaked ${leaked} tensors on ${c.id}`);
    p.dispose?.();
    return { time, results };
  } catch (error) {
    p.dispose?.();
    return { missing: (error as Error).message.split('\n')[0]!.slice(0, 80) };
  }
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

/**
 * Every case on chainrule (float64 and float32) and on its peers — TF.js cpu and wasm, PyTorch
 * CPU — in the same run, with a check that they all computed the same numbers.
 */
export async function benchTensors(wanted: (id: string) => boolean = () => true): Promise<void> {
  const cases = CASES.filter((c) => wanted(c.id));
  if (cases.length === 0) return;
  const tf = loadTf();
  const torchOk = torchAvailable();
  if (typeof tf !== 'string') {
    await tf.setBackend('wasm');
    await tf.ready();
  }
  const inputs = new Map(cases.map((c) => [c.id, inputsOf(c)]));
  // PyTorch runs first, in its own process, so nothing else of ours competes with it.
  const torch: TorchRun | string =
    torchOk === true ? runTorch(cases, inputs, 1, BUDGET_MS) : torchOk;
  console.log(
    typeof tf === 'string'
      ? `TF.js: skipped — ${tf}`
      : `TF.js 4.x: cpu backend, and wasm backend on ${tfWasmThreads() ?? '?'} thread(s) with SIMD`,
  );
  console.log(
    typeof torch === 'string'
      ? `PyTorch: skipped — ${torch}`
      : `PyTorch ${torch.version} CPU on ${torch.threads} thread(s)`,
  );
  console.log('chainrule: 1 thread\n');

  const header = ['case', 'chainrule f64', 'chainrule f32', 'TF.js cpu', 'TF.js wasm', 'PyTorch'];
  const rows = [[...header, 'f32 ÷ cpu', 'f32 ÷ wasm', 'f32 ÷ torch']];
  const gflops: string[] = [];
  const checks: string[] = [];
  const ahead: string[] = [];
  const behind: string[] = [];
  for (const c of cases) {
    const data = inputs.get(c.id)!;
    const ours64 = runOurs(c, data, 'float64');
    const ours32 = runOurs(c, data, 'float32');
    const cpu = typeof tf === 'string' ? { missing: tf } : await runTf(tf, 'cpu', c, data);
    const wasm = typeof tf === 'string' ? { missing: tf } : await runTf(tf, 'wasm', c, data);
    const t = typeof torch === 'string' ? undefined : torch.cases.get(c.id);
    const pt: Outcome = t ? { time: t, results: t.results } : { missing: 'skipped' };
    const sides: [string, Outcome][] = [
      ['chainrule f64', ours64],
      ['chainrule f32', ours32],
      ['TF.js cpu', cpu],
      ['TF.js wasm', wasm],
      ['PyTorch', pt],
    ];
    rows.push([
      c.name,
      ...sides.map(([, o]) => fmtOutcome(o)),
      ratio(ours32, cpu),
      ratio(ours32, wasm),
      ratio(ours32, pt),
    ]);
    if (c.flops) {
      const rates = sides
        .filter(([, o]) => 'time' in o)
        .map(
          ([name, o]) => `${name} ${(c.flops! / ('time' in o ? o.time.ms : NaN) / 1e6).toFixed(1)}`,
        );
      gflops.push(`  ${c.name}: ${rates.join(', ')}`);
    }
    if ('results' in ours64) {
      const diffs = sides.slice(1).flatMap(([name, o]) => {
        if (!('results' in o)) return [];
        const d = relDiff(o.results, ours64.results);
        return [`${name} ${d.toExponential(0)}${d <= TOLERANCE ? '' : ' ✗ DIFFERS'}`];
      });
      checks.push(`  ${c.name}: ${diffs.join(', ')}`);
    }
    for (const [name, o] of sides.slice(2)) {
      if (!('time' in o) || !('time' in ours32)) continue;
      const r = ours32.time.ms / o.time.ms;
      const line = `  ${c.name}: ${name} ${fmtMs(o.time.ms)} vs chainrule f32 ${fmtMs(ours32.time.ms)}`;
      if (r > 1) ahead.push(`${line} — ${name} is ${r.toFixed(1)}× faster`);
      else behind.push(`${line} — chainrule is ${(1 / r).toFixed(1)}× faster`);
    }
  }
  table(rows);
  console.log(
    '¹ fewer than 3 timed runs (a call takes seconds). Ratios > 1: chainrule is slower. ' +
      'Every peer computes in float32.',
  );
  console.log('\nGFLOP/s (useful work per second):');
  gflops.forEach((l) => console.log(l));
  console.log(
    `\nSame numbers? max |side − chainrule f64| / max |chainrule f64| (✗ above ${TOLERANCE}):`,
  );
  checks.forEach((l) => console.log(l));
  console.log('\nWhere a peer is ahead of chainrule f32:');
  console.log(ahead.length > 0 ? ahead.join('\n') : '  nowhere in this run');
  console.log('Where chainrule f32 is ahead:');
  console.log(behind.length > 0 ? behind.join('\n') : '  nowhere in this run');
}
