import { ChainruleError, badArgument, formatShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { Module } from '../nn/module.js';
import { checkInteger, checkNumber, checkOptions, describe, quote } from '../core/validate.js';
import { Optimizer } from '../optim/optimizers.js';
import type { Checkpoint } from '../optim/solver.js';
import { decodeAs, encodeAs } from './safetensors.js';

// A module's tensors (parameters and buffers) and, optionally, its optimizer's state in one
// safetensors file. Loading checks the whole file against the module first and changes nothing
// unless every tensor fits; then it copies the numbers in place, bit for bit.

/** Where an optimizer's state and extra tensors live among a file's names. */
const OPTIMIZER = '__optimizer__.';
const EXTRA = '__extra__.';

const SAFE_DTYPE = { float32: 'F32', float64: 'F64' } as const;

export interface SaveOptions {
  /** Also save this optimizer's state (velocity, moments, step count, learning rate). */
  optimizer?: Optimizer;
  /** Strings stored in the header (a model spec, a note). */
  metadata?: Record<string, string>;
  /** More named tensors to keep with the model (normalization statistics…). */
  extra?: Record<string, Tensor>;
}

/**
 * A module's tensors (and an optimizer's state, extra tensors and metadata) as safetensors bytes.
 *
 * @example
 * const bytes = saveModule(model, { metadata: { spec: 'affine(100)-relu-affine' } });
 */
export function saveModule(module: Module, options: SaveOptions = {}): Uint8Array {
  return saveAs('saveModule', module, options);
}

/** saveModule for `fn`, the function the user called. */
export function saveAs(fn: string, module: Module, options: SaveOptions = {}): Uint8Array {
  if (!(module instanceof Module))
    throw badArgument(fn, `argument module must be a Module, got ${describe(module)}`);
  options = checkOptions(fn, 'options', options);
  const tensors: Record<string, Tensor> = { ...module.tensors() };
  for (const name of Object.keys(tensors)) {
    if (name.startsWith('__'))
      throw badArgument(
        fn,
        `the tensor name ${quote(name)} may not start with __ (kept for the file's own entries)`,
      );
  }
  if (options.optimizer !== undefined) {
    if (!(options.optimizer instanceof Optimizer))
      throw badArgument(
        fn,
        `options.optimizer must be an Optimizer, got ${describe(options.optimizer)}`,
      );
    for (const [k, t] of Object.entries(options.optimizer.stateDict())) tensors[OPTIMIZER + k] = t;
  }
  const extra = checkOptions(fn, 'options.extra', options.extra);
  for (const [k, t] of Object.entries(extra)) tensors[EXTRA + k] = t;
  return encodeAs(fn, tensors, options.metadata ?? {});
}

/** What loadModule found besides the module's tensors. */
export interface Loaded {
  metadata: Record<string, string>;
  extra: Record<string, Tensor>;
}

/** The tensors whose names start with `prefix` (and none of `excluded`), the prefix cut off. */
function withoutPrefix(
  tensors: Record<string, Tensor>,
  prefix: string,
  excluded: readonly string[] = [],
): Record<string, Tensor> {
  return Object.fromEntries(
    Object.entries(tensors)
      .filter(([name]) => name.startsWith(prefix) && !excluded.some((e) => name.startsWith(e)))
      .map(([name, t]) => [name.slice(prefix.length), t]),
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Loads a file written by saveModule into `module` (and `options.optimizer`): every tensor of
 * the module must be in the file with its shape and dtype, and the file may hold no other model
 * tensor. Any mismatch, and any truncated or corrupted file, is an error naming the tensor —
 * and nothing is changed. Returns the metadata and the extra tensors.
 *
 * @example
 * loadModule(model, bytes); // model now holds the saved weights, bit for bit
 */
export function loadModule(
  module: Module,
  bytes: Uint8Array,
  options: { optimizer?: Optimizer } = {},
): Loaded {
  return loadAs('loadModule', module, bytes, options);
}

/** loadModule for `fn`, the function the user called. */
export function loadAs(
  fn: string,
  module: Module,
  bytes: Uint8Array,
  options: { optimizer?: Optimizer } = {},
): Loaded {
  options = checkOptions(fn, 'options', options);
  if (!(module instanceof Module))
    throw badArgument(fn, `argument module must be a Module, got ${describe(module)}`);
  const { tensors, metadata } = decodeAs(fn, bytes);
  const expected = module.tensors();
  const model = withoutPrefix(tensors, '', [OPTIMIZER, EXTRA]);
  const optimizerState = withoutPrefix(tensors, OPTIMIZER);
  const extra = withoutPrefix(tensors, EXTRA);
  const fail = (message: string) =>
    new ChainruleError('shape_mismatch', `${fn}: ${message}; nothing was loaded`);
  for (const [name, target] of Object.entries(expected)) {
    const source = Object.hasOwn(model, name) ? model[name] : undefined;
    if (!source) {
      throw fail(
        `the file has no tensor ${quote(name)} (the model's is ${formatShape(target.shape)} ${SAFE_DTYPE[target.dtype]})`,
      );
    }
    if (!shapesEqual(source.shape, target.shape)) {
      throw fail(
        `${quote(name)} has shape ${formatShape(source.shape)} in the file but ${formatShape(target.shape)} in the model`,
      );
    }
    if (source.dtype !== target.dtype) {
      throw fail(
        `${quote(name)} is ${SAFE_DTYPE[source.dtype]} in the file but ${SAFE_DTYPE[target.dtype]} in the model`,
      );
    }
  }
  const unexpected = Object.keys(model).filter((name) => !Object.hasOwn(expected, name));
  if (unexpected.length > 0) {
    throw fail(
      `the file has ${plural(unexpected.length, 'tensor')} the model does not: ${unexpected
        .slice(0, 5)
        .map((n) => quote(n))
        .join(', ')}${unexpected.length > 5 ? ', …' : ''}`,
    );
  }
  let installOptimizer = () => {};
  if (options.optimizer !== undefined) {
    if (!(options.optimizer instanceof Optimizer))
      throw badArgument(
        fn,
        `options.optimizer must be an Optimizer, got ${describe(options.optimizer)}`,
      );
    if (Object.keys(optimizerState).length === 0) throw fail('the file holds no optimizer state');
    installOptimizer = options.optimizer.prepareLoad(optimizerState);
  }
  for (const [name, target] of Object.entries(expected)) target.data.set(model[name]!.data);
  installOptimizer();
  return { metadata, extra };
}

/**
 * A Solver checkpoint as safetensors bytes: parameters, optimizer state, and the epoch, best
 * validation accuracy and histories in the metadata.
 *
 * @example
 * new Solver(model, data, { checkpoint: (cp) => writeFileSync(`epoch-${cp.epoch}.safetensors`, encodeCheckpoint(cp)) });
 */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const fn = 'encodeCheckpoint';
  checkOptions(fn, 'checkpoint', checkpoint);
  checkInteger(fn, 'checkpoint.epoch', checkpoint.epoch, 0);
  checkNumber(fn, 'checkpoint.bestValAcc', checkpoint.bestValAcc, { min: 0, max: 1 });
  for (const part of ['params', 'optimizer'] as const)
    checkOptions(fn, `checkpoint.${part}`, checkpoint[part]);
  // The histories go into the JSON metadata, where a NaN would silently become null.
  for (const part of ['lossHistory', 'trainAccHistory', 'valAccHistory'] as const) {
    const values: unknown = checkpoint[part];
    if (!Array.isArray(values) || !values.every(Number.isFinite))
      throw badArgument(fn, `checkpoint.${part} must be a list of finite numbers`);
  }
  const tensors: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(checkpoint.params)) tensors[`params.${k}`] = t;
  for (const [k, t] of Object.entries(checkpoint.optimizer)) tensors[OPTIMIZER + k] = t;
  return encodeAs(fn, tensors, {
    kind: 'chainrule-checkpoint',
    epoch: String(checkpoint.epoch),
    bestValAcc: String(checkpoint.bestValAcc),
    history: JSON.stringify({
      loss: checkpoint.lossHistory,
      trainAcc: checkpoint.trainAccHistory,
      valAcc: checkpoint.valAccHistory,
    }),
  });
}

/**
 * Reads a checkpoint written by encodeCheckpoint (for Solver.restore).
 *
 * @example
 * solver.restore(decodeCheckpoint(bytes));
 */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const { tensors, metadata } = decodeAs('decodeCheckpoint', bytes);
  const bad = (what: string) =>
    new ChainruleError('bad_argument', `decodeCheckpoint: not a chainrule checkpoint: ${what}`);
  if (metadata.kind !== 'chainrule-checkpoint')
    throw bad('the metadata has no kind "chainrule-checkpoint"');
  let history: { loss?: unknown; trainAcc?: unknown; valAcc?: unknown };
  try {
    history = JSON.parse(metadata.history ?? '') as typeof history;
  } catch {
    throw bad('the history is not JSON');
  }
  const numbers = (name: string, v: unknown): number[] => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'number'))
      throw bad(`the ${name} history is not a list of numbers`);
    return v;
  };
  const epoch = Number(metadata.epoch);
  const bestValAcc = Number(metadata.bestValAcc);
  if (!Number.isInteger(epoch) || epoch < 0 || !Number.isFinite(bestValAcc))
    throw bad('epoch or bestValAcc is not a number');
  const params = withoutPrefix(tensors, 'params.');
  const optimizer = withoutPrefix(tensors, OPTIMIZER);
  const other = Object.keys(withoutPrefix(tensors, '', ['params.', OPTIMIZER]));
  if (other.length > 0) throw bad(`unexpected tensor ${quote(other[0]!)}`);
  return {
    epoch,
    params,
    optimizer,
    lossHistory: numbers('loss', history.loss),
    trainAccHistory: numbers('train accuracy', history.trainAcc),
    valAccHistory: numbers('validation accuracy', history.valAcc),
    bestValAcc,
  };
}
