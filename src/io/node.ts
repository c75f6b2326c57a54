/**
 * chainrule/io/node: the file side of saving and loading, for Node only — modules and
 * checkpoints to and from .safetensors files, CSV files and CIFAR-10 batches from a local path.
 * A file that cannot be read is a clear error naming the path (never a stack trace).
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChainruleError, badArgument } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { parseCifar10As } from '../data/cifar.js';
import { parseCsvAs, type CsvOptions, type CsvDataset } from '../data/csv.js';
import type { Dataset } from '../data/dataset.js';
import type { Module } from '../nn/module.js';
import { LIMITS } from '../core/limits.js';
import { checkInteger, checkOptions, describe, quote } from '../core/validate.js';
import type { Optimizer } from '../optim/optimizers.js';
import { loadAs, saveAs, type Loaded, type SaveOptions } from './module-io.js';

/**
 * The bytes of a file, or a clear error naming it (missing, a directory, unreadable, too big).
 *
 * @example
 * readBytes('model.safetensors').length // the file's size
 */
export function readBytes(path: string, fn = 'readBytes'): Uint8Array {
  if (typeof path !== 'string' || path === '')
    throw badArgument(fn, `argument path must be a file name, got ${describe(path)}`);
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error('not a regular file');
    size = stat.size;
  } catch (error) {
    throw new ChainruleError(
      'bad_argument',
      `${fn}: cannot read ${quote(path, 500)}: ${reason(error)}`,
    );
  }
  if (size > LIMITS.maxFileBytes)
    throw badArgument(
      fn,
      `${quote(path, 500)} has ${size} bytes, more than ${LIMITS.maxFileBytes}`,
    );
  try {
    const buffer = readFileSync(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    throw new ChainruleError(
      'bad_argument',
      `${fn}: cannot read ${quote(path, 500)}: ${reason(error)}`,
    );
  }
}

/**
 * Writes bytes or text to a file, or a clear error naming it.
 *
 * @example
 * writeBytes('out/weights.safetensors', saveModule(model));
 */
export function writeBytes(path: string, data: Uint8Array | string, fn = 'writeBytes'): void {
  if (typeof path !== 'string' || path === '')
    throw badArgument(fn, `argument path must be a file name, got ${describe(path)}`);
  if (!(data instanceof Uint8Array) && typeof data !== 'string')
    throw badArgument(fn, `argument data must be bytes or text, got ${describe(data)}`);
  try {
    writeFileSync(path, data);
  } catch (error) {
    throw new ChainruleError(
      'bad_argument',
      `${fn}: cannot write ${quote(path, 500)}: ${reason(error)}`,
    );
  }
}

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (e?.code === 'ENOENT') return 'no such file or directory';
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied';
  if (e?.code === 'EISDIR') return 'it is a directory';
  // Other messages may quote the path: control characters are escaped.
  return JSON.stringify(e?.message ?? String(error)).slice(1, -1);
}

/**
 * Saves a module (with an optimizer's state, metadata and extra tensors) to a .safetensors file.
 *
 * @example
 * saveModuleFile('model.safetensors', model, { optimizer });
 */
export function saveModuleFile(path: string, module: Module, options: SaveOptions = {}): void {
  writeBytes(path, saveAs('saveModuleFile', module, options), 'saveModuleFile');
}

/**
 * Loads a .safetensors file written by saveModuleFile into a module, all or nothing.
 *
 * @example
 * loadModuleFile('model.safetensors', model).metadata
 */
export function loadModuleFile(
  path: string,
  module: Module,
  options: { optimizer?: Optimizer } = {},
): Loaded {
  return loadAs('loadModuleFile', module, readBytes(path, 'loadModuleFile'), options);
}

/**
 * Reads a CSV file with a header into a dataset (see parseCsv).
 *
 * @example
 * readCsvFile('iris.csv', { label: 'species' }); // a dataset with classNames from the species column
 */
export function readCsvFile(path: string, options: CsvOptions = {}): CsvDataset {
  const bytes = readBytes(path, 'readCsvFile');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badArgument('readCsvFile', `${quote(path, 500)} is not UTF-8 text`);
  }
  return parseCsvAs('readCsvFile', text, options);
}

/**
 * Reads CIFAR-10's binary batches from a directory (the cifar-10-batches-bin folder):
 * data_batch_1.bin … data_batch_5.bin as the training set and test_batch.bin as the test set;
 * `batches` limits how many training batches are read (default 5).
 *
 * @example
 * const { train, test } = readCifar10('cifar-10-batches-bin', { batches: 1 });
 */
export function readCifar10(
  dir: string,
  options: { batches?: number } = {},
): { train: Dataset; test: Dataset } {
  if (typeof dir !== 'string' || dir === '')
    throw badArgument('readCifar10', `argument dir must be a directory name, got ${describe(dir)}`);
  options = checkOptions('readCifar10', 'options', options);
  const count = checkInteger('readCifar10', 'options.batches', options.batches ?? 5, 1, 5);
  const read = (name: string) => {
    const path = join(dir, name);
    return parseCifar10As('readCifar10', readBytes(path, 'readCifar10'), quote(path, 500));
  };
  const parts = Array.from({ length: count }, (_, i) => read(`data_batch_${i + 1}.bin`));
  const test = read('test_batch.bin');
  const size = parts.reduce((n, p) => n + p.X.size, 0);
  const X = new Float64Array(size);
  let at = 0;
  for (const p of parts) {
    X.set(p.X.data, at);
    at += p.X.size;
  }
  const n = parts.reduce((k, p) => k + p.y.length, 0);
  const train: Dataset = {
    X: new Tensor(X, [n, 3, 32, 32]),
    y: parts.flatMap((p) => p.y),
    numClasses: 10,
  };
  if (test.classNames) train.classNames = test.classNames;
  return { train, test };
}
