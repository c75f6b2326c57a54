/**
 * A tensor on a wire, drawn as what it is: a grid. Its shape (`2×3`) heads the value; the numbers
 * fill the cells while they fit (up to 6×6), and beyond that each cell is a colour on a diverging
 * scale (blue below zero, white at zero, orange above, scaled to the largest magnitude), so a
 * 16×16 gradient still shows where it is large and of which sign. Vectors are columns, as in
 * `W·x` (a long one, as a heatmap, folds into a square block read row by row). Scalars, summaries of big tensors and tensors of rank 3 and up stay one line of text.
 */
import { badArgument } from '../core/errors.js';
import { checkNumber, describe } from '../core/validate.js';
import { checkPrecision } from '../graph/check-args.js';
import { checkSnapshotValue, formatNumber, isSummary } from '../graph/format.js';
import type { NestedArray, SnapshotValue } from '../graph/types.js';
import { escapeXml } from './escape.js';
import { METRICS, textWidth } from './labels.js';

/** Grids of up to this many rows and columns show their numbers; larger ones a heatmap. */
export const MAX_NUMBER_GRID = 6;
/** Cells of the largest grid drawn (as a heatmap): 256×256. */
export const MAX_GRID_CELLS = 65_536;
const CELL_FONT = 12;
const CAPTION_FONT = 11;
const CAPTION_LINE = CAPTION_FONT + 3;
const HEAT_SPAN = 120;

export interface Grid {
  rows: number;
  cols: number;
  cells: number[];
  shape: number[];
  heat: boolean;
  cellWidth: number;
  cellHeight: number;
  /** The largest magnitude (the heatmap's scale). */
  scale: number;
  caption: string;
}

/** A value as a grid (rank 1 as a column, rank 2 as rows × columns), or null if it is not one. */
export function gridOf(value: SnapshotValue | null, precision = 2, caption?: string): Grid | null {
  // Sized before anything walks it: a grid holds at most MAX_GRID_CELLS (a bigger value is
  // drawn as a line of text, as a summary is).
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    const cells = value.length * (Array.isArray(first) ? Math.max(1, first.length) : 1);
    if (cells > MAX_GRID_CELLS) return null;
  }
  if (value !== null) checkSnapshotValue('gridOf', 'value', value);
  checkPrecision('gridOf', precision);
  if (caption !== undefined && typeof caption !== 'string') {
    throw badArgument('gridOf', `argument caption must be a string, got ${describe(caption)}`);
  }
  if (value === null || typeof value === 'number' || isSummary(value)) return null;
  let rows: number;
  let cols: number;
  const cells: number[] = [];
  const shape: number[] = [];
  if (value.every((x) => typeof x === 'number')) {
    rows = value.length;
    cols = 1;
    cells.push(...value);
    shape.push(rows);
  } else if (value.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'number'))) {
    const matrix = value;
    rows = matrix.length;
    cols = matrix[0]?.length ?? 0;
    if (matrix.some((r) => r.length !== cols)) return null;
    for (const r of matrix) cells.push(...r);
    shape.push(rows, cols);
  } else {
    return null;
  }
  if (rows === 0 || cols === 0) return null;
  const heat = rows > MAX_NUMBER_GRID || cols > MAX_NUMBER_GRID;
  if (heat && shape.length === 1) {
    // A long vector as a heatmap folds into a near-square block (row by row), not a tall strip.
    cols = Math.ceil(Math.sqrt(rows));
    rows = Math.ceil(cells.length / cols);
  }
  let scale = 0;
  for (const c of cells) if (Number.isFinite(c)) scale = Math.max(scale, Math.abs(c));
  let cellWidth: number;
  let cellHeight: number;
  if (heat) {
    const side = Math.max(3, Math.min(12, Math.floor(HEAT_SPAN / Math.max(rows, cols))));
    cellWidth = cellHeight = side;
  } else {
    let widest = 0;
    for (const c of cells)
      widest = Math.max(widest, textWidth(formatNumber(c, precision), CELL_FONT));
    cellWidth = widest + 8;
    cellHeight = CELL_FONT + 5;
  }
  const text = caption ?? shape.join('×');
  return {
    rows,
    cols,
    cells,
    shape,
    heat,
    cellWidth,
    cellHeight,
    scale,
    caption: heat ? `${text}, |max| ${formatNumber(scale, precision)}` : text,
  };
}

