/**
 * Training pictures as DOM-free SVG strings: the loss and accuracy curves of a run, and the
 * decision regions of a 2-D classifier with its data points. Numbers are written with fixed
 * decimals so the same run always gives the same bytes; user text is escaped.
 */
import { badArgument } from '../core/errors.js';
import { checkFunction, checkInteger, checkOptions, describe } from '../core/validate.js';
import { escapeAttr, escapeXml } from './escape.js';

const FONT = "'DejaVu Sans', 'Helvetica Neue', Helvetica, Arial, sans-serif";

/** Ten distinct class colours (Tableau 10), then they repeat. */
export const CLASS_COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;

const colorOf = (c: number) => CLASS_COLORS[c % CLASS_COLORS.length]!;

/** A coordinate with at most two decimals and no trailing zeros. */
const n = (v: number) => String(Math.round(v * 100) / 100);

/** 1, 2 or 5 times a power of ten: tick steps a reader can follow. */
function niceStep(span: number, ticks: number): number {
  const raw = span / Math.max(ticks, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * power;
}

/** Tick values covering [lo, hi]. */
function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step = niceStep(hi - lo, count);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    out.push(Math.round(v / step) * step);
  }
  return out;
}

/** A short tick label: 0.25, 1e-3, 12k. */
function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 10_000) return `${n(v / 1000)}k`;
  if (a < 1e-3) return v.toExponential(0);
  return String(Number(v.toPrecision(4)));
}

interface Panel {
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
  xLabel: string;
  xRange: [number, number];
  yRange: [number, number];
  series: { label: string; color: string; points: [number, number][]; dashed?: boolean }[];
}

/** One chart: frame, ticks, axis labels, lines and (with more than one series) a legend. */
function panel(p: Panel): string {
  const [x0, x1] = p.xRange;
  const [y0, y1] = p.yRange;
  const sx = (v: number) => p.x + ((v - x0) / (x1 - x0 || 1)) * p.width;
  const sy = (v: number) => p.y + p.height - ((v - y0) / (y1 - y0 || 1)) * p.height;
  const parts: string[] = [
    `<text x="${n(p.x + p.width / 2)}" y="${n(p.y - 10)}" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(p.title)}</text>`,
    `<rect x="${n(p.x)}" y="${n(p.y)}" width="${n(p.width)}" height="${n(p.height)}" fill="#fff" stroke="#888"/>`,
  ];
  for (const t of ticks(y0, y1)) {
    const y = sy(t);
    parts.push(
      `<line x1="${n(p.x)}" y1="${n(y)}" x2="${n(p.x + p.width)}" y2="${n(y)}" stroke="#eee"/>`,
      `<text x="${n(p.x - 6)}" y="${n(y + 4)}" text-anchor="end" font-size="11" fill="#444">${tickLabel(t)}</text>`,
    );
  }
  for (const t of ticks(x0, x1)) {
    const x = sx(t);
    parts.push(
      `<line x1="${n(x)}" y1="${n(p.y + p.height)}" x2="${n(x)}" y2="${n(p.y + p.height + 4)}" stroke="#888"/>`,
      `<text x="${n(x)}" y="${n(p.y + p.height + 17)}" text-anchor="middle" font-size="11" fill="#444">${tickLabel(t)}</text>`,
    );
  }
  parts.push(
    `<text x="${n(p.x + p.width / 2)}" y="${n(p.y + p.height + 34)}" text-anchor="middle" font-size="12">${escapeXml(p.xLabel)}</text>`,
  );
  for (const s of p.series) {
    if (s.points.length === 0) continue;
    const d = s.points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${n(sx(x))} ${n(sy(y))}`).join('');
    parts.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
    );
    if (s.points.length <= 60) {
      for (const [x, y] of s.points)
        parts.push(`<circle cx="${n(sx(x))}" cy="${n(sy(y))}" r="2.5" fill="${s.color}"/>`);
    }
  }
  if (p.series.length > 1) {
    // Bottom right: accuracy and loss curves end high and low, so the corner they leave free.
    p.series.forEach((s, i) => {
      const ly = p.y + p.height - 10 - (p.series.length - 1 - i) * 16;
      const lx = p.x + p.width - 90;
      parts.push(
        `<line x1="${n(lx)}" y1="${n(ly - 4)}" x2="${n(lx + 18)}" y2="${n(ly - 4)}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
        `<text x="${n(lx + 24)}" y="${n(ly)}" font-size="11">${escapeXml(s.label)}</text>`,
      );
    });
  }
  return parts.join('');
}

