import { ParseError, badArgument } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { checkOptions, describe, quote } from '../core/validate.js';
import type { Dataset } from './dataset.js';

// A CSV with a header row: numeric feature columns and (for training) one label column. Errors
// name the line and the column, so a person can find the bad cell in an editor.

/** Limits that keep a hostile file from costing unbounded time or memory. */
const MAX_CHARS = 256 * 1024 * 1024;
const MAX_COLUMNS = 100_000;
const MAX_CELLS = 50_000_000;

export interface CsvOptions {
  /** The label column, by header name or 0-based index (default: the last column). */
  label?: string | number;
  /** The field separator (default ','). */
  delimiter?: string;
}

/** A header and its rows, each with its line number (1-based, as an editor counts). */
interface Table {
  columns: string[];
  rows: { fields: string[]; line: number }[];
}

/** Splits one line into fields, with RFC 4180 quoting ("a, b" and "" for a quote). */
function splitLine(
  fn: string,
  line: string,
  delimiter: string,
  lineNo: number,
  source: string,
  offset: number,
): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) {
          throw new ParseError(
            source,
            { start: offset, end: offset + line.length },
            `${fn}: line ${lineNo}: a quoted field is not closed`,
            ['"'],
          );
        }
        if (line[i] === '"' && line[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else field += line[i++];
      }
      if (i < line.length && line[i] !== delimiter) {
        throw badArgument(
          fn,
          `line ${lineNo}: unexpected text after the closing quote of field ${fields.length + 1}`,
        );
      }
    } else {
      const end = line.indexOf(delimiter, i);
      field = line.slice(i, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    }
    fields.push(field.trim());
    if (i >= line.length) return fields;
    i++; // the delimiter
  }
}

/** The header and rows of a CSV text; a row whose field count differs is an error. */
function readTable(fn: string, text: unknown, delimiterOption: unknown): Table {
  if (typeof text !== 'string')
    throw badArgument(fn, `argument text must be a string, got ${describe(text)}`);
  if (text.length > MAX_CHARS) {
    throw badArgument(fn, `the text has ${text.length} characters, more than ${MAX_CHARS}`);
  }
  const delimiter = delimiterOption ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || '"\r\n'.includes(delimiter)) {
    throw badArgument(
      fn,
      `options.delimiter must be one character (not a quote or newline), got ${describe(delimiter)}`,
    );
  }
  const rows: Table['rows'] = [];
  let columns: string[] | null = null;
  let offset = 0;
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((raw, k) => {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() !== '') {
        const fields = splitLine(fn, line, delimiter, k + 1, text, offset);
        if (columns === null) {
          if (fields.length > MAX_COLUMNS) {
            throw badArgument(
              fn,
              `the header has ${fields.length} columns, more than ${MAX_COLUMNS}`,
            );
          }
          columns = fields;
        } else {
          if (fields.length !== columns.length) {
            throw badArgument(
              fn,
              `line ${k + 1} has ${fields.length} fields, but the header has ${columns.length}`,
            );
          }
          if ((rows.length + 1) * columns.length > MAX_CELLS) {
            throw badArgument(fn, `the CSV has more than ${MAX_CELLS} cells`);
          }
          rows.push({ fields, line: k + 1 });
        }
      }
      offset += raw.length + 1;
    });
  if (columns === null) throw badArgument(fn, 'the CSV is empty: it needs a header row');
  if (rows.length === 0) throw badArgument(fn, 'the CSV has a header but no rows');
  return { columns, rows };
}

/** The columns other than `skip` as an N×D float64 tensor; a non-number names line and column. */
function features(fn: string, table: Table, skip: number): Tensor {
  const d = table.columns.length - (skip >= 0 ? 1 : 0);
  const X = new Float64Array(table.rows.length * d);
  table.rows.forEach(({ fields, line }, i) => {
    let f = 0;
    fields.forEach((cell, j) => {
      if (j === skip) return;
      const v = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(v)) {
        throw badArgument(
          fn,
          `line ${line}, column ${quote(table.columns[j]!)}: ${quote(cell)} is not a finite number`,
        );
      }
      X[i * d + f++] = v;
    });
  });
  return new Tensor(X, [table.rows.length, d]);
}