/**
 * The room a value takes above a wire (caption and grid) or a gradient below it (the ◂ mark and
 * grid), or null when it is drawn as a line of text.
 */
export function gridSize(
  value: SnapshotValue | null,
  precision = 2,
  role: 'value' | 'grad' = 'value',
  caption?: string,
): { width: number; height: number } | null {
  const g = gridOf(value, precision, caption);
  if (g === null) return null;
  const w = g.cols * g.cellWidth;
  const h = g.rows * g.cellHeight;
  const captionW = textWidth(g.caption, CAPTION_FONT);
  if (role === 'value') return { width: Math.max(w, captionW), height: h + CAPTION_LINE };
  return { width: Math.max(w + METRICS.markWidth, captionW), height: h };
}

const n = (x: number) => {
  const r = Math.round(x * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
};

/** A diverging colour: blue for −scale, white for 0, orange for +scale. */
export function heatColour(x: number, scale: number): string {
  // x is data (a non-finite value is drawn black); the scale comes from the grid.
  if (typeof x !== 'number') {
    throw badArgument('heatColour', `argument x must be a number, got ${describe(x)}`);
  }
  checkNumber('heatColour', 'scale', scale, { min: 0 });
  if (!Number.isFinite(x)) return '#000000';
  const t = scale > 0 ? Math.max(-1, Math.min(1, x / scale)) : 0;
  const [r, g, b] = t < 0 ? [33, 102, 172] : [230, 97, 1];
  const k = Math.abs(t);
  const mix = (c: number) => Math.round(255 + (c - 255) * k);
  return `#${[mix(r), mix(g), mix(b)].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The SVG of a grid centred on `cx`, its top at `top` (a value, drawn above the wire) or its top
 * just under the wire (a gradient, with the ◂ mark at its left). `cls` is `value …` or `grad …`.
 */
export function drawGrid(
  value: SnapshotValue,
  precision: number,
  role: 'value' | 'grad',
  cx: number,
  top: number,
  cls: string,
  mark: (x: number, baseline: number) => string,
  caption?: string,
): string {
  const g = gridOf(value, precision, caption)!;
  const size = gridSize(value, precision, role, caption)!;
  const w = g.cols * g.cellWidth;
  const out: string[] = [`<g class="${cls} grid" data-shape="${escapeXml(g.shape.join('x'))}">`];
  let y = top;
  let left = cx - w / 2;
  if (role === 'value') {
    out.push(
      `<text class="grid-shape" x="${n(cx)}" y="${n(y + CAPTION_FONT)}" text-anchor="middle">` +
        `${escapeXml(g.caption)}</text>`,
    );
    y += CAPTION_LINE;
  } else {
    left = cx - size.width / 2 + METRICS.markWidth;
    out.push(mark(left - METRICS.markWidth, y + Math.min(g.rows * g.cellHeight, 16) / 2 + 5));
  }
  out.push(
    `<rect class="grid-frame" x="${n(left)}" y="${n(y)}" width="${n(w)}"` +
      ` height="${n(g.rows * g.cellHeight)}"/>`,
  );
  for (let i = 0; i < g.rows; i++) {
    for (let j = 0; j < g.cols && i * g.cols + j < g.cells.length; j++) {
      const x = g.cells[i * g.cols + j]!;
      const cellX = left + j * g.cellWidth;
      const cellY = y + i * g.cellHeight;
      if (g.heat) {
        out.push(
          `<rect class="heat" x="${n(cellX)}" y="${n(cellY)}" width="${n(g.cellWidth)}"` +
            ` height="${n(g.cellHeight)}" fill="${heatColour(x, g.scale)}"/>`,
        );
      } else {
        out.push(
          `<text class="cell" x="${n(cellX + g.cellWidth / 2)}" y="${n(cellY + CELL_FONT)}"` +
            ` text-anchor="middle">${escapeXml(formatNumber(x, precision))}</text>`,
        );
      }
    }
  }
  out.push('</g>');
  return out.join('');
}

/** The cells of a grid as rows of numbers (for cards and tests). */
export function gridRows(value: SnapshotValue): NestedArray[] | null {
  const g = gridOf(value);
  if (!g) return null;
  return Array.from({ length: g.rows }, (_, i) => g.cells.slice(i * g.cols, (i + 1) * g.cols));
}