/** At most `max` points: the mean of each run of consecutive values, at the run's middle. */
function downsample(values: readonly number[], max: number): [number, number][] {
  const finite = values
    .map((v, i) => [i + 1, v] as [number, number])
    .filter(([, v]) => Number.isFinite(v));
  if (finite.length <= max) return finite;
  const size = finite.length / max;
  const out: [number, number][] = [];
  for (let k = 0; k < max; k++) {
    const run = finite.slice(Math.floor(k * size), Math.floor((k + 1) * size));
    if (run.length === 0) continue;
    const x = run.reduce((s, [i]) => s + i, 0) / run.length;
    const y = run.reduce((s, [, v]) => s + v, 0) / run.length;
    out.push([x, y]);
  }
  return out;
}

/** What renderTrainingPlot draws. */
export interface TrainingHistory {
  /** The loss at every iteration. */
  loss: readonly number[];
  /** Accuracy checks: at which epoch each was made, and the training and validation accuracy. */
  accuracy: { epoch: readonly number[]; train: readonly number[]; val: readonly number[] };
}

/** The longest series or point list drawn. */
const MAX_VALUES = 10_000_000;

/** A list of numbers (finite ones with `finite`, and within [min, max]), or a clear error. */
function checkSeries(
  fn: string,
  name: string,
  values: unknown,
  range: { finite?: boolean; min?: number; max?: number } = {},
): readonly number[] {
  const { finite = false, min = -Infinity, max = Infinity } = range;
  const fits = (v: unknown) =>
    typeof v === 'number' && (finite ? Number.isFinite(v) && v >= min && v <= max : true);
  if (!Array.isArray(values) || values.length > MAX_VALUES || !values.every(fits)) {
    const bounds = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    const what = finite ? `finite numbers ${bounds}` : 'numbers';
    throw badArgument(fn, `${name} must be a list of at most ${MAX_VALUES} ${what}`);
  }
  return values as readonly number[];
}

