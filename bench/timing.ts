export interface MeasureOptions {
  /** Timed runs at most (default 10). */
  runs?: number;
  /** Unmeasured runs first, so JIT compilation and first-touch allocation are not timed. */
  warmup?: number;
  /**
   * Stop adding runs once this many milliseconds went by (at least one timed run happens):
   * TF.js cpu takes seconds per call on the big cases.
   */
  budgetMs?: number;
}

export interface Measured {
  /** Median wall-clock milliseconds. */
  ms: number;
  /** How many timed runs the median is of. */
  runs: number;
}

/**
 * At least `warmup` runs and 300 ms of them (V8 optimises a function after a few calls, and
 * WebAssembly code tiers up), but never past the budget.
 */
function warmUp(fn: () => void, warmup: number, budgetMs: number): void {
  const start = performance.now();
  for (
    let i = 0;
    i === 0 ||
    (performance.now() - start < budgetMs && (i < warmup || performance.now() - start < 300));
    i++
  )
    fn();
}

/**
 * Median wall-clock time of `fn` after warm-up, within a time budget. A full garbage
 * collection first (with --expose-gc), so no side pays for the garbage of the one before.
 */
export function measure(fn: () => void, options: MeasureOptions = {}): Measured {
  const { runs = 10, warmup = 2, budgetMs = 4000 } = options;
  global.gc?.();
  warmUp(fn, warmup, budgetMs);
  const times: number[] = [];
  const timedStart = performance.now();
  while (times.length < runs && (times.length === 0 || performance.now() - timedStart < budgetMs)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, runs: times.length };
}

/**
 * Median wall-clock times of several functions timed in turns — one run of each per round —
 * so that every side meets the same conditions: on a shared VM one core can run at 60% of the
 * other's speed for seconds at a time, and sides timed one after the other would each get a
 * different share of it. Warm-up as in measure(), and one full collection before the rounds
 * (not one per run: that would shrink V8's young generation and slow allocation-heavy steps).
 */
export function measureRounds(fns: (() => void)[], options: MeasureOptions = {}): Measured[] {
  const { runs = 10, warmup = 2, budgetMs = 4000 } = options;
  for (const fn of fns) warmUp(fn, warmup, budgetMs);
  const times: number[][] = fns.map(() => []);
  global.gc?.();
  const start = performance.now();
  const budget = budgetMs * fns.length;
  while (
    times[0]!.length < runs &&
    (times[0]!.length === 0 || performance.now() - start < budget)
  ) {
    fns.forEach((fn, k) => {
      const t0 = performance.now();
      fn();
      times[k]!.push(performance.now() - t0);
    });
  }
  return times.map((ts) => {
    ts.sort((a, b) => a - b);
    return { ms: ts[Math.floor(ts.length / 2)]!, runs: ts.length };
  });
}

/** Median wall-clock milliseconds of `fn` over `runs` runs, after `warmup` unmeasured runs. */
export function medianMs(fn: () => void, runs = 10, warmup = 3): number {
  return measure(fn, { runs, warmup, budgetMs: Infinity }).ms;
}

export function fmtMs(ms: number): string {
  return ms >= 100
    ? `${ms.toFixed(0)} ms`
    : ms >= 1
      ? `${ms.toFixed(2)} ms`
      : `${(ms * 1000).toFixed(0)} µs`;
}

export function fmtMb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

/** Prints rows as an aligned table. */
export function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows)
    console.log(
      r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '),
    );
}
