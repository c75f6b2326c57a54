import { mkdirSync } from 'node:fs';
import { quote } from '../../core/validate.js';
import { join } from 'node:path';
import { ChainruleError } from '../../core/errors.js';
import { Tensor } from '../../core/tensor.js';
import { saveModule } from '../../io/module-io.js';
import { writeBytes } from '../../io/node.js';
import type { Classifier } from '../../nn/classifier.js';
import { renderDecisionBoundary, renderTrainingPlot } from '../../viz/plot.js';
import { renderPng } from '../../viz/png.js';
import type { LoadedData } from './data.js';
import { modelMetadata, predictClasses, type ModelInfo } from './saved.js';

// What `chainrule train --out DIR` writes: the weights (safetensors, with what is needed to load
// them again), the history as JSON and CSV, the loss-and-accuracy plot as SVG and PNG, and for
// 2-D data the decision regions with the points.

/** One accuracy check: after which iteration, at which epoch, and the two accuracies. */
export interface Check {
  iteration: number;
  epoch: number;
  train: number;
  val: number;
}

export interface RunRecord {
  loss: number[];
  checks: Check[];
  final: { train: number; val: number; test: number };
  /** Wall-clock and CPU seconds of training. */
  seconds: number;
  cpuSeconds: number;
}

/** The history as CSV: a row per iteration, accuracy filled where a check was made. */
export function historyCsv(run: RunRecord): string {
  const byIteration = new Map(run.checks.map((c) => [c.iteration, c]));
  const rows = ['iteration,epoch,loss,train_acc,val_acc'];
  run.loss.forEach((loss, i) => {
    const c = byIteration.get(i + 1);
    rows.push(`${i + 1},${c ? c.epoch : ''},${loss},${c ? c.train : ''},${c ? c.val : ''}`);
  });
  return rows.join('\n') + '\n';
}

/**
 * Creates the output directory (and its parents), or a clear error naming it: called before
 * training, so that a bad --out fails at once rather than after the run.
 */
export function prepareOutputs(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const e = error as { code?: string; message?: string };
    const why =
      e.code === 'EEXIST' || e.code === 'ENOTDIR'
        ? 'a file of that name is in the way'
        : e.code === 'EACCES' || e.code === 'EPERM'
          ? 'permission denied'
          : (e.message ?? String(error));
    throw new ChainruleError(
      'bad_argument',
      `--out: cannot create the output directory ${quote(dir, 500)}: ${why}`,
    );
  }
}

/** Writes every output to `dir` (made by prepareOutputs) and returns the paths written. */
export function writeOutputs(
  dir: string,
  parts: { model: Classifier; info: ModelInfo; data: LoadedData; run: RunRecord; title: string },
): string[] {
  prepareOutputs(dir);
  const written: string[] = [];
  const write = (name: string, data: string | Uint8Array) => {
    const path = join(dir, name);
    writeBytes(path, data, 'train');
    written.push(path);
  };
  const { model, info, data, run, title } = parts;
  const extra: Record<string, Tensor> = {};
  if (data.standardizer) {
    extra['standardize.mean'] = new Tensor(data.standardizer.mean, [data.standardizer.mean.length]);
    extra['standardize.std'] = new Tensor(data.standardizer.std, [data.standardizer.std.length]);
  }
  write('model.safetensors', saveModule(model.net, { metadata: modelMetadata(info), extra }));
  write(
    'history.json',
    JSON.stringify(
      {
        loss: run.loss,
        checks: run.checks,
        final: run.final,
        seconds: run.seconds,
        cpuSeconds: run.cpuSeconds,
      },
      null,
      1,
    ) + '\n',
  );
  write('history.csv', historyCsv(run));
  const plot = renderTrainingPlot(
    {
      loss: run.loss,
      accuracy: {
        epoch: run.checks.map((c) => c.epoch),
        train: run.checks.map((c) => c.train),
        val: run.checks.map((c) => c.val),
      },
    },
    { title },
  );
  write('training.svg', plot);
  write('training.png', renderPng(plot));
  if (data.inputShape.length === 1 && data.inputShape[0] === 2) {
    const points = Array.from({ length: data.train.y.length }, (_, i): [number, number] => [
      data.train.X.data[2 * i]!,
      data.train.X.data[2 * i + 1]!,
    ]);
    const svg = renderDecisionBoundary({
      points,
      labels: data.train.y,
      numClasses: data.numClasses,
      title,
      classify: (grid) => {
        const flat = new Float64Array(grid.length * 2);
        grid.forEach(([x, y], i) => {
          flat[2 * i] = x;
          flat[2 * i + 1] = y;
        });
        const X = new Tensor(data.train.X.dtype === 'float32' ? Float32Array.from(flat) : flat, [
          grid.length,
          2,
        ]);
        return predictClasses(model, X);
      },
    });
    write('decision-boundary.svg', svg);
    write('decision-boundary.png', renderPng(svg));
  }
  return written;
}