/** [min, max] of a long list, without spreading it into arguments (which overflows the stack). */
function extent(values: readonly number[], from: [number, number]): [number, number] {
  let [lo, hi] = from;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** An optional title: a string, or a clear error. */
function titleOf(fn: string, title: unknown): string | undefined {
  if (title === undefined || typeof title === 'string') return title;
  throw badArgument(fn, `the title must be a string, got ${describe(title)}`);
}

/**
 * The loss per iteration (left) and the training and validation accuracy per epoch (right), as
 * in the CS231n notebooks' Solver plots. Long loss curves are averaged down to 1,000 points.
 *
 * @example
 * renderTrainingPlot({ loss: [2.3, 1.1, 0.4], accuracy: { epoch: [0, 1], train: [0.3, 0.9], val: [0.3, 0.8] } })
 * // '<svg xmlns="http://www.w3.org/2000/svg" … </svg>'
 */
export function renderTrainingPlot(
  history: TrainingHistory,
  options: { title?: string } = {},
): string {
  const fn = 'renderTrainingPlot';
  checkOptions(fn, 'history', history);
  options = checkOptions(fn, 'options', options);
  const title = titleOf(fn, options.title);
  const loss = checkSeries(fn, 'history.loss', history.loss);
  checkOptions(fn, 'history.accuracy', history.accuracy);
  const epochs = checkSeries(fn, 'history.accuracy.epoch', history.accuracy.epoch, {
    finite: true,
    min: 0,
  });
  const accuracy = { finite: true, min: 0, max: 1 };
  const train = checkSeries(fn, 'history.accuracy.train', history.accuracy.train, accuracy);
  const val = checkSeries(fn, 'history.accuracy.val', history.accuracy.val, accuracy);
  if (train.length !== epochs.length || val.length !== epochs.length) {
    throw badArgument(
      fn,
      'accuracy.epoch, accuracy.train and accuracy.val must have one entry per check',
    );
  }
  const width = 900;
  const height = title ? 360 : 330;
  const top = title ? 70 : 40;
  const lossPoints = downsample(loss, 1000);
  const lossMax = 1.05 * Math.max(...lossPoints.map(([, v]) => v), 1e-9);
  const lossMin = Math.min(0, ...lossPoints.map(([, v]) => v));
  const epochMax = extent(epochs, [0, 1])[1];
  const left = panel({
    x: 60,
    y: top,
    width: 360,
    height: 240,
    title: 'Training loss',
    xLabel: 'iteration',
    xRange: [0, Math.max(loss.length, 1)],
    yRange: [lossMin, lossMax],
    series: [{ label: 'loss', color: '#4e79a7', points: lossPoints }],
  });
  const right = panel({
    x: 510,
    y: top,
    width: 360,
    height: 240,
    title: 'Accuracy',
    xLabel: 'epoch',
    xRange: [0, epochMax],
    yRange: [0, 1],
    series: [
      { label: 'train', color: '#f28e2b', points: epochs.map((e, i) => [e, train[i]!]) },
      { label: 'val', color: '#59a14f', points: epochs.map((e, i) => [e, val[i]!]), dashed: true },
    ],
  });
  const heading = title
    ? `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(title)}</text>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chainrule-plot" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeAttr(FONT)}">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>${heading}${left}${right}</svg>\n`
  );
}

/** What renderDecisionBoundary draws. */
export interface DecisionBoundaryInput {
  /** The data points [x, y] and their classes. */
  points: readonly (readonly [number, number])[];
  labels: readonly number[];
  numClasses: number;
  /** The class the model predicts for each grid point (rows of [x, y]). */
  classify: (grid: readonly (readonly [number, number])[]) => ArrayLike<number>;
  /** Grid cells per side (default 200). */
  resolution?: number;
  title?: string;
}

/**
 * The decision regions of a 2-D classifier over the data's bounding box (10% margin), each grid
 * cell coloured by its predicted class, with the data points on top coloured by their true class
 * — the CS231n spiral picture. Each row of cells is drawn as runs of one class.
 *
 * @example
 * renderDecisionBoundary({ points, labels, numClasses: 3, classify: (grid) => predict(grid) })
 */
