import { ParseError, badArgument } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { show } from '../nn/validate.js';
import type { Dataset } from './dataset.js';

// A CSV with a header row: numeric feature columns and one label column. Errors name the line
// and the column, so a person can find the bad cell in an editor.

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

/** Splits one line into fields, with RFC 4180 quoting ("a, b" and "" for a quote). */
function splitLine(
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
            `line ${lineNo}: a quoted field is not closed`,
            ['"'],
          );
        }
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else field += line[i++];
      }
      if (i < line.length && line[i] !== delimiter) {
        throw badArgument(
          'parseCsv',
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

/**
 * Reads a CSV with a header into a dataset: every column but the label is a numeric feature;
 * the label column holds class indices (integers ≥ 0) or names (then numbered in sorted order,
 * kept in classNames). Blank lines are skipped. A row with the wrong number of fields or a cell
 * that is not a number is an error naming the line and the column.
 *
 * @example
 * parseCsv('x,y,label\n0.5,1,0\n-1,2,1\n').X.shape // [2, 2]
 */
export function parseCsv(
  text: string,
  options: CsvOptions = {},
): Dataset & { featureNames: string[] } {
  if (typeof text !== 'string')
    throw badArgument('parseCsv', `text must be a string, got ${show(text)}`);
  if (text.length > MAX_CHARS)
    throw badArgument('parseCsv', `the text has ${text.length} characters, more than ${MAX_CHARS}`);
  const delimiter = options.delimiter ?? ',';
  if (
    typeof delimiter !== 'string' ||
    delimiter.length !== 1 ||
    delimiter === '"' ||
    delimiter === '\n'
  ) {
    throw badArgument(
      'parseCsv',
      `delimiter must be one character (not a quote or newline), got ${show(delimiter)}`,
    );
  }
  const rows: { fields: string[]; line: number }[] = [];
  let offset = 0;
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  let header: string[] | null = null;
  lines.forEach((raw, k) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() !== '') {
      const fields = splitLine(line, delimiter, k + 1, text, offset);
      if (header === null) {
        if (fields.length > MAX_COLUMNS)
          throw badArgument(
            'parseCsv',
            `the header has ${fields.length} columns, more than ${MAX_COLUMNS}`,
          );
        header = fields;
      } else {
        if (fields.length !== header.length) {
          throw badArgument(
            'parseCsv',
            `line ${k + 1} has ${fields.length} fields, but the header has ${header.length} (${header.join(', ')})`,
          );
        }
        if ((rows.length + 1) * header.length > MAX_CELLS)
          throw badArgument('parseCsv', `more than ${MAX_CELLS} cells`);
        rows.push({ fields, line: k + 1 });
      }
    }
    offset += raw.length + 1;
  });
  const columns: string[] = header ?? [];
  if (columns.length < 2)
    throw badArgument(
      'parseCsv',
      'the CSV needs a header with at least one feature column and a label column',
    );
  if (rows.length === 0) throw badArgument('parseCsv', 'the CSV has a header but no rows');
  const labelIndex = labelColumn(columns, options.label);
  const featureNames = columns.filter((_, j) => j !== labelIndex);
  const X = new Float64Array(rows.length * featureNames.length);
  const rawLabels: string[] = [];
  rows.forEach(({ fields, line }, i) => {
    let f = 0;
    fields.forEach((cell, j) => {
      if (j === labelIndex) {
        if (cell === '')
          throw badArgument('parseCsv', `line ${line}, column '${columns[j]}': the label is empty`);
        rawLabels.push(cell);
        return;
      }
      const v = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(v)) {
        throw badArgument(
          'parseCsv',
          `line ${line}, column '${columns[j]}': ${show(cell)} is not a finite number`,
        );
      }
      X[i * featureNames.length + f++] = v;
    });
  });
  const numeric = rawLabels.every((s) => /^\d+$/.test(s) && Number(s) <= 1_000_000);
  let y: number[];
  let classNames: string[] | undefined;
  if (numeric) {
    y = rawLabels.map(Number);
  } else {
    classNames = [...new Set(rawLabels)].sort();
    if (classNames.length > 100_000)
      throw badArgument('parseCsv', `the label column has ${classNames.length} distinct values`);
    const index = new Map(classNames.map((c, k) => [c, k]));
    y = rawLabels.map((s) => index.get(s)!);
  }
  const out: Dataset & { featureNames: string[] } = {
    X: new Tensor(X, [rows.length, featureNames.length]),
    y,
    numClasses: classNames ? classNames.length : Math.max(...y) + 1,
    featureNames,
  };
  if (classNames) out.classNames = classNames;
  return out;
}

function labelColumn(columns: string[], label: string | number | undefined): number {
  if (label === undefined) return columns.length - 1;
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label < 0 || label >= columns.length) {
      throw badArgument(
        'parseCsv',
        `label column ${label} is out of range: the CSV has ${columns.length} columns`,
      );
    }
    return label;
  }
  const j = columns.indexOf(label);
  if (j < 0)
    throw badArgument(
      'parseCsv',
      `there is no column ${show(label)}; the columns are ${columns.join(', ')}`,
    );
  return j;
}