function labelColumn(
  fn: string,
  columns: string[],
  label: string | number | undefined,
  name = 'options.label',
): number {
  if (label === undefined) return columns.length - 1;
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label < 0 || label >= columns.length) {
      throw badArgument(
        fn,
        `${name} ${describe(label)} is out of range: the CSV has ${columns.length} columns`,
      );
    }
    return label;
  }
  if (typeof label !== 'string')
    throw badArgument(fn, `${name} must be a column name or index, got ${describe(label)}`);
  const j = columns.indexOf(label);
  if (j < 0) {
    throw badArgument(
      fn,
      `there is no column ${quote(label)}; the columns are ${columns
        .slice(0, 20)
        .map((c) => quote(c))
        .join(', ')}`,
    );
  }
  return j;
}

/**
 * Reads a CSV with a header into a dataset: every column but the label is a numeric feature;
 * the label column holds class indices (integers ≥ 0) or names (then numbered in sorted order,
 * kept in classNames). Blank lines are skipped. A row with the wrong number of fields or a cell
 * that is not a number is an error naming the line and the column.
 *
 * @example
 * parseCsv('x,y,label\n0.5,1,0\n-1,2,1\n').X.shape // [2, 2]
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvDataset {
  return parseCsvAs('parseCsv', text, options);
}

/** A dataset read from a CSV, with the names of its feature columns. */
export type CsvDataset = Dataset & { featureNames: string[] };

/** parseCsv for `fn`, the function the user called (readCsvFile). */
export function parseCsvAs(fn: string, text: string, options: CsvOptions = {}): CsvDataset {
  options = checkOptions(fn, 'options', options);
  const table = readTable(fn, text, options.delimiter);
  if (table.columns.length < 2) {
    throw badArgument(fn, 'the CSV needs at least one feature column and a label column');
  }
  const labelIndex = labelColumn(fn, table.columns, options.label);
  const X = features(fn, table, labelIndex);
  const rawLabels = table.rows.map(({ fields, line }) => {
    const cell = fields[labelIndex]!;
    if (cell === '') {
      throw badArgument(
        fn,
        `line ${line}, column ${quote(table.columns[labelIndex]!)}: the label is empty`,
      );
    }
    return cell;
  });
  const numeric = rawLabels.every((s) => /^\d+$/.test(s) && Number(s) <= 1_000_000);
  let y: number[];
  let classNames: string[] | undefined;
  if (numeric) {
    y = rawLabels.map(Number);
  } else {
    classNames = [...new Set(rawLabels)].sort();
    if (classNames.length > 100_000) {
      throw badArgument(fn, `the label column has ${classNames.length} distinct values`);
    }
    const index = new Map(classNames.map((c, k) => [c, k]));
    y = rawLabels.map((s) => index.get(s)!);
  }
  const out: CsvDataset = {
    X,
    y,
    numClasses: classNames ? classNames.length : y.reduce((m, v) => Math.max(m, v), 0) + 1,
    featureNames: table.columns.filter((_, j) => j !== labelIndex),
  };
  if (classNames) out.classNames = classNames;
  return out;
}

/**
 * Reads the numeric columns of a CSV with a header (for prediction), leaving out the column
 * `drop` when it is given and present.
 *
 * @example
 * parseCsvFeatures('x,y\n1,2\n').X.toArray() // [[1, 2]]
 */
export function parseCsvFeatures(
  text: string,
  options: { drop?: string | number; delimiter?: string } = {},
): { X: Tensor; featureNames: string[] } {
  const fn = 'parseCsvFeatures';
  options = checkOptions(fn, 'options', options);
  const table = readTable(fn, text, options.delimiter);
  const drop =
    options.drop === undefined
      ? -1
      : typeof options.drop === 'number'
        ? labelColumn(fn, table.columns, options.drop, 'options.drop')
        : typeof options.drop === 'string'
          ? table.columns.indexOf(options.drop)
          : labelColumn(fn, table.columns, options.drop, 'options.drop');
  return {
    X: features(fn, table, drop),
    featureNames: table.columns.filter((_, j) => j !== drop),
  };
}