export function renderDecisionBoundary(input: DecisionBoundaryInput): string {
  const fn = 'renderDecisionBoundary';
  checkOptions(fn, 'input', input);
  const { points, labels } = input;
  const numClasses = checkInteger(fn, 'input.numClasses', input.numClasses, 1, 1000);
  const classify = checkFunction(fn, 'input.classify', input.classify);
  const res = checkInteger(fn, 'input.resolution', input.resolution ?? 200, 2, 1000);
  const title = titleOf(fn, input.title);
  // Coordinates are bounded so that the 10% margin around them stays finite.
  const coordinate = (v: unknown) => typeof v === 'number' && Math.abs(v) <= 1e100;
  if (
    !Array.isArray(points) ||
    points.length === 0 ||
    points.length > 1_000_000 ||
    !points.every((p) => Array.isArray(p) && p.length === 2 && p.every(coordinate))
  ) {
    throw badArgument(
      fn,
      'input.points must be a list of 1 to 1000000 points [x, y] with finite coordinates (|v| ≤ 1e100)',
    );
  }
  const checked: readonly (readonly [number, number])[] = points;
  const isClass = (c: unknown) =>
    Number.isInteger(c) && (c as number) >= 0 && (c as number) < numClasses;
  if (!Array.isArray(labels) || labels.length !== points.length || !labels.every(isClass))
    throw badArgument(fn, `input.labels must give one class in [0, ${numClasses}) per point`);
  const classes: readonly number[] = labels;
  const pad = ([lo, hi]: [number, number]): [number, number] => {
    const m = Math.max((hi - lo) * 0.1, 1e-6);
    return [lo - m, hi + m];
  };
  const first = checked[0]!;
  const [xlo, xhi] = pad(
    extent(
      checked.map((p) => p[0]),
      [first[0], first[0]],
    ),
  );
  const [ylo, yhi] = pad(
    extent(
      checked.map((p) => p[1]),
      [first[1], first[1]],
    ),
  );
  const grid: [number, number][] = [];
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      grid.push([xlo + ((c + 0.5) / res) * (xhi - xlo), yhi - ((r + 0.5) / res) * (yhi - ylo)]);
    }
  }
  const predicted: unknown = classify(grid);
  const answers = predicted as ArrayLike<unknown> | null | undefined;
  if (
    (!Array.isArray(predicted) && !ArrayBuffer.isView(predicted)) ||
    answers!.length !== grid.length ||
    !Array.prototype.every.call(answers, isClass)
  ) {
    throw badArgument(
      fn,
      `input.classify must return one class in [0, ${numClasses}) for each of the ${grid.length} grid points, got ${describe(predicted)}`,
    );
  }
  const predictedClasses = predicted as ArrayLike<number>;
  const size = 480;
  const margin = 50;
  const top = title ? 44 : 16;
  const cell = size / res;
  const parts: string[] = [];
  for (let r = 0; r < res; r++) {
    let c = 0;
    while (c < res) {
      const cls = predictedClasses[r * res + c]!;
      let end = c + 1;
      while (end < res && predictedClasses[r * res + end] === cls) end++;
      parts.push(
        `<rect x="${n(margin + c * cell)}" y="${n(top + r * cell)}" width="${n((end - c) * cell + 0.3)}" height="${n(cell + 0.3)}" fill="${colorOf(cls)}"/>`,
      );
      c = end;
    }
  }
  const regions = `<g class="regions" opacity="0.35" shape-rendering="crispEdges">${parts.join('')}</g>`;
  const sx = (x: number) => margin + ((x - xlo) / (xhi - xlo)) * size;
  const sy = (y: number) => top + ((yhi - y) / (yhi - ylo)) * size;
  const dots = checked
    .map(
      ([x, y], i) =>
        `<circle cx="${n(sx(x))}" cy="${n(sy(y))}" r="3.2" fill="${colorOf(classes[i]!)}" stroke="#222" stroke-width="0.6"/>`,
    )
    .join('');
  const axes: string[] = [
    `<rect x="${margin}" y="${top}" width="${size}" height="${size}" fill="none" stroke="#888"/>`,
  ];
  for (const t of ticks(xlo, xhi)) {
    axes.push(
      `<text x="${n(sx(t))}" y="${n(top + size + 16)}" text-anchor="middle" font-size="11" fill="#444">${tickLabel(t)}</text>`,
    );
  }
  for (const t of ticks(ylo, yhi)) {
    axes.push(
      `<text x="${n(margin - 6)}" y="${n(sy(t) + 4)}" text-anchor="end" font-size="11" fill="#444">${tickLabel(t)}</text>`,
    );
  }
  const width = size + 2 * margin;
  const height = top + size + 30;
  const heading = title
    ? `<text x="${width / 2}" y="26" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chainrule-plot" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeAttr(FONT)}">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>${heading}${regions}<g class="points">${dots}</g>${axes.join('')}</svg>\n`
  );
}
