import type { SolverEvent } from '../../optim/solver.js';

// What `chainrule train` shows while it trains: on a terminal, one live line redrawn in place
// (epoch, batch, a bar, loss, accuracy, rate, ETA) with a permanent line per accuracy check;
// otherwise (a pipe, a log file) only the permanent lines.

/** Seconds as 0:07, 3:25 or 1:02:03. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** A bar of `width` cells, `fraction` of them full. */
export function bar(fraction: number, width = 20): string {
  const full = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}]`;
}

export interface ProgressOptions {
  /** Where lines go. */
  write: (text: string) => void;
  /** Redraw a live line in place (a terminal) or print only whole lines. */
  live: boolean;
  /** Milliseconds since some fixed start (performance.now in the CLI; a fake clock in tests). */
  now: () => number;
}

/** Turns Solver events into terminal output. Call `event` for each; `finish` at the end. */
export class Progress {
  private readonly options: ProgressOptions;
  private readonly start: number;
  private lastDraw = -Infinity;
  private drawn = false;
  private last: Extract<SolverEvent, { type: 'iteration' }> | null = null;
  private accuracy = '';

  constructor(options: ProgressOptions) {
    this.options = options;
    this.start = options.now();
  }

  private elapsed(): number {
    return (this.options.now() - this.start) / 1000;
  }

  private clear(): void {
    if (this.drawn) this.options.write('\r\x1b[K');
    this.drawn = false;
  }

  event(e: SolverEvent): void {
    if (e.type === 'iteration') {
      this.last = e;
      const t = this.options.now();
      if (this.options.live && (t - this.lastDraw >= 100 || e.iteration === e.iterations)) {
        this.lastDraw = t;
        this.draw(e);
      }
    } else if (e.type === 'epoch') {
      this.accuracy = `acc ${e.trainAcc.toFixed(3)} / ${e.valAcc.toFixed(3)}`;
      this.clear();
      const loss = this.last ? `  loss ${this.last.loss.toFixed(4)}` : '';
      this.options.write(
        `epoch ${String(e.epoch).padStart(String(e.numEpochs).length)}/${e.numEpochs}${loss}  ` +
          `train acc ${e.trainAcc.toFixed(4)}  val acc ${e.valAcc.toFixed(4)}${e.best ? ' *' : ''}  ` +
          `(${formatDuration(this.elapsed())})\n`,
      );
    } else {
      this.clear();
      if (e.reason === 'early-stopping') {
        this.options.write(
          `early stop after epoch ${e.epoch}: validation accuracy stopped improving\n`,
        );
      }
    }
  }

  private draw(e: Extract<SolverEvent, { type: 'iteration' }>): void {
    const seconds = this.elapsed();
    const rate = seconds > 0 ? e.iteration / seconds : 0;
    const eta = rate > 0 ? (e.iterations - e.iteration) / rate : NaN;
    const epoch = Math.min(e.epoch + 1, Math.ceil(e.iterations / e.batchesPerEpoch));
    const epochs = Math.ceil(e.iterations / e.batchesPerEpoch);
    const line =
      `epoch ${epoch}/${epochs} ${bar(e.iteration / e.iterations)} batch ${e.batch}/${e.batchesPerEpoch}` +
      `  loss ${e.loss.toFixed(4)}${this.accuracy ? `  ${this.accuracy}` : ''}` +
      `  ${rate >= 10 ? rate.toFixed(0) : rate.toFixed(1)} it/s  ETA ${formatDuration(eta)}`;
    this.options.write(`\r\x1b[K${line}`);
    this.drawn = true;
  }

  /** Removes the live line. */
  finish(): void {
    this.clear();
  }
}
